"""Every write of the Party register: rights, validation, one transaction, history.

An assessment's lifecycle is a transition table on core.workflow (ASSESSMENT_FLOW):

    自评中 --提交自评--> 待审核 --审核评定--> 已评定
              ^--------退回--------'

The organisation's own unit (a village's reporter, party.self_assess for the unit) enters the
self-assessment and its evidence and submits; the 党建办 (party.manage) enters its review values
(blank: the self-assessment stands), then 审核评定 computes the score and the result against the
template's pass marks, or 退回 with a reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from yuanqu.core import clock
from yuanqu.core.attachments import ATTACHMENT_MAX_COUNT, check_attachments
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.history import record_change, snapshot
from yuanqu.core.ids import parse_id, pick
from yuanqu.core.models import ChangeRecord
from yuanqu.core.parsing import to_date, to_decimal
from yuanqu.core.services import check_version, create_record, update_record, validate
from yuanqu.core.workflow import Requirement, Step, Transition, Workflow
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit
from yuanqu.org.services import resolve_unit

from . import scoring
from .models import (
    Action,
    Assessment,
    AssessmentEntry,
    AssessmentEvent,
    ChecklistItem,
    ChecklistTemplate,
    Election,
    ElectionStage,
    ElectionStep,
    EnterpriseSurvey,
    Evidence,
    Form,
    Member,
    MemberStatus,
    PartyOrganisation,
    Rule,
    SocialOrganisation,
    State,
)

RURAL = (OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY)

# ---------------------------------------------------------------- rights


def may_manage(user, obj=None) -> bool:
    return user is None or user.can("party.manage")


def may_self_assess(user, assessment: Assessment) -> bool:
    return may_manage(user) or user.can("party.self_assess", unit=assessment.organisation.unit_id)


def _require_manage(user, message: str = "只有党建办可以进行此操作。") -> None:
    if not may_manage(user):
        raise PermissionDeniedError(message)


# ---------------------------------------------------------------- input



def count_of(raw, label: str, field: str, *, default: int | None = 0) -> int | None:
    """A count people type: a whole number, not negative; the message names the field."""
    value = to_decimal(raw, label, field)
    if value is None:
        return default
    if value < 0:
        raise ApplicationError(f"{label}不能为负数（收到{raw}）。", field=field)
    if value != value.to_integral_value():
        raise ApplicationError(f"{label}应为整数（收到{raw}）。", field=field)
    if value > 10**6:
        raise ApplicationError(f"{label}过大（收到{raw}），请核对。", field=field)
    return int(value)


# ---------------------------------------------------------------- organisations


def _set_organisation(org: PartyOrganisation, data: dict) -> dict:
    m2m = {}
    if "name" in data:
        org.name = (data["name"] or "").strip()
    if "form" in data:
        if data["form"] not in Form.values:
            raise ApplicationError(f"组织形式“{data['form']}”无效，应为党委、党总支、党支部或联合党支部。", field="form")
        org.form = data["form"]
    if "unit" in data:
        org.unit = resolve_unit(data["unit"], field="unit", label="所属单位")
    if "enterprise" in data:
        org.enterprise = pick(Enterprise.objects.all(), data["enterprise"], field="enterprise", label="所在企业")
    if "social_organisation" in data:
        org.social_organisation = pick(SocialOrganisation.objects.all(), data["social_organisation"],
                                        field="social_organisation", label="所在社会组织")
    for key, label in (("full_members", "正式党员"), ("probationary_members", "预备党员"),
                       ("covered_units", "覆盖单位数")):
        if key in data and key != "covered_units" and org.has_roster:
            if count_of(data[key], label, key) != getattr(org, key):
                raise ApplicationError(f"该党组织已建立党员名册，{label}人数由名册统计，请在党员名册中增减党员。", field=key)
            continue
        if key in data:
            setattr(org, key, count_of(data[key], label, key, default=1 if key == "covered_units" else 0))
    for key in ("secretary", "committee"):
        if key in data:
            setattr(org, key, (data[key] or "").strip())
    if "term_start" in data:
        org.term_start = to_date(data["term_start"], "本届任期开始", "term_start")
    if "term_end" in data:
        org.term_end = to_date(data["term_end"], "本届任期届满", "term_end")
    if "is_active" in data:
        org.is_active = bool(data["is_active"])
    if "joint_enterprises" in data:
        m2m["joint_enterprises"] = [
            pick(Enterprise.objects.all(), e, field="joint_enterprises", label="联建企业")
            for e in data["joint_enterprises"] or []]
    if not org.name:
        raise ApplicationError("请填写党组织名称。", field="name")
    if not org.form:
        raise ApplicationError("请选择组织形式。", field="form")
    if org.unit_id is None:
        raise ApplicationError("请选择所属单位。", field="unit")
    if org.term_start and org.term_end and org.term_end <= org.term_start:
        raise ApplicationError("本届任期届满日期应晚于任期开始日期。", field="term_end")
    if org.enterprise_id and org.social_organisation_id:
        raise ApplicationError("党组织只能建在一家企业或一个社会组织中，不能同时填写。", field="social_organisation")
    if m2m.get("joint_enterprises") and org.form != Form.JOINT:
        raise ApplicationError("只有联合党支部可以填写联建企业。", field="joint_enterprises")
    return m2m


def check_organisation(org: PartyOrganisation, data: dict) -> None:
    """The register's rules for `data` over `org` (an unsaved copy will do), without writing: the
    import checks every row with it before anything is applied."""
    _set_organisation(org, data)


@transaction.atomic
def organisation_create(*, actor, data: dict, is_demo: bool = False) -> PartyOrganisation:
    _require_manage(actor, "只有党建办可以登记党组织。")
    org = PartyOrganisation(is_demo=is_demo)
    m2m = _set_organisation(org, data)
    return create_record(actor=actor, obj=org, m2m=m2m)


@transaction.atomic
def organisation_update(*, actor, organisation: PartyOrganisation, data: dict,
                        expected_version=None) -> PartyOrganisation:
    _require_manage(actor, "只有党建办可以修改党组织。")
    org = PartyOrganisation.objects.select_for_update().get(pk=organisation.pk)
    update_record(actor=actor, obj=org, fields=PartyOrganisation.WRITABLE_FIELDS,
                  apply=lambda: _set_organisation(org, data), expected_version=expected_version)
    return org


@transaction.atomic
def organisation_delete(*, actor, organisation: PartyOrganisation) -> None:
    """Only an organisation with no assessment and no roster (an import's revert); any other is
    kept and marked no longer active (存续：否) so its history stays readable."""
    _require_manage(actor, "只有党建办可以删除党组织。")
    if organisation.assessments.exists() or organisation.roster.exists():
        raise ApplicationError(f"“{organisation.name}”已有考评或党员名册，不能删除，请将“存续”改为否。", field="name")
    record_change(actor=actor, obj=organisation, action=ChangeRecord.Action.DELETE,
                  before=snapshot(organisation, PartyOrganisation.WRITABLE_FIELDS))
    organisation.joint_enterprises.clear()
    organisation.delete()


# ---------------------------------------------------------------- the member roster


def may_keep_roster(user, org: PartyOrganisation) -> bool:
    """The 党建办 and the organisation's own host unit keep its roster."""
    return may_manage(user) or user.can("party.self_assess", unit=org.unit_id)


def _set_member(member: Member, data: dict) -> None:
    if "name" in data:
        member.name = (data["name"] or "").strip()
    if "status" in data:
        if data["status"] not in MemberStatus.values:
            raise ApplicationError(f"党员类别“{data['status']}”无效，应为正式党员或预备党员。", field="status")
        member.status = data["status"]
    if "joined_on" in data:
        member.joined_on = to_date(data["joined_on"], "入党日期", "joined_on")
    for key in ("phone", "position"):
        if key in data:
            setattr(member, key, (data[key] or "").strip())
    if not member.name:
        raise ApplicationError("请填写党员姓名。", field="name")
    if member.joined_on is None:
        raise ApplicationError("请填写入党日期。", field="joined_on")
    if member.joined_on > clock.today():
        raise ApplicationError(f"入党日期{member.joined_on:%Y-%m-%d}晚于今天。", field="joined_on")
    if member.phone and not member.phone.replace("-", "").isdigit():
        raise ApplicationError(f"联系电话“{member.phone}”应为数字。", field="phone")


def _recount(actor, org: PartyOrganisation, note: str) -> None:
    """The organisation's counts become its roster's; the change is logged on the organisation
    (its history shows 正式党员 9 → 10 with the member named) only when a count moved."""
    rows = Member.objects.filter(organisation=org).values_list("status", flat=True)
    full = sum(1 for st in rows if st == MemberStatus.FULL)
    probationary = len(rows) - full

    def apply():
        org.full_members, org.probationary_members, org.has_roster = full, probationary, bool(rows)

    update_record(actor=actor, obj=org, fields=("full_members", "probationary_members", "has_roster"),
                  apply=apply, note=note)


def _roster_org(actor, org) -> PartyOrganisation:
    org = PartyOrganisation.objects.select_for_update().select_related("unit").get(pk=getattr(org, "pk", org))
    if not may_keep_roster(actor, org):
        raise PermissionDeniedError("只有党建办和党组织所在单位可以维护党员名册。")
    return org


@transaction.atomic
def member_add(*, actor, organisation: PartyOrganisation | int, data: dict) -> Member:
    org = _roster_org(actor, organisation)
    member = Member(organisation=org)
    _set_member(member, data)
    create_record(actor=actor, obj=member, fields=("organisation", *Member.WRITABLE_FIELDS))
    _recount(actor, org, f"党员名册：新增{member.name}（{member.get_status_display()}）")
    return member


@transaction.atomic
def member_update(*, actor, member: Member, data: dict, expected_version=None) -> Member:
    org = _roster_org(actor, member.organisation_id)
    member = Member.objects.select_for_update().get(pk=member.pk)
    update_record(actor=actor, obj=member, fields=Member.WRITABLE_FIELDS, apply=lambda: _set_member(member, data),
                  expected_version=expected_version)
    _recount(actor, org, f"党员名册：{member.name}改为{member.get_status_display()}")
    return member


@transaction.atomic
def member_remove(*, actor, member: Member, reason: str = "") -> None:
    org = _roster_org(actor, member.organisation_id)
    record_change(actor=actor, obj=member, action=ChangeRecord.Action.DELETE, note=(reason or "").strip()[:300],
                  before=snapshot(member, ("organisation", *Member.WRITABLE_FIELDS)))
    name = member.name
    Member.objects.filter(pk=member.pk).delete()
    _recount(actor, org, f"党员名册：移出{name}" + (f"（{reason.strip()}）" if (reason or "").strip() else ""))


# ---------------------------------------------------------------- checklist templates


def _template_items(raw_items) -> list[ChecklistItem]:
    if not isinstance(raw_items, list | tuple):
        raise ApplicationError("考评项应为列表。", field="items")
    items = []
    for i, raw in enumerate(raw_items):
        where = f"第{i + 1}项"
        rule = raw.get("rule")
        if rule not in Rule.values:
            raise ApplicationError(f"{where}的计分方式“{rule}”无效（应为 check、deduct 或 add）。", field="items")
        items.append(ChecklistItem(
            order=i + 1, dimension=(raw.get("dimension") or "").strip(), title=(raw.get("title") or "").strip(),
            rule=rule, max_score=to_decimal(raw.get("max_score"), f"{where}满分", "items") or Decimal(0),
            points_each=to_decimal(raw.get("points_each"), f"{where}每次扣（加）分", "items"),
            evidence_required=bool(raw.get("evidence_required")), veto=bool(raw.get("veto"))))
    return items


@transaction.atomic
def template_create(*, actor, data: dict, is_demo: bool = False) -> ChecklistTemplate:
    """A checklist with its items in one go, checked as a whole; the same name again is version N+1
    (the earlier version stays with the assessments made on it)."""
    _require_manage(actor, "只有党建办可以制定考评清单。")
    name = (data.get("name") or "").strip()
    if not name:
        raise ApplicationError("请填写清单名称。", field="name")
    template = ChecklistTemplate(
        name=name, note=(data.get("note") or "").strip(), is_demo=is_demo,
        created_by=actor if getattr(actor, "pk", None) else None,
        year=count_of(data.get("year"), "适用年度", "year", default=None) or clock.today().year,
        total_score=to_decimal(data.get("total_score"), "总分", "total_score") or Decimal(100),
        pass_mark=to_decimal(data.get("pass_mark"), "达标分数线", "pass_mark"),
        exemplary_mark=to_decimal(data.get("exemplary_mark"), "示范分数线", "exemplary_mark"))
    if template.pass_mark is None:
        raise ApplicationError("请填写达标分数线。", field="pass_mark")
    if template.exemplary_mark is None:
        raise ApplicationError("请填写示范分数线。", field="exemplary_mark")
    items = _template_items(data.get("items") or [])
    try:
        scoring.check_template([i.as_rule() for i in items], total=template.total_score,
                               pass_mark=template.pass_mark, exemplary_mark=template.exemplary_mark)
    except scoring.ScoreError as exc:
        field = {-2: "pass_mark", -3: "exemplary_mark"}.get(exc.index, "items")
        raise ApplicationError(exc.message, field=field, extra={"index": exc.index}) from None
    last = ChecklistTemplate.objects.select_for_update().filter(name=name).order_by("-version").first()
    template.version = last.version + 1 if last else 1
    validate(template)
    template.save()
    for item in items:
        item.template = template
        validate(item, exclude=["template"])
    ChecklistItem.objects.bulk_create(items)
    record_change(actor=actor, obj=template, action=ChangeRecord.Action.CREATE,
                  after={**snapshot(template, ChecklistTemplate.WRITABLE_FIELDS), "version": template.version,
                         "items": len(items)})
    return template


def current_template(year: int) -> ChecklistTemplate | None:
    """This year's checklist: the latest version of the latest made for the year."""
    return ChecklistTemplate.objects.filter(year=year).order_by("-created_at", "-pk").first()


# ---------------------------------------------------------------- assessments


@transaction.atomic
def assessment_start(*, actor, organisation: PartyOrganisation, year: int,
                     template: ChecklistTemplate | None = None, is_demo: bool = False) -> Assessment:
    """Open an organisation's assessment for the year on the year's checklist (one per year)."""
    probe = Assessment(organisation=organisation)
    if not may_self_assess(actor, probe):
        raise PermissionDeniedError("只能为本单位的党组织开展自评。")
    if not organisation.is_active:
        raise ApplicationError(f"{organisation.name}已不存续，不能考评。", field="organisation")
    template = template or current_template(year)
    if template is None:
        raise ApplicationError(f"{year}年度尚未制定考评清单，请党建办先制定。", field="template")
    if Assessment.objects.filter(organisation=organisation, year=year).exists():
        raise ApplicationError(f"{organisation.name}{year}年度的考评已开始。", field="year")
    assessment = Assessment.objects.create(organisation=organisation, year=year, template=template, is_demo=is_demo)
    AssessmentEntry.objects.bulk_create(AssessmentEntry(assessment=assessment, item=item)
                                        for item in template.items.all())
    record_change(actor=actor, obj=assessment, action=ChangeRecord.Action.CREATE,
                  after={"organisation": organisation.pk, "year": year, "template": template.pk, "state": State.SELF})
    return assessment


def assessment_open_year(*, actor, year: int, is_demo: bool = False) -> int:
    """The 党建办 opens the year's checklist for every organisation not yet assessed; returns how many."""
    _require_manage(actor, "只有党建办可以统一开展年度考评。")
    template = current_template(year)
    if template is None:
        raise ApplicationError(f"{year}年度尚未制定考评清单。", field="year")
    started = 0
    with transaction.atomic():
        done = Assessment.objects.filter(year=year).values("organisation")
        for org in PartyOrganisation.objects.filter(is_active=True).exclude(pk__in=done).select_related("unit"):
            assessment_start(actor=actor, organisation=org, year=year, template=template, is_demo=is_demo)
            started += 1
    return started


def _values_snapshot(entries, attr: str) -> dict:
    return {str(e.item.order): (str(getattr(e, attr)) if getattr(e, attr) is not None else None) for e in entries}


@transaction.atomic
def assessment_score(*, actor, assessment: Assessment, values: dict, notes: dict | None = None,
                     review: bool = False, expected_version=None) -> Assessment:
    """Enter the self-assessment (review=False, while 自评中) or the 党建办's review values (review=True,
    while 待审核), keyed by item id. Each value is checked against its item's rule (a deduction over
    the item's maximum is refused naming the item); nothing is written on any refusal."""
    assessment = Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
    check_version(assessment, expected_version, name=str(assessment))
    if review:
        _require_manage(actor, "只有党建办可以审核考评。")
        if assessment.state != State.SUBMITTED:
            raise ApplicationError(f"当前状态为“{assessment.get_state_display()}”，不能填写审核分。", field="state")
    else:
        if not may_self_assess(actor, assessment):
            raise PermissionDeniedError("只能为本单位的党组织自评。")
        if assessment.state != State.SELF:
            raise ApplicationError(f"当前状态为“{assessment.get_state_display()}”，不能修改自评。", field="state")
    attr = "review_value" if review else "self_value"
    entries = list(assessment.entries.select_related("item").order_by("item__order"))
    by_item = {e.item_id: e for e in entries}
    before = _values_snapshot(entries, attr)
    notes = notes or {}
    changed = []
    for key, raw in values.items():
        entry = by_item.get(parse_id(key) if not isinstance(key, int) else key)
        if entry is None:
            raise ApplicationError(f"考评项“{key}”不在本清单中。", field="values")
        label = f"第{entry.item.order}项“{entry.item.title}”"
        value = to_decimal(raw, label, "values")
        if value is not None:
            try:
                scoring.item_points(entry.item.as_rule(), value, entry.item.order - 1)
            except scoring.ScoreError as exc:
                raise ApplicationError(exc.message, field="values", extra={"item": entry.item_id}) from None
        setattr(entry, attr, value)
        if key in notes:
            entry.note = (notes[key] or "").strip()[:500]
        changed.append(entry)
    AssessmentEntry.objects.bulk_update(changed, [attr, "note"])
    after = _values_snapshot(entries, attr)
    if before != after:
        assessment.version += 1
        assessment.save(update_fields=["version", "updated_at"])
        record_change(actor=actor, obj=assessment, action=ChangeRecord.Action.UPDATE,
                      before={attr: before}, after={attr: after}, note="审核评分" if review else "自评")
    return assessment


@transaction.atomic
def evidence_add(*, actor, entry: AssessmentEntry, files) -> list[Evidence]:
    """Evidence for one item of a self-assessment (the one attachment rule of core.attachments)."""
    entry = AssessmentEntry.objects.select_related("assessment__organisation", "item").get(pk=entry.pk)
    assessment = entry.assessment
    if not may_self_assess(actor, assessment):
        raise PermissionDeniedError("只能为本单位的党组织上传佐证材料。")
    if assessment.state != State.SELF:
        raise ApplicationError(f"当前状态为“{assessment.get_state_display()}”，不能上传佐证材料。", field="files")
    files = list(files)
    if not files:
        raise ApplicationError("请选择要上传的佐证材料。", field="files")
    check_attachments(files, field="files", what="佐证材料")
    if entry.evidence.count() + len(files) > ATTACHMENT_MAX_COUNT:
        raise ApplicationError(f"每项佐证材料最多{ATTACHMENT_MAX_COUNT}个。", field="files")
    saved = []
    for f in files:
        saved.append(Evidence.objects.create(entry=entry, file=f, name=f.name[:200],
                                             uploaded_by=actor if getattr(actor, "pk", None) else None))
    record_change(actor=actor, obj=assessment, action=ChangeRecord.Action.UPDATE,
                  before={"evidence": None}, after={"evidence": [e.name for e in saved]},
                  note=f"上传佐证：第{entry.item.order}项“{entry.item.title}”")
    return saved


def _outcome(assessment: Assessment, attr: str) -> scoring.Outcome:
    entries = list(assessment.entries.select_related("item").order_by("item__order"))
    items = [e.item.as_rule() for e in entries]
    values = [getattr(e, attr) if getattr(e, attr) is not None else e.self_value for e in entries]
    try:
        return scoring.score(items, values, pass_mark=assessment.template.pass_mark,
                             exemplary_mark=assessment.template.exemplary_mark)
    except scoring.ScoreError as exc:
        raise ApplicationError(exc.message, field="values") from None


def _check_submit(step: Step) -> None:
    assessment = step.obj
    missing = (assessment.entries.filter(item__evidence_required=True).exclude(self_value=None)
               .exclude(evidence__isnull=False).select_related("item").order_by("item__order").first())
    if missing is not None:
        raise ApplicationError(f"第{missing.item.order}项“{missing.item.title}”须上传佐证材料。", field="evidence")
    step.extra["outcome"] = _outcome(assessment, "self_value")


def _submit(step: Step) -> None:
    step.obj.self_score = step.extra["outcome"].total


def _check_review(step: Step) -> None:
    step.extra["outcome"] = _outcome(step.obj, "review_value")


def _review(step: Step) -> None:
    outcome = step.extra["outcome"]
    step.obj.score, step.obj.result = outcome.total, outcome.result
    step.obj.vetoed_by = "、".join(outcome.vetoed_by)[:300]
    step.obj.reviewed_on = step.data.get("today") or clock.today()


def _describe_review(step: Step) -> str:
    outcome = step.extra["outcome"]
    text = f"评定得分{outcome.total}分，{step.obj.get_result_display()}"
    if outcome.vetoed_by:
        text += f"（一票否决：{'、'.join(outcome.vetoed_by)}）"
    return text + (f"：{step.comment}" if step.comment else "")


def _reopen_values(step: Step) -> None:
    step.obj.self_score = None


ASSESSMENT_FLOW = Workflow(
    model=Assessment,
    event_model=AssessmentEvent,
    event_fk="assessment",
    lock=lambda pk: Assessment.objects.select_for_update(of=("self",)).select_related(
        "organisation", "template").get(pk=pk),
    transitions=[
        Transition(Action.SUBMIT, Action.SUBMIT.label, (State.SELF,), State.SUBMITTED, may_self_assess,
                   check=_check_submit, apply=_submit, fields=("self_score",)),
        Transition(Action.RETURN, Action.RETURN.label, (State.SUBMITTED,), State.SELF, may_manage,
                   requires=(Requirement("comment", "退回时请填写退回理由。"),), apply=_reopen_values,
                   fields=("self_score",)),
        Transition(Action.REVIEW, Action.REVIEW.label, (State.SUBMITTED,), State.REVIEWED, may_manage,
                   check=_check_review, apply=_review, describe=_describe_review,
                   fields=("score", "result", "vetoed_by", "reviewed_on")),
    ],
)


def allowed_actions(user, assessment: Assessment) -> list[str]:
    return [t.action for t in ASSESSMENT_FLOW.available(user, assessment)]


def assessment_step(*, actor, assessment: Assessment | int, action: str, expected_version=None,
                    today: dt.date | None = None, **data) -> Assessment:
    if action not in ASSESSMENT_FLOW:
        raise ApplicationError(f"未知的操作“{action}”。", field="action")
    return ASSESSMENT_FLOW.transition(assessment, action, actor=actor, expected_version=expected_version,
                                      today=today or clock.today(), **data).obj


# ---------------------------------------------------------------- 两新 coverage


@transaction.atomic
def survey_save(*, actor, enterprise: Enterprise | int, data: dict, is_demo: bool = False) -> EnterpriseSurvey:
    """Record an enterprise's 两新 survey: operating or not, staff, the instructor appointed."""
    _require_manage(actor, "只有党建办可以维护两新调查和党建工作指导员。")
    enterprise = pick(Enterprise.objects.all(), enterprise, field="enterprise", label="企业")
    survey = EnterpriseSurvey.objects.select_for_update().filter(enterprise=enterprise).first()

    def apply():
        if "operating" in data:
            survey.operating = bool(data["operating"])
        if "employees" in data:
            survey.employees = count_of(data["employees"], "从业人员", "employees", default=None)
        for key in ("instructor", "instructor_phone", "note"):
            if key in data:
                setattr(survey, key, (data[key] or "").strip())

    if survey is None:
        survey = EnterpriseSurvey(enterprise=enterprise, is_demo=is_demo)
        apply()
        return create_record(actor=actor, obj=survey)
    update_record(actor=actor, obj=survey, fields=EnterpriseSurvey.WRITABLE_FIELDS, apply=apply,
                  expected_version=data.get("version"))
    return survey


# ---------------------------------------------------------------- social organisations


def _set_social(obj: SocialOrganisation, data: dict) -> None:
    for key in ("name", "code", "instructor", "note"):
        if key in data:
            setattr(obj, key, (data[key] or "").strip())
    obj.code = obj.code.upper()
    if "kind" in data:
        if data["kind"] not in SocialOrganisation.Kind.values:
            raise ApplicationError(f"类型“{data['kind']}”无效，应为社会团体、社会服务机构或基金会。", field="kind")
        obj.kind = data["kind"]
    if "operating" in data:
        obj.operating = bool(data["operating"])
    if not obj.name:
        raise ApplicationError("请填写社会组织名称。", field="name")
    if len(obj.code) != 18 or not obj.code.isalnum():
        raise ApplicationError(f"统一社会信用代码“{obj.code}”应为18位字母或数字。", field="code")
    if not obj.kind:
        raise ApplicationError("请选择社会组织类型。", field="kind")


@transaction.atomic
def social_create(*, actor, data: dict, is_demo: bool = False) -> SocialOrganisation:
    _require_manage(actor, "只有党建办可以登记社会组织。")
    obj = SocialOrganisation(is_demo=is_demo)
    _set_social(obj, data)
    return create_record(actor=actor, obj=obj)


@transaction.atomic
def social_update(*, actor, social: SocialOrganisation, data: dict, expected_version=None) -> SocialOrganisation:
    _require_manage(actor, "只有党建办可以修改社会组织。")
    obj = SocialOrganisation.objects.select_for_update().get(pk=social.pk)
    update_record(actor=actor, obj=obj, fields=SocialOrganisation.WRITABLE_FIELDS, apply=lambda: _set_social(obj, data),
                  expected_version=expected_version)
    return obj


# ---------------------------------------------------------------- 两委换届


@transaction.atomic
def election_create(*, actor, unit, year, planned: dict, is_demo: bool = False) -> Election:
    """A village's or community's 两委换届 with each step's planned date ({stage id: date}); every
    active step needs one."""
    _require_manage(actor, "只有党建办可以安排两委换届。")
    unit = resolve_unit(unit, field="unit", label="村（社区）")
    if unit is None or unit.kind not in RURAL:
        raise ApplicationError("两委换届只适用于村和社区，请选择村或社区。", field="unit")
    year = count_of(year, "换届年度", "year", default=None)
    if year is None or not 2000 <= year <= 2100:
        raise ApplicationError("请填写换届年度（如 2026）。", field="year")
    if Election.objects.filter(unit=unit, year=year).exists():
        raise ApplicationError(f"{unit.name}{year}年的两委换届已安排。", field="year")
    stages = list(ElectionStage.objects.filter(is_active=True))
    dates = {}
    for stage in stages:
        day = to_date(planned.get(stage.pk) or planned.get(str(stage.pk)), f"“{stage.name}”计划完成日期", "planned")
        if day is None:
            raise ApplicationError(f"请填写“{stage.name}”的计划完成日期。", field="planned")
        dates[stage.pk] = day
    election = Election.objects.create(unit=unit, year=year, is_demo=is_demo)
    ElectionStep.objects.bulk_create(ElectionStep(election=election, stage=s, planned_on=dates[s.pk]) for s in stages)
    record_change(actor=actor, obj=election, action=ChangeRecord.Action.CREATE,
                  after={"unit": unit.pk, "year": year, "planned": {s.name: dates[s.pk].isoformat() for s in stages}})
    return election


@transaction.atomic
def election_step_done(*, actor, step: ElectionStep | int, done_on, today: dt.date | None = None) -> ElectionStep:
    """Report a step done (the village itself, or the 党建办); blank done_on withdraws it."""
    step = ElectionStep.objects.select_for_update(of=("self",)).select_related("election__unit", "stage").get(
        pk=step.pk if isinstance(step, ElectionStep) else parse_id(step))
    election = step.election
    if not (may_manage(actor) or actor.can("party.self_assess", unit=election.unit_id)):
        raise PermissionDeniedError("只能报告本村（社区）的换届进度。")
    day = to_date(done_on, "完成日期", "done_on")
    if day and day > (today or clock.today()):
        raise ApplicationError(f"完成日期（{day:%Y-%m-%d}）不能晚于今天。", field="done_on")
    if day == step.done_on:
        return step
    before = step.done_on.isoformat() if step.done_on else None
    step.done_on = day
    step.save(update_fields=["done_on"])
    election.version += 1
    election.save(update_fields=["version", "updated_at"])
    record_change(actor=actor, obj=election, action=ChangeRecord.Action.UPDATE,
                  before={step.stage.name: before}, after={step.stage.name: day.isoformat() if day else None},
                  note=f"换届进度：{step.stage.name}")
    return step
