"""督查督办: supervision items (督办单), their event log and extension requests.

The state machines live in services.py (ITEM_FLOW, EXTENSION_FLOW on core.workflow); the models
only hold data and the scope choke point `SupervisionItem.objects.visible_to(user)`.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core import clock
from yuanqu.core.attachments import Attachment
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


class State(models.TextChoices):
    REGISTERED = "registered", _("立项")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    FEEDBACK = "feedback", _("反馈待审")
    CLOSED = "closed", _("已办结")


# The order of the flow, used to word refusals ("不能直接…" vs "不能再…").
STATE_ORDER = [State.REGISTERED, State.ASSIGNED, State.IN_PROGRESS, State.FEEDBACK, State.CLOSED]
OPEN_STATES = [s for s in STATE_ORDER if s != State.CLOSED]
# States in which the lead unit has the work in hand (reminders go to it only then).
WORKING_STATES = [State.ASSIGNED, State.IN_PROGRESS]


class SupervisionItemQuerySet(ScopedQuerySet, AliveQuerySet):
    def handled_by(self, user):
        """Items on which the user acts as the lead unit (start, feedback, extension requests)."""
        if not user.is_authenticated:
            return self.none()
        return self.alive().filter(user.units_for("supervision.handle_item").q("lead_unit"))

    def open(self):
        return self.exclude(state=State.CLOSED)

    def overdue(self, on: dt.date):
        """Open and past the deadline on `on` (computed, never stored)."""
        return self.open().filter(deadline__lt=on)

    def due_within(self, on: dt.date, days: int):
        """Open and due between `on` and `on + days`, both included."""
        return self.open().filter(deadline__gte=on, deadline__lte=on + dt.timedelta(days=days))


class SupervisionItem(TimeStampedModel, VersionedModel, SoftDeleteModel):
    """督办单: one matter, one record (domain.md §2.3)."""

    State = State

    class SourceKind(models.TextChoices):
        TARGET = "target", _("目标任务")
        LEADER_INSTRUCTION = "leader_instruction", _("领导批示")
        MEETING_DECISION = "meeting_decision", _("会议交办")
        PROJECT_PROBLEM = "project_problem", _("项目问题提请协调")
        ENTERPRISE_REQUEST = "enterprise_request", _("企业诉求提请督办")
        # The governance registers (grid events, hazards, mediation and petition cases) raise theirs too.
        GRID_EVENT = "grid_event", _("网格事件提请督办")
        HAZARD = "hazard", _("隐患提请督办")
        DISPUTE_CASE = "dispute_case", _("调解信访件提请督办")

    class DayType(models.TextChoices):
        CALENDAR = "calendar", _("自然日")
        WORKING = "working", _("工作日")

    year = models.PositiveIntegerField(_("年度"), db_index=True)
    seq = models.PositiveIntegerField(_("年度序号"))
    number = models.CharField(_("编号"), max_length=40, unique=True)
    title = models.CharField(_("督办事项"), max_length=200)
    source_kind = models.CharField(_("来源"), max_length=20, choices=SourceKind.choices, default=SourceKind.TARGET)
    target = models.ForeignKey(
        "plans.Target", verbose_name=_("关联目标"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="supervision_items",
    )
    source_text = models.TextField(_("批示或会议内容"), blank=True)
    # Where an item raised by another register came from (a project's problem): its page, shown as a
    # link back, so supervision never imports that register.
    source_url = models.CharField(_("来源链接"), max_length=200, blank=True, editable=False)
    issuing_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("交办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_supervision_items"
    )
    assisting_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("协办单位"), blank=True, related_name="assisted_supervision_items"
    )
    requirement = models.TextField(_("办理要求"), blank=True)
    deadline = models.DateField(_("办理期限"))
    day_type = models.CharField(_("期限计算方式"), max_length=10, choices=DayType.choices, default=DayType.CALENDAR)
    # Ten years: beyond it a date is no "time limit" (and a huge one would overflow the date).
    MAX_TIME_LIMIT = 3650
    time_limit = models.PositiveIntegerField(
        _("办理时限（天）"), null=True, blank=True, help_text=_("按时限计算期限时填写，期限按所选方式从交办次日起算"),
        validators=[MaxValueValidator(MAX_TIME_LIMIT)],
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REGISTERED)
    result = models.TextField(_("办理结果"), blank=True)
    urge_count = models.PositiveIntegerField(_("催办次数"), default=0)
    return_count = models.PositiveIntegerField(_("退回次数"), default=0)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = SupervisionItemQuerySet.as_manager()
    # 督查室, leaders and administrators read all; a unit reads the items it leads or assists.
    scope = Scope(read_all="supervision.read_all", units=("lead_unit",), assisting=("assisting_units",))

    # What 立项 sets and a correction may change: services, forms and the API share this one list.
    WRITABLE_FIELDS = (
        "title", "source_kind", "target", "source_text", "issuing_unit", "lead_unit", "assisting_units",
        "requirement", "deadline", "day_type", "time_limit",
    )

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq"], name="supervision_number_per_year",
                violation_error_message=_("该年度的督办编号已被占用，请重试"),
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_on__isnull=False),
                name="supervision_closed_has_date",
                violation_error_message=_("已办结的督办单须有办结日期"),
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return self.is_open and self.deadline < (on or clock.today())

    def days_left(self, on: dt.date | None = None) -> int:
        """Days until the deadline (negative when overdue)."""
        return (self.deadline - (on or clock.today())).days


class SupervisionEvent(WorkflowEvent.of(SupervisionItem, "item", verbose_name=_("督办单"))):
    """One line of an item's timeline: every transition, urge and extension decision
    (written by the workflow engine, core.workflow; 立项 and 修改 by the services)."""

    class Action(models.TextChoices):
        CREATE = "create", _("立项")
        ASSIGN = "assign", _("交办")
        START = "start", _("签收办理")
        FEEDBACK = "feedback", _("反馈")
        RETURN = "return", _("退回")
        CLOSE = "close", _("办结销号")
        URGE = "urge", _("催办")
        EXTENSION_REQUEST = "extension_request", _("申请延期")
        EXTENSION_APPROVE = "extension_approve", _("同意延期")
        EXTENSION_REFUSE = "extension_refuse", _("不同意延期")
        UPDATE = "update", _("修改")

    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=12, choices=State.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")

    def __str__(self) -> str:
        return f"{self.item.number} {self.get_action_display()}"


def evidence_path(instance, filename: str) -> str:
    return f"supervision/{instance.item_id}/{filename}"


class SupervisionAttachment(Attachment):
    """佐证材料 sent with a feedback, under the one attachment rule (core.attachments); kept with the
    item and the feedback event it came with, so a returned and re-sent feedback keeps both sets."""

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("督办单"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        SupervisionEvent, verbose_name=_("反馈记录"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("佐证材料"), upload_to=evidence_path)
    # The feedback's time, not the save's: the service stamps the files with the event.
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]


class ExtensionRequest(DecidedRequest):
    """延期申请: filed by the lead unit before the deadline, decided by 督查室."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("督办单"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    previous_deadline = models.DateField(_("原办理期限"))
    requested_deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    progress = models.TextField(_("目前进展"))
    status = models.CharField(_("审批结果"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # The request step's time, given by the service, not the save's.
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="pending"), name="one_pending_extension_per_item",
                violation_error_message=_("该督办单已有待审批的延期申请"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} 申请延至 {self.requested_deadline}"


def _instruction_parents_visible(qs, user):
    """A 批示 is read by whoever reads what it is written on (the target or the 督办单)."""
    from yuanqu.plans.models import Target

    return qs.filter(Q(target__in=Target.objects.visible_to(user).values("pk"))
                     | Q(item__in=SupervisionItem.objects.visible_to(user).values("pk")))


class Instruction(models.Model):
    """领导批示: a leader's instruction on a target or a 督办单. Append-only (a later 批示 adds to
    the record, none is edited or removed); the 督查室 may raise a 督办单 from it."""

    target = models.ForeignKey(
        "plans.Target", verbose_name=_("目标"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="instructions",
    )
    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("督办单"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="instructions",
    )
    text = models.TextField(_("批示内容"))
    wants_item = models.BooleanField(_("请督查室立项督办"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批示人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("批示时间"), default=timezone.now)
    raised_item = models.ForeignKey(
        SupervisionItem, verbose_name=_("据此立项的督办单"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="raised_from",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(restrict=_instruction_parents_visible, needs_unit=False)

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False, item__isnull=True) | Q(target__isnull=True, item__isnull=False),
                name="instruction_on_one_record",
                violation_error_message=_("批示须针对一个目标或一张督办单"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}批示：{self.text[:30]}"

    @property
    def subject(self):
        return self.target if self.target_id else self.item
