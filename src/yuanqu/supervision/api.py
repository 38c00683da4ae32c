"""REST API for 督办单: list and detail, 立项, each lifecycle action, extension requests and decisions.

Same rules as the pages (views.py): reads start from `SupervisionItem.objects.visible_to(user)`
(out of scope → 404), the list uses the pages' filters (filters.filter_items), and every write calls
a service (rights → 403, stale version → 409, refused transition → 400 with its Chinese message).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yuanqu.core import clock
from yuanqu.core.api import (
    CONFLICT,
    ERRORS,
    IF_MATCH,
    AsOfToday,
    RegisterViewSet,
    WorkflowEventSerializer,
    create_action,
    validated,
    versioned_input,
)
from yuanqu.core.ids import IdConverter
from yuanqu.org.models import OrgUnit
from yuanqu.org.serializers import UnitBriefSerializer, UserBriefSerializer
from yuanqu.plans.models import Target
from yuanqu.plans.serializers import TargetBriefSerializer

from . import services
from .filters import ITEM_FILTERS, filter_items
from .models import ExtensionRequest, SupervisionAttachment, SupervisionEvent, SupervisionItem

Action = SupervisionEvent.Action
UNITS_BRIEF = Prefetch("assisting_units", queryset=OrgUnit.objects.only("id", "name").order_by("pk"))


# ---------------------------------------------------------------- read shapes


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(label=_("下载地址"))

    class Meta:
        model = SupervisionAttachment
        fields = ["id", "name", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse("supervision:attachment_download", args=[attachment.pk])


class EventSerializer(WorkflowEventSerializer):
    attachments = EvidenceSerializer(many=True, read_only=True, label=_("佐证材料"))
    actor = UserBriefSerializer(read_only=True, allow_null=True)
    # Plain strings: as enums they would repeat `state`'s choice set under other names (a schema warning).
    from_state = serializers.CharField(read_only=True, label=_("原状态"), help_text=_("状态代码，同 state；空为无"))
    to_state = serializers.CharField(read_only=True, label=_("新状态"), help_text=_("状态代码，同 state；空为无"))

    class Meta(WorkflowEventSerializer.Meta):
        model = SupervisionEvent
        fields = [*WorkflowEventSerializer.Meta.fields, "attachments"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = UserBriefSerializer(read_only=True)
    decided_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "item",
            "previous_deadline",
            "requested_deadline",
            "reason",
            "progress",
            "status",
            "status_label",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_comment",
        ]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    """A 督办单 as a list row; `overdue` and `days_left` are computed for today, never stored."""

    source_kind_label = serializers.CharField(source="get_source_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    target = TargetBriefSerializer(read_only=True, allow_null=True)
    lead_unit = UnitBriefSerializer(read_only=True)
    assisting_units = UnitBriefSerializer(many=True, read_only=True)
    overdue = AsOfToday("is_overdue")
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionItem
        fields = [
            "id",
            "number",
            "year",
            "title",
            "source_kind",
            "source_kind_label",
            "target",
            "lead_unit",
            "assisting_units",
            "deadline",
            "state",
            "state_label",
            "overdue",
            "days_left",
            "urge_count",
            "return_count",
            "assigned_on",
            "closed_on",
            "version",
            "updated_at",
        ]
        read_only_fields = fields

    def get_days_left(self, item) -> int:
        return item.days_left(self.context.get("today") or clock.today())


class ItemDetailSerializer(ItemSerializer):
    """One 督办单 with its timeline, its extension requests and what the reader may do now."""

    day_type_label = serializers.CharField(source="get_day_type_display", read_only=True)
    issuing_unit = UnitBriefSerializer(read_only=True, allow_null=True)
    created_by = UserBriefSerializer(read_only=True, allow_null=True)
    events = EventSerializer(many=True, read_only=True)
    extension_requests = ExtensionSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ItemSerializer.Meta):
        fields = [
            *ItemSerializer.Meta.fields,
            "source_text",
            "issuing_unit",
            "requirement",
            "day_type",
            "day_type_label",
            "time_limit",
            "result",
            "created_by",
            "created_at",
            "events",
            "extension_requests",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, item) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return [str(a) for a in services.allowed_actions(request.user, item, today=clock.today())]


# ---------------------------------------------------------------- write shapes


class ItemCreateSerializer(serializers.ModelSerializer):
    """立项. The service checks the rules (source text or target, deadline or time limit, units)."""

    target = serializers.PrimaryKeyRelatedField(
        queryset=Target.objects.none(), required=False, allow_null=True, label=_("关联目标")
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, label=_("办理期限"), help_text=_("不填办理时限时必填")
    )

    class Meta:
        model = SupervisionItem
        fields = list(SupervisionItem.WRITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a target the user may see can be linked.
        request = self.context.get("request")
        if request is not None:
            self.fields["target"].queryset = Target.objects.visible_to(request.user)


class VersionedSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, label=_("版本"), help_text=_("所处理督办单的版本号；也可用 If-Match 头给出")
    )


class TransitionSerializer(VersionedSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, label=_("说明"))


class ReturnSerializer(VersionedSerializer):
    # Blank passes here so the service's own message ("退回时请填写退回意见。") is the one returned.
    comment = serializers.CharField(allow_blank=True, max_length=5000, label=_("退回意见"))


class FeedbackSerializer(VersionedSerializer):
    result = serializers.CharField(allow_blank=True, max_length=10000, label=_("办理结果"))
    files = serializers.ListField(
        child=serializers.FileField(), required=False, label=_("佐证材料"),
        help_text=_("multipart 上传，可多个：文档、表格、图片或压缩包，每个不超过20MB，最多10个"),
    )


class ExtensionCreateSerializer(serializers.Serializer):
    requested_deadline = serializers.DateField(label=_("申请延至"))
    reason = serializers.CharField(max_length=5000, label=_("延期理由"))
    progress = serializers.CharField(max_length=5000, label=_("目前进展"))


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[(ExtensionRequest.Status.APPROVED, _("同意")), (ExtensionRequest.Status.REFUSED, _("不同意"))],
        label=_("审批结果"),
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, label=_("审批意见"))


# ---------------------------------------------------------------- items

LIST_PARAMETERS = ITEM_FILTERS.parameters()


def _transition_schema(summary: str, request=TransitionSerializer):
    return extend_schema(
        summary=summary,
        request=request,
        parameters=[IF_MATCH],
        responses={200: ItemDetailSerializer, **ERRORS, **CONFLICT},
    )


@extend_schema_view(
    list=extend_schema(summary="督办单列表", parameters=LIST_PARAMETERS),
    retrieve=extend_schema(
        summary="督办单详情（含办理记录、延期申请）", responses={200: ItemDetailSerializer, 404: ERRORS[404]}
    ),
)
class SupervisionItemViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = SupervisionItem, ItemSerializer, ItemDetailSerializer

    def listed(self, user, params):
        return filter_items(user, params, clock.today())[1].prefetch_related(UNITS_BRIEF)  # the pages' filters

    def detailed(self, qs):
        return (
            qs.select_related("lead_unit", "issuing_unit", "target", "created_by")
            .prefetch_related(
                UNITS_BRIEF,
                Prefetch("events", queryset=SupervisionEvent.objects.select_related("actor")
                         .prefetch_related("attachments").order_by("time", "id")),
                Prefetch(
                    "extension_requests",
                    queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by").order_by(
                        "-requested_at", "-id"
                    ),
                ),
            )
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": clock.today()}

    create = create_action(write=ItemCreateSerializer, detail=ItemDetailSerializer, run=services.item_create,
                           ability="supervision.issue_item", refusal="只有督查室可以登记督办事项。", context=True,
                           summary="督办立项", responses={201: ItemDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]})

    def _transition(self, request, action_name: str, serializer_class=TransitionSerializer, text_key="comment"):
        item = self.get_object()
        data, version = versioned_input(request, serializer_class(data=request.data), required=True)
        services.transition(
            actor=request.user, item=item, action=action_name, comment=data.get(text_key) or "",
            expected_version=version, files=data.get("files") or (),
        )
        return self.respond(item.pk)

    @_transition_schema("交办（督查室）")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._transition(request, Action.ASSIGN)

    @_transition_schema("签收办理（牵头单位）")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, Action.START)

    @_transition_schema("反馈办理结果（牵头单位）", FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._transition(request, Action.FEEDBACK, FeedbackSerializer, "result")

    @_transition_schema("退回重办（督查室，须填写退回意见）", ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._transition(request, Action.RETURN, ReturnSerializer)

    @_transition_schema("办结销号（督查室）")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, Action.CLOSE)

    @_transition_schema("催办（督查室）")
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        return self._transition(request, Action.URGE)

    @extend_schema(
        summary="申请延期（牵头单位，办理期限届满前）",
        request=ExtensionCreateSerializer,
        responses={201: ExtensionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        item = self.get_object()
        data = validated(ExtensionCreateSerializer(data=request.data))
        ext = services.extension_request(actor=request.user, item=item, **data)
        return Response(ExtensionSerializer(ext).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- extension requests


@extend_schema_view(
    retrieve=extend_schema(summary="延期申请详情", responses={200: ExtensionSerializer, 404: ERRORS[404]}),
)
class ExtensionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = IdConverter.regex
    serializer_class = ExtensionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExtensionRequest.objects.none()
        visible = SupervisionItem.objects.visible_to(self.request.user).values("pk")
        return ExtensionRequest.objects.filter(item__in=visible).select_related("requested_by", "decided_by")

    @extend_schema(
        summary="审批延期申请（督查室）",
        request=DecisionSerializer,
        responses={200: ExtensionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        ext = self.get_object()
        data = validated(DecisionSerializer(data=request.data))
        comment = data.get("comment") or ""
        if data["decision"] == ExtensionRequest.Status.APPROVED:
            services.extension_approve(actor=request.user, request=ext, comment=comment)
        else:
            services.extension_refuse(actor=request.user, request=ext, comment=comment)
        return Response(ExtensionSerializer(self.get_queryset().get(pk=ext.pk)).data)
