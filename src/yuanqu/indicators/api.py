"""REST API of the indicators register: definitions with their caliber versions, counts (entered
as new revisions), and the computed values (zone, 片区, villages).

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), writes through the
services (rights → 403, stale version → 409, bad input → 400 naming the field in Chinese).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from yuanqu.core.api import (
    ERRORS,
    IF_MATCH,
    WRITE_RESPONSES,
    RegisterViewSet,
    create_action,
    respond_one,
    validated,
    versioned_input,
)
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.ids import parse_id
from yuanqu.org.models import OrgUnit
from yuanqu.org.serializers import UnitBriefSerializer

from . import selectors, services
from .models import Formula, IndicatorCount, IndicatorDefinition, IndicatorVersion, Level, PeriodKind
from .periods import PeriodError, parse_period

# ---------------------------------------------------------------- shapes


class VersionSerializer(serializers.ModelSerializer):
    formula_text = serializers.CharField(read_only=True, label=_("计算式"))
    variables = serializers.ListField(child=serializers.CharField(), read_only=True, label=_("变量"))

    class Meta:
        model = IndicatorVersion
        fields = ["number", "unit", "caliber", "formula", "formula_text", "variables", "multiplier", "forbid_over",
                  "valid_from", "note", "created_at"]
        read_only_fields = fields


class DefinitionSerializer(serializers.ModelSerializer):
    owner_unit = UnitBriefSerializer(read_only=True)
    current = VersionSerializer(source="current_version", read_only=True)

    class Meta:
        model = IndicatorDefinition
        fields = ["id", "code", "name", "owner_unit", "period_kind", "level", "order", "current", "version"]
        read_only_fields = fields


class DefinitionDetailSerializer(DefinitionSerializer):
    versions = VersionSerializer(many=True, read_only=True)

    class Meta(DefinitionSerializer.Meta):
        fields = [*DefinitionSerializer.Meta.fields, "versions"]
        read_only_fields = fields


class CaliberWriteSerializer(serializers.Serializer):
    unit = serializers.CharField(label=_("计量单位"), max_length=20)
    caliber = serializers.CharField(label=_("统计口径"), max_length=4000)
    formula = serializers.ChoiceField(label=_("计算方式"), choices=Formula.choices)
    variables = serializers.ListField(label=_("变量"), child=serializers.CharField(max_length=40), max_length=20,
                                      help_text=_("比率：[分子, 分母]；求和：各项"))
    multiplier = serializers.DecimalField(label=_("乘数"), max_digits=8, decimal_places=2, required=False)
    forbid_over = serializers.BooleanField(label=_("分子不得大于分母"), required=False)
    valid_from = serializers.CharField(label=_("起用期间"), max_length=20, required=False, allow_blank=True)
    note = serializers.CharField(label=_("修订说明"), max_length=200, required=False, allow_blank=True)


class DefinitionWriteSerializer(CaliberWriteSerializer):
    code = serializers.CharField(label=_("指标代码"), max_length=40)
    name = serializers.CharField(label=_("指标名称"), max_length=100)
    owner_unit = serializers.PrimaryKeyRelatedField(label=_("数据主管单位"), queryset=OrgUnit.objects.all())
    period_kind = serializers.ChoiceField(label=_("统计周期"), choices=PeriodKind.choices)
    level = serializers.ChoiceField(label=_("发布层级"), choices=Level.choices)
    order = serializers.IntegerField(label=_("排序"), min_value=0, max_value=100000, required=False)


class ReviseSerializer(CaliberWriteSerializer):
    version = serializers.IntegerField(label=_("版本"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class CountSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    definition_version = serializers.IntegerField(source="definition_version.number", read_only=True,
                                                  label=_("口径版本"))
    values = serializers.ListField(child=serializers.CharField(), read_only=True, label=_("基数"))
    value = serializers.SerializerMethodField(label=_("计算值"))

    class Meta:
        model = IndicatorCount
        fields = ["id", "definition", "definition_version", "unit", "period", "values", "value", "revision",
                  "is_current", "note", "entered_at"]
        read_only_fields = fields

    def get_value(self, count) -> str | None:
        value = selectors.count_value(count)
        return None if value is None else f"{value:f}"


class CountWriteSerializer(serializers.Serializer):
    definition = serializers.IntegerField(label=_("指标"), min_value=1)
    unit = serializers.IntegerField(label=_("村/社区"), min_value=1)
    period = serializers.CharField(label=_("期间"), max_length=20, help_text=_("如 2026、2026Q1、2026-03"))
    values = serializers.ListField(label=_("基数"), max_length=20,
                                   child=serializers.DecimalField(max_digits=16, decimal_places=4),
                                   help_text=_("按该指标现行口径的变量顺序"))
    note = serializers.CharField(label=_("说明"), max_length=200, required=False, allow_blank=True)


class ValueSerializer(serializers.Serializer):
    definition = serializers.IntegerField(label=_("指标"))
    code = serializers.CharField(label=_("指标代码"))
    period = serializers.CharField(label=_("期间"))
    level = serializers.ChoiceField(label=_("层级"), choices=Level.choices)
    unit = serializers.IntegerField(label=_("单位"), allow_null=True)
    place = serializers.CharField(label=_("园区/片区/村社区"))
    value = serializers.DecimalField(label=_("计算值"), max_digits=20, decimal_places=2, allow_null=True)
    sums = serializers.ListField(label=_("各变量合计"), child=serializers.DecimalField(max_digits=20, decimal_places=4))


# ---------------------------------------------------------------- views


def _int_param(params, name: str, label: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    value = parse_id(raw)
    if value is None:
        raise ApplicationError(f"{label}：应为 id（正整数），收到“{raw}”。", field=name)
    return value


@extend_schema_view(
    list=extend_schema(summary="乡村指标"),
    retrieve=extend_schema(summary="乡村指标详情（含全部口径版本）",
                           responses={200: DefinitionDetailSerializer, 404: ERRORS[404]}),
)
class DefinitionViewSet(RegisterViewSet):
    serializer_class, detail_serializer = DefinitionSerializer, DefinitionDetailSerializer
    pagination_class = None  # a zone keeps a few dozen indicators

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IndicatorDefinition.objects.none()
        qs = selectors.definitions(self.request.user)
        return qs.prefetch_related("versions") if self.action != "list" else qs

    create = create_action(write=DefinitionWriteSerializer, detail=DefinitionDetailSerializer,
                           run=services.definition_create, ability="indicators.manage",
                           refusal="只有系统管理员可以新建乡村指标。", summary="新建乡村指标（系统管理员）")

    @extend_schema(summary="修订口径（数据主管单位；新增一个口径版本）", request=ReviseSerializer,
                   parameters=[IF_MATCH], responses={200: DefinitionDetailSerializer, **WRITE_RESPONSES})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        definition = self.get_object()
        if not services.may_define(request.user, definition):
            raise PermissionDeniedError("只有该指标的数据主管单位可以修改口径。")
        data, version = versioned_input(request, ReviseSerializer(data=request.data), required=True)
        services.definition_revise(actor=request.user, definition=definition, data=data, expected_version=version)
        return respond_one(self, definition.pk, DefinitionDetailSerializer)


COUNT_PARAMETERS = [
    OpenApiParameter("definition", int, description="指标 id"),
    OpenApiParameter("unit", int, description="村/社区 id"),
    OpenApiParameter("period", str, description="期间（如 2026、2026-Q1、2026-03）"),
    OpenApiParameter("current", str, enum=["true", "false"], description="true：只列现行版本；false：只列已更正的"),
]


@extend_schema_view(list=extend_schema(summary="指标基数（各次填报）", parameters=COUNT_PARAMETERS),
                    retrieve=extend_schema(summary="一次填报"))
class CountViewSet(RegisterViewSet):
    model, serializer_class = IndicatorCount, CountSerializer
    versioned = False  # read without an ETag: a correction is a new revision, not an edit

    def detailed(self, qs):
        return qs.select_related("unit", "definition_version").order_by("definition", "unit", "period", "revision")

    def listed(self, user, params):
        qs = super().listed(user, params)
        for name, label in (("definition", "指标"), ("unit", "村/社区")):
            value = _int_param(params, name, label)
            if value is not None:
                qs = qs.filter(**{name: value})
        if params.get("period"):
            qs = qs.filter(period=params["period"].strip())
        if params.get("current") in ("true", "false"):
            qs = qs.filter(is_current=params["current"] == "true")
        return qs

    @extend_schema(summary="填报基数（新的填报版本；与现行相同则不变）", request=CountWriteSerializer,
                   responses={201: CountSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = validated(CountWriteSerializer(data=request.data))
        definition = selectors.definitions(request.user).filter(pk=data["definition"]).first()
        if definition is None:
            raise ApplicationError(f"指标“{data['definition']}”不存在。", field="definition")
        count = services.count_enter(actor=request.user, definition=definition, unit=data["unit"],
                                     period=data["period"], values=data["values"], note=data.get("note", ""))
        return respond_one(self, count.pk, CountSerializer, status.HTTP_201_CREATED, versioned=False)


class ValuesView(APIView):
    """Computed values: per indicator the zone, each 片区 and each village the user reads."""

    @extend_schema(summary="计算值：园区、片区、村（社区）", responses={200: ValueSerializer(many=True), **ERRORS},
                   parameters=[OpenApiParameter("definition", int, description="指标 id（不填为全部）"),
                               OpenApiParameter("period", str, description="期间（不填为各指标最新一期）")])
    def get(self, request, *args, **kwargs):
        if not selectors.may_read(request.user):
            raise PermissionDeniedError("只有领导、督查室、指标的数据主管单位和村（社区）可以查看乡村指标。")
        params = request.query_params
        defs = selectors.definitions(request.user)
        wanted = _int_param(params, "definition", "指标")
        if wanted is not None:
            defs = defs.filter(pk=wanted)
        defs = list(defs)
        if params.get("period"):
            try:
                periods = {d.pk: [parse_period(params["period"], d.period_kind)] for d in defs}
            except PeriodError as exc:
                raise ApplicationError(f"期间：{exc}。", field="period") from None
        else:
            periods = selectors.latest_periods(defs)
        return Response(ValueSerializer(selectors.value_rows(request.user, defs, periods), many=True).data)
