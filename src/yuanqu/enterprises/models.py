"""企业: the enterprise register other registers point at (chain nodes, land, the 亩均 evaluation).

An enterprise is read by leaders, the 督查室 and the 经发局 (who keeps it), and by the reporters of
its 挂钩 unit (双挂钩: one leader and one unit paired with it). Yearly figures are append-only
versions: a later upload of the same enterprise-year-indicator is a new row, the current value is
the highest version. Industries (GB/T 4754-2017), tags, figure sources, indicators and growth
steps are data the administrator keeps in the admin site.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core import clock
from yuanqu.core.models import ListedItem, TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.org.models import OrgUnit

from .credit_code import credit_code_problem


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="credit_code")


class IndustrySection(models.Model):
    """GB/T 4754-2017 门类 (A–T)."""

    code = models.CharField(_("门类代码"), max_length=1, unique=True)
    name = models.CharField(_("门类名称"), max_length=60)

    class Meta:
        verbose_name = _("行业门类")
        verbose_name_plural = _("行业门类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndustryDivision(models.Model):
    """GB/T 4754-2017 大类 (01–97), the industry an enterprise is filed under."""

    code = models.CharField(_("大类代码"), max_length=2, unique=True)
    name = models.CharField(_("大类名称"), max_length=60)
    section = models.ForeignKey(IndustrySection, verbose_name=_("门类"), on_delete=models.PROTECT,
                                related_name="divisions")

    class Meta:
        verbose_name = _("行业大类")
        verbose_name_plural = _("行业大类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EnterpriseTag(ListedItem):
    """上市梯队·辅导, 专精特新“小巨人”, 高新技术企业 …"""

    group = models.CharField(_("分组"), max_length=20, blank=True)

    class Meta(ListedItem.Meta):
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")


class FigureSource(ListedItem):
    """Where a yearly figure came from (税务, 统计, 电力 …)."""

    class Meta(ListedItem.Meta):
        verbose_name = _("数据来源")
        verbose_name_plural = _("数据来源")


class Indicator(models.Model):
    """A yearly figure's indicator: one column of the figures template."""

    key = models.SlugField(_("代码"), max_length=30, unique=True,
                           help_text=_("英文代码，公式和接口用它引用该指标，登记后不要修改"))
    name = models.CharField(_("名称"), max_length=30, unique=True)
    unit = models.CharField(_("单位"), max_length=20)
    allow_negative = models.BooleanField(_("可为负数"), default=False)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("企业指标")
        verbose_name_plural = _("企业指标")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Scale(models.TextChoices):
    ABOVE = "above", _("规上")
    BELOW = "below", _("规下")


class Enterprise(TimeStampedModel, VersionedModel):
    Scale = Scale

    name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    production_on = models.DateField(_("投产日期"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    industry = models.ForeignKey(IndustryDivision, verbose_name=_("行业（大类）"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    # 规上 from the day the statistics office admitted it (纳入规上); blank = 规下. One field, so the
    # flag and the year it became 规上 (小升规) cannot disagree.
    above_scale_since = models.DateField(_("纳入规上日期"), null=True, blank=True)
    land_mu = models.DecimalField(_("用地面积（亩）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(0)])
    parcels = models.ManyToManyField("land.Parcel", verbose_name=_("地块"), blank=True, related_name="enterprises")
    liaison_leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("挂钩领导"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    liaison_unit = models.ForeignKey(OrgUnit, verbose_name=_("挂钩单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    tags = models.ManyToManyField(EnterpriseTag, verbose_name=_("标签"), through="EnterpriseTagging", blank=True,
                                  related_name="enterprises")
    note = models.TextField(_("备注"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Leaders, the 督查室 and the 经发局 read all; the 挂钩 unit's members read their enterprises.
    scope = Scope(read_all="enterprises.read", units=("liaison_unit",))
    WRITABLE_FIELDS = ("name", "credit_code", "registered_on", "production_on", "address", "industry",
                       "above_scale_since", "land_mu", "parcels", "liaison_leader", "liaison_unit", "tags", "note")

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> str:
        return Scale.ABOVE if self.above_scale_since else Scale.BELOW

    def get_scale_display(self) -> str:
        return str(Scale(self.scale).label)


class EnterpriseTagging(models.Model):
    """A tag held from a date (认定日期), so a count of 小巨人 on a past date is what it was then."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(EnterpriseTag, on_delete=models.PROTECT, related_name="taggings")
    since = models.DateField(_("认定日期"), default=clock.today)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        constraints = [models.UniqueConstraint(fields=["enterprise", "tag"], name="enterprise_tag_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}·{self.tag_id}"


class EnterpriseFigure(models.Model):
    """One version of one yearly figure. Never updated: a later upload is version + 1 with its
    source; the current value is the highest version; an import's revert deletes its versions."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="figures")
    year = models.PositiveIntegerField(_("年度"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    source = models.ForeignKey(FigureSource, verbose_name=_("来源"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    batch = models.UUIDField(_("导入批次"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Not auto_now_add: the demo dates its versions when the offices would have sent them.
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="enterprise")

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        ordering = ["enterprise", "year", "indicator__order", "version"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year", "indicator", "version"],
                                               name="enterprise_figure_version_unique")]
        indexes = [models.Index(fields=["year", "indicator"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年{self.indicator.name} 第{self.version}版"


class TierStep(models.Model):
    """A growth step. 上台阶 steps (`threshold`) are reached when the year's current value of the
    indicator is at least the threshold; 小升规 (`above_scale`) when the enterprise was admitted
    to 规上 that year (its threshold marks candidates only). Candidates are within
    `candidate_share` of the next threshold."""

    class Ladder(models.TextChoices):
        STEP = "step", _("上台阶")
        SCALE = "scale", _("上规模")

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("指标达到门槛")
        ABOVE_SCALE = "above_scale", _("纳入规上")

    ladder = models.CharField(_("梯队"), max_length=8, choices=Ladder.choices)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    kind = models.CharField(_("判定方式"), max_length=12, choices=Kind.choices)
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    threshold = models.DecimalField(_("门槛"), max_digits=18, decimal_places=4, validators=[MinValueValidator(0)],
                                    help_text=_("按指标的单位，如主营业务收入 10000 万元 = 1 亿元"))
    rank = models.PositiveIntegerField(_("级次"), help_text=_("同一梯队内由低到高"))
    candidate_share = models.DecimalField(_("后备门槛比例"), max_digits=4, decimal_places=2, default=0.8,
                                          validators=[MinValueValidator(0), MaxValueValidator(1)],
                                          help_text=_("达到门槛的这一比例（如 0.80）即列为后备企业"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("成长梯队")
        verbose_name_plural = _("成长梯队")
        ordering = ["ladder", "rank"]
        constraints = [models.UniqueConstraint(fields=["ladder", "rank"], name="tier_step_rank_unique")]

    def __str__(self) -> str:
        return f"{self.get_ladder_display()}·{self.name}"


# ---------------------------------------------------------------- 亩均效益 evaluation


class MujunScheme(TimeStampedModel, VersionedModel):
    """A year's 亩均效益 scheme for one jurisdiction: the engine's scheme as JSON (validated by
    `mujun.Scheme`; year, jurisdiction and name are copied from it) and which register indicator
    feeds each of its figures. Edits are versions with history; a run freezes the scheme it used."""

    year = models.PositiveIntegerField(_("年度"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    jurisdiction = models.CharField(_("地区"), max_length=60, blank=True)
    name = models.CharField(_("方案名称"), max_length=120)
    definition = models.JSONField(_("方案内容"))
    # scheme figure key → register indicator key (Indicator.key); a figure not named here is the
    # indicator of the same name or key.
    sources = models.JSONField(_("数据项对应的企业指标"), default=dict, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="enterprises.read")
    WRITABLE_FIELDS = ("year", "jurisdiction", "name", "definition", "sources")

    class Meta:
        verbose_name = _("亩均评价方案")
        verbose_name_plural = _("亩均评价方案")
        ordering = ["-year", "jurisdiction", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "jurisdiction", "name"], name="mujun_scheme_unique")]

    def __str__(self) -> str:
        return self.name

    def parsed(self):
        from .mujun import Scheme

        return Scheme.from_dict(self.definition)


class MujunRun(TimeStampedModel, VersionedModel):
    """One evaluation of a scheme: the inputs frozen when it ran (so it can be explained and
    checked later whatever the register says since), rerun-able while a draft; a supervisor or
    leader signs it off, the 经发局 publishes it, and a published run never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SIGNED = "signed", _("已签核")
        PUBLISHED = "published", _("已发布")

    scheme = models.ForeignKey(MujunScheme, verbose_name=_("评价方案"), on_delete=models.PROTECT, related_name="runs")
    year = models.PositiveIntegerField(_("评价年度"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    scheme_version = models.PositiveIntegerField(_("方案版本"))
    frozen_scheme = models.JSONField(_("所用方案"))
    # {column: [value per enterprise]}: the engine's table, "id" = enterprise ids.
    snapshot = models.JSONField(_("输入快照"))
    counts = models.JSONField(_("各类企业数"), default=dict)
    previous = models.ForeignKey("self", verbose_name=_("对比的上次发布评价"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签核人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(_("签核时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="enterprises.read")

    class Meta:
        verbose_name = _("亩均评价")
        verbose_name_plural = _("亩均评价")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.scheme.name}（{self.year}年，第{self.pk}次）"

    @property
    def class_keys(self) -> list[str]:
        """The scheme's classes in order, then the excluded class (T)."""
        scheme = self.frozen_scheme
        return [c["key"] for c in scheme["classification"]["classes"]] + [scheme["excluded_class"]["key"]]

    def class_labels(self) -> dict[str, str]:
        scheme = self.frozen_scheme
        labels = {c["key"]: c["label"] for c in scheme["classification"]["classes"]}
        labels[scheme["excluded_class"]["key"]] = scheme["excluded_class"]["label"]
        return labels

    def pools(self) -> list[tuple[str, str]]:
        return [(p["key"], p["label"]) for p in self.frozen_scheme["pools"]]


class MujunResult(models.Model):
    """One enterprise's outcome in a run, with its explanation as the engine gave it."""

    run = models.ForeignKey(MujunRun, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="results")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="mujun_results")
    status = models.CharField(_("评价情况"), max_length=10)  # scored | excluded | vetoed (the engine's)
    pool = models.CharField(_("评价组"), max_length=40, blank=True)
    total = models.DecimalField(_("综合得分"), max_digits=14, decimal_places=4, null=True, blank=True)
    class_key = models.CharField(_("类别"), max_length=10)
    class_label = models.CharField(_("类别名称"), max_length=40)
    place = models.PositiveIntegerField(_("组内名次"), null=True, blank=True)
    reason = models.CharField(_("不参评或否决原因"), max_length=200, blank=True)
    lines = models.JSONField(_("逐项说明"), default=list)  # the engine's Line fields, one per indicator
    adjustments = models.JSONField(_("加减分"), default=list)  # the engine's AdjustmentLine fields
    explanation = models.JSONField(_("说明文字"), default=list)
    previous_class = models.CharField(_("上次发布类别"), max_length=10, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="enterprise")

    class Meta:
        verbose_name = _("亩均评价结果")
        verbose_name_plural = _("亩均评价结果")
        ordering = ["run", "class_key", "-total", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="mujun_result_unique")]
        indexes = [models.Index(fields=["run", "class_key"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.class_key}"


class MujunPolicy(models.Model):
    """A differentiated policy that follows a class (电价、水价、用地、排污权、信贷、评优), kept as data."""

    class Kind(models.TextChoices):
        POWER = "power", _("电价")
        WATER = "water", _("水价")
        LAND = "land", _("用地")
        EMISSIONS = "emissions", _("排污权")
        CREDIT = "credit", _("信贷")
        HONOURS = "honours", _("评优")

    class_key = models.CharField(_("类别"), max_length=10, help_text=_("评价方案中的类别代码，如 A、D"))
    kind = models.CharField(_("政策类型"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("政策内容"))
    office = models.CharField(_("执行部门"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    class Meta:
        verbose_name = _("差别化政策")
        verbose_name_plural = _("差别化政策")
        ordering = ["class_key", "order", "id"]

    def __str__(self) -> str:
        return f"{self.class_key}类·{self.get_kind_display()}"


def adjustment_evidence_path(instance, filename: str) -> str:
    return f"enterprises/mujun/{instance.scheme_id}/evidence/{filename}"


class MujunAdjustment(models.Model):
    """One application of a scheme's bonus or deduction item (高新技术企业 +N, 安全事故 −N) to an
    enterprise, with its evidence: a reference (文号、处罚决定书编号 …) or an attached file, or both.
    A run sums the counts per item into the engine's column and freezes the evidence into each
    result, so a run's explanation keeps what it was scored on whatever happens to the entry."""

    scheme = models.ForeignKey(MujunScheme, verbose_name=_("评价方案"), on_delete=models.CASCADE,
                               related_name="adjustment_entries")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="mujun_adjustments")
    item = models.CharField(_("加减分项"), max_length=60)  # the scheme's Adjustment.key
    count = models.DecimalField(_("次数"), max_digits=8, decimal_places=2, default=1,
                                validators=[MinValueValidator(0)])
    reference = models.CharField(_("依据（文号或说明）"), max_length=200, blank=True)
    file = models.FileField(_("佐证附件"), upload_to=adjustment_evidence_path, max_length=300, blank=True)
    file_name = models.CharField(_("附件名"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="enterprise")
    FIELDS = ("scheme", "enterprise", "item", "count", "reference", "file_name")

    class Meta:
        verbose_name = _("亩均加减分记录")
        verbose_name_plural = _("亩均加减分记录")
        ordering = ["scheme", "enterprise__name", "item", "id"]
        indexes = [models.Index(fields=["scheme", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id}·{self.item}×{self.count.normalize()}"

    def evidence(self) -> dict:
        """What a run freezes of this entry (the result page lists it under the item)."""
        return {"id": self.pk, "count": float(self.count), "reference": self.reference, "file": self.file_name}
