"""Year-end assessment (目标管理绩效考核): the scheme an administrator edits per year, the inputs
people enter (bonuses, vetoes, hand scores of common indicators) and the runs computed from a
frozen snapshot of all inputs.

Scoring itself is the pure engine in engine.py; services.py holds every write.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.org.models import OrgUnit

from . import engine


def default_bands() -> list[dict]:
    return [{"name": b.name, "min": int(b.min_score)} for b in engine.DEFAULT_BANDS]


def _active_schemes(qs, user):
    """A unit sees active schemes (to propose bonuses), never drafts."""
    return qs.filter(status=Scheme.Status.ACTIVE)


def _in_active_schemes(qs, user):
    return qs.filter(scheme__status=Scheme.Status.ACTIVE)


def _published_runs(qs, user):
    return qs.filter(status=Run.Status.PUBLISHED)


def _in_published_runs(qs, user):
    return qs.filter(run__status=Run.Status.PUBLISHED)


class Scheme(TimeStampedModel, VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("启用")

    class MilestoneMode(models.TextChoices):
        BINARY = engine.BINARY, _("完成得满分，未完成不得分")
        PERCENT = engine.PERCENT, _("按填报进度比例计分")

    class ProgressBasis(models.TextChoices):
        ANNUAL = engine.ANNUAL, _("对照全年目标")
        SCHEDULE = engine.SCHEDULE, _("对照序时进度")

    class Cancelled(models.TextChoices):
        LEAVE = "leave", _("退出考核（不计分）")
        ZERO = "zero", _("仍计入考核，按0分计")

    year = models.PositiveIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField(_("方案名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    full_marks = models.DecimalField(
        _("满分"), max_digits=6, decimal_places=2, default=Decimal("100"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("1000"))],
    )
    excellent_quota = models.DecimalField(
        _("优秀比例上限（%）"), max_digits=5, decimal_places=2, default=Decimal("20"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("参评单位中评为最高等次的比例上限，按名次向下取整；100 表示不限"),
    )
    bonus_cap = models.DecimalField(
        _("加分上限"), max_digits=6, decimal_places=2, default=Decimal("5"), validators=[MinValueValidator(0)]
    )
    completion_cap = models.DecimalField(
        _("完成率计分上限（%）"), max_digits=6, decimal_places=2, default=Decimal("100"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("1000"))],
        help_text=_("超额完成最多按此比例计分；组得分不超过组权重"),
    )
    completion_floor = models.DecimalField(
        _("完成率计分下限（%）"), max_digits=6, decimal_places=2, null=True, blank=True, default=Decimal("0"),
        help_text=_("留空表示不设下限（低于基数时可为负分）"),
    )
    milestone_mode = models.CharField(
        _("节点/定性目标计分"), max_length=10, choices=MilestoneMode.choices, default=MilestoneMode.BINARY
    )
    progress_basis = models.CharField(
        _("完成率计分口径"), max_length=10, choices=ProgressBasis.choices, default=ProgressBasis.ANNUAL,
        help_text=_("年中测算时，完成率对照全年目标计分，或对照截止日的序时进度计分（按序时进度完成即得满分）；"
                    "年末两者相同"),
    )
    # A target cancelled by an approved 目标调整: zones differ on whether it still counts.
    cancelled_targets = models.CharField(
        _("经调整取消的目标"), max_length=10, choices=Cancelled.choices, default=Cancelled.LEAVE,
    )
    report_grace_days = models.PositiveSmallIntegerField(
        _("月报宽限天数"), default=10, validators=[MaxValueValidator(60)],
        help_text=_("每月进度应于次月该天数内报送，逾期按迟报或漏报扣分"),
    )
    grade_bands = models.JSONField(
        _("等次分档"), default=default_bands,
        help_text=_("由高到低，如 [{\"name\": \"优秀\", \"min\": 90}, …]；低于最低分数线的为最后一档"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="assessment.read_all", restrict=_active_schemes)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="active"), name="one_active_scheme_per_year",
                violation_error_message=_("同一年度只能有一个启用的考核方案"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def bands(self) -> tuple[engine.Band, ...]:
        return tuple(engine.Band(b["name"], engine.dec(b["min"])) for b in self.grade_bands or [])


class SchemeGroup(models.Model):
    class Kind(models.TextChoices):
        COMMON = engine.COMMON, _("共性")
        SPECIFIC = engine.SPECIFIC, _("个性")

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("组名"), max_length=50)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.SPECIFIC)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    order = models.PositiveIntegerField(_("排序"), default=0)
    # Targets scored in this group for their lead unit. Targets no group lists fall into the
    # scheme's first 个性 group with weight.
    targets = models.ManyToManyField(
        "plans.Target", verbose_name=_("目标"), blank=True, related_name="assessment_groups"
    )

    class Meta:
        verbose_name = _("考核组")
        verbose_name_plural = _("考核组")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="scheme_group_name_unique",
                                    violation_error_message=_("同一方案中组名不能重复")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}，权重{engine.fmt(self.weight)}）"


class DeductionRule(models.Model):
    class Kind(models.TextChoices):
        OVERDUE_TARGET = engine.OVERDUE_TARGET, _("目标逾期未完成")
        RETURNED_REPORT = engine.RETURNED_REPORT, _("进度报告被退回")
        MISSING_REPORT = engine.MISSING_REPORT, _("月报迟报或漏报")
        URGE = engine.URGE, _("督办事项被催办")
        OVERDUE_SUPERVISION = engine.OVERDUE_SUPERVISION, _("督办事项逾期未办结")

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("扣分事项"), max_length=24, choices=Kind.choices)
    points = models.DecimalField(_("每次扣分"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    cap = models.DecimalField(
        _("扣分上限"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("留空表示不设上限"),
    )

    class Meta:
        verbose_name = _("扣分规则")
        verbose_name_plural = _("扣分规则")
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="deduction_rule_once_per_kind",
                                    violation_error_message=_("同一扣分事项只能设置一条规则")),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class CommonScore(TimeStampedModel):
    """A common indicator (共性指标, e.g. 12345 热线办理) scored by hand, out of 100, for one unit."""

    group = models.ForeignKey(
        SchemeGroup, verbose_name=_("考核组"), on_delete=models.CASCADE, related_name="common_scores"
    )
    unit = models.ForeignKey(OrgUnit, verbose_name=_("被考核单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("指标名称"), max_length=100)
    score = models.DecimalField(
        _("得分（百分制）"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.DecimalField(
        _("组内权重"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("评分说明"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评分人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("共性指标评分")
        verbose_name_plural = _("共性指标评分")
        ordering = ["group", "unit__order", "unit_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "unit", "name"], name="common_score_once",
                                    violation_error_message=_("该单位的这一共性指标已评分")),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.name} {engine.fmt(self.score)}"


def bonus_evidence_path(instance, filename: str) -> str:
    return f"assessment/{instance.scheme_id}/bonus/{filename}"


class BonusItem(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REFUSED = "refused", _("未通过")

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="bonuses")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(
        _("加分"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reason = models.CharField(_("加分事由"), max_length=200)
    evidence = models.TextField(_("佐证材料说明"))
    file = models.FileField(_("佐证附件"), upload_to=bonus_evidence_path, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申报人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="assessment.read_all", units=("unit",), restrict=_in_active_schemes)

    class Meta:
        verbose_name = _("加分项")
        verbose_name_plural = _("加分项")
        ordering = ["scheme", "status", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} +{engine.fmt(self.points)} {self.reason}"


class Veto(TimeStampedModel):
    class Effect(models.TextChoices):
        FAIL = engine.VETO_FAIL, _("一票否决（定为最低等次）")
        NO_EXCELLENT = engine.VETO_NO_EXCELLENT, _("不得评为优秀")

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="vetoes")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("否决事由"))
    effect = models.CharField(_("效果"), max_length=16, choices=Effect.choices, default=Effect.FAIL)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认定人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("一票否决")
        verbose_name_plural = _("一票否决")
        ordering = ["scheme", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit}：{self.reason[:40]}"


class Run(models.Model):
    """One computation of a scheme, from a frozen snapshot of every input the engine used."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("已测算")
        SIGNED_OFF = "signed_off", _("已定档")
        PUBLISHED = "published", _("已公示")

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField(_("版次"))
    on = models.DateField(_("考核截止日"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.COMPUTED)
    snapshot = models.JSONField(_("输入快照"))
    unit_count = models.PositiveIntegerField(_("参评单位数"), default=0)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("测算人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("测算时间"), auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("定档人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("定档时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("公示人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    # Units see a run once it is published.
    scope = Scope(read_all="assessment.read_all", restrict=_published_runs)

    class Meta:
        verbose_name = _("考核测算")
        verbose_name_plural = _("考核测算")
        ordering = ["-scheme__year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="run_number_unique",
                                    violation_error_message=_("该版次已存在，请刷新后重试")),
            models.UniqueConstraint(fields=["scheme"], condition=Q(status="published"), name="one_published_run",
                                    violation_error_message=_("该方案已有公示的考核结果")),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} 第{self.number}版（截至{self.on:%Y-%m-%d}）"


class RunResult(models.Model):
    run = models.ForeignKey(Run, verbose_name=_("考核测算"), on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("单位名称"), max_length=100, help_text=_("测算时的名称"))
    rank = models.PositiveIntegerField(_("名次"))
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2)
    indicator = models.DecimalField(_("指标得分"), max_digits=8, decimal_places=2)
    bonus = models.DecimalField(_("加分"), max_digits=8, decimal_places=2)
    deduction = models.DecimalField(_("扣分"), max_digits=8, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=20)
    grade_level = models.PositiveSmallIntegerField(_("等次序号"), default=0, help_text=_("0 为最高等次"))
    vetoed = models.BooleanField(_("一票否决"), default=False)
    flags = models.JSONField(_("标记"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()
    # Units see their own results (and those of the units under them) once published.
    scope = Scope(read_all="assessment.read_all", units=("unit",), restrict=_in_published_runs)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["run", "rank", "unit_name"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="run_result_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.total} {self.grade}"

    def flag_labels(self) -> list[str]:
        return [engine.FLAG_LABELS.get(f, f) for f in dict.fromkeys(self.flags or [])]


class RunLine(models.Model):
    result = models.ForeignKey(RunResult, verbose_name=_("考核结果"), on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveIntegerField(_("序号"))
    group = models.CharField(_("组"), max_length=50)
    kind = models.CharField(_("类型"), max_length=16)
    description = models.CharField(_("事项"), max_length=300)
    raw = models.CharField(_("原始值"), max_length=100, blank=True)
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    explanation = models.TextField(_("说明"))

    class Meta:
        verbose_name = _("得分明细")
        verbose_name_plural = _("得分明细")
        ordering = ["result", "order"]

    def __str__(self) -> str:
        return f"{self.description} {self.points}"
