"""Helpers for the server-rendered pages: picking the current plan, report months, source-text
highlighting, readable change history and mapping service errors onto forms.

Kept apart from selectors/services because they only shape data for templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.utils import timezone

from yuanqu.core.errors import ApplicationError
from yuanqu.org.models import OrgUnit

from . import status as engine
from .models import Measure, Plan, Section, Target

# Services name some fields by their Chinese label (to_decimal); map those onto form fields.
# Service fields whose form field is named differently.
SERVICE_FIELD_ALIASES = {"review_comment": "comment"}

# Worst first is how the bars read best from the right; done first reads as "how far along".
BAR_ORDER = [
    engine.Status.DONE,
    engine.Status.GREEN,
    engine.Status.YELLOW,
    engine.Status.RED,
    engine.Status.NOT_STARTED,
]


def today() -> dt.date:
    return timezone.localdate()


def current_plan(user, on: dt.date | None = None) -> Plan | None:
    """The active plan of this year if there is one, else the latest active plan the user sees."""
    on = on or today()
    active = Plan.objects.visible_to(user).filter(status=Plan.Status.ACTIVE)
    return active.filter(year=on.year).first() or active.order_by("-year", "-id").first()


def report_months(plan: Plan, on: dt.date) -> list[dt.date]:
    """Months of the plan year a report may be filed for: none in the future."""
    if plan.year > on.year:
        return []
    last = 12 if plan.year < on.year else on.month
    return [dt.date(plan.year, month, 1) for month in range(1, last + 1)]


def default_period(plan: Plan, on: dt.date) -> dt.date | None:
    """Monthly returns are filed for the month just ended; in January, for January itself."""
    months = report_months(plan, on)
    if not months:
        return None
    if plan.year < on.year or len(months) == 1:
        return months[-1]
    return months[-2]


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


def apply_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's message on the field it names (by name or label), else on the form."""
    field = SERVICE_FIELD_ALIASES.get(exc.field or "", exc.field)
    if field and field in form.fields:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, exc.message)


# ---------------------------------------------------------------- change history

_FK_MODELS = {"lead_unit": OrgUnit, "cooperating_units": OrgUnit, "unit": OrgUnit, "section": Section,
              "measure": Measure}
_EXTRA_LABELS = {"deleted": "已删除", "review": "审核", "comment": "审核意见", "status": "状态"}
_BOOL = {True: "是", False: "否"}


def describe_changes(records, model=None) -> list[dict]:
    """ChangeRecords made readable: field labels, choices by name, units and sections by name.

    Names are fetched with one query per kind of reference, whatever the number of records.
    """
    records = list(records)
    wanted: dict[type, set[int]] = {}
    for record in records:
        for key, before, after in record.changes():
            if key in _FK_MODELS:
                for value in (before, after):
                    ids = value if isinstance(value, list) else [value]
                    wanted.setdefault(_FK_MODELS[key], set()).update(i for i in ids if isinstance(i, int))
    names: dict[type, dict[int, str]] = {}
    for ref_model, ids in wanted.items():
        names[ref_model] = {obj.pk: str(obj) for obj in ref_model.objects.filter(pk__in=ids)}

    def label(key: str, model) -> str:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except Exception:  # noqa: BLE001 - keys that are not fields (deleted, comment ...)
            return _EXTRA_LABELS.get(key, key)

    def show(key: str, value, model) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if key in _FK_MODELS:
            lookup = names.get(_FK_MODELS[key], {})
            ids = value if isinstance(value, list) else [value]
            return "、".join(lookup.get(i, f"#{i}") for i in ids)
        if isinstance(value, bool):
            return _BOOL[value]
        try:
            field = model._meta.get_field(key)
        except Exception:  # noqa: BLE001
            field = None
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    rows = []
    for record in records:
        # One model for all, or each record's own (a target's page also lists its ledger and reports).
        of = model or record.content_type.model_class()
        changes = [
            {"label": label(k, of), "before": show(k, b, of), "after": show(k, a, of)} for k, b, a in record.changes()
        ]
        changes = [c for c in changes if c["before"] != c["after"]]
        rows.append({"record": record, "changes": changes, "subject": of._meta.verbose_name if model is None else ""})
    return rows
