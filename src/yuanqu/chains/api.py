"""REST API for chain maps under /api/chains/: chains with their nodes' gap figures, node and
placement writes. Same rules as the pages: reads from `visible_to` (out of scope → 404), writes
through the services (no right → 403, stale version → 409, a refused rule → 400)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from yuanqu.core.api import (
    CONFLICT,
    ERRORS,
    RegisterListViewSet,
    RegisterViewSet,
    create_action,
    respond_one,
    update_action,
    validated,
)
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.enterprises.models import Enterprise

from . import selectors, services
from .models import Chain, ChainNode, NodeEnterprise, Segment

STATUS_CHOICES = selectors.Status.choices


class NodeGapSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="node.pk", label=_("节点ID"))
    parent = serializers.IntegerField(source="node.parent_id", allow_null=True, label=_("上级节点ID"))
    code = serializers.CharField(source="node.code", label=_("编码"))
    name = serializers.CharField(source="node.name", label=_("节点名称"))
    segment = serializers.ChoiceField(source="node.segment", choices=Segment.choices, label=_("环节"))
    is_extension = serializers.BooleanField(source="node.is_extension", label=_("延链节点"))
    depth = serializers.IntegerField(label=_("层级"))
    enterprises = serializers.IntegerField(label=_("园区企业数"), help_text=_("含下级节点，同一企业只计一次"))
    output = serializers.DecimalField(max_digits=14, decimal_places=2, label=_("年产值（亿元）"))
    min_enterprises = serializers.IntegerField(label=_("企业数下限"))
    min_output = serializers.DecimalField(max_digits=14, decimal_places=2, label=_("产值下限（亿元）"))
    status = serializers.ChoiceField(choices=STATUS_CHOICES, label=_("状态"))
    action = serializers.CharField(label=_("方向"), help_text=_("补链、强链、延链或空"))
    extra = serializers.DictField(child=serializers.IntegerField(), label=_("其他登记的节点数字"))
    version = serializers.IntegerField(source="node.version", label=_("版本"))


class ChainSerializer(serializers.ModelSerializer):
    lead_unit_name = serializers.CharField(source="lead_unit.name", default="", read_only=True, label=_("牵头单位"))
    counts = serializers.SerializerMethodField(label=_("各状态节点数"))

    class Meta:
        model = Chain
        fields = ["id", "name", "description", "lead_unit", "lead_unit_name", "chief", "weak_min_enterprises",
                  "weak_min_output", "version", "counts"]
        read_only_fields = fields

    def get_counts(self, chain) -> dict[str, int]:
        return selectors.status_counts(self.context["gaps"][chain.pk])


class ChainDetailSerializer(ChainSerializer):
    nodes = serializers.SerializerMethodField(label=_("节点"))

    class Meta(ChainSerializer.Meta):
        fields = [*ChainSerializer.Meta.fields, "nodes"]
        read_only_fields = fields

    @extend_schema(responses=NodeGapSerializer(many=True))
    def get_nodes(self, chain) -> list[dict]:
        return NodeGapSerializer(self.context["gaps"][chain.pk], many=True).data


@extend_schema_view(list=extend_schema(summary="产业链列表"), retrieve=extend_schema(summary="产业链及各节点缺链分析"))
class ChainViewSet(RegisterViewSet):
    model, serializer_class, detail_serializer = Chain, ChainSerializer, ChainDetailSerializer
    pagination_class = None  # a zone has a handful of chains: the list is the whole of them

    def detailed(self, qs):
        return qs.select_related("lead_unit")

    # Both answers carry the chains' gap analysis, read once for all the chains shown.
    def list(self, request, *args, **kwargs):
        chains = list(self.get_queryset())
        context = {**self.get_serializer_context(), "gaps": selectors.gaps_for_chains(chains)}
        return Response(ChainSerializer(chains, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        chain = self.get_object()
        context = {**self.get_serializer_context(), "gaps": selectors.gaps_for_chains([chain])}
        return Response(ChainDetailSerializer(chain, context=context).data)


class NodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChainNode
        fields = ["id", "chain", *ChainNode.WRITABLE_FIELDS, "version"]
        read_only_fields = ["id", "version"]


class NodeWriteSerializer(serializers.Serializer):
    chain = serializers.PrimaryKeyRelatedField(queryset=Chain.objects.all(), required=False, label=_("产业链"))
    parent = serializers.PrimaryKeyRelatedField(queryset=ChainNode.objects.all(), required=False, allow_null=True,
                                                label=_("上级节点"))
    code = serializers.CharField(max_length=30, required=False, label=_("编码"))
    name = serializers.CharField(max_length=100, required=False, label=_("节点名称"))
    segment = serializers.ChoiceField(choices=Segment.choices, required=False, label=_("环节"))
    is_extension = serializers.BooleanField(required=False, label=_("延链节点"))
    min_enterprises = serializers.IntegerField(min_value=0, required=False, allow_null=True, label=_("企业数下限"))
    min_output = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False,
                                          allow_null=True, label=_("产值下限（亿元）"))
    description = serializers.CharField(required=False, allow_blank=True, label=_("说明"))
    order = serializers.IntegerField(min_value=0, required=False, label=_("排序"))
    version = serializers.IntegerField(required=False, label=_("版本"))



def _node_chain(view, data) -> dict:
    chain = data.pop("chain", None)
    if chain is None or not Chain.objects.visible_to(view.request.user).filter(pk=chain.pk).exists():
        raise ApplicationError("产业链：请选择您可以查看的产业链。", field="chain")
    return {"chain": chain}


@extend_schema_view(
    list=extend_schema(summary="产业链节点", parameters=[
        OpenApiParameter("chain", OpenApiTypes.INT, description="只看此产业链的节点")]),
    retrieve=extend_schema(summary="产业链节点"),
    destroy=extend_schema(summary="删除节点", responses={204: None, 400: ERRORS[400], 403: ERRORS[403]}),
)
class NodeViewSet(RegisterViewSet):
    model, serializer_class = ChainNode, NodeSerializer
    versioned = False
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def listed(self, user, params):
        qs = super().listed(user, params)
        chain = params.get("chain")
        return qs.filter(chain_id=chain) if chain else qs  # checked against the schema (core.query)

    def detailed(self, qs):
        return qs.select_related("chain")

    create = create_action(write=NodeWriteSerializer, detail=NodeSerializer, run=services.node_create,
                           prepare=_node_chain, summary="新增节点",
                           responses={201: NodeSerializer, 400: ERRORS[400], 403: ERRORS[403]})
    partial_update = update_action(write=NodeWriteSerializer, detail=NodeSerializer, run=services.node_update,
                                   target="node", partial=False, drop=("chain",), summary="修改节点",
                                   responses={200: NodeSerializer, 400: ERRORS[400], 403: ERRORS[403], **CONFLICT})

    def destroy(self, request, *args, **kwargs):
        services.node_delete(actor=request.user, node=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlacementSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, label=_("企业名称"))
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True, label=_("统一社会信用代码"))

    class Meta:
        model = NodeEnterprise
        fields = ["id", "node", "enterprise", "enterprise_name", "credit_code", "role", "output", "version"]
        read_only_fields = fields


class PlacementWriteSerializer(serializers.Serializer):
    node = serializers.PrimaryKeyRelatedField(queryset=ChainNode.objects.all(), label=_("节点"))
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), label=_("企业"))
    role = serializers.ChoiceField(choices=NodeEnterprise.Role.choices, required=False, label=_("链上角色"))
    output = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True,
                                      label=_("年产值（亿元）"))


@extend_schema_view(
    list=extend_schema(summary="链上企业", parameters=[
        OpenApiParameter("node", OpenApiTypes.INT, description="只看此节点上的企业")]),
    create=extend_schema(summary="把企业加入节点", request=PlacementWriteSerializer,
                         responses={201: PlacementSerializer, 400: ERRORS[400], 403: ERRORS[403]}),
    destroy=extend_schema(summary="把企业移出节点", responses={204: None, 403: ERRORS[403]}),
)
class PlacementViewSet(RegisterListViewSet):
    model, serializer_class = NodeEnterprise, PlacementSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def listed(self, user, params):
        qs = super().listed(user, params)
        node = params.get("node")
        return qs.filter(node_id=node) if node else qs  # checked against the schema (core.query)

    def detailed(self, qs):
        return qs.select_related("enterprise")

    def create(self, request, *args, **kwargs):
        data = validated(PlacementWriteSerializer(data=request.data))
        node = data.pop("node")
        if not ChainNode.objects.visible_to(request.user).filter(pk=node.pk).exists():
            raise PermissionDeniedError("只有督查室、系统管理员或产业链牵头单位可以编辑产业链图谱。")
        placement = services.placement_create(actor=request.user, node=node, **data)
        return respond_one(self, placement.pk, PlacementSerializer, status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.placement_delete(actor=request.user, placement=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
