"""Text made from people's text: shortened where a reader pauses, never in the middle of a word."""

from __future__ import annotations

import re

# Where a clause ends in Chinese writing (and its ASCII stand-ins); 、 only splits a list.
CLAUSE_END = re.compile(r"[，。；：！？,;:!?]")
LIST_SEP = re.compile(r"、")
_PAIRS = {"（": "）", "(": ")", "“": "”", "《": "》", "【": "】", "「": "」"}


def _balanced(text: str) -> bool:
    depth = {opening: 0 for opening in _PAIRS}
    closing = {v: k for k, v in _PAIRS.items()}
    for ch in text:
        if ch in _PAIRS:
            depth[ch] += 1
        elif ch in closing and depth[closing[ch]]:
            depth[closing[ch]] -= 1
    return not any(depth.values())


def _heads(text: str, pattern: re.Pattern) -> list[str]:
    """Every prefix of `text` that ends right before a separator, shortest first, brackets closed."""
    return [text[: m.start()].rstrip() for m in pattern.finditer(text)
            if m.start() and _balanced(text[: m.start()])]


def shorten(text: str, limit: int, *, hard_limit: int | None = None) -> str:
    """`text` if it fits in `limit` characters; else its longest head ending at a clause boundary
    (，。；：) that fits; else its first clause if that fits in `hard_limit` (default twice `limit`);
    else the longest head ending at a 、 that fits; only then a cut with “…”."""
    text = " ".join((text or "").split()).rstrip("，。；：,;:、 ")
    if len(text) <= limit:
        return text
    hard_limit = hard_limit or 2 * limit
    clauses = _heads(text, CLAUSE_END)
    fitting = [h for h in clauses if len(h) <= limit]
    if fitting:
        return fitting[-1]
    if clauses and len(clauses[0]) <= hard_limit:
        return clauses[0]
    items = [h for h in _heads(text, LIST_SEP) if len(h) < hard_limit]  # room for the 等
    if items:
        return items[-1] + "等"
    return text[: hard_limit - 1] + "…"
