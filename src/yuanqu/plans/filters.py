"""The target list's filters (plan, section, unit, status, kind, q), defined once.

`TargetFilterSet` is the one definition: the API uses it as its filterset (an invalid value is a
400 naming the parameter), and the list page, its export and the cockpit's click-throughs use it
through `filtered_target_queryset` (where an invalid value is ignored, and the plan defaults to
the current one: a page always shows a plan). `plan` must be a plan the user sees (else 404 on
pages); `unit` (alias `lead_unit`) is the lead unit; `status` is the computed light on the day;
`q` searches title and indicator; `overdue` keeps the targets whose deadline (or the plan year's
end) has passed and that are not completed on the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import django_filters
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from yuanqu.core import clock
from yuanqu.core.ids import parse_id
from yuanqu.org.models import OrgUnit

from . import status as lights
from . import stored
from .models import Plan, Section, Target
from .selectors import TargetFacts, current_plan

STATUS_LABELS = {s.value: s.label for s in lights.Status}
STATUS_CHOICES = [(s.value, s.label) for s in lights.Status]
KIND_LABELS = dict(Target.Kind.choices)


def visible_plans(request):
    # Called by django-filter with the request; without one (schema generation) nothing is visible.
    return Plan.objects.visible_to(request.user) if request is not None else Plan.objects.none()


def visible_sections(request):
    return Section.objects.filter(plan__in=visible_plans(request))


def is_overdue(target: Target, facts: TargetFacts, on: dt.date) -> bool:
    """Past its deadline (the plan year's end when it has none) and not completed on `on`."""
    return target.period_end < on and facts.status != lights.Status.DONE


def overdue_q(on: dt.date) -> Q:
    """is_overdue in SQL over the stored light: the deadline (else the plan year's end) has passed
    and the target is not done."""
    return (Q(deadline__lt=on) | Q(deadline__isnull=True, plan__year__lt=on.year)) & ~Q(status=lights.Status.DONE)


def _truthy(value) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "on", "yes"}


class TargetFilterSet(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=visible_plans, label=_("计划"))
    section = django_filters.ModelChoiceFilter(queryset=visible_sections, label=_("章节"))
    unit = django_filters.ModelChoiceFilter(field_name="lead_unit", queryset=OrgUnit.objects.all(),
                                            label=_("牵头单位"))
    lead_unit = django_filters.ModelChoiceFilter(queryset=OrgUnit.objects.all(), label=_("牵头单位（同 unit）"))
    kind = django_filters.ChoiceFilter(choices=Target.Kind.choices, label=_("指标类型"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label=_("今日状态"))
    q = django_filters.CharFilter(method="filter_q", max_length=100, label=_("搜索（目标、指标名称）"))
    # A choice, not a BooleanFilter: "maybe" must be a 400 naming the parameter, not silently ignored.
    overdue = django_filters.ChoiceFilter(
        choices=[("true", _("是")), ("false", _("否")), ("1", _("是")), ("0", _("否"))], method="filter_overdue",
        label=_("已逾期（期限已过且未完成）"),
    )
    # Free text, not a choice: an unknown column is the default order (the plan's), not a refusal,
    # as on the list page.
    sort = django_filters.CharFilter(
        method="filter_sort", max_length=30,
        label=_("排序：status、completion、gap、deadline、title，前加“-”倒序；其他值按计划顺序"),
    )

    class Meta:
        model = Target
        fields = ["plan", "section", "unit", "lead_unit", "kind", "status", "q", "overdue", "sort"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(indicator__icontains=value)) if value else queryset

    def filter_status(self, queryset, name, value):
        # The stored light (plans.stored), a column: the caller brings the rows up to date first
        # (`stored.ensure_fresh`), so the filter is one WHERE and pagination stays in the database.
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        late = overdue_q(clock.today())
        return queryset.filter(late) if _truthy(value) else queryset.exclude(late)

    def filter_sort(self, queryset, name, value):
        return sorted_targets(queryset, value)


@dataclass
class TargetFilters:
    plan: Plan | None
    section: int | None = None
    unit: int | None = None
    status: str = ""
    kind: str = ""
    q: str = ""
    overdue: bool = False
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
        overdue=_truthy(params.get("overdue")),
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
    if filters.overdue:
        labels.append("仅逾期未完成")
    return labels


# The list's sorts: the parameter's value → the columns (a "-" first reverses). Anything else is
# the plan's order.
_RANK = Case(*[When(status=st.value, then=Value(st.rank)) for st in lights.Status], output_field=IntegerField())
SORTS = {
    "status": (_RANK, "-gap"),
    "completion": (F("completion").asc(nulls_first=True),),
    "gap": (F("gap").desc(nulls_last=True),),
    "deadline": ("deadline",),
    "title": ("title",),
}


def sorted_targets(qs, sort: str):
    key = (sort or "").lstrip("-")
    if key not in SORTS:
        return qs
    columns = [*SORTS[key], "section__order", "order", "pk"]
    if sort.startswith("-"):
        columns[0] = _reverse(columns[0])
    return qs.order_by(*columns)


def _reverse(column):
    if isinstance(column, str):
        return column[1:] if column.startswith("-") else f"-{column}"
    if hasattr(column, "reverse_ordering"):
        return column.copy().reverse_ordering()
    return column.desc()


def filtered_target_queryset(user, params, on: dt.date | None = None):
    """The target list as a queryset over the stored lights, for a page that paginates in the
    database: (filters, queryset). Status and overdue are columns here (brought up to date first),
    and wide columns (the plan's text, the target's as-written notes) are never loaded."""
    on = on or clock.today()
    filters = parse_target_filters(user, params)
    filters.labels = _labels(filters)
    if filters.plan is None:
        return filters, Target.objects.none()
    base = Target.objects.visible_to(user).filter(plan=filters.plan)
    stored.ensure_fresh(base, on)
    qs = (
        base.select_related("plan", "section", "lead_unit").defer("plan__source_text", "as_written")
        .prefetch_related(Prefetch("cooperating_units", queryset=OrgUnit.objects.only("id", "name")))
    )
    wanted = {k: v for k, v in {"section": filters.section, "unit": filters.unit, "kind": filters.kind,
                                "q": filters.q}.items() if v}
    qs = TargetFilterSet(wanted, queryset=qs, request=_Request(user)).qs
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(overdue_q(on))
    return filters, sorted_targets(qs, params.get("sort") or "")


@dataclass
class _Request:
    """What the filterset asks of a request (the user, for the visible plans and sections)."""

    user: object
