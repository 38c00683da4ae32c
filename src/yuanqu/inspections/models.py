"""Inspections and rectification (安全生产、环境污染、城乡环境), revisits (回头看) and pollution works.

An inspection of an enterprise or a place records findings; each finding that needs work is a
hazard (一般/重大) with a responsible unit. A hazard moves on core.workflow (services.HAZARD_FLOW):

    待下达整改 --下达整改通知--> 整改中 --报告整改完成--> 待复查 --复查通过--> 已销号
                                   ^                       |
                                   +-----复查不通过---------+

A closed hazard is revisited (回头看) on the domain's interval (RevisitRule, data); a revisit that
finds the problem back reopens it (已销号 → 待下达整改). Overdue: rectified after the deadline, or
not rectified and past it — open hazards count, not only the ones closed late.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.attachments import Attachment
from yuanqu.core.deadlines import late, late_q
from yuanqu.core.models import TimeStampedModel, VersionedModel, raised_to_supervision
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit


class Domain(models.TextChoices):
    SAFETY = "safety", _("安全生产")
    POLLUTION = "pollution", _("环境污染")
    URBAN = "urban", _("城乡环境")


class ChecklistTemplate(TimeStampedModel, VersionedModel):
    """A checklist as data: its items, one a line, edited by an administrator. Each edit is a new
    version; an inspection keeps the items and the version it was recorded with."""

    domain = models.CharField(_("检查类别"), max_length=12, choices=Domain.choices)
    name = models.CharField(_("检查表名称"), max_length=100, unique=True,
                            error_messages={"unique": _("该检查表名称已存在")})
    items = models.TextField(_("检查项目"), help_text=_("每行一项"))
    is_active = models.BooleanField(_("启用"), default=True)

    WRITABLE_FIELDS = ("domain", "name", "items", "is_active")

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        ordering = ["domain", "pk"]

    def __str__(self) -> str:
        return self.name

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class RevisitRule(TimeStampedModel, VersionedModel):
    """回头看 by domain: how long after closing a hazard its site is looked at again, how many times."""

    domain = models.CharField(_("检查类别"), max_length=12, choices=Domain.choices, unique=True,
                              error_messages={"unique": _("该类别已有回头看规则")})
    interval_days = models.PositiveIntegerField(_("回头看间隔（天）"),
                                                validators=[MinValueValidator(1), MaxValueValidator(730)])
    rounds = models.PositiveIntegerField(_("回头看次数"), default=2,
                                         validators=[MinValueValidator(1), MaxValueValidator(12)])

    WRITABLE_FIELDS = ("domain", "interval_days", "rounds")

    class Meta:
        verbose_name = _("回头看规则")
        verbose_name_plural = _("回头看规则")
        ordering = ["domain"]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}：每{self.interval_days}天，共{self.rounds}次"


class Inspection(TimeStampedModel, VersionedModel):
    domain = models.CharField(_("检查类别"), max_length=12, choices=Domain.choices, db_index=True)
    # The number the inspecting bureau's ledger gave it: an import groups hazard rows by it.
    source_number = models.CharField(_("检查编号"), max_length=60, blank=True, db_index=True, editable=False)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="inspections")
    site = models.CharField(_("检查地点"), max_length=200, blank=True,
                            help_text=_("检查场所而非企业时填写，如河道、工地、村庄"))
    village = models.ForeignKey(OrgUnit, verbose_name=_("所在村（社区）"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("检查日期"))
    inspecting_unit = models.ForeignKey(OrgUnit, verbose_name=_("检查单位"), on_delete=models.PROTECT,
                                        related_name="+")
    inspectors = models.CharField(_("检查人员"), max_length=200)
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("检查表"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="inspections")
    template_version = models.PositiveIntegerField(_("检查表版本"), null=True, blank=True, editable=False)
    checklist = models.JSONField(_("检查项目"), default=list, blank=True, editable=False)
    findings = models.TextField(_("检查情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="inspections.read_all", units=("inspecting_unit",))

    WRITABLE_FIELDS = ("domain", "enterprise", "site", "village", "inspected_on", "inspecting_unit", "inspectors",
                       "template", "findings")

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查记录")
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["inspected_on"])]
        constraints = [models.UniqueConstraint(fields=["source_number"], condition=~Q(source_number=""),
                                               name="inspections_inspection_source_number_unique",
                                               violation_error_message=_("检查编号已被另一次检查使用。"))]

    def __str__(self) -> str:
        return f"{self.inspected_on:%Y-%m-%d} {self.place}" if self.inspected_on else "检查"

    @property
    def place(self) -> str:
        if self.enterprise_id:
            return self.enterprise.name
        return f"{self.site}（{self.village.name}）" if self.village_id else self.site


class Level(models.TextChoices):
    GENERAL = "general", _("一般")
    MAJOR = "major", _("重大")


class State(models.TextChoices):
    FOUND = "found", _("待下达整改")
    RECTIFYING = "rectifying", _("整改中")
    RECHECK = "recheck", _("待复查")
    CLOSED = "closed", _("已销号")


OPEN = (State.FOUND, State.RECTIFYING, State.RECHECK)


class Hazard(TimeStampedModel, VersionedModel):
    inspection = models.ForeignKey(Inspection, verbose_name=_("检查"), on_delete=models.PROTECT,
                                   related_name="hazards")
    description = models.TextField(_("隐患（问题）描述"))
    # The ledger's number of the hazard: an import's natural key.
    source_number = models.CharField(_("隐患编号"), max_length=60, blank=True, db_index=True, editable=False)
    level = models.CharField(_("隐患等级"), max_length=10, choices=Level.choices, default=Level.GENERAL,
                             db_index=True)
    responsible_unit = models.ForeignKey(OrgUnit, verbose_name=_("责任单位"), on_delete=models.PROTECT,
                                         related_name="+")
    responsible_person = models.CharField(_("责任人"), max_length=60, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.FOUND, db_index=True)
    # The rectification notice (整改通知): its number, day, requirement and deadline.
    notice_no = models.CharField(_("整改通知书编号"), max_length=40, blank=True, editable=False)
    notice_on = models.DateField(_("下达日期"), null=True, blank=True, editable=False)
    requirement = models.TextField(_("整改要求"), blank=True, editable=False)
    deadline = models.DateField(_("整改期限"), null=True, blank=True, editable=False)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True, editable=False)
    recheck_failures = models.PositiveIntegerField(_("复查不通过次数"), default=0, editable=False)
    reopen_count = models.PositiveIntegerField(_("复发次数"), default=0, editable=False)
    supervision_item = raised_to_supervision()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The responsible unit handles its hazards; the inspecting unit follows the ones it found.
    scope = Scope(read_all="inspections.read_all", units=("responsible_unit", "inspection__inspecting_unit"))

    WRITABLE_FIELDS = ("description", "level", "responsible_unit", "responsible_person")

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["responsible_unit", "state"]), models.Index(fields=["deadline"])]
        constraints = [models.UniqueConstraint(fields=["source_number"], condition=~Q(source_number=""),
                                               name="inspections_hazard_source_number_unique",
                                               violation_error_message=_("隐患编号已被另一条隐患使用。"))]

    def __str__(self) -> str:
        return f"隐患{self.pk}：{self.description[:20]}"

    def is_overdue(self, on: dt.date) -> bool:
        """Rectified after the deadline, or not rectified and past it."""
        return late(self.rectified_on, self.deadline, on)

    @staticmethod
    def overdue_q(on: dt.date) -> Q:
        """The same rule in SQL."""
        return late_q("rectified_on", "deadline", on)

    @staticmethod
    def open_overdue_q(on: dt.date) -> Q:
        """Open and past the deadline, not yet reported rectified: what the reminders chase."""
        return Q(state=State.RECTIFYING, deadline__lt=on)


class Action(models.TextChoices):
    NOTIFY = "notify", _("下达整改通知")
    REPORT = "report", _("报告整改完成")
    PASS = "pass", _("复查通过")
    FAIL = "fail", _("复查不通过")
    REOPEN = "reopen", _("复发重新整改")
    RAISE = "raise", _("提请督办")


class HazardEvent(WorkflowEvent.of(Hazard, "hazard", actions=Action, states=State)):
    class Meta(WorkflowEvent.Meta):
        verbose_name = _("隐患整改记录")
        verbose_name_plural = _("隐患整改记录")


class Revisit(TimeStampedModel):
    """One 回头看 of a closed hazard's site, due on a day; done with its result."""

    class Result(models.TextChoices):
        OK = "ok", _("未反弹")
        BACK = "back", _("问题反弹")

    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="revisits")
    round = models.PositiveIntegerField(_("第几次回头看"))
    # Which closure it checks (the hazard's reopen count then): each closure gets the rule's rounds.
    cycle = models.PositiveIntegerField(_("销号轮次"), default=0, editable=False)
    due_on = models.DateField(_("计划日期"), db_index=True)
    done_on = models.DateField(_("回头看日期"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=8, choices=Result.choices, blank=True)
    note = models.TextField(_("情况说明"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="hazard")

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["hazard", "round"], name="inspections_revisit_round")]

    def __str__(self) -> str:
        return f"回头看（第{self.round}次，{self.due_on:%Y-%m-%d}）"


# ---------------------------------------------------------------- pollution works


class WorkKind(TimeStampedModel, VersionedModel):
    """黑臭水体治理, 雨污分流 … as data, with their stages one a line."""

    name = models.CharField(_("工程类别"), max_length=60, unique=True, error_messages={"unique": _("该类别已存在")})
    stages = models.TextField(_("阶段"), help_text=_("每行一个阶段，按先后顺序"))

    WRITABLE_FIELDS = ("name", "stages")

    class Meta:
        verbose_name = _("治理工程类别")
        verbose_name_plural = _("治理工程类别")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def stage_names(self) -> list[str]:
        return [line.strip() for line in self.stages.splitlines() if line.strip()]


class Work(TimeStampedModel, VersionedModel):
    kind = models.ForeignKey(WorkKind, verbose_name=_("工程类别"), on_delete=models.PROTECT, related_name="works")
    name = models.CharField(_("工程名称"), max_length=120)
    lead_unit = models.ForeignKey(OrgUnit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(OrgUnit, verbose_name=_("所在村（社区）"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("开工日期"))
    description = models.TextField(_("工程内容"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="inspections.read_all", units=("lead_unit",))

    WRITABLE_FIELDS = ("kind", "name", "lead_unit", "village", "started_on", "description")

    class Meta:
        verbose_name = _("污染治理工程")
        verbose_name_plural = _("污染治理工程")
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return self.name


class WorkStage(TimeStampedModel, VersionedModel):
    work = models.ForeignKey(Work, verbose_name=_("工程"), on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveIntegerField(_("顺序"))
    name = models.CharField(_("阶段"), max_length=60)
    planned_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="work")

    class Meta:
        verbose_name = _("工程阶段")
        verbose_name_plural = _("工程阶段")
        ordering = ["work", "order"]
        constraints = [models.UniqueConstraint(fields=["work", "order"], name="inspections_stage_order")]

    def __str__(self) -> str:
        return self.name

    def is_late(self, on: dt.date) -> bool:
        """Its planned day has passed and it is not done (shown red)."""
        return self.done_on is None and self.planned_on < on


def _evidence_path(instance, filename: str) -> str:
    return f"inspections/works/{instance.stage.work_id}/{filename}"


class StageEvidence(Attachment.of_stage(WorkStage, "stage", upload_to=_evidence_path)):
    """佐证材料 of a work's stage."""
