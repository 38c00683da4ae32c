"""重大项目: major projects with their stage gates (签约 → 注册 → 供地 → 开工 → 竣工 → 投产), monthly
returns (月报) by the lead unit, and the problems (问题清单) that block them.

A project's stage moves only through PROJECT_FLOW (services.py, on core.workflow); each stage has a
row (StageStep) with its planned and actual date and evidence. Amount bands and problem categories
are rows the administrator keeps (seeded by migration), not code. Late stages and late returns are
computed on a date, never stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.attachments import Attachment
from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.org.models import OrgUnit


class Stage(models.TextChoices):
    PLANNED = "planned", _("待签约")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册")
    LAND = "land", _("供地")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")


# The gates in order (待签约 is where a project waits before the first one).
GATES = [Stage.SIGNED, Stage.REGISTERED, Stage.LAND, Stage.STARTED, Stage.COMPLETED, Stage.PRODUCING]
ORDER = [Stage.PLANNED, *GATES]
GATE_CHOICES = [(s.value, s.label) for s in GATES]


def stage_index(stage: str) -> int:
    return ORDER.index(stage)


class Level(models.TextChoices):
    PROVINCIAL = "provincial", _("省重大")
    CITY = "city", _("市重点")
    DISTRICT = "district", _("区重点")


class AmountBand(models.Model):
    """投资额档次: 10/50/100/200 亿元 … (data: the administrator keeps the list)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    min_amount = models.DecimalField(_("起点（亿元）"), max_digits=10, decimal_places=2, unique=True)

    class Meta:
        verbose_name = _("投资额档次")
        verbose_name_plural = _("投资额档次")
        ordering = ["min_amount"]

    def __str__(self) -> str:
        return self.name


def band_for(amount: Decimal | None, bands) -> AmountBand | None:
    """The highest band the amount reaches (bands in ascending order)."""
    found = None
    for band in bands:
        if amount is not None and amount >= band.min_amount:
            found = band
    return found


class ProblemCategory(models.Model):
    """用地、资金、审批、拆迁、配套 … (data)."""

    name = models.CharField(_("类别"), max_length=20, unique=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Project(TimeStampedModel, VersionedModel):
    Stage = Stage
    Level = Level

    name = models.CharField(_("项目名称"), max_length=200, unique=True,
                            error_messages={"unique": _("该项目名称已登记")})
    investor = models.CharField(_("投资方"), max_length=200)
    industry = models.CharField(_("产业类别"), max_length=100, blank=True)
    chain_node = models.ForeignKey("chains.ChainNode", verbose_name=_("产业链节点"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="projects")
    total_investment = models.DecimalField(_("总投资（亿元）"), max_digits=14, decimal_places=4)
    fixed_investment = models.DecimalField(_("固定资产投资（亿元）"), max_digits=14, decimal_places=4,
                                           null=True, blank=True)
    level = models.CharField(_("项目级别"), max_length=12, choices=Level.choices, default=Level.DISTRICT)
    parcel = models.ForeignKey("land.Parcel", verbose_name=_("地块"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="projects")
    lead_unit = models.ForeignKey(OrgUnit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("挂钩领导"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    lead = models.OneToOneField("investment.Lead", verbose_name=_("来源招商线索"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="project", editable=False)
    stage = models.CharField(_("当前阶段"), max_length=12, choices=Stage.choices, default=Stage.PLANNED)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="projects.read_all", units=("lead_unit",))

    WRITABLE_FIELDS = ("name", "investor", "industry", "chain_node", "total_investment", "fixed_investment",
                       "level", "parcel", "lead_unit", "leader", "note")

    # The gates' planned dates are logged on the project (one record per change, revertible by an import).
    HISTORY_LABELS = {f"planned_{s}": f"{Stage(s).label}计划日期" for s in GATES}

    @staticmethod
    def history_value(key: str, value):
        if key.startswith("planned_") and value:
            day = dt.date.fromisoformat(str(value))
            return f"{day.year}年{day.month}月{day.day}日"
        return None

    class Meta:
        verbose_name = _("重大项目")
        verbose_name_plural = _("重大项目")
        ordering = ["-total_investment", "id"]
        indexes = [models.Index(fields=["stage", "lead_unit"])]

    def __str__(self) -> str:
        return self.name

    @property
    def stage_index(self) -> int:
        return stage_index(self.stage)


class StageStep(TimeStampedModel, VersionedModel):
    """One gate of one project: planned date, actual date (set by PROJECT_FLOW), or skipped with a reason."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices)
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    actual_on = models.DateField(_("实际日期"), null=True, blank=True)
    skipped = models.BooleanField(_("已跳过"), default=False)
    skip_reason = models.TextField(_("跳过原因"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="project")

    class Meta:
        verbose_name = _("项目阶段")
        verbose_name_plural = _("项目阶段")
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="projects_one_step_per_stage")]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}"

    @property
    def done(self) -> bool:
        return self.actual_on is not None or self.skipped

    def is_late(self, on: dt.date) -> bool:
        """Its planned date has passed and it is neither reached nor skipped."""
        return not self.done and self.planned_on is not None and self.planned_on < on


def _evidence_path(instance, filename: str) -> str:
    return f"projects/{instance.step.project_id}/stages/{filename}"


class StageEvidence(Attachment.of_stage(StageStep, "step", upload_to=_evidence_path)):
    """佐证材料 of a project's stage."""


class ProjectEvent(WorkflowEvent.of(Project, "project", verbose_name=_("项目"))):
    """One line of a project's stage timeline (written by core.workflow)."""

    from_state = models.CharField(_("原阶段"), max_length=12, choices=Stage.choices, blank=True)
    to_state = models.CharField(_("新阶段"), max_length=12, choices=Stage.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("阶段记录")
        verbose_name_plural = _("阶段记录")


class MonthlyReturn(models.Model):
    """月报: append-only — a correction is version N+1 of the same month, the earlier one stays."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="returns")
    month = models.DateField(_("月份"))  # the first of the month
    version = models.PositiveIntegerField(_("版本"), default=1)
    completed_month = models.DecimalField(_("当月完成投资（亿元）"), max_digits=12, decimal_places=4)
    completed_total = models.DecimalField(_("累计完成投资（亿元）"), max_digits=12, decimal_places=4)
    progress = models.TextField(_("形象进度"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="project")

    WRITABLE_FIELDS = ("month", "completed_month", "completed_total", "progress")

    class Meta:
        verbose_name = _("项目月报")
        verbose_name_plural = _("项目月报")
        ordering = ["-month", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "month", "version"],
                                               name="projects_return_version_unique")]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y年%m月}月报（第{self.version}版）"


def _photo_path(instance, filename: str) -> str:
    return f"projects/{instance.report.project_id}/returns/{filename}"


class ReturnPhoto(models.Model):
    report = models.ForeignKey(MonthlyReturn, verbose_name=_("月报"), on_delete=models.CASCADE,
                               related_name="photos")
    file = models.FileField(_("照片"), upload_to=_photo_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="report")

    class Meta:
        verbose_name = _("形象进度照片")
        verbose_name_plural = _("形象进度照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Problem(TimeStampedModel, VersionedModel):
    """问题清单: a blocker on a project, assigned to a unit; raised, it becomes a 督办单."""

    class Status(models.TextChoices):
        OPEN = "open", _("待解决")
        RAISED = "raised", _("已提请协调")
        SOLVED = "solved", _("已解决")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="problems")
    category = models.ForeignKey(ProblemCategory, verbose_name=_("问题类别"), on_delete=models.PROTECT,
                                 related_name="+")
    description = models.TextField(_("问题描述"))
    assigned_unit = models.ForeignKey(OrgUnit, verbose_name=_("责任单位"), on_delete=models.PROTECT,
                                      related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    solution = models.TextField(_("解决情况"), blank=True)
    solved_on = models.DateField(_("解决日期"), null=True, blank=True)
    item = models.OneToOneField("supervision.SupervisionItem", verbose_name=_("督办单"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="project")

    WRITABLE_FIELDS = ("category", "description", "assigned_unit")

    class Meta:
        verbose_name = _("项目问题")
        verbose_name_plural = _("项目问题")
        ordering = ["status", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project}：{self.category}问题"
