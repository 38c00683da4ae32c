import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import (
    AliveQuerySet,
    DecidedRequest,
    SoftDeleteModel,
    TimeStampedModel,
    VersionedModel,
)
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.org.models import OrgUnit

from . import status as status_engine
from .extract.targets import COUNT_UNITS


def counts_things(unit: str) -> bool:
    """Whether a unit counts things (家、个、人、项… and 万家、万人…): such a figure is never negative.
    The list is the extractor's own, so a unit it reads as a count is refused as a negative one."""
    unit = (unit or "").strip()
    return unit in COUNT_UNITS or (unit.startswith("万") and unit[1:] in COUNT_UNITS)


def _no_drafts(qs, user):
    """Drafts are for the plan's editors and zone-wide readers only."""
    return qs.exclude(status=Plan.Status.DRAFT)


def _no_draft_plans(qs, user):
    return qs.exclude(plan__status=Plan.Status.DRAFT)


class Plan(TimeStampedModel, VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("执行中")
        CLOSED = "closed", _("已关闭")

    class ProgressMode(models.TextChoices):
        DAY = "day", _("按日")
        MONTH = "month", _("按月（上月末）")

    year = models.PositiveIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("标题"), max_length=200)
    source_text = models.TextField(_("计划原文"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Traffic-light rule: localities differ, so it is data (domain.md §2.1).
    progress_mode = models.CharField(
        _("序时进度口径"), max_length=8, choices=ProgressMode.choices, default=ProgressMode.DAY
    )
    yellow_band = models.DecimalField(
        _("黄灯容差（百分点）"), max_digits=5, decimal_places=2, default=Decimal("10"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("落后序时进度不超过该值为黄灯，超过为红灯"),
    )
    green_band = models.DecimalField(
        _("绿灯容差"), max_digits=5, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("落后不超过该值仍为绿灯（默认0：达到序时进度才是绿灯）"),
    )
    gap_basis = models.CharField(
        _("落后幅度口径"), max_length=10, choices=[("points", _("百分点（序时进度−完成率）")),
                                            ("relative", _("相对序时进度的比例（%）"))],
        default="points",
    )
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    # Who approves an adjustment of the active plan's targets: zones differ, so it is data.
    adjustment_approver = models.CharField(
        _("目标调整审批"), max_length=10, default="office",
        choices=[("office", _("督查室审批")), ("leader", _("分管领导审批"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Everyone signed in reads the plans that are not drafts.
    scope = Scope(read_all="plans.read_all", restrict=_no_drafts, needs_unit=False)

    # The light rule and title: what the settings page, the API and plan_update_settings may change.
    WRITABLE_FIELDS = ("title", "progress_mode", "gap_basis", "green_band", "yellow_band", "adjustment_approver")

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(green_band__lte=models.F("yellow_band")), name="plan_bands_ordered",
                violation_error_message=_("绿灯容差不能大于黄灯容差"),
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="active"), name="one_active_plan_per_year",
                violation_error_message=_("同一年度只能有一个执行中的计划"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def status_rule(self) -> status_engine.StatusRule:
        return status_engine.StatusRule(
            mode=self.progress_mode, yellow_band=float(self.yellow_band), green_band=float(self.green_band),
            basis=self.gap_basis,
        )


class Section(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="sections")
    no = models.CharField(_("序号"), max_length=10)
    title = models.CharField(_("标题"), max_length=300)
    order = models.PositiveIntegerField(_("排序"), default=0)
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return f"{self.no}、{self.title}"


class Measure(models.Model):
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.CASCADE, related_name="measures")
    no = models.CharField(_("序号"), max_length=10)
    head = models.CharField(_("举措"), max_length=300)
    order = models.PositiveIntegerField(_("排序"), default=0)
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("举措")
        verbose_name_plural = _("举措")
        ordering = ["section", "order", "id"]

    def __str__(self) -> str:
        return f"{self.no}{self.head}"


STATUS_CHOICES = [(s.value, s.label) for s in status_engine.Status]
STORED_LIGHT = ("status", "status_on", "completion", "schedule", "gap")


class TargetQuerySet(ScopedQuerySet, AliveQuerySet):
    def reportable_by(self, user):
        """Targets on which the user may file progress reports and update ledger items: any
        active one for the reviewers, those led by the units the user reports for otherwise."""
        if not user.is_authenticated:
            return self.none()
        qs = self.alive().filter(plan__status=Plan.Status.ACTIVE)
        if user.can("plans.review_reports"):
            return qs
        return qs.filter(user.units_for("plans.report_progress").q("lead_unit"))


class Target(TimeStampedModel, VersionedModel, SoftDeleteModel):
    class Kind(models.TextChoices):
        QUANTITY = "quantity", _("数量")
        RATIO = "ratio", _("比率")
        MILESTONE = "milestone", _("里程碑")
        LEDGER = "ledger", _("台账")
        QUALITATIVE = "qualitative", _("定性")

    class Comparator(models.TextChoices):
        GTE = ">=", _("不低于")
        GT = ">", _("超过")
        EQ = "=", _("等于")
        LTE = "<=", _("不超过")
        LT = "<", _("低于")
        RANGE = "range", _("区间")
        APPROX = "approx", _("左右")

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="targets")
    section = models.ForeignKey(Section, verbose_name=_("章节"), on_delete=models.PROTECT, related_name="targets")
    measure = models.ForeignKey(
        Measure, verbose_name=_("举措"), null=True, blank=True, on_delete=models.SET_NULL, related_name="targets"
    )
    title = models.CharField(_("目标"), max_length=300)
    indicator = models.CharField(_("指标名称"), max_length=200, blank=True)
    kind = models.CharField(_("指标类型"), max_length=12, choices=Kind.choices, default=Kind.QUANTITY)
    comparator = models.CharField(_("比较方式"), max_length=8, choices=Comparator.choices, blank=True)
    target_value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4, null=True, blank=True)
    target_value_max = models.DecimalField(_("目标上限"), max_digits=18, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    baseline = models.DecimalField(_("基数"), max_digits=18, decimal_places=4, null=True, blank=True)
    milestone = models.CharField(_("节点"), max_length=30, blank=True, help_text=_("如 开工、建成、完成"))
    start_date = models.DateField(_("起始日期"), null=True, blank=True, help_text=_("默认为计划年度1月1日"))
    deadline = models.DateField(_("完成期限"), null=True, blank=True, help_text=_("默认为计划年度12月31日"))
    weight = models.DecimalField(
        _("权重"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    # The score a task list gives the task (（0.5分）): what the plan says, apart from `weight`,
    # which is the target's relative weight inside its assessment group.
    points = models.DecimalField(
        _("分值"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    lead_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="led_targets",
    )
    cooperating_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("配合单位"), blank=True, related_name="assisted_targets"
    )
    # A bound target reads its value from a registered metric (core.metrics) instead of reports.
    metric = models.CharField(_("取数指标"), max_length=80, blank=True)
    metric_params = models.JSONField(_("取数参数"), default=dict, blank=True)
    source_start = models.PositiveIntegerField(_("原文起点"), null=True, blank=True)
    source_end = models.PositiveIntegerField(_("原文终点"), null=True, blank=True)
    # What the imported text said, kept for review: item number, deadline phrase, 持续推进, leader,
    # lead and cooperating unit names as written, and `unmapped`, the names not yet matched to a
    # unit (none or several matched), which the review page offers for mapping.
    as_written = models.JSONField(_("原文所写"), default=dict, blank=True, editable=False)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)
    # An approved adjustment that cancels or splits a target removes it from the lists (deleted_at)
    # and dates the decision here; the parts of a split name the target they came from.
    cancelled_on = models.DateField(_("取消日期"), null=True, blank=True, editable=False)
    adjusted_from = models.ForeignKey(
        "self", verbose_name=_("拆分自"), null=True, blank=True, on_delete=models.PROTECT, related_name="parts",
        editable=False,
    )

    # The light, stored (plans.stored keeps it true; plans.status is its one definition): the status
    # on `status_on` and the figures behind it, so lists filter, sort and count in the database.
    # Written only by plans.stored.refresh, never by a save of the target itself (see save()).
    status = models.CharField(_("今日状态"), max_length=12, choices=STATUS_CHOICES, default="not_started",
                              editable=False)
    status_on = models.DateField(_("状态日期"), null=True, blank=True, editable=False)
    completion = models.FloatField(_("完成率（%）"), null=True, blank=True, editable=False)
    schedule = models.FloatField(_("序时进度（%）"), default=0, editable=False)
    gap = models.FloatField(_("落后序时进度（百分点）"), null=True, blank=True, editable=False)

    objects = TargetQuerySet.as_manager()
    # A unit reads the targets it leads or assists (and those of the units under it), never in drafts.
    scope = Scope(
        read_all="plans.read_all", units=("lead_unit",), assisting=("cooperating_units",), restrict=_no_draft_plans
    )

    # What a person may set on a target: the one list the services, the API and the forms share.
    WRITABLE_FIELDS = (
        "section", "measure", "title", "indicator", "kind", "comparator", "target_value", "target_value_max",
        "unit", "baseline", "milestone", "start_date", "deadline", "weight", "points", "lead_unit",
        "cooperating_units", "metric", "metric_params", "order",
    )
    # Not for people's eyes in the change history: the plan (always this one), the place in the
    # list and the character offsets into the plan text.
    HISTORY_HIDDEN = ("plan", "order", "source_start", "source_end", "as_written", *STORED_LIGHT)

    @staticmethod
    def history_value(key: str, value) -> str | None:
        """A bound metric by its name, its parameters by their labels (the history's wording)."""
        from yuanqu.core.metrics import all_metrics, find_metric

        if key == "metric":
            metric = find_metric(value)
            return str(metric.label) if metric else f"{value}（已停用的指标）"
        if key == "metric_params" and isinstance(value, dict):
            labels = {p.name: p.label for m in all_metrics() for p in m.params}
            return "；".join(f"{labels.get(k, k)}：{v}" for k, v in value.items())
        return None

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "section__order", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value_max__isnull=True) | Q(target_value__lte=models.F("target_value_max")),
                name="target_range_ordered",
                violation_error_message=_("目标上限不能小于目标值"),
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "status"], name="target_plan_status"),
            models.Index(fields=["plan", "status_on"], name="target_plan_status_on"),
        ]

    def save(self, *args, **kwargs):
        # A target held in memory may carry a light older than the stored one: saving it must not
        # write the old light back (plans.stored owns those columns).
        if (not self._state.adding and self.pk is not None and kwargs.get("update_fields") is None
                and not kwargs.get("force_insert")):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields if not f.primary_key
                                       and f.name not in STORED_LIGHT and f.attname not in deferred]
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.title

    @property
    def period_start(self) -> dt.date:
        return self.start_date or self.plan.year_start

    @property
    def period_end(self) -> dt.date:
        return self.deadline or self.plan.year_end

    @property
    def has_value(self) -> bool:
        """Whether a report must carry a figure (else only a percent complete; bound targets read theirs)."""
        return self.kind in {self.Kind.QUANTITY, self.Kind.RATIO} and self.target_value is not None and not self.metric

    @property
    def metric_def(self):
        """The bound metric's definition; None when unbound or when no register offers it any more."""
        from yuanqu.core.metrics import find_metric

        return find_metric(self.metric) if self.metric else None

    @property
    def unmapped_units(self) -> list[str]:
        """Unit names as written that are not matched to a unit yet."""
        return list((self.as_written or {}).get("unmapped", []))

    @property
    def deadline_outside_year(self) -> bool:
        """A deadline the text gave in another year than the plan's: kept, and flagged for review."""
        return self.deadline is not None and self.deadline.year != self.plan.year

    def target_display(self) -> str:
        if self.target_value is None:
            return self.milestone or "—"
        value = _fmt(self.target_value)
        if self.comparator == self.Comparator.RANGE and self.target_value_max is not None:
            return f"{value}–{_fmt(self.target_value_max)}{self.unit}"
        label = dict(self.Comparator.choices).get(self.comparator, "")
        return f"{label}{value}{self.unit}"


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value is not None else ""
    return text


class LedgerItem(TimeStampedModel, VersionedModel, SoftDeleteModel):
    """台账: a named item a target counts (a village sewage work, a party organisation ...)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("未开始")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="ledger_items")
    name = models.CharField(_("名称"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    amount = models.DecimalField(
        _("数量/金额"), max_digits=18, decimal_places=4, null=True, blank=True,
        help_text=_("台账按合计计值时使用"),
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = AliveQuerySet.as_manager()

    WRITABLE_FIELDS = ("name", "unit", "status", "amount", "completed_on", "note", "order")
    HISTORY_HIDDEN = ("target", "order")

    class Meta:
        verbose_name = _("台账事项")
        verbose_name_plural = _("台账事项")
        ordering = ["target", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="ledger_done_has_date",
                violation_error_message=_("已完成的台账事项须填写完成日期"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgressReportQuerySet(ScopedQuerySet):
    def with_is_current(self):
        """Annotate `is_current`: no newer version of the same (target, period) exists."""
        newer = ProgressReport.objects.filter(
            target=models.OuterRef("target"), period=models.OuterRef("period"), version__gt=models.OuterRef("version")
        )
        return self.annotate(is_current=~models.Exists(newer))

    def current(self):
        """The latest version of each (target, period): older versions stay but are superseded."""
        return self.with_is_current().filter(is_current=True)


class ProgressReport(models.Model):
    """A unit's monthly return on a target. Append-only: a correction is a new version."""

    class Review(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已采纳")
        RETURNED = "returned", _("已退回")

    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.PROTECT, related_name="reports")
    period = models.DateField(_("报告月份"), help_text=_("该月第一天"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    value = models.DecimalField(_("完成值"), max_digits=18, decimal_places=4, null=True, blank=True)
    percent = models.DecimalField(
        _("完成进度（%）"), max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    narrative = models.TextField(_("工作进展"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步打算"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    review = models.CharField(_("审核"), max_length=10, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ProgressReportQuerySet.as_manager()
    scope = Scope(via="target")
    # A report's history is shown under its month and version (plans.selectors.target_history).
    HISTORY_HIDDEN = ("target", "period", "version")

    class Meta:
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        ordering = ["-period", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period", "version"], name="report_version_unique",
                violation_error_message=_("该月份的这一版本已存在，请刷新后重试"),
            ),
        ]
        # The navigation's pending-review badge counts on every page (selectors.pending_review_count):
        # the pending reports are found by this index, not by a scan of every report ever filed.
        indexes = [models.Index(fields=["review", "target", "period"], name="report_review_idx")]

    def __str__(self) -> str:
        return f"{self.target} {self.period:%Y-%m} 第{self.version}版"


def adjustment_path(instance, filename: str) -> str:
    return f"adjustments/{instance.plan_id}/{filename}"


class TargetAdjustment(TimeStampedModel, VersionedModel, DecidedRequest):
    """目标调整: a change to an active plan's target (its content, a cancellation, a split), asked
    for with the reason and the decision that supports it, approved before it applies."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("调整目标内容")
        CANCEL = "cancel", _("取消目标")
        SPLIT = "split", _("拆分目标")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不同意")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Basis(models.TextChoices):
        MINUTES = "minutes", _("会议纪要")
        INSTRUCTION = "instruction", _("领导批示")
        DOCUMENT = "document", _("正式文件")
        OTHER = "other", _("其他")

    # What a change may set: the commitment itself, never the plan's structure or its data source.
    CHANGEABLE = ("title", "target_value", "target_value_max", "unit", "deadline", "lead_unit",
                  "cooperating_units", "weight")

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="adjustments")
    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.PROTECT, related_name="adjustments")
    # The target's lead unit when asked: who may read the adjustment, even once the target is gone.
    lead_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("调整类型"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("调整理由"))
    basis = models.CharField(_("依据"), max_length=12, choices=Basis.choices)
    document = models.FileField(_("依据文件"), upload_to=adjustment_path, max_length=200)
    document_name = models.CharField(_("文件名"), max_length=200)
    # The proposal: {field: value} for a change (units by id, dates ISO, numbers as text), and for a
    # split the parts [{title, target_value, unit, deadline, lead_unit}].
    changes = models.JSONField(_("调整内容"), default=dict, blank=True)
    parts = models.JSONField(_("拆分为"), default=list, blank=True)
    # The target's version when asked: approving over a target changed since is refused.
    target_version = models.PositiveIntegerField(_("申请时目标版本"), default=1)
    # The target as it stood when the adjustment applied, for the record.
    before = models.JSONField(_("调整前"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="plans.read_all", units=("lead_unit",))

    class Meta:
        verbose_name = _("目标调整")
        verbose_name_plural = _("目标调整")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=Q(status="pending"), name="one_pending_adjustment_per_target",
                violation_error_message=_("该目标已有待审批的调整申请"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.target}"


class AdjustmentEvent(WorkflowEvent.of(TargetAdjustment, "adjustment", verbose_name=_("目标调整"))):
    class Meta(WorkflowEvent.Meta):
        verbose_name = _("目标调整记录")
        verbose_name_plural = _("目标调整记录")


def attachment_path(instance, filename: str) -> str:
    return f"reports/{instance.report.target_id}/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class MetricSnapshot(models.Model):
    """A bound target's value as read at a month's end, so past statuses stay reproducible."""

    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="snapshots")
    period = models.DateField(_("月份"), help_text=_("该月第一天"))
    as_of = models.DateField(_("取数日期"))
    metric = models.CharField(_("取数指标"), max_length=80)
    params = models.JSONField(_("取数参数"), default=dict)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4, null=True, blank=True)
    taken_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        ordering = ["target", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="one_snapshot_per_target_month"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.period:%Y-%m} = {self.value}"


class TargetMonthStatus(models.Model):
    """A target's light at the end of a month of its plan year that has ended (plans.stored keeps
    it), so the cockpit's trend reads past months instead of re-evaluating them."""

    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="month_statuses")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    status = models.CharField(_("月末状态"), max_length=12, choices=STATUS_CHOICES)
    completion = models.FloatField(_("完成率（%）"), null=True, blank=True)
    schedule = models.FloatField(_("序时进度（%）"), default=0)
    gap = models.FloatField(_("落后序时进度（百分点）"), null=True, blank=True)

    class Meta:
        verbose_name = _("目标月末状态")
        verbose_name_plural = _("目标月末状态")
        ordering = ["target", "month"]
        constraints = [
            models.UniqueConstraint(fields=["target", "month"], name="one_status_per_target_month"),
        ]
        # The cockpit's trend counts a plan's month ends by month and status: with the target in
        # the index the count reads the index alone (half the time at 10,000 targets × 11 months).
        indexes = [models.Index(fields=["month", "status", "target"], name="month_status_target")]

    def __str__(self) -> str:
        return f"{self.target_id} {self.month:%Y-%m} {self.status}"
