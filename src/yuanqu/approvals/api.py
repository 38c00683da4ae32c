"""REST API of the approvals register under /api/approvals/: the catalogue, reform targets and
their scenarios (with the figures against the target), cases and post-approval inspections.

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), the case list takes
the page's filters, every write goes through a service (rights → 403, stale version → 409, bad
input → 400 naming the field in Chinese).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from yuanqu.core import clock
from yuanqu.core.api import (
    ERRORS,
    RegisterViewSet,
    create_action,
    in_scope,
    update_action,
)
from yuanqu.core.errors import PermissionDeniedError
from yuanqu.org.models import OrgUnit

from . import selectors, services
from .models import (
    END_EVENTS,
    START_EVENTS,
    Case,
    CaseKind,
    HandlingDepth,
    Inspection,
    ItemType,
    ReformBundle,
    Scenario,
    ServiceItem,
)

# ---------------------------------------------------------------- shapes


class ServiceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["id", "code", "name", "item_type", "depth", "kind", "statutory_days", "promised_days",
                  "commitment", "inspection_days", "is_active", "version"]
        read_only_fields = fields


class ServiceItemWriteSerializer(serializers.Serializer):
    code = serializers.CharField(label=_("事项编码"), max_length=60)
    name = serializers.CharField(label=_("事项名称"), max_length=200)
    item_type = serializers.ChoiceField(label=_("事项类型"), choices=ItemType.choices, required=False)
    depth = serializers.ChoiceField(label=_("网上办理深度"), choices=HandlingDepth.choices, required=False)
    kind = serializers.ChoiceField(label=_("办件类型"), choices=CaseKind.choices, required=False)
    statutory_days = serializers.IntegerField(label=_("法定办结时限（工作日）"), min_value=0, max_value=3650)
    promised_days = serializers.IntegerField(label=_("承诺办结时限（工作日）"), min_value=0, max_value=3650)
    commitment = serializers.BooleanField(label=_("适用告知承诺"), required=False)
    inspection_days = serializers.IntegerField(label=_("审后核查期限（工作日）"), min_value=0, max_value=3650,
                                               required=False)
    is_active = serializers.BooleanField(label=_("启用"), required=False)
    version = serializers.IntegerField(label=_("版本"), required=False)


class ScenarioSerializer(serializers.ModelSerializer):
    clock = serializers.CharField(source="clock_label", read_only=True)

    class Meta:
        model = Scenario
        fields = ["id", "bundle", "name", "target_days", "start_event", "end_event", "clock", "items", "order",
                  "version"]
        read_only_fields = fields


class ScenarioWriteSerializer(serializers.Serializer):
    bundle = serializers.IntegerField(label=_("改革目标"), required=False, help_text=_("新建时必填：改革目标的 id"))
    name = serializers.CharField(label=_("场景"), max_length=60)
    target_days = serializers.DecimalField(label=_("目标时限（工作日）"), max_digits=5, decimal_places=1)
    start_event = serializers.ChoiceField(label=_("起算"), choices=[(e.value, e.label) for e in START_EVENTS])
    end_event = serializers.ChoiceField(label=_("止算"), choices=[(e.value, e.label) for e in END_EVENTS])
    items = serializers.PrimaryKeyRelatedField(label=_("所含事项"), many=True, queryset=ServiceItem.objects.all(),
                                               required=False)
    order = serializers.IntegerField(label=_("排序"), min_value=0, required=False)
    version = serializers.IntegerField(label=_("版本"), required=False)


class BundleSerializer(serializers.ModelSerializer):
    scenarios = ScenarioSerializer(many=True, read_only=True)

    class Meta:
        model = ReformBundle
        fields = ["id", "code", "name", "year", "note", "scenarios", "version"]
        read_only_fields = fields


class BundleWriteSerializer(serializers.Serializer):
    code = serializers.CharField(label=_("目标代号"), max_length=20)
    name = serializers.CharField(label=_("名称"), max_length=100)
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    note = serializers.CharField(label=_("依据"), required=False, allow_blank=True)
    version = serializers.IntegerField(label=_("版本"), required=False)


FIGURES = inline_serializer("ScenarioFigures", {
    "scenario": serializers.IntegerField(), "name": serializers.CharField(),
    "target_days": serializers.DecimalField(max_digits=5, decimal_places=1),
    "cases": serializers.IntegerField(), "on_time": serializers.IntegerField(),
    "share": serializers.FloatField(allow_null=True), "median": serializers.IntegerField(allow_null=True),
    "p90": serializers.IntegerField(allow_null=True),
}, many=True)


class CaseSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "item", "item_code", "item_name", "applicant", "handling_unit", "received_on",
                  "correction_notice_on", "correction_done_on", "accepted_on", "decided_on", "delivered_on",
                  "suspensions_text", "note", "due_on", "days_received_decided", "days_received_delivered",
                  "days_accepted_decided", "days_accepted_delivered", "suspended_days", "late", "version"]
        read_only_fields = fields


class CaseWriteSerializer(serializers.Serializer):
    number = serializers.CharField(label=_("办件编号"), max_length=60)
    item = serializers.PrimaryKeyRelatedField(label=_("事项"), queryset=ServiceItem.objects.all())
    applicant = serializers.CharField(label=_("申请人"), max_length=200)
    handling_unit = serializers.PrimaryKeyRelatedField(label=_("办理单位"), queryset=OrgUnit.objects.all(),
                                                       required=False, allow_null=True)
    received_on = serializers.DateField(label=_("收件日期"))
    correction_notice_on = serializers.DateField(label=_("补正告知日期"), required=False, allow_null=True)
    correction_done_on = serializers.DateField(label=_("补正完成日期"), required=False, allow_null=True)
    accepted_on = serializers.DateField(label=_("受理日期"), required=False, allow_null=True)
    decided_on = serializers.DateField(label=_("办结日期"), required=False, allow_null=True)
    delivered_on = serializers.DateField(label=_("送达日期"), required=False, allow_null=True)
    suspensions_text = serializers.CharField(label=_("中止时段"), required=False, allow_blank=True,
                                             help_text=_("如“专家评审 2026-03-04至2026-03-09；公示 2026-03-10至2026-03-16”"))
    note = serializers.CharField(label=_("备注"), required=False, allow_blank=True)
    version = serializers.IntegerField(label=_("版本"), required=False)


class InspectionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "case", "case_number", "due_on", "outcome", "checked_on", "note", "version"]
        read_only_fields = fields


class InspectionWriteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(label=_("核查结果"), choices=Inspection.Outcome.choices)
    checked_on = serializers.DateField(label=_("核查日期"), required=False, allow_null=True)
    note = serializers.CharField(label=_("核查意见"), required=False, allow_blank=True)
    version = serializers.IntegerField(label=_("版本"), required=False)


# ---------------------------------------------------------------- views


def _require_editor(user) -> None:
    # Before the body is read, so a reader hears "no right", not a field error.
    if not services.may_edit(user):
        raise PermissionDeniedError("只有行政审批局的审批人员和系统管理员可以维护办件和事项目录。")


class _Approvals(RegisterViewSet):
    related: tuple[str, ...] = ()  # none: select_related() follows every non-null foreign key

    def detailed(self, qs):
        return qs.select_related(*self.related)


@extend_schema_view(list=extend_schema(summary="事项目录"), retrieve=extend_schema(summary="事项"))
class ItemViewSet(_Approvals):
    serializer_class = ServiceItemSerializer
    model = ServiceItem

    create = create_action(write=ServiceItemWriteSerializer, detail=ServiceItemSerializer, run=services.item_create,
                           check=_require_editor, summary="登记事项")
    partial_update = update_action(write=ServiceItemWriteSerializer, detail=ServiceItemSerializer,
                                   run=services.item_update, target="item", check=_require_editor, summary="修改事项")


@extend_schema_view(list=extend_schema(summary="改革目标（含场景）"), retrieve=extend_schema(summary="改革目标"))
class BundleViewSet(_Approvals):
    serializer_class = BundleSerializer
    model = ReformBundle

    def detailed(self, qs):
        return super().detailed(qs).prefetch_related("scenarios__items")

    create = create_action(write=BundleWriteSerializer, detail=BundleSerializer, run=services.bundle_create,
                           check=_require_editor, summary="登记改革目标")
    partial_update = update_action(write=BundleWriteSerializer, detail=BundleSerializer, run=services.bundle_update,
                                   target="bundle", check=_require_editor, summary="修改改革目标")

    @extend_schema(summary="各场景对照目标：办件数、按时数、按时率、用时中位数和90%分位数（当年截至今天）",
                   responses={200: FIGURES, 404: ERRORS[404]})
    @action(detail=True, methods=["get"], pagination_class=None)  # one row per scenario: a plain list
    def figures(self, request, pk=None):
        bundle = self.get_object()
        rows = selectors.bundle_figures(request.user, bundle, clock.today())
        return Response([{
            "scenario": r.scenario.pk, "name": r.scenario.name, "target_days": r.scenario.target_days,
            "cases": r.figures.cases, "on_time": r.figures.on_time, "share": r.figures.share,
            "median": r.figures.median, "p90": r.figures.p90,
        } for r in rows])


@extend_schema_view(list=extend_schema(summary="改革场景"), retrieve=extend_schema(summary="改革场景"))
class ScenarioViewSet(_Approvals):
    serializer_class = ScenarioSerializer
    model = Scenario

    def detailed(self, qs):
        return super().detailed(qs).prefetch_related("items")

    create = create_action(write=ScenarioWriteSerializer, detail=ScenarioSerializer, run=services.scenario_create,
                           check=_require_editor, summary="登记场景",
                           prepare=in_scope(ReformBundle, "bundle", "改革目标：请填写已有改革目标的 id。"))
    partial_update = update_action(write=ScenarioWriteSerializer, detail=ScenarioSerializer,
                                   run=services.scenario_update, target="scenario", check=_require_editor,
                                   drop=("bundle",), summary="修改场景")  # a scenario stays with its bundle


CASE_PARAMETERS = selectors.CASE_FILTERS.parameters()


@extend_schema_view(list=extend_schema(summary="办件列表", parameters=CASE_PARAMETERS),
                    retrieve=extend_schema(summary="办件（含计时结果）"))
class CaseViewSet(_Approvals):
    serializer_class = CaseSerializer
    model = Case
    related = ("item",)

    def listed(self, user, params):
        return selectors.filter_cases(user, params)[1]

    create = create_action(write=CaseWriteSerializer, detail=CaseSerializer, run=services.case_create,
                           check=_require_editor, summary="登记办件")
    partial_update = update_action(write=CaseWriteSerializer, detail=CaseSerializer, run=services.case_update,
                                   target="case", check=_require_editor, summary="修改办件")


@extend_schema_view(list=extend_schema(summary="审后核查任务"), retrieve=extend_schema(summary="审后核查"))
class InspectionViewSet(_Approvals):
    serializer_class = InspectionSerializer
    model = Inspection
    related = ("case",)

    partial_update = update_action(write=InspectionWriteSerializer, detail=InspectionSerializer,
                                   run=services.inspection_record, target="inspection", check=_require_editor,
                                   summary="登记审后核查结果")
