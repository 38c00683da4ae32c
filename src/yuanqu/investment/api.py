"""REST API of 招商引资: leads (list with the pages' filters, detail, create, update, stage steps,
follow-ups) and the target-company library. Same rules as the pages: reads start from
`visible_to(user)` (out of scope → 404); writes call the services (rights → 403, stale version →
409, refused step or bad input → 400 with its Chinese message)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from yuanqu.core.api import (
    CONFLICT,
    ERRORS,
    IF_MATCH,
    AllowedActions,
    RegisterViewSet,
    WorkflowEventSerializer,
    child_action,
    create_action,
    update_action,
    versioned_input,
)
from yuanqu.core.errors import PermissionDeniedError
from yuanqu.org.models import OrgUnit, User
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer

from . import selectors, services
from .filters import COMPANY_FILTERS, LEAD_FILTERS, filter_companies, filter_leads, funnel_year
from .models import AttractionMode, CompanyTag, FollowUp, Lead, LeadEvent, TargetCompany

Action = LeadEvent.Action


class CompanySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True, label=_("企业标签"))

    class Meta:
        model = TargetCompany
        fields = ["id", "name", "kind", "kind_label", "tags", "hq_province", "hq_city", "industry", "chain_node",
                  "significance", "version"]
        read_only_fields = fields


class CompanyWriteSerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(slug_field="name", many=True, queryset=CompanyTag.objects.all(),
                                        required=False, label=_("企业标签"))
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))

    class Meta:
        model = TargetCompany
        fields = [*TargetCompany.WRITABLE_FIELDS, "version"]
        extra_kwargs = {"name": {"validators": []}}  # the service words the duplicate


class LeadFollowUpSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    created_by = UserBriefSerializer(read_only=True, allow_null=True)
    next_date = serializers.DateField(write_only=True, required=False, allow_null=True, label=_("下一步日期"))

    class Meta:
        model = FollowUp
        fields = ["id", "kind", "kind_label", "date", "people", "content", "next_step", "next_date", "created_by",
                  "created_at"]
        read_only_fields = ["id", "kind_label", "created_by", "created_at"]


class LeadEventSerializer(WorkflowEventSerializer):
    actor = UserBriefSerializer(read_only=True, allow_null=True)
    from_state = serializers.CharField(read_only=True, label=_("原阶段"))
    to_state = serializers.CharField(read_only=True, label=_("新阶段"))

    class Meta(WorkflowEventSerializer.Meta):
        model = LeadEvent


class LeadSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    unit = UnitBriefSerializer(read_only=True)
    owner = UserBriefSerializer(read_only=True, allow_null=True)
    company = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True, label=_("目标企业"))
    mode = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True, label=_("招商方式"))

    class Meta:
        model = Lead
        fields = ["id", "name", "investor", "company", "industry", "amount_text", "amount", "currency",
                  "amount_approximate", "mode", "chain_node", "source_province", "source_city", "unit", "owner", "stage", "stage_label",
                  "termination_reason", "next_action", "next_action_on", "note", "version", "updated_at"]
        read_only_fields = fields


class LeadDetailSerializer(LeadSerializer):
    follow_ups = LeadFollowUpSerializer(many=True, read_only=True)
    events = LeadEventSerializer(many=True, read_only=True)
    allowed_actions = AllowedActions(services.allowed_actions, label=_("当前可执行的操作"))

    class Meta(LeadSerializer.Meta):
        fields = [*LeadSerializer.Meta.fields, "follow_ups", "events", "allowed_actions"]
        read_only_fields = fields


class LeadWriteSerializer(serializers.ModelSerializer):
    """登记 and 修改. Units, companies, modes and owners by id; the amount as written."""

    company = serializers.PrimaryKeyRelatedField(queryset=TargetCompany.objects.all(), required=False,
                                                 allow_null=True, label=_("目标企业"))
    mode = serializers.PrimaryKeyRelatedField(queryset=AttractionMode.objects.all(), required=False,
                                              allow_null=True, label=_("招商方式"))
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, label=_("责任单位"))
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True,
                                               label=_("责任人"))
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))

    class Meta:
        model = Lead
        fields = [*Lead.WRITABLE_FIELDS, "version"]
        extra_kwargs = {"name": {"validators": []}}  # the service words the duplicate


class RegionSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("省份或城市"), help_text=_("空：未填写省份（境外或未知）"))
    count = serializers.IntegerField(label=_("线索数"))
    amount = serializers.FloatField(label=_("人民币投资额（亿元）"))


class StageFigureSerializer(serializers.Serializer):
    stage = serializers.CharField(label=_("阶段"))
    label = serializers.CharField(label=_("阶段名称"))
    reached = serializers.IntegerField(label=_("到达该阶段的线索数"))
    now = serializers.IntegerField(label=_("现处该阶段的线索数"))
    amount = serializers.FloatField(label=_("到达该阶段的人民币投资额（亿元）"))
    rate = serializers.FloatField(label=_("由上一阶段转化的比例（%）"), allow_null=True)


class UnitRankSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label=_("单位 id"))
    name = serializers.CharField(label=_("责任单位"))
    signed = serializers.IntegerField(label=_("签约数"))
    amount = serializers.FloatField(label=_("签约人民币投资额（亿元）"))
    open = serializers.IntegerField(label=_("在谈线索数"))
    total = serializers.IntegerField(label=_("线索总数"))


class TerminatedSerializer(serializers.Serializer):
    count = serializers.IntegerField(label=_("终止数"))
    amount = serializers.FloatField(label=_("人民币投资额（亿元）"))


class FunnelSerializer(serializers.Serializer):
    year = serializers.IntegerField(label=_("年度"), allow_null=True)
    stages = StageFigureSerializer(many=True)
    terminated = TerminatedSerializer()
    ranking = UnitRankSerializer(many=True)


class StepSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, label=_("说明"),
                                    help_text=_("终止时为终止原因（必填）"))
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))


# From the filters' declaration: the list, the map and the funnel take every filter the pages take
# (the place and the chain node too).
LIST_PARAMETERS = LEAD_FILTERS.parameters(
    unit="责任单位 id", mode="招商方式 id", q="搜索（项目、投资方、产业、目标企业）",
    province="来源省份（广东、广东省均可）", city="来源城市（深圳、深圳市均可）", node="产业链节点 id（含其下级节点）")


@extend_schema_view(
    list=extend_schema(summary="招商线索列表", parameters=LIST_PARAMETERS),
    retrieve=extend_schema(summary="招商线索详情（含跟进记录、阶段记录）",
                           responses={200: LeadDetailSerializer, 404: ERRORS[404]}),
)
class LeadViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = Lead, LeadSerializer, LeadDetailSerializer

    def listed(self, user, params):
        return filter_leads(user, params)[1]

    def detailed(self, qs):
        return qs.select_related("unit", "mode", "owner", "company").prefetch_related("follow_ups__created_by",
                                                                                    "events__actor")

    create = create_action(
        write=LeadWriteSerializer, detail=LeadDetailSerializer, run=services.lead_create, summary="登记招商线索",
        ability="investment.edit_leads", refusal="只有单位填报员可以登记招商线索。",
        responses={201: LeadDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]})
    partial_update = update_action(
        write=LeadWriteSerializer, detail=LeadDetailSerializer, run=services.lead_update, target="lead",
        summary="修改招商线索（只改所给字段）", request_schema=LeadWriteSerializer,
        responses={200: LeadDetailSerializer, **ERRORS, **CONFLICT})

    def _step(self, request, action_name):
        lead = self.get_object()
        data, version = versioned_input(request, StepSerializer(data=request.data), required=True)
        services.lead_transition(actor=request.user, lead=lead, action=action_name,
                                 comment=data.get("comment") or "", expected_version=version)
        return self.respond(lead.pk)

    @extend_schema(summary="推进或终止阶段（action：contact 开始接触、visit 组织考察、negotiate 进入洽谈、sign 签约、"
                           "terminate 终止（须填写原因）、reopen 重新跟进）",
                   request=StepSerializer, parameters=[IF_MATCH, OpenApiParameter(
                       "step", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Action.values)],
                   responses={200: LeadDetailSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step>[a-z]+)")
    def steps(self, request, pk=None, step=None):
        if step not in services.LEAD_FLOW:
            return Response({"message": f"未知的操作“{step}”。", "field": "step", "extra": {}}, status=400)
        return self._step(request, step)

    @extend_schema(summary="按地区统计招商线索（来源省份；给出 province 则按该省城市），与列表相同的筛选条件",
                   parameters=LIST_PARAMETERS,
                   responses={200: RegionSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)  # one row per region: a plain list
    def regions(self, request):
        filters, qs = filter_leads(request.user, request.query_params)
        rows = selectors.region_counts(qs, "source", filters.province)
        return Response(RegionSerializer(rows, many=True).data)

    @extend_schema(summary="阶段漏斗（到达各阶段的线索数、人民币投资额、转化率）与各单位签约排名",
                   parameters=[*LIST_PARAMETERS, OpenApiParameter("year", OpenApiTypes.STR,
                                                                  description="登记年度；all 为全部年度；默认今年")],
                   responses={200: FunnelSerializer})
    @action(detail=False, methods=["get"], pagination_class=None)
    def funnel(self, request):
        _filters, qs = filter_leads(request.user, request.query_params)
        year = funnel_year(request.query_params)
        stages, terminated = selectors.funnel(qs.filter(created_at__year=year) if year else qs)
        return Response(FunnelSerializer({"year": year, "stages": stages, "terminated": terminated,
                                          "ranking": selectors.unit_ranking(qs, year)}).data)

    follow_ups = child_action("follow-ups", write=LeadFollowUpSerializer, run=services.follow_up_create,
                              target="lead", summary="登记跟进记录（走访、来访、电话、考察）")


def _require_company_editor(user) -> None:
    if not services.may_edit_companies(user):
        raise PermissionDeniedError("您无权维护目标企业库。")


@extend_schema_view(
    list=extend_schema(summary="目标企业库", parameters=COMPANY_FILTERS.parameters(
        tag="企业标签 id", q="搜索（企业、行业、总部）", province="总部所在省份（广东、广东省均可）",
        city="总部所在城市（深圳、深圳市均可）", node="产业链节点 id（含其下级节点）")),
    retrieve=extend_schema(summary="目标企业详情", responses={200: CompanySerializer, 404: ERRORS[404]}),
)
class CompanyViewSet(RegisterViewSet):
    model, serializer_class = TargetCompany, CompanySerializer
    versioned = False

    def listed(self, user, params):
        return filter_companies(user, params)[1]

    def detailed(self, qs):
        return qs.select_related("chain_node__chain").prefetch_related("tags")

    create = create_action(
        write=CompanyWriteSerializer, detail=CompanySerializer, run=services.company_create, summary="添加目标企业",
        check=_require_company_editor, responses={201: CompanySerializer, 400: ERRORS[400], 403: ERRORS[403]})
    partial_update = update_action(
        write=CompanyWriteSerializer, detail=CompanySerializer, run=services.company_update, target="company",
        summary="修改目标企业（只改所给字段）", request_schema=CompanyWriteSerializer,
        responses={200: CompanySerializer, **ERRORS, **CONFLICT})


