"""Reads of the Party register with its rules: organisations with their warnings and this year's
assessment, 两新 coverage with its denominators, the 空白点 and the 两委换届 — each in a fixed
number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from . import rules
from .models import (
    Assessment,
    Election,
    ElectionStep,
    EnterpriseSurvey,
    Form,
    PartyOrganisation,
    SocialOrganisation,
)


def organisations(user, params, *, year: int):
    """The organisations the user reads, filtered (q, form, unit), with this year's assessment in
    `this_year` (a list of at most one). `warn=1` keeps those with a warning (filtered in Python:
    the warnings are computed, not stored)."""
    qs = (PartyOrganisation.objects.visible_to(user).select_related("unit", "enterprise", "social_organisation")
          .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.filter(year=year),
                                     to_attr="this_year")))
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(unit__name__contains=q) | Q(enterprise__name__contains=q))
    if params.get("form") in Form.values:
        qs = qs.filter(form=params["form"])
    if str(params.get("unit") or "").isdigit():
        unit = OrgUnit.objects.filter(pk=int(params["unit"])).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if params.get("active") != "all":
        qs = qs.filter(is_active=True)
    return qs


def with_warnings(orgs, on: dt.date, *, only_warned: bool = False) -> list[PartyOrganisation]:
    t = rules.thresholds()
    out = []
    for org in orgs:
        org.found_warnings = org.warnings(on, t)
        if not only_warned or org.found_warnings:
            out.append(org)
    return out


# ---------------------------------------------------------------- 两新 coverage


def _ratio(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Coverage:
    operating: int  # 实际经营的非公企业 (the denominator of all three rates)
    own: int  # 单独组建党组织的
    joint: int  # 没有单独组建、纳入联合党组织的
    instructed: int  # 没有党组织、选派了党建工作指导员的

    @property
    def organised(self) -> int:
        return self.own + self.joint

    @property
    def organisation_rate(self):  # 组织覆盖率
        return _ratio(self.organised, self.operating)

    @property
    def own_rate(self):  # 单独组建率
        return _ratio(self.own, self.operating)

    @property
    def work_rate(self):  # 工作覆盖率
        return _ratio(self.organised + self.instructed, self.operating)

    @property
    def blank(self) -> int:
        return self.operating - self.organised

    def __add__(self, other: Coverage) -> Coverage:
        """Enterprises and social organisations together: the counts add, the rates are recomputed."""
        return Coverage(self.operating + other.operating, self.own + other.own, self.joint + other.joint,
                        self.instructed + other.instructed)


def _coverage_sets():
    active = PartyOrganisation.objects.filter(is_active=True, enterprise__isnull=False)
    own = active.exclude(form=Form.JOINT).values("enterprise")
    joint_hosts = active.filter(form=Form.JOINT).values("enterprise")
    through = PartyOrganisation.joint_enterprises.through
    joint_members = through.objects.filter(partyorganisation__is_active=True,
                                           partyorganisation__form=Form.JOINT).values("enterprise")
    organised = Q(pk__in=own) | Q(pk__in=joint_hosts) | Q(pk__in=joint_members)
    return Q(pk__in=own), organised


SCALES = {"": "全部实际经营企业", "above": "实际经营的规上企业"}


def operating_enterprises(scale: str = ""):
    """Enterprises of the register that really operate: all but those the survey cleared out;
    `scale="above"` keeps the 规上 ones (those that must set up their own organisation)."""
    qs = Enterprise.objects.exclude(pk__in=EnterpriseSurvey.objects.filter(operating=False).values("enterprise"))
    return qs.filter(above_scale_since__isnull=False) if scale == "above" else qs


def coverage(scale: str = "") -> Coverage:
    """The three 两个覆盖 rates in one query."""
    own, organised = _coverage_sets()
    instructed = Q(pk__in=EnterpriseSurvey.objects.exclude(instructor="").values("enterprise"))
    row = operating_enterprises(scale).aggregate(
        operating=Count("pk"), own=Count("pk", filter=own),
        joint=Count("pk", filter=organised & ~own),
        instructed=Count("pk", filter=~organised & instructed))
    return Coverage(row["operating"], row["own"], row["joint"], row["instructed"])


def _social_sets():
    active = PartyOrganisation.objects.filter(is_active=True, social_organisation__isnull=False)
    own = Q(pk__in=active.exclude(form=Form.JOINT).values("social_organisation"))
    return own, own | Q(pk__in=active.filter(form=Form.JOINT).values("social_organisation"))


def social_coverage() -> Coverage:
    """The same three rates over the operating social organisations, in one query: one hosting an
    organisation of its own counts as own, one hosting a joint branch as joint."""
    own, organised = _social_sets()
    row = SocialOrganisation.objects.filter(operating=True).aggregate(
        operating=Count("pk"), own=Count("pk", filter=own), joint=Count("pk", filter=organised & ~own),
        instructed=Count("pk", filter=~organised & ~Q(instructor="")))
    return Coverage(row["operating"], row["own"], row["joint"], row["instructed"])


def social_organisations(params=None):
    """The register of social organisations; `blank=1` keeps the operating ones with no organisation."""
    params = params or {}
    qs = SocialOrganisation.objects.all()
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__contains=q.upper()))
    if params.get("blank") == "1":
        qs = qs.filter(operating=True).exclude(_social_sets()[1])
    return qs.annotate(organisations=Count("party_organisations", filter=Q(party_organisations__is_active=True))) \
        .order_by("name", "pk")


def blank_spots(params=None):
    """空白点: operating enterprises with no Party organisation, with their survey (instructor)."""
    params = params or {}
    _own, organised = _coverage_sets()
    qs = operating_enterprises(params.get("scale") or "").exclude(organised).select_related("party_survey", "liaison_unit").order_by("name", "pk")
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(name__contains=q)
    if params.get("instructor") == "none":
        qs = qs.exclude(pk__in=EnterpriseSurvey.objects.exclude(instructor="").values("enterprise"))
    return qs


# ---------------------------------------------------------------- 两委换届


def elections(user, *, year: int | None = None):
    qs = Election.objects.visible_to(user).select_related("unit").prefetch_related(
        Prefetch("steps", queryset=ElectionStep.objects.select_related("stage").order_by("stage__order")))
    return qs.filter(year=year) if year else qs


def election_years(user) -> list[int]:
    return sorted(set(Election.objects.visible_to(user).values_list("year", flat=True)), reverse=True)


# ---------------------------------------------------------------- the village page's panel


def village_panel(user, unit: OrgUnit, on: dt.date) -> dict:
    """What the village or community page shows of the Party register: the unit's organisations
    (with warnings and the latest assessment) and its latest 两委换届, as the user may read them."""
    orgs = with_warnings(PartyOrganisation.objects.visible_to(user).filter(unit=unit, is_active=True)
                         .select_related("unit", "enterprise", "social_organisation").prefetch_related(
                             Prefetch("assessments", queryset=Assessment.objects.order_by("-year"), to_attr="all_years")),
                         on)
    election = elections(user).filter(unit=unit).order_by("-year").first()
    steps = [(s, s.status(on), ElectionStep.STATUS_LABELS[s.status(on)]) for s in election.steps.all()] if election else []
    return {"orgs": orgs, "election": election, "steps": steps}


# ---------------------------------------------------------------- the cockpit tile


@dataclass(frozen=True)
class TileFigures:
    year: int
    met: int  # 达标 (示范 included), reviewed this year
    exemplary: int
    met_goal: Decimal | None  # the active plan's target bound to party.standard_met for the year
    exemplary_goal: Decimal | None
    warned: int  # active organisations with a form or term warning
    coverage: Coverage | None  # 两新 (enterprises and social organisations), for the zone's readers only


def tile_figures(user, on: dt.date) -> TileFigures:
    """The cockpit tile, as the user reads the register: their organisations' results this year and
    warnings; the zone's readers also get the plan's goals and the 两新 coverage. A fixed number of
    queries (the warnings are computed over the organisations read once)."""
    from yuanqu.plans.models import Plan, Target

    from .models import PASSED, Result, State

    year = on.year
    row = Assessment.objects.visible_to(user).filter(
        year=year, state=State.REVIEWED, organisation__is_active=True).aggregate(
        met=Count("pk", filter=Q(result__in=PASSED)), exemplary=Count("pk", filter=Q(result=Result.EXEMPLARY)))
    orgs = PartyOrganisation.objects.visible_to(user).filter(is_active=True).select_related("unit")
    warned = len(with_warnings(orgs, on, only_warned=True))
    goals, cover = {}, None
    if user.can("party.read_all"):
        goals = dict(Target.objects.alive().filter(
            plan__status=Plan.Status.ACTIVE, plan__year=year, metric__in=("party.standard_met", "party.exemplary"),
            metric_params__year=year).values_list("metric", "target_value"))
        cover = coverage() + social_coverage()
    return TileFigures(year, row["met"], row["exemplary"], goals.get("party.standard_met"),
                       goals.get("party.exemplary"), warned, cover)
