"""Helpers that shape plan data for the server-rendered pages: the status bar and the plan's
source text with its sections and targets highlighted. They only shape data for templates;
reads are in selectors, writes in services, and the pages' shared helpers in core.pages.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Plan, Section, Target
from .status import BAR_ORDER


def status_bar(counts: dict[str, int], total: int) -> list[dict]:
    """Segments of a stacked bar: status, count and width in percent (zero counts left out)."""
    if not total:
        return []
    return [
        {"status": s.value, "label": s.label, "count": counts.get(s.value, 0),
         "width": round(100.0 * counts.get(s.value, 0) / total, 2)}
        for s in BAR_ORDER
        if counts.get(s.value, 0)
    ]


def highlight(text: str, spans: Iterable[tuple[int | None, int | None, object]], offset: int = 0) -> list[dict]:
    """Split `text` (which starts at `offset` of the full plan text) into plain and marked pieces.

    `spans` are (start, end, key) in full-text positions. Overlapping spans (one clause holding
    several targets) become one mark listing every key, so nothing is marked twice.
    """
    stop = offset + len(text)
    clipped = sorted(
        (max(s, offset), min(e, stop), key)
        for s, e, key in spans
        if s is not None and e is not None and e > s and e > offset and s < stop
    )
    merged: list[dict] = []
    for start, end, key in clipped:
        if merged and start < merged[-1]["end"]:
            merged[-1]["end"] = max(merged[-1]["end"], end)
            merged[-1]["ids"].append(key)
        else:
            merged.append({"start": start, "end": end, "ids": [key]})
    pieces: list[dict] = []
    pos = offset
    for mark in merged:
        if mark["start"] > pos:
            pieces.append({"text": text[pos - offset:mark["start"] - offset], "ids": []})
        pieces.append({"text": text[mark["start"] - offset:mark["end"] - offset], "ids": mark["ids"]})
        pos = mark["end"]
    if pos < stop:
        pieces.append({"text": text[pos - offset:], "ids": []})
    return pieces


def section_text_bounds(plan: Plan, section: Section | None) -> tuple[int, int]:
    """Where a section's text lies in the plan text; the whole text when the span is unknown."""
    if section is not None and section.source_start is not None and section.source_end:
        return section.source_start, section.source_end
    return 0, len(plan.source_text)


def plan_text_blocks(plan: Plan, sections: list[Section], targets: list[Target]) -> list[dict]:
    """The plan text as blocks (preamble, then each section) with every target's span marked."""
    text = plan.source_text
    spans = [(t.source_start, t.source_end, t.pk) for t in targets]
    located = [s for s in sections if s.source_start is not None and s.source_end]
    if not located:
        return [{"section": None, "pieces": highlight(text, spans)}]
    blocks = []
    first = min(s.source_start for s in located)
    if text[:first].strip():
        blocks.append({"section": None, "pieces": highlight(text[:first], spans)})
    for section in sorted(located, key=lambda s: s.source_start):
        start, end = section.source_start, section.source_end
        blocks.append({"section": section, "pieces": highlight(text[start:end], spans, offset=start)})
    return blocks
