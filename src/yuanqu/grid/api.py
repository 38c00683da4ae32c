"""REST API of the grid register under /api/grid/: grids, event categories, events and each lifecycle
step of an event.

Same rules as the pages: reads from `visible_to(user)` (out of scope → 404), the event list takes the
page's filters, every write goes through a service (rights → 403, stale version → 409, bad input or
a step out of order → 400 naming the field in Chinese). Steps need the version the client saw, in
the body or as If-Match. An event is reported as JSON, or as multipart/form-data with `photos`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from yuanqu.core.api import (
    ERRORS,
    ID,
    AllowedActions,
    ReferenceListViewSet,
    RegisterViewSet,
    WorkflowEventSerializer,
    create_action,
    timeline,
    workflow_steps,
)
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer

from . import selectors, services
from .models import (
    Action,
    EventCategory,
    EventPhoto,
    EventStep,
    Grid,
    GridEvent,
    GridObject,
    Severity,
    Source,
)

# ---------------------------------------------------------------- shapes


class GridObjectSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = GridObject
        fields = ["id", "kind", "kind_label", "name", "enterprise", "address", "note"]
        read_only_fields = fields


class GridSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    area = serializers.SerializerMethodField()
    leader = UserBriefSerializer(read_only=True, allow_null=True)
    workers = UserBriefSerializer(many=True, read_only=True)
    key_objects = GridObjectSerializer(source="objects_in", many=True, read_only=True)
    polygon = serializers.JSONField(read_only=True, allow_null=True, label=_("网格边界（GeoJSON）"))

    class Meta:
        model = Grid
        fields = ["id", "code", "name", "kind", "unit", "area", "households", "population", "leader", "workers",
                  "key_objects", "polygon", "is_active", "version"]
        read_only_fields = fields

    @extend_schema_field(UnitBriefSerializer(allow_null=True))
    def get_area(self, grid) -> dict | None:
        parent = grid.unit.parent
        return {"id": parent.pk, "name": parent.name} if parent else None


class GridCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = EventCategory
        fields = ["id", "code", "name", "parent", "negative_list", "negative_basis", "is_active"]
        read_only_fields = fields


class GridEventStepSerializer(WorkflowEventSerializer):
    actor = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta(WorkflowEventSerializer.Meta):
        model = EventStep


class GridPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = EventPhoto
        fields = ["id", "stage", "name", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, photo) -> str:
        return reverse("grid:photo", args=[photo.pk])


class GridEventSerializer(serializers.ModelSerializer):
    """An event as a list row; `overdue` is computed now, never stored."""

    category = GridCategorySerializer(read_only=True)
    grid = serializers.SerializerMethodField()
    assigned_unit = UnitBriefSerializer(read_only=True, allow_null=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = GridEvent
        fields = ["id", "number", "category", "source", "severity", "description", "grid", "address", "latitude",
                  "longitude", "reported_at", "state", "state_label", "assigned_unit", "dispatched_at", "limit",
                  "sign_due_at", "due_at", "signed_at", "fed_back_at", "result", "closed_at", "satisfaction",
                  "escalation_level", "overdue", "supervision_item", "version"]
        read_only_fields = fields

    @extend_schema_field(UnitBriefSerializer())
    def get_grid(self, event) -> dict:
        return {"id": event.grid_id, "name": event.grid.name}

    def get_overdue(self, event) -> bool:
        return event.is_overdue(services.now())


class GridEventDetailSerializer(GridEventSerializer):
    co_units = UnitBriefSerializer(many=True, read_only=True)
    reported_by = UserBriefSerializer(read_only=True, allow_null=True)
    steps = GridEventStepSerializer(many=True, read_only=True)
    photos = GridPhotoSerializer(many=True, read_only=True)
    allowed_actions = AllowedActions(services.allowed_actions)

    class Meta(GridEventSerializer.Meta):
        fields = [*GridEventSerializer.Meta.fields, "co_units", "reported_by", "steps", "photos", "allowed_actions"]
        read_only_fields = fields


class GridEventWriteSerializer(serializers.Serializer):
    category = serializers.IntegerField(label=_("事件类别"), **ID)
    grid = serializers.IntegerField(label=_("网格"), **ID)
    source = serializers.ChoiceField(label=_("来源"), choices=Source.choices, required=False)
    severity = serializers.ChoiceField(label=_("紧急程度"), choices=Severity.choices, required=False)
    description = serializers.CharField(label=_("事件描述"), max_length=5000)
    address = serializers.CharField(label=_("地址"), max_length=200, required=False, allow_blank=True)
    latitude = serializers.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(label=_("经度"), max_digits=10, decimal_places=6, required=False,
                                         min_value=-180, max_value=180)


class GridEventStepInputSerializer(serializers.Serializer):
    """What any step may carry; each step says what it requires (理由, 处置结果, 满意度, 承办单位 …)."""

    version = serializers.IntegerField(label=_("版本"), min_value=1, required=False,
                                       help_text=_("所处理事件的版本号；也可用 If-Match 头给出"))
    comment = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=5000,
                                    help_text=_("不予受理、退回、核查不通过时为理由，反馈时为处置结果"))
    unit = serializers.IntegerField(label=_("承办单位"), required=False, help_text=_("分拨时：不填按分拨规则"), **ID)
    co_units = serializers.ListField(label=_("协办单位"), child=serializers.IntegerField(**ID), required=False,
                                     max_length=20)
    satisfaction = serializers.IntegerField(label=_("满意度"), required=False, min_value=1, max_value=5)
    deadline = serializers.DateField(label=_("督办办理期限"), required=False, help_text=_("提请督办时必填"))


# ---------------------------------------------------------------- grids and categories


@extend_schema_view(list=extend_schema(summary="网格"),
                    retrieve=extend_schema(summary="网格", responses={200: GridSerializer, 404: ERRORS[404]}))
class GridViewSet(RegisterViewSet):
    model, serializer_class = Grid, GridSerializer
    versioned = False

    def detailed(self, qs):
        return qs.select_related("unit__parent", "leader").prefetch_related("workers", "objects_in")


@extend_schema_view(list=extend_schema(summary="事件类别（树，parent 为上级类别）"))
class CategoryViewSet(ReferenceListViewSet):
    model, serializer_class = EventCategory, GridCategorySerializer


# ---------------------------------------------------------------- events

EVENT_PARAMETERS = selectors.EVENT_FILTERS.parameters()
STEP_SUMMARIES = {
    Action.ACCEPT: "受理（网格指挥中心）", Action.REJECT: "不予受理（须填写理由）",
    Action.DISPATCH: "分拨（unit 不填按分拨规则；co_units 协办单位）", Action.SIGN: "签收（承办单位）",
    Action.HANDLE: "处置（承办单位）", Action.FEEDBACK: "反馈（承办单位，comment 为处置结果）",
    Action.RETURN: "退回重新分拨（承办单位，须填写理由）", Action.VERIFY: "核查通过（指挥中心或本网格网格员）",
    Action.VERIFY_FAIL: "核查不通过，退回处置（须写明现场情况）", Action.CLOSE: "结案（网格指挥中心）",
    Action.EVALUATE: "评价（satisfaction 1–5）", Action.RAISE: "提请督办（须给出督办办理期限 deadline）",
}


_step = workflow_steps(summaries=STEP_SUMMARIES, run=services.event_step, target="event",
                      request=GridEventStepInputSerializer, response=GridEventDetailSerializer)


def _photos(view, data) -> dict:
    request = view.request
    return {"photos": request.FILES.getlist("photos") if hasattr(request, "FILES") else []}


@extend_schema_view(list=extend_schema(summary="网格事件", parameters=EVENT_PARAMETERS),
                    retrieve=extend_schema(summary="网格事件（含办理过程、照片和可执行的操作）",
                                           responses={200: GridEventDetailSerializer, 404: ERRORS[404]}))
class EventViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = GridEvent, GridEventSerializer, GridEventDetailSerializer

    def listed(self, user, params):
        return selectors.filter_events(user, params, services.now())[1]

    def detailed(self, qs):
        return (qs.select_related("category", "grid", "assigned_unit", "reported_by")
                .prefetch_related("co_units", "photos",
                                  timeline(EventStep, "steps")))

    create = create_action(write=GridEventWriteSerializer, detail=GridEventDetailSerializer,
                           run=services.event_create, prepare=_photos,
                           summary="上报网格事件（JSON，或 multipart/form-data 附 photos 照片）")

    accept = _step(Action.ACCEPT)
    reject = _step(Action.REJECT)
    dispatch_ = _step(Action.DISPATCH, "dispatch_")
    sign = _step(Action.SIGN)
    handle = _step(Action.HANDLE)
    feedback = _step(Action.FEEDBACK)
    return_ = _step(Action.RETURN, "return_")
    verify = _step(Action.VERIFY)
    verify_fail = _step(Action.VERIFY_FAIL)
    close = _step(Action.CLOSE)
    evaluate = _step(Action.EVALUATE)
    raise_ = _step(Action.RAISE, "raise_")
