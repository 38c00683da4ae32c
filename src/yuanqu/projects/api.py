"""REST API of 重大项目: projects (list with the page's filters, detail with gates, returns and
problems, create, update), stage steps, monthly returns and problems. Same rules as the pages: reads
start from `visible_to(user)` (out of scope → 404); writes call the services (rights → 403, stale
version → 409, refused step or bad input → 400 with its Chinese message)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from yuanqu.core import clock
from yuanqu.core.api import (
    CONFLICT,
    ERRORS,
    IF_MATCH,
    AsOfToday,
    MonthField,
    RegisterViewSet,
    child_action,
    create_action,
    update_action,
    validated,
    versioned_input,
)
from yuanqu.core.errors import ApplicationError
from yuanqu.land.models import Parcel
from yuanqu.org.models import OrgUnit, User
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer

from . import services
from .filters import filter_projects
from .models import (
    GATE_CHOICES,
    GATES,
    Level,
    MonthlyReturn,
    Problem,
    ProblemCategory,
    Project,
    Stage,
    StageStep,
)


class StepSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    late = AsOfToday("is_late", label=_("滞后"))

    class Meta:
        model = StageStep
        fields = ["stage", "stage_label", "planned_on", "actual_on", "skipped", "skip_reason", "late"]
        read_only_fields = fields


class MonthlyReturnSerializer(serializers.ModelSerializer):
    month = MonthField(label=_("月份"))
    submitted_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MonthlyReturn
        fields = ["id", "month", "version", "completed_month", "completed_total", "progress", "submitted_by",
                  "submitted_at"]
        read_only_fields = ["id", "version", "submitted_by", "submitted_at"]


class ProblemSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="name", queryset=ProblemCategory.objects.all(),
                                            label=_("问题类别"))
    assigned_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False,
                                                       label=_("责任单位"))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    item_number = serializers.CharField(source="item.number", read_only=True, allow_null=True, default=None,
                                        label=_("督办单编号"))

    class Meta:
        model = Problem
        fields = ["id", "project", "category", "description", "assigned_unit", "status", "status_label",
                  "solution", "solved_on", "item", "item_number", "version"]
        read_only_fields = ["id", "project", "status", "status_label", "solution", "solved_on", "item",
                            "item_number", "version"]


class ProjectSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    lead_unit = UnitBriefSerializer(read_only=True)
    leader = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Project
        fields = ["id", "name", "investor", "industry", "chain_node", "total_investment", "fixed_investment",
                  "level", "level_label", "parcel", "lead_unit", "leader", "lead", "stage", "stage_label", "note",
                  "version", "updated_at"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    steps = serializers.SerializerMethodField(label=_("阶段"))
    returns = MonthlyReturnSerializer(many=True, read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)
    next_stages = serializers.SerializerMethodField(label=_("当前可记录的阶段"))

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "steps", "returns", "problems", "next_stages"]
        read_only_fields = fields

    def get_steps(self, project) -> list[dict]:
        steps = sorted(project.steps.all(), key=lambda s: GATES.index(s.stage))
        return StepSerializer(steps, many=True).data

    def get_next_stages(self, project) -> list[str]:
        request = self.context.get("request")
        return [str(s) for s in services.next_stages(request.user, project)] if request else []


class ProjectWriteSerializer(serializers.ModelSerializer):
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False,
                                                   label=_("牵头单位"))
    leader = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True,
                                                label=_("挂钩领导"))
    planned = serializers.DictField(child=serializers.DateField(allow_null=True), required=False,
                                    label=_("计划日期"), help_text=_("各阶段计划日期，如 {\"signed\": \"2026-03-01\"}"))
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))

    class Meta:
        model = Project
        fields = [*Project.WRITABLE_FIELDS, "planned", "version"]
        extra_kwargs = {"name": {"validators": []}}  # the service words the duplicate

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "parcel" in fields:
            # Only a parcel the user may see (or the one the project already has), as on the form.
            parcels = Parcel.objects.visible_to(request.user)
            project = self.context.get("project")
            if project is not None and project.parcel_id:
                parcels = parcels | Parcel.objects.filter(pk=project.parcel_id)
            fields["parcel"].queryset = parcels
        return fields


class FromLeadSerializer(ProjectWriteSerializer):
    """A signed lead's project: the lead, and what corrects or completes what it says (all optional)."""

    lead = serializers.IntegerField(min_value=1, label=_("招商线索"))

    class Meta(ProjectWriteSerializer.Meta):
        fields = ["lead", *ProjectWriteSerializer.Meta.fields]


class ReachSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=GATE_CHOICES, label=_("阶段"))
    actual_on = serializers.DateField(label=_("实际日期"))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("说明"),
                                    help_text=_("跳过阶段时为跳过原因（必填）"))
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))


class SolveSerializer(serializers.Serializer):
    solution = serializers.CharField(max_length=2000, label=_("解决情况"))
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))


class RaiseSerializer(serializers.Serializer):
    deadline = serializers.DateField(label=_("办理期限"))
    requirement = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("协调事项"))
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))


def _planned(view, data) -> dict:
    # The gates' planned dates go to the service beside the project's own fields.
    return {"planned": data.pop("planned", None)}


@extend_schema_view(
    list=extend_schema(summary="重大项目列表", parameters=[
        OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values, description="当前阶段"),
        OpenApiParameter("level", OpenApiTypes.STR, enum=Level.values, description="项目级别"),
        OpenApiParameter("unit", OpenApiTypes.INT, description="牵头单位 id"),
        OpenApiParameter("band", OpenApiTypes.INT, description="投资额档次 id（该档次及以上）"),
        OpenApiParameter("late", OpenApiTypes.BOOL, description="仅看阶段滞后的项目"),
        OpenApiParameter("q", OpenApiTypes.STR, description="搜索（项目、投资方、产业）"),
    ]),
    retrieve=extend_schema(summary="重大项目详情（含阶段、月报、问题）",
                           responses={200: ProjectDetailSerializer, 404: ERRORS[404]}),
)
class ProjectViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = Project, ProjectSerializer, ProjectDetailSerializer

    def listed(self, user, params):
        return filter_projects(user, params, clock.today())[1]

    def detailed(self, qs):
        return (qs.select_related("lead_unit", "leader")
                .prefetch_related("steps", "returns__submitted_by", "problems__category", "problems__item"))

    create = create_action(
        write=ProjectWriteSerializer, detail=ProjectDetailSerializer, run=services.project_create,
        ability="projects.edit", refusal="只有项目牵头单位的填报员可以登记重大项目。", summary="登记重大项目",
        context=True, prepare=_planned, responses={201: ProjectDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]})

    @extend_schema(summary="签约的招商线索转为重大项目（每条线索一次；未给的字段取自线索）", request=FromLeadSerializer,
                   responses={201: ProjectDetailSerializer, **ERRORS, **CONFLICT})
    @action(detail=False, methods=["post"], url_path="from-lead")
    def from_lead(self, request):
        data = validated(FromLeadSerializer(data=request.data, partial=True, context=self.get_serializer_context()))
        if "lead" not in data:
            raise ApplicationError("请填写招商线索（lead）。", field="lead")
        data.pop("version", None)
        lead, planned = data.pop("lead"), data.pop("planned", None)
        project = services.convert_lead(actor=request.user, lead=lead, data=data, planned=planned)
        return self.respond(project.pk, status.HTTP_201_CREATED)

    partial_update = update_action(
        write=ProjectWriteSerializer, detail=ProjectDetailSerializer, run=services.project_update, target="project",
        summary="修改重大项目（只改所给字段；planned 修改计划日期）", context=True, prepare=_planned,
        request_schema=ProjectWriteSerializer)

    @extend_schema(summary="记录到达阶段（实际日期不晚于今天、不早于上一阶段；跳过阶段须写原因）",
                   request=ReachSerializer, parameters=[IF_MATCH],
                   responses={200: ProjectDetailSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="stages")
    def stages(self, request, pk=None):
        project = self.get_object()
        data, version = versioned_input(request, ReachSerializer(data=request.data), required=True)
        services.stage_reach(actor=request.user, project=project, stage=data["stage"], actual_on=data["actual_on"],
                             comment=data.get("comment") or "", expected_version=version)
        return self.respond(project.pk)

    returns = child_action("returns", write=MonthlyReturnSerializer, run=services.return_submit, target="project",
                           summary="填报月报（同月再报为更正，生成新版本）")
    problems = child_action("problems", write=ProblemSerializer, run=services.problem_create, target="project",
                            summary="登记项目问题")


@extend_schema_view(
    list=extend_schema(summary="问题清单", parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=Problem.Status.values, description="状态")]),
    retrieve=extend_schema(summary="项目问题详情", responses={200: ProblemSerializer, 404: ERRORS[404]}),
)
class ProblemViewSet(RegisterViewSet):
    model, serializer_class = Problem, ProblemSerializer
    versioned = False

    def detailed(self, qs):
        qs = qs.select_related("category", "item")
        wanted = self.request.query_params.get("status")  # on one problem's read too, as always
        return qs.filter(status=wanted) if wanted in Problem.Status.values else qs

    @extend_schema(summary="问题销号", request=SolveSerializer, parameters=[IF_MATCH],
                   responses={200: ProblemSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        problem = self.get_object()
        data, version = versioned_input(request, SolveSerializer(data=request.data), required=True)
        services.problem_solve(actor=request.user, problem=problem, solution=data["solution"],
                               expected_version=version)
        return self.respond(problem.pk)

    @extend_schema(summary="提请领导协调（生成督办单）", request=RaiseSerializer, parameters=[IF_MATCH],
                   responses={200: ProblemSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="raise")
    def raise_item(self, request, pk=None):
        problem = self.get_object()
        data, version = versioned_input(request, RaiseSerializer(data=request.data), required=True)
        services.problem_raise(actor=request.user, problem=problem, data=data, expected_version=version)
        return self.respond(problem.pk)
