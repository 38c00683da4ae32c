"""Areas as people write them: "12.5亩", "8000平方米", "1.2公顷", "8,000 m²", or a bare number (亩).

Pure Python: the importer, the services and the API read areas through `parse_area`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SQM_PER_MU = Decimal("666.67")  # 1 亩 = 666.67 m² (the rounding land departments use)
SQM_PER_HECTARE = Decimal("10000")
MU = Decimal("0.01")

# Unit words, longest first so "平方米" is not read as "米".
UNITS = {
    "亩": Decimal(1),
    "平方米": 1 / SQM_PER_MU,
    "平米": 1 / SQM_PER_MU,
    "m²": 1 / SQM_PER_MU,
    "m2": 1 / SQM_PER_MU,
    "㎡": 1 / SQM_PER_MU,
    "公顷": SQM_PER_HECTARE / SQM_PER_MU,
    "ha": SQM_PER_HECTARE / SQM_PER_MU,
}
_AREA = re.compile(r"^([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(" + "|".join(map(re.escape, UNITS)) + r")?$", re.IGNORECASE)


class AreaError(ValueError):
    """The text is not an area; the message says what to write."""


def parse_area(text) -> Decimal:
    """The area in 亩, rounded to 0.01 亩. A bare number is 亩."""
    raw = str(text if text is not None else "").strip()
    match = _AREA.match(raw.replace(" ", ""))
    if not match:
        raise AreaError(f"“{raw}”不是面积；请写数字和单位，如 12.5亩、8000平方米、1.2公顷（只写数字按亩计）")
    try:
        number = Decimal(match.group(1).replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise AreaError(f"“{raw}”不是面积；请写数字和单位，如 12.5亩") from None
    unit = (match.group(2) or "亩").lower()
    factor = next(v for k, v in UNITS.items() if k.lower() == unit)
    mu = (number * factor).quantize(MU, rounding=ROUND_HALF_UP)
    if mu <= 0:
        raise AreaError(f"面积“{raw}”应大于零")
    return mu
