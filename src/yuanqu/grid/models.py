"""全要素网格: the grid registry (片区 → 村/社区 → 网格) and the events grid workers report.

A 网格 hangs under a village or community (an `OrgUnit` of kind 村/社区, itself under its 片区).
An event is reported in a grid, accepted (or refused with a reason) by the command centre,
dispatched to a unit (with co-units) by the routing rules or by hand, signed for, handled,
answered, verified on site (back to handling when it fails), closed and evaluated.

Its time limits (SLA) are set per category and severity in hours, working days or calendar days,
copied onto the event when it is dispatched (a later edit of the rule does not move a promise) and
stored as moments: `sign_due_at` for 签收 and `due_at` for 反馈. On time means answered (反馈) by
`due_at`; an event not yet answered past it is overdue too. A feedback the verification refuses
is cleared, so the clock runs on until the unit answers again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.attachments import Attachment
from yuanqu.core.models import TimeStampedModel, VersionedModel, raised_to_supervision
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.trees import save_with_path
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.org.models import OrgUnit

GRID_UNIT_KINDS = (OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COMMUNITY)


def worked_grids(user):
    """The grids the user works as 网格长 or 网格员 (a subquery)."""
    return Grid.objects.filter(Q(leader=user) | Q(pk__in=Grid.workers.through.objects.filter(
        user=user).values("grid"))).values("pk")


# ---------------------------------------------------------------- the registry


class GridKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合网格")
    DEDICATED = "dedicated", _("专属网格")
    BASIC = "basic", _("基础网格")


class Grid(TimeStampedModel, VersionedModel):
    code = models.CharField(_("网格编码"), max_length=30, unique=True, error_messages={"unique": _("该网格编码已存在")})
    name = models.CharField(_("网格名称"), max_length=60)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("所属村/社区"), on_delete=models.PROTECT, related_name="grids")
    kind = models.CharField(_("网格类型"), max_length=16, choices=GridKind.choices, default=GridKind.COMPREHENSIVE)
    polygon = models.JSONField(_("网格边界"), null=True, blank=True,
                               help_text=_("GeoJSON 面（Polygon 或 MultiPolygon，WGS84 经纬度），可不填"))
    households = models.PositiveIntegerField(_("户数"), default=0, validators=[MaxValueValidator(1_000_000)])
    population = models.PositiveIntegerField(_("人口"), default=0, validators=[MaxValueValidator(10_000_000)])
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("网格长"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("网格员"), blank=True,
                                     related_name="grids_worked")
    is_active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The village's (and its 片区's) people read its grids; a grid worker holds their role for it.
    scope = Scope(read_all="grid.read_all", units=("unit",))

    WRITABLE_FIELDS = ("code", "name", "unit", "kind", "polygon", "households", "population", "leader", "workers",
                       "is_active")

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["unit__path", "code"]

    def __str__(self) -> str:
        return self.name


class GridObject(TimeStampedModel):
    """A key place (重点场所) or enterprise attached to a grid."""

    class Kind(models.TextChoices):
        PLACE = "place", _("重点场所")
        ENTERPRISE = "enterprise", _("企业")

    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.CASCADE, related_name="objects_in")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.PLACE)
    name = models.CharField(_("名称"), max_length=200)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("企业名录中的企业"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    WRITABLE_FIELDS = ("grid", "kind", "name", "enterprise", "address", "note")

    class Meta:
        verbose_name = _("网格内重点场所和企业")
        verbose_name_plural = _("网格内重点场所和企业")
        ordering = ["grid", "kind", "name"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- what events are


class EventCategory(TimeStampedModel, VersionedModel):
    """The category tree (社会治安 → 矛盾纠纷 …), seeded and edited as data. A category on the
    negative list (负面清单) may not be handed to the grid's own village or community to handle."""

    code = models.CharField(_("代码"), max_length=30, unique=True, error_messages={"unique": _("该代码已存在")})
    name = models.CharField(_("类别"), max_length=60)
    parent = models.ForeignKey("self", verbose_name=_("上级类别"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    order = models.PositiveIntegerField(_("排序"), default=0)
    negative_list = models.BooleanField(_("列入负面清单"), default=False,
                                        help_text=_("不得交由村/社区网格员办理的事项"))
    negative_basis = models.CharField(_("负面清单依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")

    WRITABLE_FIELDS = ("code", "name", "parent", "order", "negative_list", "negative_basis", "is_active")

    class Meta:
        verbose_name = _("事件类别")
        verbose_name_plural = _("事件类别")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        save_with_path(self, lambda: super(EventCategory, self).save(*args, **kwargs),
                       loop_message="上级类别不能是该类别本身或其下级类别。")

    @property
    def top_id(self) -> int:
        """The id of its class (the root of its branch)."""
        return int(self.path.split(".", 1)[0])


class Severity(models.TextChoices):
    NORMAL = "normal", _("一般")
    SERIOUS = "serious", _("较大")
    CRITICAL = "critical", _("重大")


class Source(models.TextChoices):
    PATROL = "patrol", _("网格巡查")
    HOTLINE = "hotline", _("12345热线")
    VIDEO = "video", _("视频监控")
    PUBLIC = "public", _("群众反映")


class DayType(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKING = "working", _("工作日")
    CALENDAR = "calendar", _("自然日")


class Stage(models.TextChoices):
    SIGN = "sign", _("签收时限")
    RESOLVE = "resolve", _("处置反馈时限")


class SlaRule(TimeStampedModel, VersionedModel):
    """How long a stage may take, counted from 分拨: for a category (and its subcategories) or all,
    for a severity or all. The most specific rule wins: the category nearest the event's, then a
    rule for its severity over one for any."""

    category = models.ForeignKey(EventCategory, verbose_name=_("事件类别"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="sla_rules", help_text=_("不填为全部类别"))
    severity = models.CharField(_("紧急程度"), max_length=10, choices=Severity.choices, blank=True,
                                help_text=_("不填为任何程度"))
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices, default=Stage.RESOLVE)
    amount = models.PositiveIntegerField(_("时限"), validators=[MinValueValidator(1), MaxValueValidator(999)])
    day_type = models.CharField(_("计时方式"), max_length=10, choices=DayType.choices, default=DayType.WORKING)

    WRITABLE_FIELDS = ("category", "severity", "stage", "amount", "day_type")

    class Meta:
        verbose_name = _("处置时限")
        verbose_name_plural = _("处置时限")
        ordering = ["stage", "category__path", "severity"]
        constraints = [models.UniqueConstraint(
            fields=["category", "severity", "stage"], name="grid_sla_once",
            violation_error_message=_("该类别、紧急程度和环节已有时限"))]

    def __str__(self) -> str:
        return f"{self.category or '全部类别'} {self.get_severity_display() or '任何程度'} " \
               f"{self.get_stage_display()} {self.amount}{self.get_day_type_display()}"


class RoutingRule(TimeStampedModel, VersionedModel):
    """Where an event goes: a category (and its subcategories) in a grid, in the grids under a unit
    (a 片区 or a village), or anywhere → the unit that handles it, with co-units. The most specific
    rule wins: the nearest category first, then a grid over an area over anywhere."""

    category = models.ForeignKey(EventCategory, verbose_name=_("事件类别"), on_delete=models.CASCADE,
                                 related_name="routing_rules")
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", help_text=_("只用于这个网格；不填则看“区域”"))
    area = models.ForeignKey(OrgUnit, verbose_name=_("区域"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", help_text=_("该片区或村/社区下的网格；都不填为全部网格"))
    unit = models.ForeignKey(OrgUnit, verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    # 小事不出格: the grid's own village or community handles it, whichever grid the event is in.
    own_unit = models.BooleanField(_("交网格所在村/社区办理"), default=False)
    co_units = models.ManyToManyField(OrgUnit, verbose_name=_("协办单位"), blank=True, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    WRITABLE_FIELDS = ("category", "grid", "area", "unit", "own_unit", "co_units")

    class Meta:
        verbose_name = _("分拨规则")
        verbose_name_plural = _("分拨规则")
        ordering = ["category__path", "pk"]

    def __str__(self) -> str:
        where = self.grid or self.area or "全部网格"
        return f"{self.category} @ {where} → {'网格所在村/社区' if self.own_unit else self.unit}"

    def unit_for(self, grid: Grid) -> OrgUnit:
        return grid.unit if self.own_unit else self.unit


# ---------------------------------------------------------------- events


class State(models.TextChoices):
    REPORTED = "reported", _("待受理")
    REJECTED = "rejected", _("不予受理")
    ACCEPTED = "accepted", _("待分拨")
    DISPATCHED = "dispatched", _("待签收")
    SIGNED = "signed", _("已签收")
    HANDLING = "handling", _("处置中")
    FED_BACK = "fed_back", _("待核查")
    VERIFIED = "verified", _("待结案")
    CLOSED = "closed", _("已结案")
    EVALUATED = "evaluated", _("已评价")


# The handling unit's clock runs in these (dispatched, not yet answered).
UNANSWERED = (State.DISPATCHED, State.SIGNED, State.HANDLING)
# Not finished: everything before 结案 that was not refused.
OPEN = (State.REPORTED, State.ACCEPTED, *UNANSWERED, State.FED_BACK, State.VERIFIED)
FINISHED = (State.CLOSED, State.EVALUATED)


def _visible_events(qs, user):
    """A unit reads what is routed to it (as lead or co-unit, for the units it handles); a grid
    worker reads their grids' events and what they reported."""
    handles = user.units_for("grid.handle")
    if handles.everything:
        return qs
    q = Q(grid__in=worked_grids(user)) | Q(reported_by=user)
    if handles:
        units = handles.units().values("pk")
        q |= Q(assigned_unit__in=units) | Q(pk__in=GridEvent.co_units.through.objects.filter(
            orgunit__in=units).values("gridevent"))
    return qs.filter(q)


class GridEvent(TimeStampedModel, VersionedModel):
    number = models.CharField(_("编号"), max_length=20, unique=True, editable=False)
    category = models.ForeignKey(EventCategory, verbose_name=_("事件类别"), on_delete=models.PROTECT,
                                 related_name="events")
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.PATROL)
    # The ticket number of the system it came from (a 12345 工单编号): an import matches on it.
    source_number = models.CharField(_("来源单号"), max_length=40, blank=True, default="")
    severity = models.CharField(_("紧急程度"), max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    description = models.TextField(_("事件描述"))
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="events")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("经度"), max_digits=10, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上报人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(_("上报时间"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REPORTED, db_index=True)
    assigned_unit = models.ForeignKey(OrgUnit, verbose_name=_("承办单位"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField(OrgUnit, verbose_name=_("协办单位"), blank=True, related_name="+")
    dispatched_at = models.DateTimeField(_("分拨时间"), null=True, blank=True, editable=False)
    # The limits when dispatched, kept with the event ("3 个工作日"): a later rule edit moves no promise.
    limit = models.CharField(_("处置时限"), max_length=20, blank=True, editable=False)
    sign_due_at = models.DateTimeField(_("签收期限"), null=True, blank=True, editable=False)
    due_at = models.DateTimeField(_("反馈期限"), null=True, blank=True, editable=False)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True, editable=False)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True, editable=False)
    result = models.TextField(_("处置结果"), blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    verify_failures = models.PositiveIntegerField(_("核查不通过次数"), default=0, editable=False)
    escalation_level = models.PositiveSmallIntegerField(_("升级次数"), default=0, editable=False)
    escalated_to = models.ForeignKey(OrgUnit, verbose_name=_("升级至"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", editable=False)
    escalated_on = models.DateField(_("最近升级日期"), null=True, blank=True, editable=False)
    supervision_item = raised_to_supervision()
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="grid.read_all", restrict=_visible_events, needs_unit=False)

    WRITABLE_FIELDS = ("category", "source", "severity", "description", "grid", "address", "latitude", "longitude")

    class Meta:
        verbose_name = _("网格事件")
        verbose_name_plural = _("网格事件")
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["assigned_unit", "state"]), models.Index(fields=["due_at"]),
                   models.Index(fields=["reported_at"]), models.Index(fields=["grid", "state"])]
        constraints = [models.UniqueConstraint(
            fields=["source_number"], condition=~Q(source_number=""), name="grid_event_source_number_once",
            violation_error_message=_("该来源单号的事件已存在"))]

    def __str__(self) -> str:
        return self.number or "网格事件"

    def is_overdue(self, now: dt.datetime) -> bool:
        """Answered after its limit, or not answered and past it."""
        if self.due_at is None:
            return False
        if self.fed_back_at is not None:
            return self.fed_back_at > self.due_at
        return self.state in UNANSWERED and now > self.due_at

    @staticmethod
    def overdue_q(now: dt.datetime) -> Q:
        """The same rule in SQL: answered late, or still unanswered past the limit."""
        return Q(fed_back_at__gt=models.F("due_at")) | Q(state__in=UNANSWERED, due_at__lt=now)

    @staticmethod
    def open_overdue_q(now: dt.datetime) -> Q:
        return Q(state__in=UNANSWERED, due_at__lt=now)


def photo_path(photo: EventPhoto, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"grid/{photo.event.reported_at:%Y/%m}/{photo.event.number}-{photo.stage}.{suffix[:5]}"


class EventPhoto(Attachment):
    class Stage(models.TextChoices):
        REPORT = "report", _("上报")
        FEEDBACK = "feedback", _("处置反馈")

    event = models.ForeignKey(GridEvent, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices, default=Stage.REPORT)
    image = models.FileField(_("照片"), upload_to=photo_path, max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)

    class Meta:
        verbose_name = _("事件照片")
        verbose_name_plural = _("事件照片")
        ordering = ["uploaded_at", "pk"]


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    DISPATCH = "dispatch", _("分拨")
    SIGN = "sign", _("签收")
    HANDLE = "handle", _("处置")
    FEEDBACK = "feedback", _("反馈")
    RETURN = "return", _("退回重新分拨")
    VERIFY = "verify", _("核查通过")
    VERIFY_FAIL = "verify_fail", _("核查不通过")
    CLOSE = "close", _("结案")
    EVALUATE = "evaluate", _("评价")
    ESCALATE = "escalate", _("逾期升级")
    RAISE = "raise", _("提请督办")


class EventStep(WorkflowEvent.of(GridEvent, "grid_event", actions=Action, states=State, related_name="steps")):
    class Meta(WorkflowEvent.Meta):
        verbose_name = _("事件办理记录")
        verbose_name_plural = _("事件办理记录")
