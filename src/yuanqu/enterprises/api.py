"""REST API of the enterprise register: enterprises (read, and written by the 经发局), yearly
figures (read, every version), growth tiers (read).

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), the list takes the
pages' filters (selectors.filter_enterprises), every write goes through a service (rights → 403,
stale version → 409, bad input → 400 naming the field in Chinese).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from yuanqu.core.api import ERRORS, RegisterViewSet, create_action, update_action
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.land.models import Parcel
from yuanqu.org.models import OrgUnit
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer

from . import selectors, services
from .credit_code import credit_code_problem, normalise
from .models import Enterprise, EnterpriseFigure, EnterpriseTag, IndustryDivision

# ---------------------------------------------------------------- shapes


class EnterpriseSerializer(serializers.ModelSerializer):
    industry = serializers.SerializerMethodField(label=_("行业"))
    scale = serializers.CharField(read_only=True, label=_("规模（above 规上 / below 规下）"))
    liaison_unit = UnitBriefSerializer(read_only=True, allow_null=True)
    liaison_leader = UserBriefSerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "registered_on", "production_on", "address", "industry", "scale",
                  "above_scale_since", "land_mu", "liaison_unit", "liaison_leader", "tags", "note", "version"]
        read_only_fields = fields

    def get_industry(self, enterprise) -> dict | None:
        division = enterprise.industry
        if division is None:
            return None
        return {"code": division.code, "name": division.name, "section": division.section.code}


class EnterpriseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("企业名称"), max_length=200)
    credit_code = serializers.CharField(label=_("统一社会信用代码"), max_length=30)
    registered_on = serializers.DateField(label=_("注册日期"), required=False, allow_null=True)
    production_on = serializers.DateField(label=_("投产日期"), required=False, allow_null=True)
    address = serializers.CharField(label=_("地址"), max_length=200, required=False, allow_blank=True)
    industry = serializers.SlugRelatedField(label=_("行业（大类代码）"), slug_field="code", required=False,
                                            allow_null=True, queryset=IndustryDivision.objects.all())
    above_scale_since = serializers.DateField(label=_("纳入规上日期"), required=False, allow_null=True)
    land_mu = serializers.DecimalField(label=_("用地面积（亩）"), max_digits=12, decimal_places=2, min_value=0,
                                       required=False, allow_null=True)
    parcels = serializers.PrimaryKeyRelatedField(label=_("地块"), many=True, required=False,
                                                 queryset=Parcel.objects.all())
    liaison_unit = serializers.PrimaryKeyRelatedField(label=_("挂钩单位"), required=False, allow_null=True,
                                                      queryset=OrgUnit.objects.all())
    liaison_leader = serializers.PrimaryKeyRelatedField(label=_("挂钩领导"), required=False, allow_null=True,
                                                        queryset=get_user_model().objects.all())
    tags = serializers.SlugRelatedField(label=_("标签"), slug_field="name", many=True, required=False,
                                        queryset=EnterpriseTag.objects.all())
    note = serializers.CharField(label=_("备注"), required=False, allow_blank=True)
    version = serializers.IntegerField(label=_("版本"), required=False)

    def validate_credit_code(self, value):
        code = normalise(value)
        problem = credit_code_problem(code)
        if problem:
            raise serializers.ValidationError(problem)
        return code


class FigureSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="key", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    source = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = EnterpriseFigure
        fields = ["id", "enterprise", "year", "indicator", "indicator_name", "unit", "value", "source", "version",
                  "batch", "created_at"]
        read_only_fields = fields


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ladder = serializers.CharField()
    name = serializers.CharField()


class MovedSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    name = serializers.CharField()
    before = StepSerializer(allow_null=True)
    after = StepSerializer()


class CandidateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    name = serializers.CharField()
    step = StepSerializer()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    share = serializers.DecimalField(max_digits=8, decimal_places=1, help_text=_("当前值占门槛的百分比"))


class TierReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    moved_up = MovedSerializer(many=True)
    new_above_scale = serializers.ListField(child=serializers.IntegerField(), help_text=_("本年纳入规上的企业 id"))
    candidates = CandidateSerializer(many=True)


def _step(step):
    return None if step is None else {"id": step.pk, "ladder": step.ladder, "name": step.name}


# ---------------------------------------------------------------- views

LIST_PARAMETERS = selectors.ENTERPRISE_FILTERS.parameters()


def _require_editor(user) -> None:
    if not services.may_edit(user):
        raise PermissionDeniedError("只有经发局企业管理员或系统管理员可以登记和修改企业。")


@extend_schema_view(list=extend_schema(summary="企业列表", parameters=LIST_PARAMETERS),
                    retrieve=extend_schema(summary="企业详情"))
class EnterpriseViewSet(RegisterViewSet):
    model, serializer_class = Enterprise, EnterpriseSerializer
    versioned = False

    def listed(self, user, params):
        return selectors.filter_enterprises(user, params)[1]

    def detailed(self, qs):
        return qs.select_related("industry__section", "liaison_unit", "liaison_leader").prefetch_related("tags")

    create = create_action(write=EnterpriseWriteSerializer, detail=EnterpriseSerializer,
                           run=services.enterprise_create, check=_require_editor, summary="登记企业")
    partial_update = update_action(write=EnterpriseWriteSerializer, detail=EnterpriseSerializer,
                                   run=services.enterprise_update, target="enterprise", check=_require_editor,
                                   summary="修改企业")


@extend_schema_view(list=extend_schema(summary="企业年度数据（每个版本）", parameters=[
    OpenApiParameter("enterprise", int, description="企业 id"), OpenApiParameter("year", int, description="年度"),
    OpenApiParameter("current", bool, description="true：只列当前值（每个指标的最新版本）")]),
    retrieve=extend_schema(summary="一条年度数据"))
class FigureViewSet(RegisterViewSet):
    model, serializer_class = EnterpriseFigure, FigureSerializer
    versioned = False

    def detailed(self, qs):
        # The filters narrow one figure's read too, as they narrow the list.
        qs = qs.select_related("indicator", "source").order_by("enterprise_id", "year", "indicator__order", "version")
        params = self.request.query_params
        for key in ("enterprise", "year"):
            if (params.get(key) or "").isdigit():
                qs = qs.filter(**{key: int(params[key])})
        if params.get("current") == "true":
            later = EnterpriseFigure.objects.filter(enterprise=OuterRef("enterprise"), year=OuterRef("year"),
                                                    indicator=OuterRef("indicator"), version__gt=OuterRef("version"))
            qs = qs.exclude(Exists(later))
        return qs


class TierView(APIView):
    """One report per year, not a list of rows: a plain view, so the schema describes one object."""

    @extend_schema(summary="成长梯队：本年上台阶、小升规、后备企业",
                   parameters=[OpenApiParameter("year", int, description="年度（默认最近有数据的年度）")],
                   responses={200: TierReportSerializer, **ERRORS})
    def get(self, request, *args, **kwargs):
        if not (request.user.can("enterprises.read") or request.user.scope_units()):
            raise PermissionDeniedError("只有领导、督查室、经发局和挂钩单位可以查看企业。")
        year = request.query_params.get("year", "")
        if year and not (year.isdigit() and 1990 <= int(year) <= 2100):
            raise ApplicationError("年度：请填写 1990–2100 之间的年份。", field="year")
        report = selectors.tier_report(request.user, int(year) if year else selectors.latest_year())
        return Response(TierReportSerializer({
            "year": report.year,
            "moved_up": [{"enterprise": e.pk, "name": e.name, "before": _step(a), "after": _step(b)}
                         for e, a, b in report.moved_up],
            "new_above_scale": [e.pk for e in report.new_above_scale],
            "candidates": [{"enterprise": c.enterprise.pk, "name": c.enterprise.name, "step": _step(c.step),
                            "value": c.value, "share": c.share} for c in report.candidates],
        }).data)
