"""REST API of the disputes register under /api/disputes/: the time limits per kind, cases and each
lifecycle step of a case.

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), the case list takes the
page's filters, every write goes through a service (rights → 403, stale version → 409, bad input or a
step out of order → 400 naming the field in Chinese). Steps need the version the client saw, in the
body or as If-Match.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from yuanqu.core import clock
from yuanqu.core.api import (
    ERRORS,
    ID,
    AllowedActions,
    AsOfToday,
    ReferenceListViewSet,
    RegisterViewSet,
    WorkflowEventSerializer,
    create_action,
    timeline,
    update_action,
    workflow_steps,
)
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer

from . import selectors, services
from .models import Action, CaseEvent, DisputeCase, DisputeType, Kind, TimeLimit


class DisputeTimeLimitSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeLimit
        fields = ["kind", *TimeLimit.WRITABLE_FIELDS, "version"]
        read_only_fields = fields


class DisputeClockSerializer(serializers.Serializer):
    key = serializers.CharField(label=_("环节代码"))
    label = serializers.CharField(label=_("环节"))
    due = serializers.DateField(label=_("期限"))
    done_on = serializers.DateField(label=_("完成日期"), allow_null=True)
    light = serializers.ChoiceField(label=_("灯色"), choices=["green", "amber", "red"])
    days_left = serializers.IntegerField(label=_("剩余天数"), allow_null=True, help_text=_("运行中的时限距期限的自然日数，负数为已逾期"))
    superseded = serializers.BooleanField(label=_("已延期"))
    state_text = serializers.CharField(label=_("说明"))


class DisputeCaseEventSerializer(WorkflowEventSerializer):
    actor = UserBriefSerializer(read_only=True, allow_null=True)
    from_state = serializers.CharField(read_only=True, label=_("原状态"), help_text=_("状态代码，同 state"))
    to_state = serializers.CharField(read_only=True, label=_("新状态"), help_text=_("状态代码，同 state"))

    class Meta(WorkflowEventSerializer.Meta):
        model = CaseEvent


class DisputeCaseSerializer(serializers.ModelSerializer):
    """A case as a list row; its clocks and lights are computed for today, never stored."""

    number = serializers.CharField(read_only=True, label=_("编号"))
    assigned_unit = UnitBriefSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    clocks = serializers.SerializerMethodField()
    overdue = AsOfToday("is_overdue")

    class Meta:
        model = DisputeCase
        fields = ["id", "number", "source_number", "kind", "title", "parties", "dispute_type", "content", "assigned_unit",
                  "received_on", "state", "state_label", "day_type", "acceptance_due", "accepted_on", "handling_due",
                  "extended_on", "extended_due", "extension_approver", "extension_reason", "decided_on", "decision", "mediator",
                  "committee", "agreement_reached", "agreement_text", "followup_due", "followup_on",
                  "followup_result", "review_requested_on", "review_due", "review_decided_on", "review_result",
                  "rereview_requested_on", "rereview_due", "rereview_decided_on", "rereview_result", "closed_on",
                  "supervision_item", "clocks", "overdue", "version", "created_at"]
        read_only_fields = fields

    @extend_schema_field(DisputeClockSerializer(many=True))
    def get_clocks(self, case) -> list[dict]:
        return [{**c.__dict__, "state_text": c.state_text} for c in case.clocks(clock.today())]


class DisputeCaseDetailSerializer(DisputeCaseSerializer):
    events = DisputeCaseEventSerializer(many=True, read_only=True)
    allowed_actions = AllowedActions(services.allowed_actions)

    class Meta(DisputeCaseSerializer.Meta):
        fields = [*DisputeCaseSerializer.Meta.fields, "events", "allowed_actions"]
        read_only_fields = fields


class DisputeCaseWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("类型"), choices=Kind.choices)
    title = serializers.CharField(label=_("事由"), max_length=200)
    parties = serializers.CharField(label=_("当事人/信访人"), max_length=2000)
    dispute_type = serializers.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices, required=False)
    content = serializers.CharField(label=_("基本情况"), required=False, allow_blank=True, max_length=10000)
    assigned_unit = serializers.IntegerField(label=_("承办单位"), **ID)
    received_on = serializers.DateField(label=_("收到日期"), required=False, help_text=_("不填为今天"))
    mediator = serializers.CharField(label=_("调解员"), required=False, allow_blank=True, max_length=100)
    committee = serializers.CharField(label=_("调解委员会"), required=False, allow_blank=True, max_length=100)


class DisputeCaseEditSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("事由"), max_length=200, required=False)
    parties = serializers.CharField(label=_("当事人/信访人"), max_length=2000, required=False)
    dispute_type = serializers.ChoiceField(label=_("纠纷类型"), choices=DisputeType.choices, required=False)
    content = serializers.CharField(label=_("基本情况"), required=False, allow_blank=True, max_length=10000)
    mediator = serializers.CharField(label=_("调解员"), required=False, allow_blank=True, max_length=100)
    committee = serializers.CharField(label=_("调解委员会"), required=False, allow_blank=True, max_length=100)
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)


class DisputeCaseStepSerializer(serializers.Serializer):
    """What any step may carry; each step says what it requires (理由, 批准人, 协议内容 …)."""

    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False,
                                       help_text=_("所处理件的版本号；也可用 If-Match 头给出"))
    on = serializers.DateField(label=_("日期"), required=False, help_text=_("该环节的日期，不填为今天"))
    comment = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=10000,
                                    help_text=_("办理意见、复查（复核）意见、回访情况、延期或改派理由等"))
    approver = serializers.CharField(label=_("批准人"), required=False, allow_blank=True, max_length=100,
                                     help_text=_("延期时必填"))
    agreement_reached = serializers.BooleanField(label=_("达成协议"), required=False, allow_null=True, default=None,
                                                 help_text=_("调解结束时必填"))
    agreement_text = serializers.CharField(label=_("协议内容"), required=False, allow_blank=True, max_length=10000)
    assigned_unit = serializers.IntegerField(label=_("承办单位"), required=False, help_text=_("改派时必填"), **ID)
    deadline = serializers.DateField(label=_("督办办理期限"), required=False, help_text=_("提请督办时必填"))


@extend_schema_view(list=extend_schema(summary="各类型的办理时限设置"))
class TimeLimitViewSet(ReferenceListViewSet):
    model, serializer_class = TimeLimit, DisputeTimeLimitSerializer


CASE_PARAMETERS = selectors.CASE_FILTERS.parameters()
STEP_SUMMARIES = {
    Action.ACCEPT: "受理（告知）", Action.DECLINE: "不予受理（须填写理由）",
    Action.CONCLUDE: "调解结束（agreement_reached；达成协议须填写 agreement_text）",
    Action.FOLLOW_UP: "回访（调解；comment 为回访情况）", Action.EXTEND: "延期（一次；须填写批准人 approver 和理由）",
    Action.ANSWER: "出具办理意见（信访）", Action.REQUEST_REVIEW: "申请复查（收到办理意见后的申请期限内）",
    Action.REVIEW: "出具复查意见", Action.REQUEST_REREVIEW: "申请复核（收到复查意见后的申请期限内）",
    Action.REREVIEW: "出具复核意见", Action.CLOSE: "办结（信访）", Action.REASSIGN: "改派（受理前；须给出 assigned_unit 和理由）",
    Action.RAISE: "提请督办（须给出督办办理期限 deadline）",
}


_step = workflow_steps(summaries=STEP_SUMMARIES, run=services.case_step, target="case",
                      request=DisputeCaseStepSerializer, response=DisputeCaseDetailSerializer, dashed=True,
                      keep_none=False)


@extend_schema_view(list=extend_schema(summary="调解信访件", parameters=CASE_PARAMETERS),
                    retrieve=extend_schema(summary="调解信访件（含时限、办理过程和可执行的操作）",
                                           responses={200: DisputeCaseDetailSerializer, 404: ERRORS[404]}))
class CaseViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = DisputeCase, DisputeCaseSerializer, DisputeCaseDetailSerializer

    def listed(self, user, params):
        return selectors.filter_cases(user, params, clock.today())[1]

    def detailed(self, qs):
        return (qs.select_related("assigned_unit")
                .prefetch_related(timeline(CaseEvent)))

    create = create_action(write=DisputeCaseWriteSerializer, detail=DisputeCaseDetailSerializer,
                           run=services.case_create, summary="登记调解或信访件")
    partial_update = update_action(write=DisputeCaseEditSerializer, detail=DisputeCaseDetailSerializer,
                                   run=services.case_update, target="case", request_schema=DisputeCaseEditSerializer,
                                   summary="修改调解信访件的事由、当事人等")

    accept = _step(Action.ACCEPT)
    decline = _step(Action.DECLINE)
    conclude = _step(Action.CONCLUDE)
    follow_up = _step(Action.FOLLOW_UP)
    extend = _step(Action.EXTEND)
    answer = _step(Action.ANSWER)
    request_review = _step(Action.REQUEST_REVIEW)
    review = _step(Action.REVIEW)
    request_rereview = _step(Action.REQUEST_REREVIEW)
    rereview = _step(Action.REREVIEW)
    close = _step(Action.CLOSE)
    reassign = _step(Action.REASSIGN)
    raise_ = _step(Action.RAISE, "raise_")
