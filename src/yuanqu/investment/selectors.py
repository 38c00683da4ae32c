"""Reads with rules: a lead's page (scoped), the board's columns."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch

from .models import PIPELINE, FollowUp, Lead, LeadEvent, Stage

BOARD_CARDS = 30  # per column; the column's count says how many there are in all


def lead_detail(user, pk: int) -> Lead:
    """Raises Lead.DoesNotExist when out of scope (a 404)."""
    return (
        Lead.objects.visible_to(user)
        .select_related("unit", "mode", "owner", "company", "created_by", "chain_node__chain")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("created_by")),
            Prefetch("events", queryset=LeadEvent.objects.select_related("actor").order_by("time", "id")),
        )
        .get(pk=pk)
    )


def board(leads) -> list[dict]:
    """The pipeline's columns (信息 … 签约, then 终止): each with its count, its amount in 万元 (CNY
    only: other currencies are not converted) and its first cards, nearest next action first.
    Two queries whatever the number of leads."""
    totals = {row["stage"]: row for row in leads.order_by().values("stage").annotate(n=Count("pk"))}
    cards = defaultdict(list)
    ordered = leads.order_by("stage", "next_action_on", "-updated_at")
    # One query for all the cards: the per-column cap is applied here (a window would be tidier,
    # but SQLite and PostgreSQL both handle a few hundred open leads in one read easily).
    for lead in ordered:
        if len(cards[lead.stage]) < BOARD_CARDS:
            cards[lead.stage].append(lead)
    columns = []
    for stage in [*PIPELINE, Stage.TERMINATED]:
        columns.append({"stage": stage, "label": stage.label, "count": totals.get(stage, {}).get("n", 0),
                        "cards": cards[stage]})
    return columns
