"""Investment amounts as people write them: "5000万元", "2.5亿元", "约五千万", "3000万美元".

Pure Python (no Django): the import, the forms and the API share it. An amount is kept in 万 of its
currency, with the currency and whether it was approximate ("约", "左右", "近" ...); what cannot be
read as a figure ("面议", "待定") is refused with a message saying what to write.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Currency words, longest first so "港元" wins over "元".
CURRENCIES: list[tuple[str, str]] = [
    ("人民币", "CNY"), ("美元", "USD"), ("美金", "USD"), ("欧元", "EUR"), ("港元", "HKD"), ("港币", "HKD"),
    ("日元", "JPY"), ("英镑", "GBP"), ("新加坡元", "SGD"), ("韩元", "KRW"), ("元", "CNY"),
]
CURRENCY_LABELS = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元", "GBP": "英镑",
                   "SGD": "新加坡元", "KRW": "韩元"}
CODES = {code for _, code in CURRENCIES}
# Multipliers into 万.
# "千万"/"百万" are not scales here: in "三千五百万" the 百 belongs to the number (see _number).
SCALES: list[tuple[str, Decimal]] = [("亿", Decimal(10000)), ("万", Decimal(1))]
APPROX_PREFIX = re.compile(r"^(约合|大约|大概|超过|预计|约|近|逾|超)")
ARABIC_TIMES = re.compile(r"^(\d+(?:\.\d+)?)([十拾百佰千仟])$")  # "1.5千" (万) as some people write it
APPROX_SUFFIX = re.compile(r"(左右|上下|以上|多)$")
DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
          "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
UNDECIDED = {"面议", "待定", "未定", "不详", "未知", "保密", "暂无"}
HINT = "请写成金额，如“5000万元”“2.5亿元”“约五千万”或“3000万美元”"


class AmountError(ValueError):
    """The text is not an amount; the message says why and what to write."""


@dataclass(frozen=True)
class Amount:
    value: Decimal  # in 万 of `currency`
    currency: str = "CNY"
    approximate: bool = False

    def __str__(self) -> str:
        return format_amount(self.value, self.currency, self.approximate)


def format_amount(value: Decimal | None, currency: str = "CNY", approximate: bool = False) -> str:
    if value is None:
        return ""
    shown = f"{value.normalize():f}"
    word = "万元" if currency == "CNY" else f"万{CURRENCY_LABELS.get(currency, currency)}"
    return f"{'约' if approximate else ''}{shown}{word}"


def _chinese_number(text: str) -> Decimal:
    """五千 → 5000, 三千五百 → 3500, 一点五 → 1.5, 十二 → 12 (below 万: the scale words come apart)."""
    whole, _, fraction = text.partition("点")
    total, digit = 0, None
    for ch in whole:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        else:
            raise AmountError(f"“{text}”不是数字")
    total += digit or 0
    if not whole:
        raise AmountError(f"“{text}”不是数字")
    if fraction:
        if any(ch not in DIGITS for ch in fraction):
            raise AmountError(f"“{text}”不是数字")
        return Decimal(f"{total}.{''.join(str(DIGITS[ch]) for ch in fraction)}")
    return Decimal(total)


def _number(text: str) -> Decimal:
    cleaned = text.replace(",", "").replace("，", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        times = ARABIC_TIMES.match(cleaned)
        value = Decimal(times.group(1)) * UNITS[times.group(2)] if times else _chinese_number(cleaned)
    if not value.is_finite() or value < 0:
        raise AmountError(f"“{text}”不是有效金额")
    return value


def parse_amount(raw) -> Amount | None:
    """Read an amount; a bare number is 万元 (the column's unit). None for a blank cell."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise AmountError(f"“{raw}”不是金额，{HINT}")
    if isinstance(raw, int | float | Decimal):
        return Amount(_number(repr(raw) if isinstance(raw, float) else str(raw)))
    return _parse_text(str(raw))


# Pure, and an import reads the same few texts thousands of times (at preview, again at apply, and
# in the service): each distinct text is read once. A refusal is not kept (it raises each time).
@functools.lru_cache(maxsize=2048)
def _parse_text(raw: str) -> Amount | None:
    text = re.sub(r"\s+", "", raw)
    if not text:
        return None
    if text in UNDECIDED:
        raise AmountError(f"“{text}”不是金额：意向投资额须填写数额，尚未确定时请留空（{HINT}）")
    rest = text
    approximate = False
    for pattern in (APPROX_PREFIX, APPROX_SUFFIX):
        if pattern.search(rest):
            approximate = True
            rest = pattern.sub("", rest)
    currency = "CNY"
    for word, code in CURRENCIES:
        if rest.endswith(word):
            currency, rest = code, rest[: -len(word)]
            break
    scale = None
    for word, factor in SCALES:
        if rest.endswith(word):
            scale, rest = factor, rest[: -len(word)]
            break
    if scale is None:
        # "5000" alone means 万 (the column's unit); "800000元" is yuan.
        scale = Decimal("0.0001") if text.rstrip("左右").endswith("元") and currency == "CNY" else Decimal(1)
    if not rest:
        raise AmountError(f"“{text}”没有数额，{HINT}")
    try:
        value = _number(rest)
    except AmountError:
        raise AmountError(f"“{text}”不是金额，{HINT}") from None
    return Amount((value * scale).normalize() if value else Decimal(0), currency, approximate)
