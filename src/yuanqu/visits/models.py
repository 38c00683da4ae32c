"""走帮服: visits to enterprises and the requests (诉求) they raise, tracked to closure.

A request's due date is counted on the work calendar (core.calendar) from the day it was received,
by its category's time limit in working days, and stored when written; it is kept when the request
is reassigned (the enterprise's clock does not restart because we moved it between units).
On time means answered (答复) by the due date; an open request past its due date is overdue too.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.deadlines import late, late_q
from yuanqu.core.models import TimeStampedModel, VersionedModel, raised_to_supervision
from yuanqu.core.scope import Scope, ScopedQuerySet
from yuanqu.core.workflow import WorkflowEvent
from yuanqu.enterprises.models import Enterprise
from yuanqu.org.models import OrgUnit


def _own_visits(qs, user):
    # The visiting cadre reads the visits they recorded; nobody else below read_all reads visits.
    return qs.filter(recorded_by=user)


def _own_requests(qs, user):
    # An assigned unit reads its requests (as holder of visits.handle for it); the cadre who
    # raised one reads it too.
    handles = user.units_for("visits.handle")
    if handles.everything:
        return qs
    return qs.filter(handles.q("assigned_unit") | Q(created_by=user))


class RequestCategory(TimeStampedModel, VersionedModel):
    """用工、融资、用地、审批、政策、基础设施 … as data, each with its time limit."""

    code = models.CharField(_("代码"), max_length=20, unique=True, error_messages={"unique": _("该代码已存在")})
    name = models.CharField(_("类别"), max_length=40, unique=True, error_messages={"unique": _("该类别已存在")})
    time_limit_days = models.PositiveIntegerField(_("办理时限（工作日）"),
                                                  validators=[MinValueValidator(1), MaxValueValidator(250)])
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    WRITABLE_FIELDS = ("code", "name", "time_limit_days", "order", "is_active")

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Visit(TimeStampedModel, VersionedModel):
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("走访日期"))
    visitors = models.CharField(_("走访领导/干部"), max_length=200)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("走访单位"), on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("走访发现"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="visits.read_all", restrict=_own_visits, needs_unit=False)

    WRITABLE_FIELDS = ("enterprise", "visited_on", "visitors", "unit", "findings")

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} 走访{self.enterprise.name}" if self.enterprise_id else "走访"


class State(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    EVALUATED = "evaluated", _("已评价")
    CLOSED = "closed", _("已办结")


# Until answered (答复) the handling unit's clock runs.
UNANSWERED = (State.SUBMITTED, State.ACCEPTED, State.HANDLING)


class EnterpriseRequest(TimeStampedModel, VersionedModel):
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="requests")
    visit = models.ForeignKey(Visit, verbose_name=_("走访"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="requests")
    category = models.ForeignKey(RequestCategory, verbose_name=_("诉求类别"), on_delete=models.PROTECT,
                                 related_name="requests")
    text = models.TextField(_("诉求内容"))
    assigned_unit = models.ForeignKey(OrgUnit, verbose_name=_("承办单位"), on_delete=models.PROTECT,
                                      related_name="+")
    received_on = models.DateField(_("受理日期"), help_text=_("诉求提出之日，时限自次一工作日起算"))
    # The category's limit when received: a later edit of the category does not move this promise.
    time_limit_days = models.PositiveIntegerField(_("办理时限（工作日）"), editable=False)
    due_on = models.DateField(_("办理期限"), editable=False)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED,
                             db_index=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1–5 分，5 分为非常满意"))
    satisfaction_comment = models.TextField(_("评价意见"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, editable=False)
    return_count = models.PositiveIntegerField(_("退回次数"), default=0, editable=False)
    supervision_item = raised_to_supervision()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(read_all="visits.read_all", restrict=_own_requests, needs_unit=False)

    WRITABLE_FIELDS = ("enterprise", "visit", "category", "text", "assigned_unit", "received_on")

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["assigned_unit", "state"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"诉求{self.pk}：{self.text[:20]}"

    def is_overdue(self, on: dt.date) -> bool:
        """Answered after the due date, or not answered and past it."""
        return late(self.replied_on, self.due_on, on)

    @staticmethod
    def overdue_q(on: dt.date) -> Q:
        """The same rule in SQL."""
        return late_q("replied_on", "due_on", on)


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    HANDLE = "handle", _("办理")
    REPLY = "reply", _("答复")
    EVALUATE = "evaluate", _("企业评价")
    CLOSE = "close", _("办结")
    RETURN = "return", _("退回")
    REASSIGN = "reassign", _("改派")
    RAISE = "raise", _("提请督办")


class RequestEvent(WorkflowEvent.of(EnterpriseRequest, "request", actions=Action, states=State)):
    class Meta(WorkflowEvent.Meta):
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
