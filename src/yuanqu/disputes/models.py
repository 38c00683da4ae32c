"""大调解、大接访: people's mediation cases (人民调解) and petitions (信访) on one case engine.

Every time limit is data: a `TimeLimit` row per kind (the administrator edits it in the admin site),
copied onto each case when it is registered, so a later edit does not move the promises already
made. The petition defaults are the 信访工作条例's (2022): 受理告知 within 15 days of receipt, 办理
within 60 days of acceptance, +30 days once with approval and a reason, 复查 and 复核 within 30 days
each, a request for either within 30 days of the answer. Days are calendar days unless the kind's
setting says working days (core.calendar). Due dates are stored when the step that starts the
clock is written; a clock is overdue when it stopped after its due date, or is still running and
its due date has passed — open cases count, not only late answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import TimeStampedModel, VersionedModel, raised_to_supervision
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.org.models import OrgUnit


class Kind(models.TextChoices):
    MEDIATION = "mediation", _("人民调解")
    PETITION = "petition", _("信访")


class DayType(models.TextChoices):
    CALENDAR = "calendar", _("自然日")
    WORKING = "working", _("工作日")


def _days(label: str, default: int, help_text: str = ""):
    return models.PositiveIntegerField(label, default=default, help_text=help_text,
                                       validators=[MinValueValidator(1), MaxValueValidator(365)])


class TimeLimit(TimeStampedModel, VersionedModel):
    """One kind's time limits and day type: data the administrator edits, never code."""

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, unique=True)
    day_type = models.CharField(_("天数计算方式"), max_length=10, choices=DayType.choices, default=DayType.CALENDAR)
    acceptance_days = _days(_("受理告知时限"), 15, _("自收到之日起"))
    handling_days = _days(_("办理时限"), 60, _("自受理之日起；调解为调结时限"))
    extension_days = _days(_("延期时限"), 30, _("经批准可延长一次"))
    appeal_days = _days(_("申请复查、复核期限"), 30, _("自收到办理意见（复查意见）之日起"))
    review_days = _days(_("复查时限"), 30, _("自收到复查请求之日起"))
    rereview_days = _days(_("复核时限"), 30, _("自收到复核请求之日起"))
    followup_days = _days(_("回访时限"), 30, _("调解结束后回访"))
    warn_days = models.PositiveIntegerField(_("黄灯提前天数"), default=5, validators=[MaxValueValidator(60)],
                                            help_text=_("距期限不超过该天数（自然日）时亮黄灯"))

    WRITABLE_FIELDS = ("day_type", "acceptance_days", "handling_days", "extension_days", "appeal_days",
                       "review_days", "rereview_days", "followup_days", "warn_days")
    # What a case copies when registered (its promises).
    COPIED = WRITABLE_FIELDS

    class Meta:
        verbose_name = _("办理时限设置")
        verbose_name_plural = _("办理时限设置")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}时限"


class State(models.TextChoices):
    REGISTERED = "registered", _("待受理")
    DECLINED = "declined", _("不予受理")
    MEDIATING = "mediating", _("调解中")
    CONCLUDED = "concluded", _("调解结束待回访")
    HANDLING = "handling", _("办理中")
    ANSWERED = "answered", _("已出具办理意见")
    REVIEWING = "reviewing", _("复查中")
    REVIEWED = "reviewed", _("已出具复查意见")
    REREVIEWING = "rereviewing", _("复核中")
    CLOSED = "closed", _("已办结")


FINISHED = (State.DECLINED, State.CLOSED)


class DisputeType(models.TextChoices):
    FAMILY = "family", _("婚姻家庭")
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    LABOUR = "labour", _("劳动争议")
    LAND = "land", _("土地征收与拆迁")
    PROPERTY = "property", _("物业纠纷")
    CONTRACT = "contract", _("合同纠纷")
    DAMAGE = "damage", _("损害赔偿")
    ENVIRONMENT = "environment", _("环境污染")
    OTHER = "other", _("其他")


class Light(models.TextChoices):
    GREEN = "green", _("正常")
    AMBER = "amber", _("临期")
    RED = "red", _("逾期")


@dataclass(frozen=True)
class Clock:
    """One running or stopped time limit of a case, with its light."""

    key: str
    label: str
    due: dt.date
    done_on: dt.date | None
    light: str
    days_left: int | None  # calendar days to the due date while running (negative: past it)
    superseded: bool = False  # the handling limit once extended

    @property
    def overdue(self) -> bool:
        return self.light == Light.RED

    @property
    def state_text(self) -> str:
        if self.superseded:
            return "已延期"
        if self.done_on is not None:
            return "按期完成" if self.done_on <= self.due else f"超期 {(self.done_on - self.due).days} 天完成"
        if self.days_left is not None and self.days_left < 0:
            return f"已逾期 {-self.days_left} 天"
        return f"剩余 {self.days_left} 天"


class DisputeCase(TimeStampedModel, VersionedModel):
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, db_index=True)
    # The number the 信访 system (or the 调委会's ledger) gave the case: an import's natural key.
    source_number = models.CharField(_("来源编号"), max_length=60, blank=True, db_index=True,
                                     help_text=_("信访系统或调解台账中的编号，导入时用于匹配已有件"))
    title = models.CharField(_("事由"), max_length=200)
    parties = models.TextField(_("当事人/信访人"))
    dispute_type = models.CharField(_("纠纷类型"), max_length=12, choices=DisputeType.choices,
                                    default=DisputeType.OTHER)
    content = models.TextField(_("基本情况"), blank=True)
    assigned_unit = models.ForeignKey(OrgUnit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("收到日期"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REGISTERED,
                             db_index=True)

    # The kind's limits when registered (TimeLimit.COPIED): a later edit does not move them.
    day_type = models.CharField(_("天数计算方式"), max_length=10, choices=DayType.choices, editable=False)
    acceptance_days = models.PositiveIntegerField(_("受理告知时限"), editable=False)
    handling_days = models.PositiveIntegerField(_("办理时限"), editable=False)
    extension_days = models.PositiveIntegerField(_("延期时限"), editable=False)
    appeal_days = models.PositiveIntegerField(_("申请复查、复核期限"), editable=False)
    review_days = models.PositiveIntegerField(_("复查时限"), editable=False)
    rereview_days = models.PositiveIntegerField(_("复核时限"), editable=False)
    followup_days = models.PositiveIntegerField(_("回访时限"), editable=False)
    warn_days = models.PositiveIntegerField(_("黄灯提前天数"), editable=False)

    # 受理告知 (accepted or declined) and 办理.
    acceptance_due = models.DateField(_("受理告知期限"), editable=False)
    accepted_on = models.DateField(_("受理告知日期"), null=True, blank=True, editable=False)
    handling_due = models.DateField(_("办理期限"), null=True, blank=True, editable=False)
    extended_on = models.DateField(_("延期批准日期"), null=True, blank=True, editable=False)
    extended_due = models.DateField(_("延期后期限"), null=True, blank=True, editable=False)
    extension_reason = models.TextField(_("延期理由"), blank=True, editable=False)
    extension_approver = models.CharField(_("延期批准人"), max_length=100, blank=True, editable=False)
    decided_on = models.DateField(_("办结（调结）日期"), null=True, blank=True, editable=False)
    decision = models.TextField(_("办理意见"), blank=True, editable=False)

    # Mediation.
    mediator = models.CharField(_("调解员"), max_length=100, blank=True)
    committee = models.CharField(_("调解委员会"), max_length=100, blank=True)
    agreement_reached = models.BooleanField(_("达成协议"), null=True, blank=True, editable=False)
    agreement_text = models.TextField(_("协议内容"), blank=True, editable=False)
    followup_due = models.DateField(_("回访期限"), null=True, blank=True, editable=False)
    followup_on = models.DateField(_("回访日期"), null=True, blank=True, editable=False)
    followup_result = models.TextField(_("回访情况"), blank=True, editable=False)

    # Petitions: 复查 and 复核.
    review_requested_on = models.DateField(_("复查申请日期"), null=True, blank=True, editable=False)
    review_due = models.DateField(_("复查期限"), null=True, blank=True, editable=False)
    review_decided_on = models.DateField(_("复查意见日期"), null=True, blank=True, editable=False)
    review_result = models.TextField(_("复查意见"), blank=True, editable=False)
    rereview_requested_on = models.DateField(_("复核申请日期"), null=True, blank=True, editable=False)
    rereview_due = models.DateField(_("复核期限"), null=True, blank=True, editable=False)
    rereview_decided_on = models.DateField(_("复核意见日期"), null=True, blank=True, editable=False)
    rereview_result = models.TextField(_("复核意见"), blank=True, editable=False)

    closed_on = models.DateField(_("办结日期"), null=True, blank=True, editable=False)
    supervision_item = raised_to_supervision()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="disputes.read_all", units=("assigned_unit",))

    WRITABLE_FIELDS = ("title", "parties", "dispute_type", "content", "assigned_unit", "received_on", "mediator",
                       "committee")

    class Meta:
        verbose_name = _("调解信访件")
        verbose_name_plural = _("调解信访件")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["assigned_unit", "state"]), models.Index(fields=["kind", "received_on"])]
        constraints = [models.UniqueConstraint(fields=["source_number"], condition=~Q(source_number=""),
                                               name="disputes_case_source_number_unique",
                                               violation_error_message=_("来源编号已被另一件使用。"))]

    def __str__(self) -> str:
        return f"{self.number}：{self.title[:30]}"

    @property
    def number(self) -> str:
        return f"{'调' if self.kind == Kind.MEDIATION else '信'}{self.pk}"

    @property
    def final_due(self) -> dt.date | None:
        """The handling limit in force: the extended one once extended."""
        return self.extended_due or self.handling_due

    def last_step_on(self) -> dt.date:
        """The latest date a step was taken on: a later step may not be dated before it."""
        days = [self.received_on, self.accepted_on, self.decided_on, self.followup_on, self.review_requested_on,
                self.review_decided_on, self.rereview_requested_on, self.rereview_decided_on, self.closed_on]
        return max(d for d in days if d is not None)

    def clocks(self, on: dt.date) -> list[Clock]:
        """The case's clocks in order, each running (no done date yet) or stopped, with its light."""
        out = []

        def add(key, label, due, done, superseded=False):
            if due is None:
                return
            if superseded:
                light, left = Light.GREEN, None
            elif done is not None:
                light, left = (Light.GREEN if done <= due else Light.RED), None
            elif self.state in FINISHED:
                return  # a clock never stopped on a finished case (a case closed without review) is not shown
            else:
                left = (due - on).days
                light = Light.RED if left < 0 else Light.AMBER if left <= self.warn_days else Light.GREEN
            out.append(Clock(key, label, due, done, light, left, superseded))

        add("acceptance", "受理告知", self.acceptance_due, self.accepted_on)
        if self.kind == Kind.MEDIATION:
            add("handling", "调结", self.handling_due, self.decided_on, superseded=self.extended_due is not None)
            add("extended", "延期调结", self.extended_due, self.decided_on)
            add("followup", "回访", self.followup_due, self.followup_on)
        else:
            add("handling", "办理", self.handling_due, self.decided_on, superseded=self.extended_due is not None)
            add("extended", "延期办理", self.extended_due, self.decided_on)
            add("review", "复查", self.review_due, self.review_decided_on)
            add("rereview", "复核", self.rereview_due, self.rereview_decided_on)
        return out

    def light(self, on: dt.date) -> str:
        """The case's worst light among its clocks."""
        lights = {c.light for c in self.clocks(on)}
        return Light.RED if Light.RED in lights else Light.AMBER if Light.AMBER in lights else Light.GREEN

    def is_overdue(self, on: dt.date) -> bool:
        return any(c.overdue for c in self.clocks(on))

    @staticmethod
    def running_overdue_q(on: dt.date) -> Q:
        """Open cases with a clock still running past its due date (逾期未办)."""
        return ~Q(state__in=FINISHED) & (
            Q(accepted_on__isnull=True, acceptance_due__lt=on)
            | Q(decided_on__isnull=True, extended_due__isnull=True, handling_due__lt=on)
            | Q(decided_on__isnull=True, extended_due__lt=on)
            | Q(followup_on__isnull=True, followup_due__lt=on)
            | Q(review_decided_on__isnull=True, review_due__lt=on)
            | Q(rereview_decided_on__isnull=True, rereview_due__lt=on))

    @staticmethod
    def overdue_q(on: dt.date) -> Q:
        """The rule of `is_overdue` in SQL: a clock stopped after its due date, or one running past it
        on an open case — open cases count, not only late answers."""
        return (Q(accepted_on__gt=F("acceptance_due"))
                | Q(extended_due__isnull=True, decided_on__gt=F("handling_due"))
                | Q(extended_due__isnull=False, decided_on__gt=F("extended_due"))
                | Q(followup_on__gt=F("followup_due"))
                | Q(review_decided_on__gt=F("review_due"))
                | Q(rereview_decided_on__gt=F("rereview_due"))
                | DisputeCase.running_overdue_q(on))


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    DECLINE = "decline", _("不予受理")
    CONCLUDE = "conclude", _("调解结束")
    FOLLOW_UP = "follow_up", _("回访")
    EXTEND = "extend", _("延期")
    ANSWER = "answer", _("出具办理意见")
    REQUEST_REVIEW = "request_review", _("申请复查")
    REVIEW = "review", _("出具复查意见")
    REQUEST_REREVIEW = "request_rereview", _("申请复核")
    REREVIEW = "rereview", _("出具复核意见")
    CLOSE = "close", _("办结")
    REASSIGN = "reassign", _("改派")
    RAISE = "raise", _("提请督办")


class CaseEvent(WorkflowEvent.of(DisputeCase, "case", actions=Action, states=State)):
    class Meta(WorkflowEvent.Meta):
        verbose_name = _("调解信访办理记录")
        verbose_name_plural = _("调解信访办理记录")
