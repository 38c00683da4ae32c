"""亩均效益 evaluation: a scheme as data (``scheme``) and a pure NumPy engine (``engine``).

No Django here: the enterprises app stores schemes as JSON and runs as frozen snapshots, and calls
``evaluate``.  ``load_fixture("huangyan_2022")`` gives Huangyan District's published 2022 scheme.
"""

from pathlib import Path

from .engine import EnterpriseResult, InputError, Line, Result, evaluate
from .formula import Formula, FormulaError
from .scheme import Scheme, SchemeError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_fixture(name: str) -> Scheme:
    return Scheme.from_json((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


__all__ = ["EnterpriseResult", "Formula", "FormulaError", "InputError", "Line", "Result", "Scheme",
           "SchemeError", "evaluate", "load_fixture"]
