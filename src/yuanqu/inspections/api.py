"""REST API of the inspections register under /api/inspections/: inspections, hazards with each
lifecycle step, the 回头看 due (and recording one), and the pollution works with their stages.

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), the hazard list takes
the page's filters, every write goes through a service (rights → 403, stale version → 409, bad
input or a step not allowed in the state → 400 naming the field in Chinese). Steps need the
version the client saw, in the body or as If-Match.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from yuanqu.core import clock
from yuanqu.core.api import (
    ERRORS,
    ID,
    WRITE_RESPONSES,
    AllowedActions,
    AsOfToday,
    RegisterListViewSet,
    RegisterViewSet,
    WorkflowEventSerializer,
    create_action,
    respond_one,
    timeline,
    update_action,
    validated,
    workflow_steps,
)
from yuanqu.core.errors import ApplicationError
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer

from . import selectors, services
from .models import Action, Domain, Hazard, HazardEvent, Inspection, Level, Revisit, Work, WorkStage

# ---------------------------------------------------------------- shapes


class InspectedEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label=_("企业名称"))


class InspectionRecordSerializer(serializers.ModelSerializer):
    enterprise = InspectedEnterpriseSerializer(read_only=True, allow_null=True)
    village = UnitBriefSerializer(read_only=True, allow_null=True)
    inspecting_unit = UnitBriefSerializer(read_only=True)
    recorded_by = UserBriefSerializer(read_only=True, allow_null=True)
    place = serializers.CharField(read_only=True, label=_("被检查企业/地点"))
    checklist = serializers.ListField(child=serializers.CharField(), read_only=True, label=_("检查项目"))
    hazard_count = serializers.IntegerField(read_only=True, label=_("隐患数"))

    class Meta:
        model = Inspection
        fields = ["id", "domain", "enterprise", "site", "village", "place", "inspected_on", "inspecting_unit",
                  "inspectors", "template", "template_version", "checklist", "findings", "recorded_by",
                  "hazard_count", "version", "created_at"]
        read_only_fields = fields


class InspectionWriteSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(label=_("检查类别"), choices=Domain.choices)
    enterprise = serializers.IntegerField(label=_("企业"), required=False, **ID, help_text=_("检查企业时填写"))
    site = serializers.CharField(label=_("检查地点"), required=False, allow_blank=True, max_length=200)
    village = serializers.IntegerField(label=_("所在村（社区）"), required=False, **ID)
    inspected_on = serializers.DateField(label=_("检查日期"))
    inspecting_unit = serializers.IntegerField(label=_("检查单位"), required=False, **ID,
                                               help_text=_("不填为登记人所在单位"))
    inspectors = serializers.CharField(label=_("检查人员"), max_length=200)
    template = serializers.IntegerField(label=_("检查表"), required=False, **ID)
    findings = serializers.CharField(label=_("检查情况"), required=False, allow_blank=True, max_length=10000)


class InspectionEditSerializer(serializers.Serializer):
    """What an inspection's correction may change (services.EDITABLE)."""

    enterprise = serializers.IntegerField(label=_("企业"), required=False, allow_null=True, **ID)
    site = serializers.CharField(label=_("检查地点"), required=False, allow_blank=True, max_length=200)
    village = serializers.IntegerField(label=_("所在村（社区）"), required=False, allow_null=True, **ID)
    inspected_on = serializers.DateField(label=_("检查日期"), required=False)
    inspectors = serializers.CharField(label=_("检查人员"), required=False, max_length=200)
    findings = serializers.CharField(label=_("检查情况"), required=False, allow_blank=True, max_length=10000)
    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False,
                                       help_text=_("所修改检查记录的版本号；也可用 If-Match 头给出"))


class HazardEventSerializer(WorkflowEventSerializer):
    actor = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta(WorkflowEventSerializer.Meta):
        model = HazardEvent


class HazardInspectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    domain = serializers.CharField(read_only=True, label=_("检查类别"))
    place = serializers.CharField(read_only=True, label=_("被检查企业/地点"))
    inspected_on = serializers.DateField(read_only=True, label=_("检查日期"))


class HazardSerializer(serializers.ModelSerializer):
    """A hazard as a list row; `overdue` is computed for today, never stored."""

    inspection = HazardInspectionSerializer(read_only=True)
    responsible_unit = UnitBriefSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    overdue = AsOfToday("is_overdue")

    class Meta:
        model = Hazard
        fields = ["id", "inspection", "description", "level", "responsible_unit", "responsible_person", "state",
                  "state_label", "overdue", "notice_no", "notice_on", "requirement", "deadline", "rectified_on",
                  "closed_on", "recheck_failures", "reopen_count", "supervision_item", "version", "created_at"]
        read_only_fields = fields


class HazardDetailSerializer(HazardSerializer):
    events = HazardEventSerializer(many=True, read_only=True)
    allowed_actions = AllowedActions(services.allowed_actions)

    class Meta(HazardSerializer.Meta):
        fields = [*HazardSerializer.Meta.fields, "events", "allowed_actions"]
        read_only_fields = fields


class HazardWriteSerializer(serializers.Serializer):
    inspection = serializers.IntegerField(label=_("检查"), **ID)
    description = serializers.CharField(label=_("隐患（问题）描述"), max_length=10000)
    level = serializers.ChoiceField(label=_("隐患等级"), choices=Level.choices, required=False)
    responsible_unit = serializers.IntegerField(label=_("责任单位"), **ID)
    responsible_person = serializers.CharField(label=_("责任人"), required=False, allow_blank=True, max_length=60)


class HazardStepSerializer(serializers.Serializer):
    """What any step may carry; each step says what it requires (整改期限, 整改情况, 督办办理期限 …)."""

    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False,
                                       help_text=_("所处理隐患的版本号；也可用 If-Match 头给出"))
    comment = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=10000,
                                    help_text=_("下达通知时为整改要求，报告完成时为整改情况，复查不通过时为存在问题"))
    deadline = serializers.DateField(label=_("整改期限"), required=False,
                                     help_text=_("下达整改通知时必填；复查不通过时可给出新的期限"))
    supervision_deadline = serializers.DateField(label=_("督办办理期限"), required=False,
                                                 help_text=_("提请督办时必填"))


class RevisitSerializer(serializers.ModelSerializer):
    hazard = HazardSerializer(read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = Revisit
        fields = ["id", "hazard", "round", "due_on", "done_on", "result", "result_label", "note"]
        read_only_fields = fields


class RevisitRecordSerializer(serializers.Serializer):
    result = serializers.ChoiceField(label=_("结果"), choices=Revisit.Result.choices)
    note = serializers.CharField(label=_("情况说明"), required=False, allow_blank=True, max_length=10000,
                                 help_text=_("问题反弹时必填"))


class WorkStageSerializer(serializers.ModelSerializer):
    late = AsOfToday("is_late")

    class Meta:
        model = WorkStage
        fields = ["id", "order", "name", "planned_on", "done_on", "note", "late", "version"]
        read_only_fields = fields


class WorkSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.name", read_only=True, label=_("工程类别"))
    lead_unit = UnitBriefSerializer(read_only=True)
    village = UnitBriefSerializer(read_only=True, allow_null=True)
    stages = WorkStageSerializer(many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Work
        fields = ["id", "name", "kind", "lead_unit", "village", "started_on", "description", "progress", "stages",
                  "version"]
        read_only_fields = fields

    def get_progress(self, work) -> int:
        """Stages done, per cent."""
        stages = list(work.stages.all())
        return round(100 * sum(1 for s in stages if s.done_on) / len(stages)) if stages else 0


# ---------------------------------------------------------------- inspections

INSPECTION_PARAMETERS = selectors.INSPECTION_FILTERS.parameters()


@extend_schema_view(list=extend_schema(summary="检查记录", parameters=INSPECTION_PARAMETERS),
                    retrieve=extend_schema(summary="检查记录", responses={200: InspectionRecordSerializer, 404: ERRORS[404]}))
class InspectionViewSet(RegisterViewSet):
    model, serializer_class = Inspection, InspectionRecordSerializer
    versioned = False

    def listed(self, user, params):
        return selectors.filter_inspections(user, params, clock.today())[1]

    def detailed(self, qs):
        return (qs.select_related("enterprise", "village", "inspecting_unit", "recorded_by")
                .annotate(hazard_count=Count("hazards")))

    create = create_action(write=InspectionWriteSerializer, detail=InspectionRecordSerializer,
                           run=services.inspection_create, summary="登记检查")
    partial_update = update_action(
        write=InspectionEditSerializer, detail=InspectionRecordSerializer, run=services.inspection_update,
        target="inspection", request_schema=InspectionEditSerializer,
        summary="修改检查记录（地点、日期、检查人员、检查情况；隐患全部销号后不能修改）")


# ---------------------------------------------------------------- hazards

HAZARD_PARAMETERS = selectors.HAZARD_FILTERS.parameters()
STEP_SUMMARIES = {
    Action.NOTIFY: "下达整改通知（检查单位；deadline 为整改期限，comment 为整改要求）",
    Action.REPORT: "报告整改完成（责任单位；comment 为整改情况）",
    Action.PASS: "复查通过，销号（检查单位；安排回头看）",
    Action.FAIL: "复查不通过，退回整改（检查单位；comment 为存在问题，可给新的 deadline）",
    Action.REOPEN: "复发重新整改（检查单位；comment 为反弹情况）",
    Action.RAISE: "提请督办（重大或逾期隐患；检查单位或督查室；须给出 supervision_deadline）",
}


_step = workflow_steps(summaries=STEP_SUMMARIES, run=services.hazard_step, target="hazard",
                      request=HazardStepSerializer, response=HazardDetailSerializer)


def _hazard_inspection(view, data) -> dict:
    inspection = Inspection.objects.visible_to(view.request.user).filter(pk=data.pop("inspection")).first()
    if inspection is None:
        raise ApplicationError("检查不存在。", field="inspection")
    return {"inspection": inspection}


@extend_schema_view(list=extend_schema(summary="隐患", parameters=HAZARD_PARAMETERS),
                    retrieve=extend_schema(summary="隐患（含整改过程和可执行的操作）",
                                           responses={200: HazardDetailSerializer, 404: ERRORS[404]}))
class HazardViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = Hazard, HazardSerializer, HazardDetailSerializer

    def listed(self, user, params):
        return selectors.filter_hazards(user, params, clock.today())[1]

    def detailed(self, qs):
        return (qs.select_related("inspection__enterprise", "inspection__village", "inspection__inspecting_unit",
                                  "responsible_unit")
                .prefetch_related(timeline(HazardEvent)))

    create = create_action(write=HazardWriteSerializer, detail=HazardDetailSerializer, run=services.hazard_create,
                           prepare=_hazard_inspection, summary="登记隐患（检查单位）")

    notify = _step(Action.NOTIFY)
    report = _step(Action.REPORT)
    pass_ = _step(Action.PASS, "pass_")
    fail = _step(Action.FAIL)
    reopen = _step(Action.REOPEN)
    raise_ = _step(Action.RAISE, "raise_")


# ---------------------------------------------------------------- revisits


@extend_schema_view(list=extend_schema(summary="回头看（30 天内到期和已过期未做的）"))
class RevisitViewSet(RegisterListViewSet):
    model, serializer_class = Revisit, RevisitSerializer

    def listed(self, user, params):
        return selectors.revisits_due(user, clock.today())

    def detailed(self, qs):
        return qs.select_related("hazard__inspection__enterprise", "hazard__inspection__village",
                                 "hazard__responsible_unit")

    @extend_schema(summary="登记回头看结果（问题反弹时隐患重新整改）", request=RevisitRecordSerializer,
                   responses={200: RevisitSerializer, **WRITE_RESPONSES})
    @action(detail=True, methods=["post"], url_path="record", url_name="record")
    def record(self, request, pk=None):
        revisit = self.get_object()
        data = validated(RevisitRecordSerializer(data=request.data))
        services.revisit_record(actor=request.user, revisit=revisit, result=data["result"], note=data.get("note", ""))
        return respond_one(self, revisit.pk, RevisitSerializer, versioned=False)


# ---------------------------------------------------------------- works


@extend_schema_view(list=extend_schema(summary="污染治理工程（含阶段和进度）"),
                    retrieve=extend_schema(summary="污染治理工程", responses={200: WorkSerializer, 404: ERRORS[404]}))
class WorkViewSet(RegisterViewSet):
    model, serializer_class = Work, WorkSerializer
    versioned = False

    def detailed(self, qs):
        return (qs.select_related("kind", "lead_unit", "village")
                .prefetch_related(Prefetch("stages", queryset=WorkStage.objects.order_by("order")))
                .order_by("started_on", "pk"))
