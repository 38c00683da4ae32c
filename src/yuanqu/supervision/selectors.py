"""Reads with rules: scoped lists, the unit inbox, reminder recipients, statistics for assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet

from yuanqu.core.history import describe_changes, history_for_many
from yuanqu.org.models import User
from yuanqu.org.selectors import unit_holders, users_holding
from yuanqu.plans.models import Plan, Target

from .models import WORKING_STATES, ExtensionRequest, Instruction, State, SupervisionEvent, SupervisionItem


def unit_reporters(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """Who hears for each unit about its 督办 and reports (org.selectors.unit_holders)."""
    return unit_holders("supervision.handle_item", unit_ids)


def supervisors() -> list[User]:
    """The 督查室's people: they review feedback, decide extensions and hear about overdue items."""
    return list(users_holding("supervision.oversee").order_by("pk"))


PICKER_LIMIT = 20


def pickable_targets(user) -> QuerySet[Target]:
    """Targets a 督办单 may be raised on: those the user sees, of plans in force (not drafts), with the
    plan, section and lead unit the picker shows, in the plan's order."""
    return (
        Target.objects.visible_to(user).exclude(plan__status=Plan.Status.DRAFT)
        .select_related("plan", "section", "lead_unit").defer("plan__source_text")
        .order_by("-plan__year", "plan_id", "section__order", "order", "id")
    )


def target_search(user, q: str, *, limit: int = PICKER_LIMIT) -> tuple[list[Target], bool]:
    """The picker's matches for `q` (every word must match the target, plan, section or lead unit),
    at most `limit`, and whether there were more: one query whatever the number of targets."""
    qs = pickable_targets(user)
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(plan__title__icontains=word) | Q(section__title__icontains=word)
                       | Q(lead_unit__name__icontains=word) | Q(lead_unit__short_name__icontains=word))
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


def item_detail(user, pk: int) -> SupervisionItem:
    """One visible item with its units, or DoesNotExist."""
    return (
        SupervisionItem.objects.visible_to(user)
        .select_related("lead_unit", "issuing_unit", "target__plan", "created_by").defer("target__plan__source_text")
        .prefetch_related("assisting_units")
        .get(pk=pk)
    )


def item_events(item: SupervisionItem) -> QuerySet[SupervisionEvent]:
    return item.events.select_related("actor").prefetch_related("attachments").order_by("time", "id")


def item_extensions(item: SupervisionItem) -> QuerySet[ExtensionRequest]:
    return item.extension_requests.select_related("requested_by", "decided_by").order_by("-requested_at", "-id")


HISTORY_LIMIT = 200


def item_history(item: SupervisionItem, extensions: Iterable[ExtensionRequest] = ()) -> list[dict]:
    """The change records of the item and of its extension requests, newest first, readable
    (core.history.describe_changes); a fixed number of queries."""
    rows = describe_changes(history_for_many([item, *extensions])[:HISTORY_LIMIT])
    version = str(SupervisionItem._meta.get_field("version").verbose_name)
    for row in rows:
        # Every transition bumps the version; the history shows what else changed.
        row["changes"] = [c for c in row["changes"] if c["label"] != version]
        if row["record"].content_type.model_class() is SupervisionItem:
            row["subject"] = ""
    return rows


def overdue_items(*, on: dt.date, user) -> QuerySet[SupervisionItem]:
    """Open items past their deadline on `on`, as the user may see them (bulletin, cockpit)."""
    return (
        SupervisionItem.objects.visible_to(user)
        .overdue(on)
        .select_related("lead_unit", "target")
        .order_by("deadline", "pk")
    )


INBOX_LIMIT = 50


def inbox(user, *, on: dt.date, days: int = 7) -> dict:
    """What waits for the user, as {section: {"count": n, "items": [...]}}; a fixed number of queries.

    Reporters: their unit's 待办 (assigned, to sign for), returned, due soon and overdue items, and
    everything in hand (办理中).
    督查室/administrators: feedback to review, extension requests to decide, due soon and overdue.
    Leaders: due soon and overdue (they read only).
    A person holding several roles (a leader who also reports for a unit) sees every block each
    role gives; due soon and overdue then cover everything they may read.
    """
    sections: dict[str, QuerySet] = {}
    if user.can("supervision.handle_item"):
        mine = SupervisionItem.objects.handled_by(user)
        sections["assigned"] = mine.filter(state=State.ASSIGNED)
        sections["returned"] = mine.filter(state=State.IN_PROGRESS, return_count__gt=0)
        sections["due_soon"] = mine.filter(state__in=WORKING_STATES).due_within(on, days)
        sections["overdue"] = mine.filter(state__in=WORKING_STATES).overdue(on)
        sections["in_progress"] = mine.filter(state=State.IN_PROGRESS)
    if user.can("supervision.read_all"):
        every = SupervisionItem.objects.visible_to(user)
        if user.can("supervision.issue_item"):
            sections["feedback"] = every.filter(state=State.FEEDBACK)
            sections["extensions"] = every.filter(
                extension_requests__status=ExtensionRequest.Status.PENDING
            )
        sections["due_soon"] = every.filter(state__in=WORKING_STATES).due_within(on, days)
        sections["overdue"] = every.overdue(on)
    result = {}
    for name, qs in sections.items():
        rows = list(qs.select_related("lead_unit").order_by("deadline", "pk")[: INBOX_LIMIT + 1])
        count = len(rows) if len(rows) <= INBOX_LIMIT else qs.count()
        result[name] = {"count": count, "items": rows[:INBOX_LIMIT]}
    return result


def unit_supervision_stats(*, year: int, on: dt.date) -> dict[int, dict]:
    """Per lead unit, the supervision record of `year`'s items as it stood on `on` (two queries).

    - items: items of the year;
    - overdue: past the deadline on `on` and either still open or closed after the deadline;
    - urges: 催办 events up to `on`;
    - closed_on_time: closed by `on`, on or before the deadline;
    - returned: 退回 events up to `on`.
    Urges and returns are counted from the event log, not the items' running counters, so an
    assessment with an earlier cut-off does not see what happened after it.
    Soft-deleted items do not count. The deadline is the current one (after approved extensions).
    """
    open_or_late = Q(closed_on__isnull=True) | Q(closed_on__gt=on) | Q(closed_on__gt=F("deadline"))
    rows = (
        SupervisionItem.objects.alive()
        .filter(year=year)
        .values("lead_unit_id")
        .annotate(
            items=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=on) & open_or_late),
            closed_on_time=Count(
                "pk",
                filter=Q(state=State.CLOSED, closed_on__lte=on) & Q(closed_on__lte=F("deadline")),
            ),
        )
        .order_by()
    )
    stats = {
        row["lead_unit_id"]: {
            "items": row["items"],
            "overdue": row["overdue"],
            "urges": 0,
            "closed_on_time": row["closed_on_time"],
            "returned": 0,
        }
        for row in rows
    }
    Action = SupervisionEvent.Action
    key = {Action.URGE: "urges", Action.RETURN: "returned"}
    events = (
        SupervisionEvent.objects.filter(
            item__year=year, item__deleted_at__isnull=True, action__in=list(key), time__date__lte=on
        )
        .values("item__lead_unit_id", "action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in events:
        if row["item__lead_unit_id"] in stats:
            stats[row["item__lead_unit_id"]][key[row["action"]]] = row["n"]
    return stats


def instructions_on(user, *, target=None, item=None) -> list[Instruction]:
    """The 批示 on one target or one 督办单, newest first, as the user may read them (one query)."""
    qs = Instruction.objects.visible_to(user).select_related("author", "raised_item")
    qs = qs.filter(target=target) if target is not None else qs.filter(item=item)
    return list(qs.order_by("-created_at", "-id"))


def instructions_to_raise(user) -> QuerySet[Instruction]:
    """批示 asking for a 督办单 that none has been raised from yet, oldest first (the office's list)."""
    return (
        Instruction.objects.visible_to(user).filter(wants_item=True, raised_item__isnull=True)
        .select_related("author", "target__plan", "item").defer("target__plan__source_text").order_by("created_at", "id")
    )
