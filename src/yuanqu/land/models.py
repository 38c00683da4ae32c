"""土地: parcels (地块), 低效用地 revitalisation records and the yearly 新增建设用地 quota.

A parcel belongs to the unit that manages it (`unit`, the 自然资源/规划 unit in practice): its
reporters keep it, leaders and the 督查室 read all. Revitalisation records follow their parcel's scope.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import ListedItem, TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.org.models import OrgUnit


class LandUse(ListedItem):
    """规划用途 (seeded with the common classes)."""

    class Meta(ListedItem.Meta):
        verbose_name = _("规划用途")
        verbose_name_plural = _("规划用途")


class ParcelStatus(models.TextChoices):
    RESERVE = "reserve", _("储备")
    PENDING = "pending", _("待供")
    SUPPLIED = "supplied", _("已供")
    BUILDING = "building", _("在建")
    BUILT = "built", _("建成")
    IDLE = "idle", _("闲置")
    INEFFICIENT = "inefficient", _("低效")


# The park map's colours by status (the legend and the polygons share them).
STATUS_COLOURS = {
    ParcelStatus.RESERVE: "#9aa5b1",
    ParcelStatus.PENDING: "#4c9be8",
    ParcelStatus.SUPPLIED: "#2f6fb3",
    ParcelStatus.BUILDING: "#e8a33d",
    ParcelStatus.BUILT: "#3c9a5f",
    ParcelStatus.IDLE: "#c0504d",
    ParcelStatus.INEFFICIENT: "#8e5ea2",
}


class Parcel(TimeStampedModel, VersionedModel):
    Status = ParcelStatus

    code = models.CharField(_("地块编号"), max_length=40, unique=True,
                            error_messages={"unique": _("该地块编号已存在")})
    name = models.CharField(_("地块名称"), max_length=100)
    location = models.CharField(_("位置"), max_length=200, blank=True)
    area_mu = models.DecimalField(_("面积（亩）"), max_digits=12, decimal_places=2)
    # What was written ("8000平方米"): area_mu is computed from it, so the source stays visible.
    area_text = models.CharField(_("面积（原文）"), max_length=40)
    planned_use = models.ForeignKey(LandUse, verbose_name=_("规划用途"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=ParcelStatus.choices, default=ParcelStatus.RESERVE)
    holder = models.CharField(_("土地使用权人"), max_length=200, blank=True)  # an enterprise link comes with issue 12
    supply_date = models.DateField(_("供地日期"), null=True, blank=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("主管单位"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("备注"), blank=True)
    geometry = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="land.read_all", units=("unit",))

    WRITABLE_FIELDS = ("code", "name", "location", "area_text", "planned_use", "status", "holder",
                       "supply_date", "unit", "note")

    class Meta:
        verbose_name = _("地块")
        verbose_name_plural = _("地块")
        ordering = ["code"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def area_written_otherwise(self) -> bool:
        """Written in another unit than 亩 (the page then shows the original text beside the 亩)."""
        return not re.fullmatch(r"[\d.,，\s]+亩?", self.area_text or "")


class RevitalisationMethod(models.TextChoices):
    CLEAR = "clear", _("腾地拆迁")
    MERGE = "merge", _("并购重组")
    UPGRADE = "upgrade", _("提升改造")
    BUYBACK = "buyback", _("回购收储")


class Revitalisation(TimeStampedModel, VersionedModel):
    """低效用地盘活: one effort on one parcel; its area counts once it is done (completed_on)."""

    Method = RevitalisationMethod

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        IN_PROGRESS = "in_progress", _("实施中")
        DONE = "done", _("已完成")

    parcel = models.ForeignKey(Parcel, verbose_name=_("地块"), on_delete=models.CASCADE, related_name="revitalisations")
    cause = models.CharField(_("低效原因"), max_length=200)
    method = models.CharField(_("盘活方式"), max_length=10, choices=RevitalisationMethod.choices)
    planned_date = models.DateField(_("计划完成日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    area_mu = models.DecimalField(_("盘活面积（亩）"), max_digits=12, decimal_places=2)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="parcel")

    WRITABLE_FIELDS = ("cause", "method", "planned_date", "status", "area_mu", "completed_on")

    class Meta:
        verbose_name = _("低效用地盘活")
        verbose_name_plural = _("低效用地盘活")
        ordering = ["planned_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(completed_on__isnull=False),
                name="land_revitalisation_done_has_date",
                violation_error_message=_("已完成的盘活须填写完成日期"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parcel.code} {self.get_method_display()}"


def _quota_restrict(qs, user):
    # Zone-wide figures: besides whoever reads all, only the people who keep land records see them.
    return qs if user.can("land.edit") else qs.none()


class LandQuota(TimeStampedModel, VersionedModel):
    """新增建设用地指标: asked for and granted, by year."""

    year = models.PositiveIntegerField(_("年度"), unique=True, error_messages={"unique": _("该年度的用地指标已登记")})
    requested_mu = models.DecimalField(_("申请指标（亩）"), max_digits=12, decimal_places=2)
    granted_mu = models.DecimalField(_("下达指标（亩）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="land.read_all", restrict=_quota_restrict)

    WRITABLE_FIELDS = ("year", "requested_mu", "granted_mu", "note")

    class Meta:
        verbose_name = _("新增建设用地指标")
        verbose_name_plural = _("新增建设用地指标")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年新增建设用地指标"
