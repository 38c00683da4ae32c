"""Demo Party register for `yuanqu demo`: an organisation for every village and community the seed
names, for each department and for the demo enterprises (own branches, joint branches — one over
too many units —, blank spots with and without a 党建工作指导员), a checklist in two versions (last
year's and this year's), last year's assessments all reviewed and this year's in every state, and
this year's 两委换届 of every village and community. Everything through the services, marked is_demo.
The 党建办's demo reporter also gets the 党建办工作人员 role, so the demo shows who does what."""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.core.files.base import ContentFile

from yuanqu.core.services import forget_history
from yuanqu.enterprises.models import Enterprise
from yuanqu.org import services as org_services
from yuanqu.org.models import OrgUnit

from . import services, stages
from .abilities import PARTY_OFFICE
from .models import (
    Assessment,
    AssessmentEntry,
    AssessmentEvent,
    ChecklistTemplate,
    Election,
    EnterpriseSurvey,
    Evidence,
    PartyOrganisation,
)

SECRETARIES = ["张建华", "李卫东", "王秀英", "陈国强", "刘志刚", "杨红梅", "黄海林", "周明", "吴晓燕", "徐立新"]
MEMBERS = ["赵敏", "孙涛", "钱芳", "郑伟", "冯丽", "蒋勇", "沈静", "韩冰"]
# dimension, title, rule, max, each, evidence, veto
ITEMS = [
    ("组织设置", "党组织按期换届，班子成员配备齐全", "check", 10, None, False, True),
    ("组织设置", "党组织设置符合规定（按党员人数设支部、总支、党委）", "check", 5, None, False, False),
    ("组织生活", "“三会一课”按规定召开并记录完整，缺一次扣2分", "deduct", 20, 2, True, False),
    ("组织生活", "每月开展主题党日，缺一次扣2分", "deduct", 12, 2, False, False),
    ("组织生活", "组织生活会和民主评议党员按时开展", "check", 8, None, False, False),
    ("队伍建设", "党费按时足额收缴，逾期一人次扣1分", "deduct", 10, 1, False, False),
    ("队伍建设", "发展党员程序规范，违规发展党员一票否决", "deduct", 10, 5, False, True),
    ("便民服务", "党群服务阵地规范，开展为民服务活动", "check", 10, None, False, False),
    ("保障建设", "党务、村（居）务按季度公开，缺一次扣1分", "deduct", 15, 1, False, False),
    ("特色创新", "党建工作获市级以上表彰或推广，每项加2分", "add", 6, 2, False, False),
]
TEMPLATE = "园区基层党组织规范化建设考评清单"


def clear_demo() -> None:
    ids = {}
    ids[Assessment] = list(Assessment.objects.filter(is_demo=True).values_list("pk", flat=True))
    Evidence.objects.filter(entry__assessment__in=ids[Assessment]).delete()
    AssessmentEvent.objects.filter(assessment__in=ids[Assessment]).delete()
    AssessmentEntry.objects.filter(assessment__in=ids[Assessment]).delete()
    Assessment.objects.filter(pk__in=ids[Assessment]).delete()
    for model in (ChecklistTemplate, PartyOrganisation, EnterpriseSurvey, Election):
        ids[model] = list(model.objects.filter(is_demo=True).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids[model]).delete()
    for model, pks in ids.items():
        forget_history(model, pks)


def _members(rng, full_range):
    full = rng.randint(*full_range)
    return full, rng.randint(0, max(1, full // 15))


def _org(office, rng, today, **data) -> PartyOrganisation:
    start = dt.date(today.year - rng.randint(0, 4), rng.choice([3, 6, 9]), 1)
    committee = "、".join(rng.sample(MEMBERS, 4))
    data = {"secretary": rng.choice(SECRETARIES), "committee": committee, "term_start": start, **data}
    if data["form"] == "branch" and data["full_members"] < 7:
        data["committee"] = ""
    return services.organisation_create(actor=office, is_demo=True, data=data)


def _organisations(office, rng, today, units, rural) -> list[PartyOrganisation]:
    orgs = []
    for n, unit in enumerate(rural):
        village = unit.kind == OrgUnit.Kind.VILLAGE
        full, prob = _members(rng, (55, 98) if village else (20, 45))
        form = "general" if full + prob >= 50 else "branch"
        term = {"term_start": dt.date(today.year - 5, 4, 1), "term_end": dt.date(today.year, 4, 1)} if n % 4 == 0 \
            else {"term_start": dt.date(today.year - 4, 11, 1), "term_end": today + dt.timedelta(days=45 + n)}
        orgs.append(_org(office, rng, today, name=f"中共{unit.name}{'总支部委员会' if form == 'general' else '支部委员会'}",
                         form=form, unit=unit, full_members=full, probationary_members=prob, **term))
    for unit in units:
        if unit.kind in (OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.COMPANY):
            full, prob = _members(rng, (6, 30))
            orgs.append(_org(office, rng, today, name=f"中共{unit.name}支部委员会", form="branch", unit=unit,
                             full_members=full, probationary_members=prob))
    return orgs


def _enterprise_orgs(office, rng, today, home: OrgUnit) -> list[PartyOrganisation]:
    """Own branches for most 规上 enterprises, joint branches over a few small ones (one over six
    units: a warning), and a branch left with too few members (a warning)."""
    above = list(Enterprise.objects.filter(is_demo=True, above_scale_since__isnull=False).order_by("pk")[:60])
    below = list(Enterprise.objects.filter(is_demo=True, above_scale_since__isnull=True).order_by("pk")[:40])
    orgs = []
    for n, firm in enumerate(above):
        if n % 7 == 6:
            continue  # a blank spot
        full, prob = _members(rng, (3, 40))
        if n == 3:
            full = 2  # members left: should join a joint branch
        orgs.append(_org(office, rng, today, name=f"中共{firm.name[:60]}支部委员会", form="branch", unit=home,
                         enterprise=firm, full_members=full, probationary_members=prob))
    groups = [below[i:i + 4] for i in range(0, 24, 4)] + [below[24:30]]
    for n, group in enumerate(groups):
        if not group:
            continue
        full, prob = _members(rng, (4, 12))
        orgs.append(_org(office, rng, today, name=f"园区非公企业第{n + 1}联合党支部", form="joint", unit=home,
                         enterprise=group[0], joint_enterprises=[f.pk for f in group[1:]], covered_units=len(group),
                         full_members=full, probationary_members=prob))
    return orgs


def _surveys(office, rng) -> None:
    """Instructors for some of the blank spots; a few enterprises found not operating."""
    organised = set(PartyOrganisation.objects.exclude(enterprise=None).values_list("enterprise", flat=True))
    organised |= set(PartyOrganisation.joint_enterprises.through.objects.values_list("enterprise", flat=True))
    blank = list(Enterprise.objects.filter(is_demo=True).exclude(pk__in=organised).order_by("pk")[:80])
    for n, firm in enumerate(blank):
        if n % 10 == 9:
            services.survey_save(actor=office, enterprise=firm, is_demo=True,
                                 data={"operating": False, "note": "清查为空壳企业"})
        elif n % 3 != 2:
            services.survey_save(actor=office, enterprise=firm, is_demo=True, data={
                "employees": rng.randint(8, 120), "instructor": rng.choice(SECRETARIES),
                "instructor_phone": f"1391234{rng.randint(1000, 9999)}"})


def _template(office, year: int, version_note: str, pass_mark=80, exemplary_mark=95, drop_add=False):
    items = [{"dimension": d, "title": t, "rule": r, "max_score": m, "points_each": e, "evidence_required": ev,
              "veto": v} for d, t, r, m, e, ev, v in ITEMS if not (drop_add and r == "add")]
    return services.template_create(actor=office, is_demo=True, data={
        "name": TEMPLATE, "year": year, "total_score": 100, "pass_mark": pass_mark, "exemplary_mark": exemplary_mark,
        "note": version_note, "items": items})


def _fill(office, assessment, rng, quality: str) -> None:
    """Self-assess (with the evidence the checklist asks for) as a branch of the given quality."""
    entries = list(assessment.entries.select_related("item").order_by("item__order"))
    values = {}
    for e in entries:
        item = e.item
        if item.rule == "check":
            values[e.item_id] = 1 if quality != "weak" or rng.random() < 0.6 else 0
        elif item.rule == "deduct":
            cap = int(item.max_score // item.points_each)
            least, worst = {"model": (0, 0), "good": (1, 2), "weak": (2, 4), "vetoed": (1, 2)}[quality]
            values[e.item_id] = 0 if item.veto else min(cap, rng.randint(least, worst))
        else:
            values[e.item_id] = rng.randint(1, 3) if quality == "model" else 0
        if quality == "vetoed" and item.veto and item.rule == "check":
            values[e.item_id] = 0
    services.assessment_score(actor=office, assessment=assessment, values=values)
    for e in entries:
        if e.item.evidence_required:
            services.evidence_add(actor=office, entry=e, files=[ContentFile(
                "三会一课记录（演示）".encode(), name=f"三会一课记录{assessment.pk}.txt")])


def _assess(office, orgs, rng, year: int, today: dt.date, *, all_reviewed: bool) -> None:
    services.assessment_open_year(actor=office, year=year, is_demo=True)
    assessments = list(Assessment.objects.filter(year=year, is_demo=True).select_related("organisation", "template")
                       .order_by("pk"))
    day = dt.date(year, 12, 20) if all_reviewed else today - dt.timedelta(days=10)
    for n, a in enumerate(assessments):
        stage = "reviewed" if all_reviewed else ["reviewed", "reviewed", "reviewed", "submitted", "self"][n % 5]
        if not all_reviewed and n % 5 == 4 and n % 2:
            continue  # not begun: entries empty
        quality = "model" if n % 9 == 0 else "weak" if n % 11 == 5 else "vetoed" if n == 7 else "good"
        _fill(office, a, rng, quality)
        if stage == "self":
            continue
        services.assessment_step(actor=office, assessment=a, action="submit", today=day)
        if stage == "reviewed":
            services.assessment_step(actor=office, assessment=a, action="review", today=day,
                                     comment="经实地查看和台账核查")


def _elections(office, today, rural) -> None:
    stage_ids = [s.pk for s in services.ElectionStage.objects.filter(is_active=True)]
    start = dt.date(today.year, 3, 1)
    for n, unit in enumerate(rural):
        planned = {pk: start + dt.timedelta(days=20 * i + 3 * n) for i, pk in enumerate(stage_ids)}
        election = services.election_create(actor=office, unit=unit, year=today.year, planned=planned, is_demo=True)
        for step in election.steps.order_by("stage__order"):
            late = 6 if (n + step.stage.order) % 5 == 0 else -2
            done = step.planned_on + dt.timedelta(days=late)
            if done > today or (n == 1 and step.stage.order > 4):
                break  # the rest not done (one village lags behind)
            services.election_step_done(actor=office, step=step, done_on=done, today=today)


def build_demo(*, today: dt.date) -> None:
    stages.load(apps.get_model)  # a database flushed since migrating (a test's) lacks the shipped steps
    units = list(OrgUnit.objects.filter(is_demo=True, is_active=True).order_by("path"))
    rural = [u for u in units if u.kind in services.RURAL]
    if not rural:
        return
    named = {u.name: u for u in units}
    office_unit = named.get("党建工作办公室")
    office = org_services.demo_clerk(office_unit, PARTY_OFFICE, zone_wide=True)
    rng = random.Random(20260701)
    orgs = _organisations(office, rng, today, units, rural)
    orgs += _enterprise_orgs(office, rng, today, office_unit or rural[0])
    _surveys(office, rng)
    _template(office, today.year - 1, "上年度清单（不含加分项）", drop_add=True)
    _assess(office, orgs, rng, today.year - 1, today, all_reviewed=True)
    _template(office, today.year, "本年度修订：增设特色创新加分项", pass_mark=80, exemplary_mark=98)
    _assess(office, orgs, rng, today.year, today, all_reviewed=False)
    _elections(office, today, rural)
