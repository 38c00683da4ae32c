"""The target list's GET filters (plan, section, unit, status, kind, q) as one function, so the
list page, its export and the cockpit's click-throughs select exactly the same targets.

`plan` must be a plan the user sees (else 404), defaulting to the current plan; `unit` is the
lead unit; `status` is the computed light on the day; `q` searches title and indicator. Values
that are not valid are ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404

from yuanqu.core.ids import parse_id
from yuanqu.org.models import OrgUnit

from . import status as engine
from .models import Plan, Target
from .selectors import TargetFacts, current_plan, target_facts

STATUS_LABELS = {s.value: s.label for s in engine.Status}
KIND_LABELS = dict(Target.Kind.choices)




@dataclass
class TargetFilters:
    plan: Plan | None
    section: int | None = None
    unit: int | None = None
    status: str = ""
    kind: str = ""
    q: str = ""
    labels: list[str] = field(default_factory=list)  # "章节：一、招商" ... for export notes


def parse_target_filters(user, params) -> TargetFilters:
    """Clean the GET parameters; the plan must be visible to the user (Http404 otherwise)."""
    plan_id = parse_id(params.get("plan"))
    visible = Plan.objects.visible_to(user)
    if plan_id is not None:
        plan = visible.filter(pk=plan_id).first()
        if plan is None:
            raise Http404
    else:
        plan = current_plan(user) or visible.first()
    status = params.get("status") if params.get("status") in STATUS_LABELS else ""
    kind = params.get("kind") if params.get("kind") in KIND_LABELS else ""
    return TargetFilters(
        plan=plan,
        section=parse_id(params.get("section")),
        unit=parse_id(params.get("unit")),
        status=status,
        kind=kind,
        q=(params.get("q") or "").strip()[:100],
    )


def _labels(filters: TargetFilters) -> list[str]:
    labels = []
    if filters.plan is not None:
        labels.append(f"计划：{filters.plan.year}年 {filters.plan.title}")
    if filters.section:
        # Within the chosen plan only: a section id from another (e.g. draft) plan says nothing.
        section = filters.plan.sections.filter(pk=filters.section).only("no", "title").first() if filters.plan else None
        labels.append(f"章节：{section}" if section else "章节：（不存在）")
    if filters.unit:
        unit = OrgUnit.objects.filter(pk=filters.unit).only("name").first()
        labels.append(f"牵头单位：{unit.name if unit else '（不存在）'}")
    if filters.status:
        labels.append(f"状态：{STATUS_LABELS[filters.status]}")
    if filters.kind:
        labels.append(f"指标类型：{KIND_LABELS[filters.kind]}")
    if filters.q:
        labels.append(f"搜索：“{filters.q}”")
    return labels


def filtered_targets_with_facts(
    user, params, on: dt.date
) -> tuple[TargetFilters, list[Target], dict[int, TargetFacts]]:
    """The matching targets in plan order (section, lead unit and cooperating units loaded) and
    their facts on `on`. A fixed number of queries, however many targets match."""
    filters = parse_target_filters(user, params)
    filters.labels = _labels(filters)
    if filters.plan is None:
        return filters, [], {}
    qs = (
        Target.objects.visible_to(user)
        .filter(plan=filters.plan)
        .select_related("plan", "section", "lead_unit")
        .prefetch_related(Prefetch("cooperating_units", queryset=OrgUnit.objects.only("id", "name")))
    )
    if filters.section:
        qs = qs.filter(section_id=filters.section)
    if filters.unit:
        qs = qs.filter(lead_unit_id=filters.unit)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(indicator__icontains=filters.q))
    targets = list(qs)
    # Status is computed, not stored: evaluate every match, then keep those with the wanted light.
    facts = target_facts(targets, on)
    if filters.status:
        targets = [t for t in targets if facts[t.pk].status.value == filters.status]
    return filters, targets, facts


def filter_targets(user, params, on: dt.date) -> tuple[list[Target], dict[int, engine.Evaluation]]:
    """The target list's rows: (targets, {target id: evaluation on `on`})."""
    _filters, targets, facts = filtered_targets_with_facts(user, params, on)
    return targets, {t.pk: facts[t.pk].evaluation for t in targets}
