"""乡村指标: rates computed from counts the villages and communities enter.

An indicator (`IndicatorDefinition`) is owned by a unit (农业农村局, 社会事业局) and counted per
village or community and period. What it means — the formula over named variables, the unit, the
caliber (口径) — lives in numbered `IndicatorVersion`s: changing the caliber adds a version, never
edits one, and each count records the version it was entered under, so an old value keeps the
caliber that explains it. Counts are append-only too: a correction is revision N+1 of the same
village-period, the earlier revisions stay as the history. Rates are never stored: they are
computed from the counts (see compute.py), and rolled up by summing the variables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.org.models import OrgUnit

from . import periods

# The unit kinds that enter counts (a 片区 and the zone are roll-ups of them).
COUNTING_KINDS = (OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY)


class PeriodKind(models.TextChoices):
    YEAR = periods.YEAR, _("年度")
    QUARTER = periods.QUARTER, _("季度")
    MONTH = periods.MONTH, _("月度")


class Level(models.TextChoices):
    """The highest level the indicator is published at (it is always counted per village)."""

    ZONE = "zone", _("园区")
    AREA = "area", _("片区")
    VILLAGE = "village", _("村/社区")


class Formula(models.TextChoices):
    RATIO = "ratio", _("分子÷分母")
    SUM = "sum", _("各项之和")


def _definitions_restrict(qs, user):
    # The owner unit's people read its indicators; a village (or 片区) that enters counts reads them all.
    if _enters_for_villages(user):
        return qs
    return qs.filter(user.units_for("indicators.define").q("owner_unit"))


def _enters_for_villages(user) -> bool:
    units = user.units_for("indicators.enter")
    if units.everything:
        return True
    cache = user.__dict__.setdefault("_indicator_villages", {})
    if "any" not in cache:
        cache["any"] = units.units().filter(kind__in=COUNTING_KINDS).exists() if units else False
    return cache["any"]


class IndicatorDefinition(TimeStampedModel, VersionedModel):
    code = models.CharField(_("指标代码"), max_length=40, unique=True,
                            error_messages={"unique": _("该指标代码已存在")})
    name = models.CharField(_("指标名称"), max_length=100)
    owner_unit = models.ForeignKey(OrgUnit, verbose_name=_("数据主管单位"), on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField(_("统计周期"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    level = models.CharField(_("发布层级"), max_length=8, choices=Level.choices, default=Level.ZONE)
    order = models.PositiveIntegerField(_("排序"), default=0)
    current_version = models.ForeignKey("IndicatorVersion", verbose_name=_("现行口径"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+", editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="indicators.read_all", restrict=_definitions_restrict)

    WRITABLE_FIELDS = ("code", "name", "owner_unit", "period_kind", "level", "order")

    class Meta:
        verbose_name = _("乡村指标")
        verbose_name_plural = _("乡村指标")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class IndicatorVersion(models.Model):
    """One caliber of an indicator: written once, never edited (a change is the next number)."""

    definition = models.ForeignKey(IndicatorDefinition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("口径版本"))
    unit = models.CharField(_("计量单位"), max_length=20)
    caliber = models.TextField(_("统计口径"))
    formula = models.CharField(_("计算方式"), max_length=8, choices=Formula.choices)
    # Variable names in order: for a ratio [numerator, denominator]; for a sum its terms.
    variables = models.JSONField(_("变量"))
    multiplier = models.DecimalField(_("乘数"), max_digits=8, decimal_places=2, default=1,
                                     help_text=_("比率乘以该数，百分比填 100"))
    forbid_over = models.BooleanField(_("分子不得大于分母"), default=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    valid_from = models.CharField(_("起用期间"), max_length=10, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修订人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("修订时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指标口径版本")
        verbose_name_plural = _("指标口径版本")
        ordering = ["definition", "number"]
        constraints = [models.UniqueConstraint(fields=["definition", "number"], name="indicators_version_number")]

    def __str__(self) -> str:
        return f"{self.definition} 口径第{self.number}版"

    @property
    def formula_text(self) -> str:
        if self.formula == Formula.RATIO:
            times = f" × {self.multiplier.normalize():f}" if self.multiplier != 1 else ""
            return f"{self.variables[0]} ÷ {self.variables[1]}{times}"
        return " + ".join(self.variables)


class IndicatorCount(models.Model):
    """The raw counts of one village or community for one period, as entered (one revision).

    `values` holds the variables of `definition_version` in order, as decimal strings."""

    definition = models.ForeignKey(IndicatorDefinition, verbose_name=_("指标"), on_delete=models.PROTECT,
                                   related_name="counts")
    definition_version = models.ForeignKey(IndicatorVersion, verbose_name=_("口径版本"), on_delete=models.PROTECT,
                                           related_name="counts")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("村/社区"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("期间"), max_length=10)
    values = models.JSONField(_("基数"))
    revision = models.PositiveIntegerField(_("填报版本"), default=1)
    is_current = models.BooleanField(_("现行"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="indicators.read_all", units=("unit", "definition__owner_unit"))

    class Meta:
        verbose_name = _("指标基数")
        verbose_name_plural = _("指标基数")
        ordering = ["definition", "unit", "period", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "unit", "period", "revision"],
                                    name="indicators_count_revision"),
            models.UniqueConstraint(fields=["definition", "unit", "period"], condition=Q(is_current=True),
                                    name="indicators_count_one_current"),
        ]
        indexes = [models.Index(fields=["definition", "period", "is_current"])]

    def __str__(self) -> str:
        return f"{self.definition} {self.unit} {periods.period_label(self.period)}"

    @property
    def named_values(self) -> list[tuple[str, str]]:
        return list(zip(self.definition_version.variables, self.values, strict=False))
