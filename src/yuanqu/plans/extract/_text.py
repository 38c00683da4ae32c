"""Text helpers shared by the structure and target passes.

All matching runs on a *normalised copy* of the plan in which full-width ASCII
variants (，：；（）％０-９ …) are mapped to their half-width forms.  The mapping
is one character to one character, so every offset found in the copy is also an
offset into the original text; output strings are always sliced from the original.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right

import cn2an

# Full-width forms -> half-width, 1:1 so offsets are preserved.
_FULLWIDTH = "０１２３４５６７８９％．（）：；，！？～－＋＂＝"
_HALFWIDTH = "0123456789%.():;,!?~-+\"="
_NORMALISE = {ord(f): ord(h) for f, h in zip(_FULLWIDTH, _HALFWIDTH, strict=True)}
_NORMALISE.update({0xFF21 + i: 0x41 + i for i in range(26)})  # Ａ-Ｚ
_NORMALISE.update({0xFF41 + i: 0x61 + i for i in range(26)})  # ａ-ｚ
_NORMALISE[0x3000] = 0x20  # ideographic space
_NORMALISE[0x00A0] = 0x20  # no-break space


def normalise(text: str) -> str:
    return text.translate(_NORMALISE)


# Chinese numerals small enough for headings (一 … 九十九) are converted by hand:
# it is called for every heading candidate and must not fail on odd input.
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def small_cn_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99; anything else → None."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        if "十" in tail or len(head) > 1 or len(tail) > 1:
            return None
        tens = _CN_DIGIT.get(head, None) if head else 1
        ones = _CN_DIGIT.get(tail, None) if tail else 0
        if tens is None or ones is None or tens == 0:
            return None
        return tens * 10 + ones
    if len(s) == 1:
        return _CN_DIGIT.get(s)
    return None


@functools.lru_cache(maxsize=4096)
def cn_number(s: str) -> int | float | None:
    """A Chinese numeral (一百五十, 两千, 三点五) as a number, via cn2an; None if not one."""
    try:
        value = cn2an.cn2an(s, "normal")
    except Exception:  # cn2an raises a bare ValueError/KeyError on odd strings
        return None
    return tidy_number(value)


def tidy_number(value: float | int) -> int | float:
    """int when integral, else float (values are reported as written)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def arabic_number(s: str) -> int | float:
    s = s.replace(",", "")
    return tidy_number(float(s)) if "." in s else int(s)


class Spans:
    """Sorted, non-overlapping [start, end) ranges with O(log n) membership."""

    __slots__ = ("starts", "ends")

    def __init__(self, ranges):
        self.starts = [a for a, _ in ranges]
        self.ends = [b for _, b in ranges]

    def containing(self, pos: int) -> int:
        """Index of the range holding pos, or -1."""
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.ends[i]:
            return i
        return -1


# Quoted names and document titles: numbers inside them are labels (“3550”, “十个必接”).
QUOTED_RE = re.compile(
    r"“[^”\"\n]{0,40}[”\"]"  # exports often close “ with an ASCII quote: “蒙速办"
    r"|‘[^’\n]{0,40}’"
    r"|《[^》\n]{0,80}》"
    r"|「[^」\n]{0,40}」"
    r'|"[^"\n]{0,40}"'
)


def lstrip_pos(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def rstrip_pos(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
