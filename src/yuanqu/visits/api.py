"""REST API of the visits register under /api/visits/: visits, request categories, requests and
each lifecycle step of a request.

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), the request list takes
the page's filters, every write goes through a service (rights → 403, stale version → 409, bad input
or a step not allowed in the state → 400 naming the field in Chinese). Steps need the version the
client saw, in the body or as If-Match.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
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
from .models import Action, EnterpriseRequest, RequestCategory, RequestEvent, Visit

# ---------------------------------------------------------------- shapes


class VisitEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label=_("企业名称"))


class RequestCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestCategory
        fields = ["id", "code", "name", "time_limit_days", "is_active"]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    enterprise = VisitEnterpriseSerializer(read_only=True)
    unit = UnitBriefSerializer(read_only=True)
    recorded_by = UserBriefSerializer(read_only=True, allow_null=True)
    request_count = serializers.IntegerField(read_only=True, label=_("诉求数"))

    class Meta:
        model = Visit
        fields = ["id", "enterprise", "visited_on", "visitors", "unit", "findings", "recorded_by", "request_count",
                  "version", "created_at"]
        read_only_fields = fields


class VisitWriteSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(label=_("企业"), **ID)
    visited_on = serializers.DateField(label=_("走访日期"))
    visitors = serializers.CharField(label=_("走访领导/干部"), max_length=200)
    unit = serializers.IntegerField(label=_("走访单位"), **ID, required=False,
                                    help_text=_("不填为登记人所在单位"))
    findings = serializers.CharField(label=_("走访发现"), required=False, allow_blank=True, max_length=10000)
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)


class RequestEventSerializer(WorkflowEventSerializer):
    actor = UserBriefSerializer(read_only=True, allow_null=True)
    from_state = serializers.CharField(read_only=True, label=_("原状态"), help_text=_("状态代码，同 state；空为无"))
    to_state = serializers.CharField(read_only=True, label=_("新状态"), help_text=_("状态代码，同 state；空为无"))

    class Meta(WorkflowEventSerializer.Meta):
        model = RequestEvent


class RequestSerializer(serializers.ModelSerializer):
    """A request as a list row; `overdue` is computed for today, never stored."""

    enterprise = VisitEnterpriseSerializer(read_only=True)
    category = RequestCategorySerializer(read_only=True)
    assigned_unit = UnitBriefSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    overdue = AsOfToday("is_overdue")

    class Meta:
        model = EnterpriseRequest
        fields = ["id", "enterprise", "visit", "category", "text", "assigned_unit", "received_on", "due_on", "state",
                  "state_label", "overdue", "reply", "replied_on", "satisfaction", "satisfaction_comment",
                  "closed_on", "return_count", "supervision_item", "version", "created_at"]
        read_only_fields = fields


class RequestDetailSerializer(RequestSerializer):
    events = RequestEventSerializer(many=True, read_only=True)
    allowed_actions = AllowedActions(services.allowed_actions)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "events", "allowed_actions"]
        read_only_fields = fields


class RequestWriteSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(label=_("企业"), **ID, required=False,
                                          help_text=_("在走访中提出时可不填（取走访的企业）"))
    visit = serializers.IntegerField(label=_("走访"), **ID, required=False)
    category = serializers.IntegerField(label=_("诉求类别"), **ID)
    text = serializers.CharField(label=_("诉求内容"), max_length=10000)
    assigned_unit = serializers.IntegerField(label=_("承办单位"), **ID)
    received_on = serializers.DateField(label=_("受理日期"), required=False, help_text=_("不填为走访日期或今天"))


class RequestStepSerializer(serializers.Serializer):
    """What any step may carry; each step says what it requires (答复内容, 满意度, 新的承办单位 …)."""

    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False,
                                       help_text=_("所处理诉求的版本号；也可用 If-Match 头给出"))
    comment = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=10000,
                                    help_text=_("答复时为答复内容，退回、改派时为理由"))
    satisfaction = serializers.IntegerField(label=_("满意度"), required=False, min_value=1, max_value=5,
                                            help_text=_("企业评价时必填，1–5 分"))
    assigned_unit = serializers.IntegerField(label=_("承办单位"), required=False, **ID,
                                             help_text=_("改派时必填：新的承办单位 id"))
    deadline = serializers.DateField(label=_("督办办理期限"), required=False, help_text=_("提请督办时必填"))


# ---------------------------------------------------------------- visits

VISIT_PARAMETERS = selectors.VISIT_FILTERS.parameters()


@extend_schema_view(list=extend_schema(summary="走访记录", parameters=VISIT_PARAMETERS),
                    retrieve=extend_schema(summary="走访记录", responses={200: VisitSerializer, 404: ERRORS[404]}))
class VisitViewSet(RegisterViewSet):
    model, serializer_class = Visit, VisitSerializer
    versioned = False

    def listed(self, user, params):
        return selectors.filter_visits(user, params, clock.today())[1]

    def detailed(self, qs):
        return qs.select_related("enterprise", "unit", "recorded_by").annotate(request_count=Count("requests"))

    create = create_action(write=VisitWriteSerializer, detail=VisitSerializer, run=services.visit_create,
                           summary="登记走访")
    partial_update = update_action(write=VisitWriteSerializer, detail=VisitSerializer, run=services.visit_update,
                                   target="visit", summary="修改走访记录（本人登记的）")


# ---------------------------------------------------------------- categories


@extend_schema_view(list=extend_schema(summary="诉求类别及办理时限（工作日）"))
class CategoryViewSet(ReferenceListViewSet):
    model, serializer_class = RequestCategory, RequestCategorySerializer


# ---------------------------------------------------------------- requests

REQUEST_PARAMETERS = selectors.REQUEST_FILTERS.parameters()
STEP_SUMMARIES = {
    Action.ACCEPT: "受理（承办单位）", Action.HANDLE: "办理（承办单位）", Action.REPLY: "答复（承办单位，comment 为答复内容）",
    Action.EVALUATE: "企业评价（登记人或经发局，satisfaction 1–5）", Action.CLOSE: "办结（经发局）",
    Action.RETURN: "退回上一环节（须填写理由）", Action.REASSIGN: "改派（经发局；须给出 assigned_unit 和理由；办理期限不变）",
    Action.RAISE: "提请督办（经发局；须给出督办办理期限 deadline）",
}


_step = workflow_steps(summaries=STEP_SUMMARIES, run=services.request_step, target="request",
                      request=RequestStepSerializer, response=RequestDetailSerializer)


@extend_schema_view(list=extend_schema(summary="企业诉求", parameters=REQUEST_PARAMETERS),
                    retrieve=extend_schema(summary="企业诉求（含办理过程和可执行的操作）",
                                           responses={200: RequestDetailSerializer, 404: ERRORS[404]}))
class RequestViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = EnterpriseRequest, RequestSerializer, RequestDetailSerializer

    def listed(self, user, params):
        return selectors.filter_requests(user, params, clock.today())[1]

    def detailed(self, qs):
        return (qs.select_related("enterprise", "category", "assigned_unit")
                .prefetch_related(timeline(RequestEvent)))

    create = create_action(write=RequestWriteSerializer, detail=RequestDetailSerializer, run=services.request_create,
                           summary="登记企业诉求")

    accept = _step(Action.ACCEPT)
    handle = _step(Action.HANDLE)
    reply = _step(Action.REPLY)
    evaluate = _step(Action.EVALUATE)
    close = _step(Action.CLOSE)
    return_ = _step(Action.RETURN, "return_")
    reassign = _step(Action.REASSIGN)
    raise_ = _step(Action.RAISE, "raise_")
