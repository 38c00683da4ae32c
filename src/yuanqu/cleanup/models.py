"""企业清理: 僵尸企业 and 散乱污 identification and disposal.

Criteria are data the administrator edits (admin site): each names what it reads from the enterprise
register (a yearly figure over consecutive years, a field left empty, an idle parcel). The candidate
list is computed (criteria.evaluate, pure); a person confirms or dismisses a candidate with a reason,
which writes a `Case`. A confirmed case gets its disposal method, its responsible unit and its steps
(dated; late ones shown red), and when disposed may release land, which the land register counts as
revitalised (through the `land.record_revitalisation` hand-off).

Cases are read by leaders, the 督查室, the 经发局 and the 生态环境 unit (read_all) and by the unit a
case is assigned to.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.deadlines import late
from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit


class Category(models.TextChoices):
    ZOMBIE = "zombie", _("僵尸企业")
    SCATTERED = "scattered", _("散乱污企业")


class Criterion(TimeStampedModel, VersionedModel):
    """One identification rule, as data."""

    class Kind(models.TextChoices):
        FIGURE = "figure", _("年度数据连续若干年满足条件")
        NO_FIGURE = "no_figure", _("连续若干年未报送年度数据")
        MISSING_FIELD = "missing_field", _("企业信息未填写")
        IDLE_LAND = "idle_land", _("名下有闲置地块")

    class Comparator(models.TextChoices):
        LT = "<", _("小于")
        LE = "<=", _("小于等于")
        EQ = "=", _("等于")
        GE = ">=", _("大于等于")
        GT = ">", _("大于")

    category = models.CharField(_("清理类别"), max_length=10, choices=Category.choices)
    name = models.CharField(_("标准名称"), max_length=60)
    kind = models.CharField(_("判定方式"), max_length=14, choices=Kind.choices)
    indicator = models.CharField(_("年度指标代码"), max_length=30, blank=True,
                                 help_text=_("企业指标的英文代码，如 value_added、tax_paid、electricity"))
    comparator = models.CharField(_("比较"), max_length=2, choices=Comparator.choices, blank=True)
    threshold = models.DecimalField(_("门槛值"), max_digits=18, decimal_places=4, null=True, blank=True)
    years = models.PositiveIntegerField(_("连续年数"), default=1,
                                        validators=[MinValueValidator(1), MaxValueValidator(10)])
    field = models.CharField(_("企业信息字段"), max_length=30, blank=True,
                             help_text=_("判定方式为“企业信息未填写”时：production_on、industry、address、liaison_unit"))
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    WRITABLE_FIELDS = ("category", "name", "kind", "indicator", "comparator", "threshold", "years", "field",
                       "order", "is_active")

    class Meta:
        verbose_name = _("认定标准")
        verbose_name_plural = _("认定标准")
        ordering = ["category", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}·{self.name}"


class State(models.TextChoices):
    DISMISSED = "dismissed", _("已排除")
    CONFIRMED = "confirmed", _("已认定")
    DISPOSING = "disposing", _("处置中")
    DONE = "done", _("已处置")


class Method(models.TextChoices):
    MERGE = "merge", _("兼并重组")
    BANKRUPTCY = "bankruptcy", _("破产清算")
    CLOSE = "close", _("关停取缔")
    RECTIFY = "rectify", _("整改提升")


class Case(TimeStampedModel, VersionedModel):
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="cleanup_cases")
    category = models.CharField(_("清理类别"), max_length=10, choices=Category.choices)
    year = models.PositiveIntegerField(_("评估年度"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    # What the criteria found when a person decided: [{"criterion", "name", "detail"}].
    criteria_met = models.JSONField(_("符合的认定标准"), default=list, editable=False)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, db_index=True)
    reason = models.TextField(_("认定或排除理由"))
    decided_on = models.DateField(_("认定日期"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认定人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(_("处置方式"), max_length=10, choices=Method.choices, blank=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    land_released_mu = models.DecimalField(_("释放土地（亩）"), max_digits=12, decimal_places=2, null=True,
                                           blank=True, validators=[MinValueValidator(0)])
    parcel = models.ForeignKey("land.Parcel", verbose_name=_("释放土地所在地块"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(_("处置完成日期"), null=True, blank=True, editable=False)
    revitalisation = models.ForeignKey("land.Revitalisation", verbose_name=_("盘活记录"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+", editable=False)
    note = models.TextField(_("备注"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="cleanup.read_all", units=("unit",))

    WRITABLE_FIELDS = ("method", "unit", "land_released_mu", "parcel", "note")

    class Meta:
        verbose_name = _("企业清理案件")
        verbose_name_plural = _("企业清理案件")
        ordering = ["-decided_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "category", "year"],
                                               name="cleanup_case_unique")]
        indexes = [models.Index(fields=["category", "state"])]

    def __str__(self) -> str:
        name = self.enterprise.name if self.enterprise_id else ""
        return f"{name}（{self.get_category_display()}，{self.year}年）"


class CaseStep(TimeStampedModel, VersionedModel):
    """A disposal step (清产核资, 职工安置, 资产处置 …) with its planned and done dates."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("步骤"), max_length=100)
    planned_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="case")

    WRITABLE_FIELDS = ("title", "planned_on", "done_on", "note")

    class Meta:
        verbose_name = _("处置步骤")
        verbose_name_plural = _("处置步骤")
        ordering = ["case", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def is_late(self, on: dt.date) -> bool:
        """Done after its planned date, or not done and past it."""
        return late(self.done_on, self.planned_on, on)


class Action(models.TextChoices):
    START = "start", _("开始处置")
    COMPLETE = "complete", _("处置完成")
    REOPEN = "reopen", _("重新认定")


class CaseEvent(WorkflowEvent.of(Case, "case", actions=Action, states=State)):
    class Meta(WorkflowEvent.Meta):
        verbose_name = _("清理处置记录")
        verbose_name_plural = _("清理处置记录")
