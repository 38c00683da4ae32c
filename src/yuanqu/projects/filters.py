"""The project list's GET filters (stage, level, unit, amount band, late, q), shared by the page, its
export and the API so they all select the same projects. Invalid values are ignored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yuanqu.core.ids import parse_id

from .models import AmountBand, Level, Project, Stage, StageStep


@dataclass(frozen=True)
class ProjectFilters:
    stage: str = ""
    level: str = ""
    unit: int | str = ""
    band: int | str = ""
    late: bool = False
    q: str = ""

    def labels(self, units=(), bands=()) -> list[str]:
        """"阶段：开工", "牵头单位：招商局" … for the export's note line."""
        out = []
        if self.stage:
            out.append(f"阶段：{Stage(self.stage).label}")
        if self.level:
            out.append(f"级别：{Level(self.level).label}")
        if self.unit:
            out.append("牵头单位：" + next((u.name for u in units if u.pk == self.unit), "（不存在）"))
        if self.band:
            out.append("投资额：" + next((f"{b.name}以上" for b in bands if b.pk == self.band), "（不存在）"))
        if self.late:
            out.append("仅看滞后")
        if self.q:
            out.append(f"搜索：“{self.q}”")
        return out


def parse_filters(params) -> ProjectFilters:
    return ProjectFilters(
        stage=params.get("stage") if params.get("stage") in Stage.values else "",
        level=params.get("level") if params.get("level") in Level.values else "",
        unit=parse_id(params.get("unit")) or "",
        band=parse_id(params.get("band")) or "",
        late=params.get("late") in ("1", "true", "on"),
        q=(params.get("q") or "").strip()[:100],
    )


def filter_projects(user, params, on: dt.date) -> tuple[ProjectFilters, QuerySet[Project]]:
    """The user's projects for these parameters, with what a row shows selected (one query)."""
    filters = parse_filters(params)
    qs = Project.objects.visible_to(user).select_related("lead_unit", "leader", "chain_node", "parcel")
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.unit:
        qs = qs.filter(lead_unit=filters.unit)
    if filters.band:
        band = AmountBand.objects.filter(pk=filters.band).first()
        qs = qs.filter(total_investment__gte=band.min_amount) if band else qs.none()
    if filters.late:
        qs = qs.filter(pk__in=StageStep.objects.filter(planned_on__lt=on, actual_on__isnull=True, skipped=False)
                       .values("project"))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(investor__icontains=filters.q)
                       | Q(industry__icontains=filters.q))
    return filters, qs
