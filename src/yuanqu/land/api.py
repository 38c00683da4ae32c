"""REST API of the land register: parcels (with their polygon), 低效用地盘活 records, yearly quotas.

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), the list takes the
pages' filters (selectors.filter_parcels), every write goes through a service (rights → 403,
stale version → 409, bad input → 400 naming the field in Chinese).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from yuanqu.core.api import (
    ERRORS,
    RegisterViewSet,
    create_action,
    in_scope,
    update_action,
    validated,
)
from yuanqu.core.errors import PermissionDeniedError
from yuanqu.org.models import OrgUnit
from yuanqu.org.serializers import UnitBriefSerializer

from . import selectors, services
from .models import LandQuota, LandUse, Parcel, Revitalisation

# ---------------------------------------------------------------- shapes


class ParcelSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    planned_use = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    unit = UnitBriefSerializer(read_only=True)
    has_geometry = serializers.SerializerMethodField(label=_("已有边界"))

    class Meta:
        model = Parcel
        fields = ["id", "code", "name", "location", "area_mu", "area_text", "planned_use", "status", "status_label",
                  "holder", "supply_date", "unit", "note", "has_geometry", "version"]
        read_only_fields = fields

    def get_has_geometry(self, parcel) -> bool:
        present = getattr(parcel, "geometry_present", None)
        return bool(parcel.geometry) if present is None else present


class ParcelDetailSerializer(ParcelSerializer):
    geometry = serializers.JSONField(read_only=True, allow_null=True, label=_("边界（GeoJSON）"))

    class Meta(ParcelSerializer.Meta):
        fields = [*ParcelSerializer.Meta.fields, "geometry"]
        read_only_fields = fields


class ParcelWriteSerializer(serializers.Serializer):
    code = serializers.CharField(label=_("地块编号"), max_length=40)
    name = serializers.CharField(label=_("地块名称"), max_length=100)
    location = serializers.CharField(label=_("位置"), max_length=200, required=False, allow_blank=True)
    area_text = serializers.CharField(label=_("面积"), max_length=40,
                                      help_text=_("如 12.5亩、8000平方米、1.2公顷；只写数字按亩计"))
    planned_use = serializers.PrimaryKeyRelatedField(label=_("规划用途"), queryset=LandUse.objects.all(),
                                                     required=False, allow_null=True)
    status = serializers.ChoiceField(label=_("状态"), choices=Parcel.Status.choices)
    holder = serializers.CharField(label=_("土地使用权人"), max_length=200, required=False, allow_blank=True)
    supply_date = serializers.DateField(label=_("供地日期"), required=False, allow_null=True)
    unit = serializers.PrimaryKeyRelatedField(label=_("主管单位"), queryset=OrgUnit.objects.all())
    note = serializers.CharField(label=_("备注"), required=False, allow_blank=True)
    version = serializers.IntegerField(label=_("版本"), required=False)


class GeometrySerializer(serializers.Serializer):
    geometry = serializers.JSONField(label=_("边界（GeoJSON）"), allow_null=True,
                                     help_text=_("Polygon、MultiPolygon 或含其一的 Feature，WGS84 经纬度；null 清除"))


class RevitalisationSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Revitalisation
        fields = ["id", "parcel", "cause", "method", "method_label", "planned_date", "status", "status_label",
                  "area_mu", "completed_on", "version"]
        read_only_fields = fields


class RevitalisationWriteSerializer(serializers.Serializer):
    parcel = serializers.IntegerField(label=_("地块"), required=False, help_text=_("新建时必填：地块的 id"))
    cause = serializers.CharField(label=_("低效原因"), max_length=200)
    method = serializers.ChoiceField(label=_("盘活方式"), choices=Revitalisation.Method.choices)
    planned_date = serializers.DateField(label=_("计划完成日期"))
    status = serializers.ChoiceField(label=_("状态"), choices=Revitalisation.Status.choices, required=False)
    area_mu = serializers.DecimalField(label=_("盘活面积（亩）"), max_digits=12, decimal_places=2)
    completed_on = serializers.DateField(label=_("完成日期"), required=False, allow_null=True)
    version = serializers.IntegerField(label=_("版本"), required=False)


class QuotaSerializer(serializers.ModelSerializer):
    class Meta:
        model = LandQuota
        fields = ["id", "year", "requested_mu", "granted_mu", "note", "version"]
        read_only_fields = fields


class QuotaWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    requested_mu = serializers.DecimalField(label=_("申请指标（亩）"), max_digits=12, decimal_places=2)
    granted_mu = serializers.DecimalField(label=_("下达指标（亩）"), max_digits=12, decimal_places=2,
                                          required=False, allow_null=True)
    note = serializers.CharField(label=_("备注"), required=False, allow_blank=True)
    version = serializers.IntegerField(label=_("版本"), required=False)


# ---------------------------------------------------------------- views

LIST_PARAMETERS = selectors.PARCEL_FILTERS.parameters()


def _require_editor(user) -> None:
    # Before the body is read, so a reader hears "no right", not a field error.
    if not user.can("land.edit"):
        raise PermissionDeniedError("只有土地主管单位的填报员可以登记和修改地块。")


@extend_schema_view(
    list=extend_schema(summary="地块列表", parameters=LIST_PARAMETERS),
    retrieve=extend_schema(summary="地块详情（含边界）", responses={200: ParcelDetailSerializer, 404: ERRORS[404]}),
)
class ParcelViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = Parcel, ParcelSerializer, ParcelDetailSerializer

    def listed(self, user, params):
        return selectors.filter_parcels(user, params)[1]

    def detailed(self, qs):
        return qs.select_related("planned_use", "unit")

    create = create_action(write=ParcelWriteSerializer, detail=ParcelDetailSerializer, run=services.parcel_create,
                           check=_require_editor, summary="登记地块")
    partial_update = update_action(write=ParcelWriteSerializer, detail=ParcelDetailSerializer,
                                   run=services.parcel_update, target="parcel", summary="修改地块")

    @extend_schema(summary="上传或清除地块边界（系统管理员）", request=GeometrySerializer,
                   responses={200: ParcelDetailSerializer, **ERRORS})
    @action(detail=True, methods=["put"])
    def geometry(self, request, pk=None):
        parcel = self.get_object()
        data = validated(GeometrySerializer(data=request.data))
        services.parcel_set_geometry(actor=request.user, parcel=parcel, data=data["geometry"])
        return self.respond(parcel.pk)


@extend_schema_view(
    list=extend_schema(summary="低效用地盘活记录", parameters=[OpenApiParameter("parcel", int, description="地块 id")]),
    retrieve=extend_schema(summary="盘活记录详情"),
)
class RevitalisationViewSet(RegisterViewSet):
    model, serializer_class = Revitalisation, RevitalisationSerializer

    def listed(self, user, params):
        qs = super().listed(user, params)
        parcel = params.get("parcel")
        return qs.filter(parcel_id=int(parcel)) if parcel and parcel.isdigit() else qs

    def detailed(self, qs):
        return qs.order_by("planned_date", "pk")

    create = create_action(write=RevitalisationWriteSerializer, detail=RevitalisationSerializer,
                           run=services.revitalisation_create, check=_require_editor, summary="登记盘活记录",
                           prepare=in_scope(Parcel, "parcel", "地块：请填写本单位主管的地块的 id。"))
    partial_update = update_action(write=RevitalisationWriteSerializer, detail=RevitalisationSerializer,
                                   run=services.revitalisation_update, target="item", summary="修改盘活记录",
                                   drop=("parcel",))  # a record stays with its parcel


@extend_schema_view(list=extend_schema(summary="新增建设用地指标（按年度）"), retrieve=extend_schema(summary="某年度用地指标"))
class QuotaViewSet(RegisterViewSet):
    model, serializer_class = LandQuota, QuotaSerializer

    def detailed(self, qs):
        return qs.order_by("-year")

    create = create_action(write=QuotaWriteSerializer, detail=QuotaSerializer, run=services.quota_create,
                           check=_require_editor, summary="登记用地指标")
    partial_update = update_action(write=QuotaWriteSerializer, detail=QuotaSerializer, run=services.quota_update,
                                   target="quota", summary="修改用地指标")
