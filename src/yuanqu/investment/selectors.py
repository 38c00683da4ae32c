"""Reads with rules: a lead's page (scoped), the board's columns, the map's regions, the funnel
and the units' ranking. Each takes an already scoped and filtered queryset (filters.py) and reads
it in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from .models import OPEN_STAGES, PIPELINE, Currency, FollowUp, Lead, LeadEvent, Stage
from .regions import city_key

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


# ---------------------------------------------------------------- 招商地图


def _yi(amount) -> float:
    """万元 → 亿元, for the charts."""
    return round(float(amount or 0) / 10000, 2)


def region_counts(queryset, prefix: str, province: str = "") -> list[dict]:
    """How many records (and, for leads, how much RMB) per province — or, given a province, per
    city in it — in one query. A record without a province (abroad, or not filled in) is counted
    under “”. `prefix` is the fields' prefix: "source" for leads, "hq" for companies."""
    field = f"{prefix}_city" if province else f"{prefix}_province"
    qs = queryset.order_by()
    if province:
        qs = qs.filter(**{f"{prefix}_province": province})
    amount = Sum("amount", filter=Q(currency=Currency.CNY)) if prefix == "source" else Value(None, DecimalField())
    rows = qs.values(field).annotate(n=Count("pk"), amount=amount)
    merged: dict[str, dict] = {}
    for row in rows:
        name = row[field] or ""
        key = city_key(name) if province else name  # “深圳” and “深圳市” are one city
        entry = merged.setdefault(key, {"name": name, "count": 0, "amount": 0.0})
        entry["count"] += row["n"]
        entry["amount"] += _yi(row["amount"])
        if len(name) > len(entry["name"]):
            entry["name"] = name
    return sorted(merged.values(), key=lambda e: (-e["count"], e["name"]))


# ---------------------------------------------------------------- funnel and ranking


def _furthest() -> Subquery:
    """A terminated lead's furthest stage: the stage it was terminated from."""
    return Subquery(LeadEvent.objects.filter(lead=OuterRef("pk"), action=LeadEvent.Action.TERMINATE)
                    .order_by("-time", "-id").values("from_state")[:1])


def funnel(leads) -> tuple[list[dict], dict]:
    """Per pipeline stage: the leads there now, and the leads that reached it (there now, further
    on, or terminated after it) with their RMB amount in 亿元 and the share of the stage before
    that went on to it. One query, grouped in the database."""
    rows = (leads.order_by().annotate(furthest=Case(When(stage=Stage.TERMINATED, then=_furthest()),
                                                    default=F("stage"), output_field=CharField()))
            .values("stage", "furthest")
            .annotate(n=Count("pk"), amount=Sum("amount", filter=Q(currency=Currency.CNY))))
    order = {s.value: i for i, s in enumerate(PIPELINE)}
    stages = [{"stage": s.value, "label": s.label, "now": 0, "reached": 0, "amount": 0.0, "rate": None}
              for s in PIPELINE]
    terminated = {"count": 0, "amount": 0.0}
    for row in rows:
        if row["stage"] == Stage.TERMINATED:
            terminated["count"] += row["n"]
            terminated["amount"] += _yi(row["amount"])
        else:
            stages[order[row["stage"]]]["now"] += row["n"]
        reach = order.get(row["furthest"] or Stage.INFO, 0)
        for entry in stages[:reach + 1]:
            entry["reached"] += row["n"]
            entry["amount"] += _yi(row["amount"])
    for before, entry in zip(stages, stages[1:], strict=False):
        entry["rate"] = round(100 * entry["reached"] / before["reached"], 1) if before["reached"] else None
    for entry in stages:
        entry["amount"] = round(entry["amount"], 2)
    terminated["amount"] = round(terminated["amount"], 2)
    return stages, terminated


def unit_ranking(leads, year: int | None) -> list[dict]:
    """The owning units by leads signed (in the year, by the 签约 step's date; all years when None)
    — count, then RMB amount — and their leads in progress now. One query."""
    signed_in = Q(events__action=LeadEvent.Action.SIGN)
    if year:
        start = timezone.make_aware(dt.datetime(year, 1, 1))
        signed_in &= Q(events__time__gte=start, events__time__lt=start.replace(year=year + 1))
    signed = leads.order_by().filter(signed_in, stage=Stage.SIGNED)
    rows = (leads.order_by().values("unit", "unit__name")
            .annotate(open=Count("pk", filter=Q(stage__in=OPEN_STAGES), distinct=True),
                      signed=Count("pk", filter=Q(pk__in=signed.values("pk")), distinct=True),
                      amount=Sum("amount", filter=Q(pk__in=signed.values("pk"), currency=Currency.CNY)),
                      total=Count("pk", distinct=True)))
    ranking = [{"unit": r["unit"], "name": r["unit__name"], "open": r["open"], "signed": r["signed"],
                "amount": _yi(r["amount"]), "total": r["total"]} for r in rows]
    ranking.sort(key=lambda r: (-r["signed"], -r["amount"], -r["open"], r["name"]))
    return ranking
