"""REST API of the clean-up register under /api/cleanup/: criteria, the candidate list, cases (认定 or
排除 a candidate, disposal details, lifecycle steps) and their disposal steps.

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), lists take the pages'
filters, every write goes through a service (rights → 403, stale version → 409, bad input → 400 naming
the field in Chinese). Edits need the version the client saw, in the body or as If-Match.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from yuanqu.core import clock
from yuanqu.core.api import (
    ERRORS,
    ID,
    WRITE_RESPONSES,
    AllowedActions,
    AsOfToday,
    ReferenceListViewSet,
    RegisterViewSet,
    WorkflowEventSerializer,
    respond_one,
    timeline,
    update_action,
    validated,
    workflow_steps,
)
from yuanqu.core.ids import IdConverter
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer

from . import selectors, services
from .models import Action, Case, CaseEvent, CaseStep, Category, Criterion, Method

# ---------------------------------------------------------------- shapes


class CleanupEnterpriseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label=_("企业名称"))
    credit_code = serializers.CharField(read_only=True, label=_("统一社会信用代码"))


class CleanupCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "category", "name", "kind", "indicator", "comparator", "threshold", "years", "field",
                  "is_active"]
        read_only_fields = fields


class CleanupMetSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(read_only=True, label=_("认定标准 id"))
    name = serializers.CharField(read_only=True, label=_("标准名称"))
    detail = serializers.CharField(read_only=True, label=_("查得的情况"))


class CleanupCandidateSerializer(serializers.Serializer):
    enterprise = CleanupEnterpriseBriefSerializer(read_only=True)
    category = serializers.CharField(read_only=True, label=_("清理类别"))
    met = CleanupMetSerializer(many=True, read_only=True)
    case = serializers.SerializerMethodField(help_text=_("已认定或排除时为案件 id，否则为空"))
    decision = serializers.SerializerMethodField(help_text=_("已处理时为案件状态，否则为空"))

    def get_case(self, row) -> int | None:
        return row.case.pk if row.case else None

    def get_decision(self, row) -> str | None:
        return row.case.state if row.case else None


class CleanupStepSerializer(serializers.ModelSerializer):
    late = AsOfToday("is_late")

    class Meta:
        model = CaseStep
        fields = ["id", "case", "order", "title", "planned_on", "done_on", "note", "late", "version"]
        read_only_fields = fields


class CleanupCaseEventSerializer(WorkflowEventSerializer):
    actor = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta(WorkflowEventSerializer.Meta):
        model = CaseEvent


class CleanupCaseSerializer(serializers.ModelSerializer):
    enterprise = CleanupEnterpriseBriefSerializer(read_only=True)
    unit = UnitBriefSerializer(read_only=True, allow_null=True)
    decided_by = UserBriefSerializer(read_only=True, allow_null=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    criteria_met = CleanupMetSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = ["id", "enterprise", "category", "year", "state", "state_label", "criteria_met", "reason",
                  "decided_on", "decided_by", "method", "method_label", "unit", "land_released_mu", "parcel",
                  "completed_on", "revitalisation", "note", "version", "created_at"]
        read_only_fields = fields


class CleanupCaseDetailSerializer(CleanupCaseSerializer):
    steps = CleanupStepSerializer(many=True, read_only=True)
    events = CleanupCaseEventSerializer(many=True, read_only=True)
    allowed_actions = AllowedActions(services.allowed_actions)

    class Meta(CleanupCaseSerializer.Meta):
        fields = [*CleanupCaseSerializer.Meta.fields, "steps", "events", "allowed_actions"]
        read_only_fields = fields


class CleanupDecideSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(label=_("企业"), **ID)
    category = serializers.ChoiceField(label=_("清理类别"), choices=Category.choices)
    year = serializers.IntegerField(label=_("评估年度"), min_value=1990, max_value=2100, required=False,
                                    help_text=_("不填为上一年度"))
    decision = serializers.ChoiceField(label=_("处理结果"), choices=[("confirm", "认定"), ("dismiss", "排除")])
    reason = serializers.CharField(label=_("认定或排除理由"), max_length=10000, allow_blank=True)
    unit = serializers.IntegerField(label=_("责任单位"), required=False, **ID)


class CleanupCaseWriteSerializer(serializers.Serializer):
    method = serializers.ChoiceField(label=_("处置方式"), choices=Method.choices, required=False, allow_blank=True)
    unit = serializers.IntegerField(label=_("责任单位"), required=False, allow_null=True, **ID)
    land_released_mu = serializers.DecimalField(label=_("释放土地（亩）"), max_digits=12, decimal_places=2,
                                                required=False, allow_null=True)
    parcel = serializers.IntegerField(label=_("释放土地所在地块"), required=False, allow_null=True, **ID)
    note = serializers.CharField(label=_("备注"), required=False, allow_blank=True, max_length=10000)
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)


class CleanupCaseStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False,
                                       help_text=_("案件的版本号；也可用 If-Match 头给出"))
    comment = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=10000,
                                    help_text=_("重新认定时为认定理由"))
    completed_on = serializers.DateField(label=_("处置完成日期"), required=False, help_text=_("处置完成时可填，不填为今天"))


class CleanupStepAddSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("步骤"), max_length=100)
    planned_on = serializers.DateField(label=_("计划完成日期"))
    note = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=10000)


class CleanupStepWriteSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("步骤"), max_length=100, required=False)
    planned_on = serializers.DateField(label=_("计划完成日期"), required=False)
    done_on = serializers.DateField(label=_("实际完成日期"), required=False, allow_null=True)
    note = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=10000)
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False)


# ---------------------------------------------------------------- criteria and candidates


def _require_candidates(user) -> None:
    if not (user.can("cleanup.read_all") or user.can("cleanup.manage")):
        raise PermissionDenied("只有经发局、生态环境部门、领导和督查室可以查看候选名单。")


@extend_schema_view(list=extend_schema(summary="认定标准（系统管理员在后台维护）"))
class CriterionViewSet(ReferenceListViewSet):
    model, serializer_class = Criterion, CleanupCriterionSerializer

    def listed(self, user, params):
        _require_candidates(user)
        return Criterion.objects.filter(is_active=True)


CANDIDATE_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="评估年度，不填为上一年度"),
    OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values, description="清理类别"),
    OpenApiParameter("show", OpenApiTypes.STR, enum=["all"], description="为 all 时含已认定和已排除的"),
    OpenApiParameter("q", OpenApiTypes.STR, description="企业名称或信用代码中包含的文字"),
]


@extend_schema_view(list=extend_schema(summary="候选名单：符合认定标准的企业及其符合的标准", parameters=CANDIDATE_PARAMETERS,
                                       responses={200: CleanupCandidateSerializer(many=True), 403: ERRORS[403]}))
class CandidateViewSet(viewsets.GenericViewSet):
    serializer_class = CleanupCandidateSerializer
    pagination_class = None  # computed rows, not a table: the whole list
    filter_backends = []

    def get_queryset(self):
        return Case.objects.none()

    def list(self, request):
        from rest_framework.response import Response

        _require_candidates(request.user)
        filters = selectors.parse_candidate_filters(request.query_params, clock.today())
        rows = selectors.candidates(request.user, filters)
        return Response(CleanupCandidateSerializer(rows, many=True).data)


# ---------------------------------------------------------------- cases

CASE_PARAMETERS = selectors.CASE_FILTERS.parameters()
STEP_SUMMARIES = {
    Action.START: "开始处置（须已选择处置方式和责任单位）",
    Action.COMPLETE: "处置完成（步骤须全部完成；释放土地计入低效用地盘活）",
    Action.REOPEN: "重新认定已排除的企业（comment 为认定理由）",
}


_step = workflow_steps(summaries=STEP_SUMMARIES, run=services.case_step, target="case",
                      request=CleanupCaseStepSerializer, response=CleanupCaseDetailSerializer)


@extend_schema_view(list=extend_schema(summary="企业清理案件", parameters=CASE_PARAMETERS),
                    retrieve=extend_schema(summary="企业清理案件（含步骤、处置过程和可执行的操作）",
                                           responses={200: CleanupCaseDetailSerializer, 404: ERRORS[404]}))
class CaseViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = Case, CleanupCaseSerializer, CleanupCaseDetailSerializer

    def listed(self, user, params):
        return selectors.filter_cases(user, params, clock.today())[1]

    def detailed(self, qs):
        return (qs.select_related("enterprise", "unit", "decided_by")
                .prefetch_related(Prefetch("steps", queryset=CaseStep.objects.order_by("order", "pk")),
                                  timeline(CaseEvent)))

    @extend_schema(summary="认定或排除一家候选企业（须填写理由）", request=CleanupDecideSerializer,
                   responses={201: CleanupCaseDetailSerializer, **WRITE_RESPONSES})
    def create(self, request, *args, **kwargs):
        data = validated(CleanupDecideSerializer(data=request.data))
        case = services.case_decide(actor=request.user, **data)
        return respond_one(self, case.pk, CleanupCaseDetailSerializer, status.HTTP_201_CREATED)

    partial_update = update_action(write=CleanupCaseWriteSerializer, detail=CleanupCaseDetailSerializer,
                                   run=services.case_update, target="case", request_schema=CleanupCaseWriteSerializer,
                                   summary="修改处置信息（处置方式、责任单位、释放土地）")

    @extend_schema(summary="添加处置步骤", request=CleanupStepAddSerializer, responses={201: CleanupStepSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="steps", url_name="steps")
    def steps(self, request, pk=None):
        case = self.get_object()
        data = validated(CleanupStepAddSerializer(data=request.data))
        step = services.step_add(actor=request.user, case=case, data=data)
        return respond_one(_StepView(request), step.pk, CleanupStepSerializer, status.HTTP_201_CREATED)

    start = _step(Action.START)
    complete = _step(Action.COMPLETE)
    reopen = _step(Action.REOPEN)


class _StepView:
    """What respond_one needs to answer a step from the case endpoint: the scoped steps."""

    def __init__(self, request):
        self.request = request

    def get_queryset(self):
        return CaseStep.objects.visible_to(self.request.user)

    def get_serializer_context(self):
        return {"request": self.request}


@extend_schema_view(retrieve=extend_schema(summary="处置步骤", responses={200: CleanupStepSerializer, 404: ERRORS[404]}))
class StepViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = IdConverter.regex
    serializer_class = CleanupStepSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CaseStep.objects.none()
        return CaseStep.objects.visible_to(self.request.user)

    partial_update = update_action(write=CleanupStepWriteSerializer, detail=CleanupStepSerializer,
                                   run=services.step_update, target="step", request_schema=CleanupStepWriteSerializer,
                                   summary="修改处置步骤（责任单位只能登记完成日期和说明）")
