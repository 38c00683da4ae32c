"""党建: Party organisations, their yearly standardisation assessment on a versioned checklist,
两新 coverage of the enterprise register and the villages' and communities' 两委换届.

Organisations are read by the units they belong to (a village's branch by the village) and by the
党建办, leaders and the 督查室 (party.read_all); an assessment, and its entries, as its organisation.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.attachments import Attachment
from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit

from . import rules, scoring

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class Form(models.TextChoices):
    COMMITTEE = rules.COMMITTEE, _("党委")
    GENERAL = rules.GENERAL, _("党总支")
    BRANCH = rules.BRANCH, _("党支部")
    JOINT = rules.JOINT, _("联合党支部")


class SocialOrganisation(TimeStampedModel, VersionedModel):
    """A 社会组织 of the zone (the other half of 两新 beside the enterprise register): the operating
    ones join the coverage denominators; those with no Party organisation are its 空白点."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("社会团体")
        SERVICE = "service", _("社会服务机构")
        FOUNDATION = "foundation", _("基金会")

    name = models.CharField(_("社会组织名称"), max_length=200, unique=True,
                            error_messages={"unique": _("该社会组织名称已登记")})
    code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                            error_messages={"unique": _("该统一社会信用代码已登记")})
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    operating = models.BooleanField(_("正常运转"), default=True, help_text=_("停止活动的不计入两新覆盖的分母"))
    instructor = models.CharField(_("党建工作指导员"), max_length=40, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="party.read_all")
    WRITABLE_FIELDS = ("name", "code", "kind", "operating", "instructor", "note")

    class Meta:
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class PartyOrganisation(TimeStampedModel, VersionedModel):
    name = models.CharField(_("党组织名称"), max_length=120, unique=True,
                            error_messages={"unique": _("该党组织名称已存在")})
    form = models.CharField(_("组织形式"), max_length=12, choices=Form.choices)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("机关单位、村或社区；企业党组织填其联系单位（如党建办）"))
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("所在企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="party_organisations")
    social_organisation = models.ForeignKey(SocialOrganisation, verbose_name=_("所在社会组织"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="party_organisations")
    joint_enterprises = models.ManyToManyField(Enterprise, verbose_name=_("联建企业"), blank=True,
                                               related_name="joint_party_organisations")
    covered_units = models.PositiveIntegerField(_("覆盖单位数"), default=1,
                                                help_text=_("联合党支部覆盖的单位数（含所在单位）"))
    full_members = models.PositiveIntegerField(_("正式党员"), default=0)
    probationary_members = models.PositiveIntegerField(_("预备党员"), default=0)
    secretary = models.CharField(_("书记"), max_length=40, blank=True)
    committee = models.CharField(_("委员"), max_length=300, blank=True, help_text=_("委员姓名，以顿号分隔（含书记）"))
    term_start = models.DateField(_("本届任期开始"), null=True, blank=True)
    term_end = models.DateField(_("本届任期届满"), null=True, blank=True, help_text=_("不填按村（社区）5年、其他3年计"))
    is_active = models.BooleanField(_("存续"), default=True)
    # Set while the organisation keeps a roster (Member rows): the two counts are then the roster's,
    # recomputed on every roster change, and no longer typed.
    has_roster = models.BooleanField(_("按名册统计党员"), default=False, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="party.read_all", units=("unit",))
    WRITABLE_FIELDS = ("name", "form", "unit", "enterprise", "social_organisation", "joint_enterprises", "covered_units", "full_members",
                       "probationary_members", "secretary", "committee", "term_start", "term_end", "is_active")

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["unit__path", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def committee_size(self) -> int:
        return len([n for n in self.committee.replace(",", "、").replace("，", "、").split("、") if n.strip()])

    @property
    def members(self) -> int:
        return self.full_members + self.probationary_members

    @property
    def host_name(self) -> str:
        if self.enterprise_id:
            return self.enterprise.name
        return self.social_organisation.name if self.social_organisation_id else self.unit.name

    def term_years(self, t: rules.Thresholds) -> int:
        rural = (self.unit.kind in (OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY) and not self.enterprise_id
                 and not self.social_organisation_id)
        return t.term_years_village if rural else t.term_years_other

    def term_end_on(self, t: rules.Thresholds) -> dt.date | None:
        if self.term_end:
            return self.term_end
        return rules.add_years(self.term_start, self.term_years(t)) if self.term_start else None

    def warnings(self, on: dt.date, t: rules.Thresholds | None = None) -> list[rules.Warning]:
        t = t or rules.thresholds()
        found = rules.form_warnings(form=self.form, full=self.full_members, probationary=self.probationary_members,
                                    committee=self.committee_size, covered_units=self.covered_units, t=t)
        return found + rules.term_warnings(term_end=self.term_end_on(t), on=on, t=t) if self.is_active else []


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class Member(TimeStampedModel, VersionedModel):
    """One person on an organisation's roster. Removing a member deletes the row; its change record
    (and the organisation's, whose counts move) keep the history."""

    organisation = models.ForeignKey(PartyOrganisation, verbose_name=_("党组织"), on_delete=models.PROTECT,
                                     related_name="roster")
    name = models.CharField(_("姓名"), max_length=40)
    status = models.CharField(_("党员类别"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField(_("入党日期"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    position = models.CharField(_("党内职务"), max_length=40, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="organisation")
    WRITABLE_FIELDS = ("name", "status", "joined_on", "phone", "position")

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员名册")
        ordering = ["organisation", "joined_on", "name", "pk"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- the checklist


class Rule(models.TextChoices):
    CHECK = scoring.CHECK, _("达标")
    DEDUCT = scoring.DEDUCT, _("按次扣分")
    ADD = scoring.ADD, _("按次加分")


class ChecklistTemplate(TimeStampedModel):
    """A versioned checklist: never edited once saved; a change is version N+1 of the same name."""

    name = models.CharField(_("清单名称"), max_length=120)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    year = models.PositiveIntegerField(_("适用年度"), validators=YEAR)
    total_score = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, default=100)
    pass_mark = models.DecimalField(_("达标分数线"), max_digits=6, decimal_places=1)
    exemplary_mark = models.DecimalField(_("示范分数线"), max_digits=6, decimal_places=1)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制定人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    WRITABLE_FIELDS = ("name", "year", "total_score", "pass_mark", "exemplary_mark", "note")

    class Meta:
        verbose_name = _("考评清单")
        verbose_name_plural = _("考评清单")
        ordering = ["-year", "name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="party_template_version")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("序号"))
    dimension = models.CharField(_("类别"), max_length=40, blank=True, help_text=_("组织设置、队伍建设、便民服务、保障建设等"))
    title = models.CharField(_("考评内容"), max_length=300)
    rule = models.CharField(_("计分方式"), max_length=8, choices=Rule.choices)
    max_score = models.DecimalField(_("满分"), max_digits=6, decimal_places=1)
    points_each = models.DecimalField(_("每次扣（加）分"), max_digits=6, decimal_places=1, null=True, blank=True)
    evidence_required = models.BooleanField(_("须上传佐证"), default=False)
    veto = models.BooleanField(_("一票否决"), default=False)

    class Meta:
        verbose_name = _("考评项")
        verbose_name_plural = _("考评项")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="party_item_order")]

    def __str__(self) -> str:
        return self.title

    def as_rule(self) -> scoring.Item:
        return scoring.Item(self.title, self.rule, self.max_score, self.points_each, self.veto)


# ---------------------------------------------------------------- the yearly assessment


class State(models.TextChoices):
    SELF = "self", _("自评中")
    SUBMITTED = "submitted", _("待审核")
    REVIEWED = "reviewed", _("已评定")


class Result(models.TextChoices):
    EXEMPLARY = scoring.EXEMPLARY, _("示范")
    MET = scoring.MET, _("达标")
    NOT_MET = scoring.NOT_MET, _("未达标")


PASSED = (Result.MET, Result.EXEMPLARY)


class Assessment(TimeStampedModel, VersionedModel):
    organisation = models.ForeignKey(PartyOrganisation, verbose_name=_("党组织"), on_delete=models.PROTECT,
                                     related_name="assessments")
    year = models.PositiveIntegerField(_("年度"), validators=YEAR)
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("考评清单"), on_delete=models.PROTECT,
                                 related_name="assessments")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SELF, db_index=True)
    self_score = models.DecimalField(_("自评得分"), max_digits=7, decimal_places=1, null=True, blank=True)
    score = models.DecimalField(_("评定得分"), max_digits=7, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("评定结果"), max_length=10, choices=Result.choices, blank=True)
    vetoed_by = models.CharField(_("否决项"), max_length=300, blank=True)
    reviewed_on = models.DateField(_("评定日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="organisation")

    class Meta:
        verbose_name = _("规范化考评")
        verbose_name_plural = _("规范化考评")
        ordering = ["-year", "organisation__unit__path", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="party_assessment_year")]

    def __str__(self) -> str:
        return f"{self.organisation.name}{self.year}年度规范化考评" if self.organisation_id else "规范化考评"


class AssessmentEntry(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    self_value = models.DecimalField(_("自评"), max_digits=6, decimal_places=1, null=True, blank=True)
    review_value = models.DecimalField(_("审核"), max_digits=6, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("考评记录")
        verbose_name_plural = _("考评记录")
        ordering = ["assessment", "item__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="party_entry_item")]

    def __str__(self) -> str:
        return f"考评记录{self.pk}"


class Evidence(Attachment):
    entry = models.ForeignKey(AssessmentEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("佐证材料"), upload_to="party/evidence/%Y/")

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["pk"]


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交自评")
    RETURN = "return", _("退回")
    REVIEW = "review", _("审核评定")


class AssessmentEvent(WorkflowEvent.of(Assessment, "assessment", actions=Action, states=State)):
    class Meta(WorkflowEvent.Meta):
        verbose_name = _("考评过程")
        verbose_name_plural = _("考评过程")


# ---------------------------------------------------------------- 两新 coverage


class EnterpriseSurvey(TimeStampedModel, VersionedModel):
    """What the 两新 survey records of an enterprise of the register: whether it really operates
    (shells and zombies are cleared out of the denominator), its staff, and the 党建工作指导员
    appointed to it while it has no organisation. An enterprise without a survey row counts as
    operating, with no instructor."""

    enterprise = models.OneToOneField(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE,
                                      related_name="party_survey")
    operating = models.BooleanField(_("实际经营"), default=True)
    employees = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)
    instructor = models.CharField(_("党建工作指导员"), max_length=40, blank=True)
    instructor_phone = models.CharField(_("指导员电话"), max_length=20, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="party.read_all")
    WRITABLE_FIELDS = ("operating", "employees", "instructor", "instructor_phone", "note")

    class Meta:
        verbose_name = _("两新调查")
        verbose_name_plural = _("两新调查")

    def __str__(self) -> str:
        return f"{self.enterprise.name}（两新调查）" if self.enterprise_id else "两新调查"


# ---------------------------------------------------------------- 两委换届


class ElectionStage(models.Model):
    """The steps of a village's or community's 两委换届, as data (the 党建办 may add or rename)."""

    order = models.PositiveIntegerField(_("序号"), unique=True)
    name = models.CharField(_("步骤"), max_length=60, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("换届步骤")
        verbose_name_plural = _("换届步骤")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Election(TimeStampedModel, VersionedModel):
    unit = models.ForeignKey(OrgUnit, verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("换届年度"), validators=YEAR)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="party.read_all", units=("unit",))

    class Meta:
        verbose_name = _("两委换届")
        verbose_name_plural = _("两委换届")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="party_election_year")]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.year}年两委换届" if self.unit_id else "两委换届"


class ElectionStep(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="steps")
    stage = models.ForeignKey(ElectionStage, verbose_name=_("步骤"), on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("换届步骤进度")
        verbose_name_plural = _("换届步骤进度")
        ordering = ["election", "stage__order"]
        constraints = [models.UniqueConstraint(fields=["election", "stage"], name="party_election_stage")]

    def __str__(self) -> str:
        return f"换届步骤{self.pk}"

    def status(self, on: dt.date) -> str:
        if self.done_on:
            return "late" if self.done_on > self.planned_on else "done"
        return "overdue" if on > self.planned_on else "pending"

    STATUS_LABELS = {"done": "按时完成", "late": "逾期完成", "overdue": "已逾期", "pending": "未到期"}
