"""Score an extraction against a hand-labelled gold reading (see the seed's LABELS.md).

A predicted target matches a gold one (one-to-one, greedy by overlap) when both are in
the same section, value/unit agree, and their spans overlap — for targets without a
value the overlap must cover at least half of the shorter span.  Prediction spans come
from start/end; gold spans from their own start/end when present, else by locating
the gold text in the plan (`text`), the k-th distinct gold entry with a given text
taking the k-th occurrence.  Without `text` and offsets, spans are compared as strings
(longest common substring).
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return a == b


def _locate_gold(gold_targets: list[dict], text: str | None) -> list[tuple[int, int] | None]:
    spans: list[tuple[int, int] | None] = []
    seen: Counter = Counter()
    prev = None  # (text, section) of the previous gold target
    for t in gold_targets:
        here = (t.get("text"), t.get("section"))
        if isinstance(t.get("start"), int) and isinstance(t.get("end"), int):
            spans.append((t["start"], t["end"]))
            prev = here
            continue
        s = t.get("text") or ""
        if text is None or not s:
            spans.append(None)
            prev = here
            continue
        if here == prev and spans and spans[-1] is not None:
            spans.append(spans[-1])  # several targets of one clause share its span
            continue
        prev = here
        nth = seen[s]
        seen[s] += 1
        pos = -1
        for _ in range(nth + 1):
            pos = text.find(s, pos + 1)
            if pos == -1:
                break
        if pos == -1:
            pos = text.find(s)
        spans.append((pos, pos + len(s)) if pos != -1 else None)
    return spans


def _overlap(pspan, gspan, ptext: str, gtext: str) -> tuple[int, int]:
    """(overlap length, shorter span length)."""
    if gspan is not None:
        a, b = pspan
        c, d = gspan
        return max(0, min(b, d) - max(a, c)), max(1, min(b - a, d - c))
    m = SequenceMatcher(None, ptext, gtext, autojunk=False).find_longest_match(
        0, len(ptext), 0, len(gtext))
    return m.size, max(1, min(len(ptext), len(gtext)))


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(pred: dict, gold: dict, text: str | None = None) -> dict:
    """Precision/recall/F1 of targets, plus how many gold sections/measures were found."""
    # Sections and measures: multiset match on the fields a reviewer sees.
    psec = Counter((s.get("no"), s.get("title")) for s in pred.get("sections", []))
    gsec = Counter((s.get("no"), s.get("title")) for s in gold.get("sections", []))
    pmea = Counter((m.get("section"), m.get("no"), m.get("head")) for m in pred.get("measures", []))
    gmea = Counter((m.get("section"), m.get("no"), m.get("head")) for m in gold.get("measures", []))
    sections_found = sum((psec & gsec).values())
    measures_found = sum((pmea & gmea).values())

    ptargets = pred.get("targets", [])
    gtargets = gold.get("targets", [])
    gspans = _locate_gold(gtargets, text)

    candidates = []
    for gi, g in enumerate(gtargets):
        for pi, p in enumerate(ptargets):
            if p.get("section") != g.get("section"):
                continue
            if not _same_value(p.get("value"), g.get("value")) or p.get("unit") != g.get("unit"):
                continue
            ov, shorter = _overlap((p["start"], p["end"]), gspans[gi],
                                   p.get("text", ""), g.get("text", ""))
            if ov <= 0:
                continue
            if g.get("value") is None and ov < 0.5 * shorter:
                continue
            candidates.append((ov / shorter, ov, gi, pi))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    g_used: dict[int, int] = {}
    p_used: set[int] = set()
    for _, _, gi, pi in candidates:
        if gi in g_used or pi in p_used:
            continue
        g_used[gi] = pi
        p_used.add(pi)

    tp = len(g_used)
    precision, recall, f1 = _prf(tp, len(ptargets), len(gtargets))
    agree = {f: 0 for f in ("comparator", "kind", "deadline", "value_max")}
    for gi, pi in g_used.items():
        for f in agree:
            agree[f] += ptargets[pi].get(f) == gtargets[gi].get(f)
    return {
        "targets": {
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "matched": tp, "predicted": len(ptargets), "gold": len(gtargets),
            "field_agreement": {f: (n / tp if tp else 0.0) for f, n in agree.items()},
            "missed": [gtargets[i] for i in range(len(gtargets)) if i not in g_used],
            "spurious": [ptargets[i] for i in range(len(ptargets)) if i not in p_used],
        },
        "sections": {"found": sections_found, "gold": sum(gsec.values()),
                     "predicted": sum(psec.values())},
        "measures": {"found": measures_found, "gold": sum(gmea.values()),
                     "predicted": sum(pmea.values())},
    }
