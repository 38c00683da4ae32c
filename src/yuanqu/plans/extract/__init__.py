"""Plan-text extractor: a zone's annual work plan (text) → sections, measures, targets.

Pure Python on purpose (no Django import), so the CLI, tests and benchmarks can use
it without settings.  The result is a draft for a person to review.
"""

from .core import decode_plan_bytes, extract, read_plan_file
from .errors import PlanTextError
from .score import score

__all__ = ["decode_plan_bytes", "extract", "read_plan_file", "PlanTextError", "score"]
