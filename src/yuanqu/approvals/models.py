"""审批时效: the service-item catalogue (事项目录), cases (办件) with their suspension intervals,
reform targets as data (a bundle such as 3550 or 2330 → scenarios → target working days and the
events that start and stop each clock) and post-approval inspections (审后监管).

A case's working-day durations are computed once, when it is written, on the work calendar
(core.calendar) and stored on the row (`days_<start>_<end>`, `due_on`), so every figure over many
cases is a plain SQL aggregate. `services.cases_recompute` redoes them after the calendar changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import TimeStampedModel, VersionedModel
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.org.models import OrgUnit


def _catalogue_restrict(qs, user):
    # The catalogue and the targets are the zone's: whoever may open the approvals pages reads them.
    return qs if user.can("approvals.read_unit") else qs.none()


CATALOGUE_SCOPE = Scope(read_all="approvals.read_all", restrict=_catalogue_restrict)


class ItemType(models.TextChoices):
    LICENCE = "licence", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    PAYMENT = "payment", _("行政给付")
    LEVY = "levy", _("行政征收")
    OTHER = "other", _("行政其他")
    SERVICE = "service", _("公共服务")


class HandlingDepth(models.TextChoices):
    """网上办理深度 (the values the provincial guides use)."""

    FULL_ONLINE = "full_online", _("全程网办")
    PARTLY_ONLINE = "partly_online", _("部分网办")
    ONLINE_PREVIEW = "online_preview", _("网上预审")
    ON_SITE = "on_site", _("现场办理")
    NO_MEETING = "no_meeting", _("不见面审批")


class CaseKind(models.TextChoices):
    INSTANT = "instant", _("即办件")
    PROMISED = "promised", _("承诺件")


class ServiceItem(TimeStampedModel, VersionedModel):
    code = models.CharField(_("事项编码"), max_length=60, unique=True, error_messages={"unique": _("该事项编码已存在")})
    name = models.CharField(_("事项名称"), max_length=200)
    item_type = models.CharField(_("事项类型"), max_length=14, choices=ItemType.choices, default=ItemType.LICENCE)
    depth = models.CharField(_("网上办理深度"), max_length=16, choices=HandlingDepth.choices,
                             default=HandlingDepth.NO_MEETING)
    kind = models.CharField(_("办件类型"), max_length=10, choices=CaseKind.choices, default=CaseKind.PROMISED)
    statutory_days = models.PositiveIntegerField(_("法定办结时限（工作日）"))
    promised_days = models.PositiveIntegerField(_("承诺办结时限（工作日）"), help_text=_("即办件为 0"))
    commitment = models.BooleanField(_("适用告知承诺"), default=False)
    inspection_days = models.PositiveIntegerField(
        _("审后核查期限（工作日）"), default=20, help_text=_("告知承诺办件办结后，在此期限内完成审后核查"))
    is_active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = CATALOGUE_SCOPE

    WRITABLE_FIELDS = ("code", "name", "item_type", "depth", "kind", "statutory_days", "promised_days",
                       "commitment", "inspection_days", "is_active")

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项目录")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ClockEvent(models.TextChoices):
    RECEIVED = "received", _("收件")
    ACCEPTED = "accepted", _("受理")
    DECIDED = "decided", _("办结")
    DELIVERED = "delivered", _("送达")


START_EVENTS = (ClockEvent.RECEIVED, ClockEvent.ACCEPTED)
END_EVENTS = (ClockEvent.DECIDED, ClockEvent.DELIVERED)


def days_field(start: str, end: str) -> str:
    """The stored column holding a case's working days from `start` to `end` (days_accepted_decided)."""
    return f"days_{start}_{end}"


class ReformBundle(TimeStampedModel, VersionedModel):
    """A reform target such as 3550 or 2330, for one year: its scenarios carry the figures."""

    code = models.CharField(_("目标代号"), max_length=20, help_text=_("如 3550、2330"))
    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveIntegerField(_("年度"))
    note = models.TextField(_("依据"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = CATALOGUE_SCOPE

    WRITABLE_FIELDS = ("code", "name", "year", "note")

    class Meta:
        verbose_name = _("改革目标")
        verbose_name_plural = _("改革目标")
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="approvals_bundle_code_year",
                                               violation_error_message=_("该年度已有此代号的改革目标"))]

    def __str__(self) -> str:
        return f"{self.year}年“{self.code}”"


class Scenario(TimeStampedModel, VersionedModel):
    """企业开办、不动产登记、工业项目施工许可 …: a target in working days, the events that start and
    stop the clock, and the service items whose cases count."""

    bundle = models.ForeignKey(ReformBundle, verbose_name=_("改革目标"), on_delete=models.CASCADE,
                               related_name="scenarios")
    name = models.CharField(_("场景"), max_length=60)
    target_days = models.DecimalField(_("目标时限（工作日）"), max_digits=5, decimal_places=1)
    start_event = models.CharField(_("起算"), max_length=10, choices=[(e.value, e.label) for e in START_EVENTS],
                                   default=ClockEvent.ACCEPTED)
    end_event = models.CharField(_("止算"), max_length=10, choices=[(e.value, e.label) for e in END_EVENTS],
                                 default=ClockEvent.DECIDED)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("所含事项"), related_name="scenarios", blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="bundle")

    WRITABLE_FIELDS = ("name", "target_days", "start_event", "end_event", "items", "order")

    class Meta:
        verbose_name = _("改革场景")
        verbose_name_plural = _("改革场景")
        ordering = ["bundle", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "name"], name="approvals_scenario_name",
                                               violation_error_message=_("该改革目标下已有同名场景"))]

    def __str__(self) -> str:
        return f"{self.name}（{self.target_days.normalize():f}个工作日）"

    @property
    def days_field(self) -> str:
        return days_field(self.start_event, self.end_event)

    @property
    def clock_label(self) -> str:
        return f"{self.get_start_event_display()}→{self.get_end_event_display()}"


class Case(TimeStampedModel, VersionedModel):
    number = models.CharField(_("办件编号"), max_length=60, unique=True, error_messages={"unique": _("该办件编号已存在")})
    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases")
    applicant = models.CharField(_("申请人"), max_length=200)
    handling_unit = models.ForeignKey(OrgUnit, verbose_name=_("办理单位"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("收件日期"))
    correction_notice_on = models.DateField(_("补正告知日期"), null=True, blank=True)
    correction_done_on = models.DateField(_("补正完成日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    # The suspensions as one canonical text (“专家评审 2026-03-04至2026-03-09；公示 …”): the history
    # and the import compare it; the Suspension rows below are what the clock reads.
    suspensions_text = models.TextField(_("中止时段"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    # Computed at write time on the work calendar (services._compute); never typed in.
    due_on = models.DateField(_("承诺期限"), null=True, blank=True, editable=False)
    days_received_decided = models.PositiveIntegerField(_("收件至办结（工作日）"), null=True, editable=False)
    days_received_delivered = models.PositiveIntegerField(_("收件至送达（工作日）"), null=True, editable=False)
    days_accepted_decided = models.PositiveIntegerField(_("受理至办结（工作日）"), null=True, editable=False)
    days_accepted_delivered = models.PositiveIntegerField(_("受理至送达（工作日）"), null=True, editable=False)
    suspended_days = models.PositiveIntegerField(_("中止（工作日）"), default=0, editable=False)
    late = models.BooleanField(_("超承诺期限"), null=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="approvals.read_all", units=("handling_unit",))

    WRITABLE_FIELDS = ("number", "item", "applicant", "handling_unit", "received_on", "correction_notice_on",
                       "correction_done_on", "accepted_on", "decided_on", "delivered_on", "suspensions_text", "note")
    COMPUTED_FIELDS = ("due_on", "days_received_decided", "days_received_delivered", "days_accepted_decided",
                       "days_accepted_delivered", "suspended_days", "late")

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["item", "decided_on"]), models.Index(fields=["item", "delivered_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.item.name if self.item_id else ''}"


class SuspensionKind(models.TextChoices):
    HEARING = "hearing", _("听证")
    EXPERT = "expert", _("专家评审")
    PUBLICITY = "publicity", _("公示")
    CORRECTION = "correction", _("补正")
    TESTING = "testing", _("检验检测")


class Suspension(models.Model):
    """A span (both ends included) the clock stands still: written only by the case's services."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(_("中止类型"), max_length=12, choices=SuspensionKind.choices)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="case")

    class Meta:
        verbose_name = _("中止时段")
        verbose_name_plural = _("中止时段")
        ordering = ["start_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_on:%Y-%m-%d}至{self.end_on:%Y-%m-%d}"


class Inspection(TimeStampedModel, VersionedModel):
    """审后监管: a 告知承诺 case, once decided, is checked by a deadline; the check passes or fails."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待核查")
        PASSED = "passed", _("核查通过")
        FAILED = "failed", _("核查不通过")

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="inspection")
    due_on = models.DateField(_("核查期限"))
    outcome = models.CharField(_("核查结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    checked_on = models.DateField(_("核查日期"), null=True, blank=True)
    note = models.TextField(_("核查意见"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核查人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(via="case")

    WRITABLE_FIELDS = ("outcome", "checked_on", "note")

    class Meta:
        verbose_name = _("审后核查")
        verbose_name_plural = _("审后核查")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 审后核查"
