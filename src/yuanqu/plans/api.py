"""REST API for plans, targets, ledger items and progress reports.

Every queryset starts from the models' `visible_to(user)` (out of scope → 404), every write calls
a service (rights, validation, history). The target list filters, sorts and paginates over the
stored lights (plans.stored) in the database; a single target's light is computed with
`selectors.evaluate_targets`. No list grows its query count with the data.
"""

from __future__ import annotations

from collections import defaultdict

import django_filters as filters
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from yuanqu.core import clock
from yuanqu.core.api import (
    CONFLICT,
    ERRORS,
    IF_MATCH,
    JSONObjectParser,
    MonthField,
    RegisterViewSet,
    create_action,
    etag,
    expected_version,
    respond_one,
    update_action,
    validated,
    versioned_input,
)
from yuanqu.core.errors import PermissionDeniedError
from yuanqu.core.ids import IdConverter, parse_id
from yuanqu.core.pagination import ClampedPaginator, KeyedPagination
from yuanqu.org.models import OrgUnit
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer

from . import adjustments, selectors, services, stored
from .filters import STATUS_CHOICES, TargetFilterSet, visible_plans, visible_sections
from .models import LedgerItem, Measure, Plan, ProgressReport, Target, TargetAdjustment
from .serializers import MeasureBriefSerializer, SectionBriefSerializer, TargetBriefSerializer
from .status import Status


class LastPagePagination(KeyedPagination):
    django_paginator_class = ClampedPaginator


def _visible_targets(request):
    if request is None:
        return Target.objects.none()
    return Target.objects.visible_to(request.user)


# ---------------------------------------------------------------- plans


class PlanSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    progress_mode_label = serializers.CharField(source="get_progress_mode_display", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "year",
            "title",
            "status",
            "status_label",
            "progress_mode",
            "progress_mode_label",
            "gap_basis",
            "green_band",
            "yellow_band",
            "activated_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StatusCountsSerializer(serializers.Serializer):
    not_started = serializers.IntegerField(label=Status.NOT_STARTED.label)
    red = serializers.IntegerField(label=Status.RED.label)
    yellow = serializers.IntegerField(label=Status.YELLOW.label)
    green = serializers.IntegerField(label=Status.GREEN.label)
    done = serializers.IntegerField(label=Status.DONE.label)


class SectionTreeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    no = serializers.CharField(label=_("序号"))
    title = serializers.CharField(label=_("标题"))
    order = serializers.IntegerField(label=_("排序"))
    measures = MeasureBriefSerializer(many=True)
    target_count = serializers.IntegerField(label=_("可见目标数"))
    status_counts = StatusCountsSerializer(label=_("各状态目标数"))
    worst = serializers.ChoiceField(choices=STATUS_CHOICES, allow_null=True, label=_("最差状态"))


class PlanDetailSerializer(PlanSerializer):
    """A plan with its section tree; counts cover only the targets the user may see."""

    sections = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "source_text", "sections"]
        read_only_fields = fields

    @extend_schema_field(SectionTreeSerializer(many=True))
    def get_sections(self, plan) -> list:
        return SectionTreeSerializer(self.context.get("sections", []), many=True).data


def plan_section_tree(plan: Plan, user) -> list[dict]:
    """Sections → measures, with each section's visible targets counted by status (fixed queries)."""
    overview = selectors.section_overview(plan, user, clock.today())
    measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.filter(section__plan=plan):
        measures[measure.section_id].append(measure)
    return [
        {
            "id": row["section"].pk,
            "no": row["section"].no,
            "title": row["section"].title,
            "order": row["section"].order,
            "measures": measures.get(row["section"].pk, []),
            "target_count": row["total"],
            "status_counts": row["counts"],
            "worst": row["worst"].value if row["worst"] else None,
        }
        for row in overview
    ]


class PlanImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False, label=_("计划文件"), help_text=_("计划原文文件：文本（UTF-8 或 GB18030/GBK）、Word（.docx/.doc）、电子表格（.xlsx）或有文字层的 PDF；任务表按表头识别的列导入")
    )
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, label=_("计划原文"))
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, allow_null=True, label=_("年度"),
                                    help_text=_("默认：原文标题写明的年度"))
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("标题"))

    def validate(self, attrs):
        if not attrs.get("file") and not (attrs.get("text") or "").strip():
            raise serializers.ValidationError({"text": _("请上传计划文件，或填写计划原文。")})
        return attrs


class PickedTargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, label=_("目标编号"))
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1, label=_("版本号"))


class BulkAssignSerializer(serializers.Serializer):
    targets = PickedTargetSerializer(many=True, allow_empty=False, label=_("目标"))
    lead_unit = serializers.IntegerField(min_value=1, required=False, allow_null=True, label=_("牵头单位"))
    deadline = serializers.DateField(required=False, allow_null=True, label=_("完成期限"))
    points = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True,
                                      label=_("分值"))


class UnmappedNameSerializer(serializers.Serializer):
    name = serializers.CharField(label=_("单位名称（原文所写）"))
    targets = serializers.IntegerField(label=_("写有该名称的目标数"))
    as_lead = serializers.IntegerField(label=_("其中作为牵头单位的目标数"))
    candidates = UnitBriefSerializer(many=True, label=_("对应到的多个单位（有歧义时）"))


class UnitNamesSerializer(serializers.Serializer):
    version = serializers.IntegerField(label=_("计划版本号（对应时提交）"))
    names = UnmappedNameSerializer(many=True, label=_("待对应的单位名称"))


class NewUnitSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, label=_("新单位名称"))
    parent = serializers.IntegerField(min_value=1, required=False, allow_null=True, label=_("上级单位"))
    kind = serializers.ChoiceField(choices=OrgUnit.Kind.choices, default=OrgUnit.Kind.DEPARTMENT, label=_("类型"))


class UnitMappingSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, label=_("单位名称"))
    unit = serializers.IntegerField(min_value=1, required=False, allow_null=True, label=_("对应单位"))
    new_unit = NewUnitSerializer(required=False, allow_null=True, label=_("新建单位（仅系统管理员）"))
    ignore = serializers.BooleanField(default=False, label=_("忽略（不对应任何单位）"))
    keep_alias = serializers.BooleanField(default=False, label=_("保留为该单位的别名"))
    version = serializers.IntegerField(required=False, min_value=1, label=_("计划版本号"))

    def validate(self, attrs):
        given = [key for key in ("unit", "new_unit") if attrs.get(key)] + (["ignore"] if attrs.get("ignore") else [])
        if len(given) != 1:
            raise serializers.ValidationError({"unit": _("请在 unit（已有单位）、new_unit（新建单位）、ignore（忽略）中选且只选一项。")})
        return attrs


class PlanFilterSet(filters.FilterSet):
    year = filters.NumberFilter(label=_("年度"))
    status = filters.ChoiceFilter(choices=Plan.Status.choices, label=_("状态"))

    class Meta:
        model = Plan
        fields = ["year", "status"]


@extend_schema_view(
    list=extend_schema(summary="年度计划列表"),
    retrieve=extend_schema(
        summary="年度计划详情（含章节树）", responses={200: PlanDetailSerializer, 404: ERRORS[404]}
    ),
)
class PlanViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = Plan, PlanSerializer, PlanDetailSerializer
    filterset_class = PlanFilterSet

    def _detail(self, plan: Plan) -> dict:
        context = {**self.get_serializer_context(), "sections": plan_section_tree(plan, self.request.user)}
        return PlanDetailSerializer(plan, context=context).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    @extend_schema(
        summary="导入计划原文（生成草稿）",
        request={"multipart/form-data": PlanImportSerializer, "application/json": PlanImportSerializer},
        responses={201: PlanDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser, JSONObjectParser],
    )
    def import_text(self, request):
        # Checked before the upload is read; the service checks again.
        if not request.user.can("plans.edit_plan"):
            raise PermissionDeniedError("只有督查室或管理员可以导入计划。")
        data = validated(PlanImportSerializer(data=request.data))
        document = services.read_plan_upload(data["file"]) if data.get("file") else services.read_plan_paste(data["text"])
        plan = services.plan_import_text(
            actor=request.user, text=document.text, year=data.get("year"), title=data.get("title")
        )
        return Response(self._detail(plan), status=status.HTTP_201_CREATED)

    @extend_schema(summary="删除计划草稿（仅草稿；操作留痕，原文保存在修改记录中）", responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        services.plan_discard(actor=request.user, plan=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="批量指定牵头单位、完成期限、分值",
        description="所选目标全部设为同一牵头单位、完成期限和/或分值（未给出的不改）；"
                    "任一目标已被他人修改（版本不符）则全部不写入（409）。",
        request=BulkAssignSerializer,
        responses={200: PlanDetailSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        plan = self.get_object()
        data = validated(BulkAssignSerializer(data=request.data))
        services.target_bulk_assign(
            actor=request.user, plan=plan, versions={t["id"]: t.get("version") for t in data["targets"]},
            lead_unit=data.get("lead_unit"), deadline=data.get("deadline"), points=data.get("points"),
        )
        return Response(self._detail(plan))

    def _unit_names(self, plan: Plan) -> dict:
        targets = plan.targets.alive().only("id", "as_written")
        return UnitNamesSerializer({"version": plan.version, "names": selectors.unmapped_unit_names(targets)}).data

    @extend_schema(
        summary="待对应的单位名称",
        description="导入的目标中未能对应到单位（或对应到多个单位）的单位名称，及写有它的目标数。",
        responses={200: UnitNamesSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="unit-names")
    def unit_names(self, request, pk=None):
        plan = self.get_object()
        if not request.user.can("plans.edit_plan"):
            raise PermissionDeniedError("只有督查室或管理员可以对应单位名称。")
        return Response(self._unit_names(plan))

    @extend_schema(
        summary="对应单位名称",
        description="把一个单位名称对应到已有单位、新建的单位（仅系统管理员）或忽略，写入本计划所有写有该名称的目标；"
                    "keep_alias 同时保留为该单位的别名。须给出计划版本号（version 或 If-Match）；全部写入或全部不写入。",
        request=UnitMappingSerializer,
        parameters=[IF_MATCH],
        responses={200: UnitNamesSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="map-unit")
    def map_unit(self, request, pk=None):
        plan = self.get_object()
        data, version = versioned_input(request, UnitMappingSerializer(data=request.data), required=True)
        services.plan_map_unit_name(actor=request.user, plan=plan, expected_version=version, **data)
        plan.refresh_from_db()
        return Response(self._unit_names(plan))

    @extend_schema(summary="启用计划", request=None, responses={200: PlanDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        plan = services.plan_activate(actor=request.user, plan=self.get_object())
        return Response(self._detail(plan))

    @extend_schema(summary="关闭计划", request=None, responses={200: PlanDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        plan = services.plan_close(actor=request.user, plan=self.get_object())
        return Response(self._detail(plan))


# ---------------------------------------------------------------- targets


class EvaluationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_CHOICES, label=_("状态"))
    status_label = serializers.CharField(label=_("状态名称"))
    schedule = serializers.FloatField(label=_("序时进度（%）"))
    completion = serializers.FloatField(allow_null=True, label=_("完成进度（%）"))
    gap = serializers.FloatField(allow_null=True, label=_("落后序时进度（百分点）"))


def evaluation_data(evaluation) -> dict:
    return {
        "status": evaluation.status.value,
        "status_label": evaluation.status.label,
        "schedule": evaluation.schedule,
        "completion": evaluation.completion,
        "gap": evaluation.gap,
    }


class TargetSerializer(serializers.ModelSerializer):
    """A target as read; `evaluation` is its status today, computed for the whole page at once."""

    section = SectionBriefSerializer(read_only=True)
    measure = MeasureBriefSerializer(read_only=True, allow_null=True)
    lead_unit = UnitBriefSerializer(read_only=True, allow_null=True)
    cooperating_units = UnitBriefSerializer(many=True, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    comparator_label = serializers.CharField(source="get_comparator_display", read_only=True)
    target_display = serializers.CharField(read_only=True, label=_("目标表述"))
    evaluation = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "section",
            "measure",
            "title",
            "indicator",
            "kind",
            "kind_label",
            "comparator",
            "comparator_label",
            "target_value",
            "target_value_max",
            "unit",
            "baseline",
            "milestone",
            "start_date",
            "deadline",
            "weight",
            "points",
            "lead_unit",
            "cooperating_units",
            "as_written",
            "metric",
            "metric_params",
            "order",
            "version",
            "target_display",
            "evaluation",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(EvaluationSerializer)
    def get_evaluation(self, target) -> dict:
        evaluations = self.context.get("evaluations")
        if evaluations is None or target.pk not in evaluations:
            evaluations = selectors.evaluate_targets([target], clock.today())
        return evaluation_data(evaluations[target.pk])




class TargetCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["plan", *Target.WRITABLE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the user may see can be referenced.
        request = self.context.get("request")
        if request is not None:
            if "plan" in self.fields:
                self.fields["plan"].queryset = visible_plans(request)
            self.fields["section"].queryset = visible_sections(request)
            self.fields["measure"].queryset = Measure.objects.filter(section__in=visible_sections(request))


class TargetUpdateSerializer(TargetCreateSerializer):
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))

    class Meta(TargetCreateSerializer.Meta):
        fields = [*Target.WRITABLE_FIELDS, "version"]


class TargetDeleteSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))


@extend_schema_view(
    list=extend_schema(summary="目标列表（含今日状态）"),
    retrieve=extend_schema(summary="目标详情", responses={200: TargetSerializer, 404: ERRORS[404]}),
)
class TargetViewSet(RegisterViewSet):
    model, serializer_class = Target, TargetSerializer
    filterset_class = TargetFilterSet
    pagination_class = LastPagePagination

    def detailed(self, qs):
        return (
            qs.select_related("plan", "section", "measure", "lead_unit").defer("plan__source_text")
            .prefetch_related(Prefetch("cooperating_units", queryset=OrgUnit.objects.only("id", "name")))
        )

    def _data(self, targets, many: bool):
        items = list(targets) if many else [targets]
        context = {**self.get_serializer_context(), "evaluations": selectors.evaluate_targets(items, clock.today())}
        return TargetSerializer(targets, many=many, context=context).data

    def list(self, request, *args, **kwargs):
        # The status and overdue filters and the sorts read the stored lights (plans.stored): bring
        # the visible rows up to date (one query when they are), then filter, sort and paginate in
        # the database and show the page's stored figures.
        fresh = Target.objects.visible_to(request.user)
        plan = parse_id(request.query_params.get("plan"))
        stored.ensure_fresh(fresh.filter(plan_id=plan) if plan else fresh)  # only the asked plan's
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "evaluations": selectors.stored_evaluations(page)}
        return self.get_paginated_response(TargetSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        target = self.get_object()
        return Response(self._data(target, many=False), headers={"ETag": etag(target.version)})

    # A written target is answered with its light computed alone (TargetSerializer's own fallback).
    create = create_action(
        write=TargetCreateSerializer, detail=TargetSerializer, run=services.target_create, context=True,
        prepare=lambda view, data: {"plan": data.pop("plan")}, summary="新增目标",
        responses={201: TargetSerializer, 400: ERRORS[400], 403: ERRORS[403]})
    partial_update = update_action(
        write=TargetUpdateSerializer, detail=TargetSerializer, run=services.target_update, target="target",
        context=True, request_schema=TargetUpdateSerializer, summary="修改目标（须给出版本号）")

    @extend_schema(
        summary="删除目标（软删除，须给出版本号）",
        request=TargetDeleteSerializer,
        parameters=[IF_MATCH],
        responses={204: None, **ERRORS, **CONFLICT},
    )
    def destroy(self, request, *args, **kwargs):
        target = self.get_object()
        _data, version = versioned_input(request, TargetDeleteSerializer(data=request.data), required=True)
        services.target_delete(actor=request.user, target=target, expected_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- ledger items


class LedgerItemSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = LedgerItem
        fields = [
            "id",
            "target",
            "name",
            "unit",
            "status",
            "status_label",
            "amount",
            "completed_on",
            "note",
            "order",
            "version",
            "updated_at",
        ]
        read_only_fields = fields




class LedgerItemCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerItem
        fields = ["target", *LedgerItem.WRITABLE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "target" in self.fields:
            self.fields["target"].queryset = _visible_targets(request)


class LedgerItemUpdateSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, min_value=1, label=_("版本"))

    class Meta:
        model = LedgerItem
        fields = [*LedgerItem.WRITABLE_FIELDS, "version"]


class LedgerItemFilterSet(filters.FilterSet):
    target = filters.ModelChoiceFilter(queryset=_visible_targets, label=_("目标"))
    plan = filters.ModelChoiceFilter(field_name="target__plan", queryset=visible_plans, label=_("计划"))
    status = filters.ChoiceFilter(choices=LedgerItem.Status.choices, label=_("状态"))
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("搜索（名称）"))

    class Meta:
        model = LedgerItem
        fields = ["target", "plan", "status", "q"]


@extend_schema_view(
    list=extend_schema(summary="台账事项列表"),
    retrieve=extend_schema(summary="台账事项详情", responses={200: LedgerItemSerializer, 404: ERRORS[404]}),
)
class LedgerItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = IdConverter.regex
    serializer_class = LedgerItemSerializer
    filterset_class = LedgerItemFilterSet

    def get_queryset(self):
        visible = Target.objects.visible_to(self.request.user).values("pk")
        return LedgerItem.objects.alive().filter(target__in=visible).select_related("unit")

    create = create_action(
        write=LedgerItemCreateSerializer, detail=LedgerItemSerializer, run=services.ledger_item_create,
        context=True, prepare=lambda view, data: {"target": data.pop("target")}, summary="新增台账事项",
        responses={201: LedgerItemSerializer, 400: ERRORS[400], 403: ERRORS[403]})
    partial_update = update_action(
        write=LedgerItemUpdateSerializer, detail=LedgerItemSerializer, run=services.ledger_item_update,
        target="item", version_required=False, request_schema=LedgerItemUpdateSerializer, summary="修改台账事项")

    @extend_schema(summary="删除台账事项（软删除）", responses={204: None, **ERRORS})
    def destroy(self, request, *args, **kwargs):
        services.ledger_item_delete(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- progress reports


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(label=_("文件名"))
    # Media is not served directly: the download view checks the reader's scope.
    url = serializers.SerializerMethodField(label=_("下载地址"))

    def get_url(self, attachment) -> str:
        return reverse("plans:attachment_download", args=[attachment.pk])


class ReportSerializer(serializers.ModelSerializer):
    target = TargetBriefSerializer(read_only=True)
    period = MonthField(read_only=True, label=_("报告月份"))
    review_label = serializers.CharField(source="get_review_display", read_only=True)
    submitted_by = UserBriefSerializer(read_only=True)
    reviewed_by = UserBriefSerializer(read_only=True, allow_null=True)
    is_current = serializers.BooleanField(read_only=True, label=_("是否为该月最新版本"))
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "target",
            "period",
            "version",
            "is_current",
            "value",
            "percent",
            "narrative",
            "problems",
            "next_steps",
            "submitted_by",
            "submitted_at",
            "review",
            "review_label",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "attachments",
        ]
        read_only_fields = fields


class ReportCreateSerializer(serializers.ModelSerializer):
    period = MonthField(label=_("报告月份"))
    files = serializers.ListField(
        child=serializers.FileField(), required=False, label=_("附件"),
        help_text=_("multipart 上传，可多个：文档、表格、图片或压缩包，每个不超过20MB，最多10个"),
    )
    based_on_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        label=_("所依据的版本"),
        help_text=_("填报时看到的该月最新版本号（没有则为 0）；已有更新版本时拒绝保存"),
    )

    class Meta:
        model = ProgressReport
        fields = [
            "target",
            "period",
            "value",
            "percent",
            "narrative",
            "problems",
            "next_steps",
            "based_on_version",
            "files",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["target"].queryset = _visible_targets(request)


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, label=_("审核意见"))


class ReportFilterSet(filters.FilterSet):
    target = filters.ModelChoiceFilter(queryset=_visible_targets, label=_("目标"))
    plan = filters.ModelChoiceFilter(field_name="target__plan", queryset=visible_plans, label=_("计划"))
    lead_unit = filters.ModelChoiceFilter(
        field_name="target__lead_unit", queryset=OrgUnit.objects.all(), label=_("牵头单位")
    )
    period = filters.CharFilter(method="filter_period", label=_("报告月份（YYYY-MM）"))
    review = filters.ChoiceFilter(choices=ProgressReport.Review.choices, label=_("审核"))
    current = filters.BooleanFilter(method="filter_current", label=_("仅各月最新版本"))

    class Meta:
        model = ProgressReport
        fields = ["target", "plan", "lead_unit", "period", "review", "current"]

    def filter_period(self, queryset, name, value):
        return queryset.filter(period=services.month_start(value))

    def filter_current(self, queryset, name, value):
        return queryset.filter(is_current=value)


@extend_schema_view(
    list=extend_schema(summary="进度报告列表"),
    retrieve=extend_schema(summary="进度报告详情", responses={200: ReportSerializer, 404: ERRORS[404]}),
)
class ReportViewSet(RegisterViewSet):
    """Reports are append-only: a correction is a new version, so there is no update or delete."""

    model, serializer_class = ProgressReport, ReportSerializer
    filterset_class = ReportFilterSet
    versioned = False

    def detailed(self, qs):
        return (
            qs.with_is_current()
            .select_related("target", "submitted_by", "reviewed_by")
            .prefetch_related("attachments")
        )

    def _respond_one(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return respond_one(self, pk, ReportSerializer, code, versioned=False)  # versions are new rows

    @extend_schema(
        summary="填报进度（新版本）",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, 400: ERRORS[400], 403: ERRORS[403], **CONFLICT},
    )
    def create(self, request, *args, **kwargs):
        data = validated(ReportCreateSerializer(data=request.data, context=self.get_serializer_context()))
        report = services.report_submit(actor=request.user, **data)
        return self._respond_one(report.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="采纳报告", request=ReviewSerializer, responses={200: ReportSerializer, **ERRORS, **CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = validated(ReviewSerializer(data=request.data))
        report = services.report_accept(
            actor=request.user, report=self.get_object(), comment=data.get("comment", "")
        )
        return self._respond_one(report.pk)

    @extend_schema(
        summary="退回报告（须填写意见）",
        request=ReviewSerializer,
        responses={200: ReportSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        data = validated(ReviewSerializer(data=request.data))
        report = services.report_return(
            actor=request.user, report=self.get_object(), comment=data.get("comment", "")
        )
        return self._respond_one(report.pk)


# ---------------------------------------------------------------- 目标调整


class AdjustmentSerializer(serializers.ModelSerializer):
    lead_unit = UnitBriefSerializer(read_only=True)
    requested_by = UserBriefSerializer(read_only=True)
    decided_by = UserBriefSerializer(read_only=True)
    document_url = serializers.SerializerMethodField(label=_("依据文件下载地址"))

    class Meta:
        model = TargetAdjustment
        fields = ["id", "plan", "target", "lead_unit", "kind", "reason", "basis", "document_name", "document_url",
                  "changes", "parts", "before", "status", "requested_by", "requested_at", "decided_by",
                  "decided_at", "decision_comment", "version"]
        read_only_fields = fields

    def get_document_url(self, obj) -> str:
        return reverse("plans:adjustment_document", args=[obj.pk])


class AdjustmentCreateSerializer(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.none(), label=_("目标"))
    kind = serializers.ChoiceField(choices=TargetAdjustment.Kind.choices, label=_("调整类型"))
    reason = serializers.CharField(required=False, allow_blank=True, label=_("调整理由"))
    basis = serializers.ChoiceField(choices=TargetAdjustment.Basis.choices, required=False, allow_blank=True,
                                    label=_("依据"))
    document = serializers.FileField(required=False, label=_("依据文件"),
                                     help_text=_("multipart 上传：会议纪要、领导批示等，不超过20MB"))
    changes = serializers.JSONField(required=False, label=_("调整内容"),
                                    help_text=_("“调整目标内容”时：{字段: 新值}，可调整 " + "、".join(
                                        TargetAdjustment.CHANGEABLE) + "；单位以 id 表示"))
    parts = serializers.JSONField(required=False, label=_("拆分为"),
                                  help_text=_("“拆分目标”时：[{title, target_value, unit, deadline, lead_unit}, …]"))
    version = serializers.IntegerField(required=False, label=_("目标版本"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["target"].queryset = _visible_targets(request)


class AdjustmentDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, label=_("审批意见"))
    version = serializers.IntegerField(required=False, label=_("版本号"))


@extend_schema_view(
    list=extend_schema(summary="目标调整列表"),
    retrieve=extend_schema(summary="目标调整详情", responses={200: AdjustmentSerializer, 404: ERRORS[404]}),
)
class AdjustmentViewSet(RegisterViewSet):
    """The one way an active plan's targets change: asked, then approved (or refused, withdrawn)."""

    model, serializer_class = TargetAdjustment, AdjustmentSerializer
    filterset_fields = ["plan", "target", "status", "kind"]
    versioned = False

    def detailed(self, qs):
        return qs.select_related("lead_unit", "requested_by", "decided_by").order_by("-requested_at", "-pk")

    @extend_schema(summary="申请目标调整", request={"multipart/form-data": AdjustmentCreateSerializer},
                   responses={201: AdjustmentSerializer, 400: ERRORS[400], 403: ERRORS[403], **CONFLICT})
    def create(self, request, *args, **kwargs):
        data = validated(AdjustmentCreateSerializer(data=request.data, context=self.get_serializer_context()))
        adjustment = adjustments.adjustment_request(
            actor=request.user, target=data["target"], kind=data["kind"], reason=data.get("reason", ""),
            basis=data.get("basis", ""), document=data.get("document"), changes=data.get("changes") or {},
            parts=data.get("parts") or [], expected_version=data.get("version"),
        )
        return self.respond(adjustment.pk, status.HTTP_201_CREATED)

    def _decide(self, request, action_name: str) -> Response:
        data = validated(AdjustmentDecisionSerializer(data=request.data))
        adjustment = adjustments.adjustment_decide(
            actor=request.user, adjustment=self.get_object(), action=action_name, comment=data.get("comment", ""),
            expected_version=expected_version(request, data.get("version"), required=False),
        )
        return self.respond(adjustment.pk)

    @extend_schema(summary="批准目标调整（即时生效）", request=AdjustmentDecisionSerializer,
                   parameters=[IF_MATCH], responses={200: AdjustmentSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, "approve")

    @extend_schema(summary="不同意目标调整（须填写意见）", request=AdjustmentDecisionSerializer,
                   parameters=[IF_MATCH], responses={200: AdjustmentSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, "refuse")

    @extend_schema(summary="撤回目标调整申请", request=AdjustmentDecisionSerializer,
                   parameters=[IF_MATCH], responses={200: AdjustmentSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._decide(request, "withdraw")
