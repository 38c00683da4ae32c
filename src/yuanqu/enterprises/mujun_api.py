"""REST API of the 亩均效益 evaluation under /api/enterprises/: schemes (read; written by the
经发局), runs (read; create, rerun, sign-off, return, publish as actions), results (read, with
their explanation). Same rules as the pages: readers of the register only (403 otherwise, the
members of a 挂钩 unit read their enterprises' published results), every write through
mujun_services (rights → 403, wrong state or a published run → 400, stale version → 409)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from yuanqu.core.api import (
    CONFLICT,
    ERRORS,
    IF_MATCH,
    RegisterViewSet,
    expected_version,
    respond_one,
    validated,
)
from yuanqu.core.errors import ApplicationError, PermissionDeniedError
from yuanqu.core.ids import MAX_ID, parse_id

from . import mujun_selectors as selectors
from . import mujun_services as services
from .models import MujunResult, MujunRun, MujunScheme

# ---------------------------------------------------------------- shapes


class SchemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MujunScheme
        fields = ["id", "year", "jurisdiction", "name", "definition", "sources", "version", "created_at", "updated_at"]
        read_only_fields = fields


class SchemeWriteSerializer(serializers.Serializer):
    definition = serializers.JSONField(label=_("方案内容"), help_text=_("评价方案（JSON 对象），见 docs/mujun.md"))
    sources = serializers.DictField(label=_("数据项对应的企业指标"), child=serializers.CharField(), required=False,
                                    help_text=_("数据项名称 → 企业指标代码，如 {\"主要污染物排放量\": \"pollutants\"}"))
    version = serializers.IntegerField(label=_("版本"), required=False)


class RunSerializer(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    enterprises = serializers.SerializerMethodField(label=_("参评企业数"))
    counts = serializers.JSONField(read_only=True, help_text=_("各评价组各类别企业数，及不参评（T）企业数"))

    class Meta:
        model = MujunRun
        fields = ["id", "scheme", "scheme_name", "scheme_version", "year", "status", "status_label", "enterprises",
                  "counts", "previous", "created_by", "scored_at", "signed_by", "signed_at", "published_by",
                  "published_at", "version"]
        read_only_fields = fields

    def get_enterprises(self, run) -> int:
        return sum(sum(v.values()) if isinstance(v, dict) else v for v in run.counts.values())


class RunCreateSerializer(serializers.Serializer):
    scheme = serializers.IntegerField(label=_("评价方案 id"), min_value=1, max_value=MAX_ID)


class RunActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(label=_("版本"), required=False)


class ResultSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    lines = serializers.JSONField(read_only=True, help_text=_("每个指标：值、基准、得分比例、权重、封顶保底、缺失规则、得分"))
    adjustments = serializers.JSONField(read_only=True)
    explanation = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = MujunResult
        fields = ["id", "run", "enterprise", "enterprise_name", "status", "pool", "total", "class_key", "class_label",
                  "place", "reason", "previous_class", "lines", "adjustments", "explanation"]
        read_only_fields = fields


# ---------------------------------------------------------------- views


class _Base(RegisterViewSet):
    versioned = False  # a read answers without an ETag; each reads its own queryset (selectors)


@extend_schema_view(list=extend_schema(summary="亩均评价方案"), retrieve=extend_schema(summary="一个评价方案"))
class SchemeViewSet(_Base):
    serializer_class = SchemeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MujunScheme.objects.none()
        return MujunScheme.objects.visible_to(self.request.user).order_by("-year", "name", "pk")

    @extend_schema(summary="新建评价方案", request=SchemeWriteSerializer, responses={201: SchemeSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = validated(SchemeWriteSerializer(data=request.data))
        scheme = services.scheme_create(actor=request.user, definition=data["definition"], sources=data.get("sources"))
        return respond_one(self, scheme.pk, SchemeSerializer, status.HTTP_201_CREATED)

    @extend_schema(summary="修改评价方案（新版本）", request=SchemeWriteSerializer(partial=True), parameters=[IF_MATCH],
                   responses={200: SchemeSerializer, **ERRORS, **CONFLICT})
    def partial_update(self, request, *args, **kwargs):
        scheme = self.get_object()
        data = validated(SchemeWriteSerializer(data=request.data, partial=True))
        version = expected_version(request, data.pop("version", None), required=True)
        services.scheme_update(actor=request.user, scheme=scheme, definition=data.get("definition"),
                               sources=data.get("sources"), expected_version=version)
        return respond_one(self, scheme.pk, SchemeSerializer)


@extend_schema_view(list=extend_schema(summary="亩均评价", parameters=[
    OpenApiParameter("year", int, description="评价年度"),
    OpenApiParameter("status", str, enum=MujunRun.Status.values, description="状态")]),
    retrieve=extend_schema(summary="一次亩均评价"))
class RunViewSet(_Base):
    serializer_class = RunSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MujunRun.objects.none()
        qs = selectors.runs(self.request.user).defer("snapshot", "frozen_scheme")
        params = self.request.query_params
        year = parse_id(params.get("year"))
        if year:
            qs = qs.filter(year=year)
        if params.get("status") in MujunRun.Status.values:
            qs = qs.filter(status=params["status"])
        return qs

    @extend_schema(summary="按方案运行评价（草稿）", request=RunCreateSerializer, responses={201: RunSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = validated(RunCreateSerializer(data=request.data))
        if not services.may_run(request.user):
            raise PermissionDeniedError("只有经发局企业管理员或系统管理员可以运行亩均评价。")
        scheme = MujunScheme.objects.visible_to(request.user).filter(pk=data["scheme"]).first()
        if scheme is None:
            raise ApplicationError(f"评价方案 id：不存在“{data['scheme']}”。", field="scheme")
        run = services.run_create(actor=request.user, scheme=scheme)
        return respond_one(self, run.pk, RunSerializer, status.HTTP_201_CREATED)

    def _act(self, request, service):
        run = self.get_object()
        data = validated(RunActionSerializer(data=request.data))
        service(actor=request.user, run=run,
                expected_version=expected_version(request, data.get("version"), required=False))
        return respond_one(self, run.pk, RunSerializer)

    @extend_schema(summary="重新计算（仅草稿）", request=RunActionSerializer, parameters=[IF_MATCH],
                   responses={200: RunSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        return self._act(request, services.run_rerun)

    @extend_schema(summary="签核（督查室、领导）", request=RunActionSerializer, parameters=[IF_MATCH],
                   responses={200: RunSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        return self._act(request, services.run_sign_off)

    @extend_schema(summary="退回草稿", request=RunActionSerializer, parameters=[IF_MATCH],
                   responses={200: RunSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request, pk=None):
        return self._act(request, services.run_return)

    @extend_schema(summary="发布（发布后锁定）", request=RunActionSerializer, parameters=[IF_MATCH],
                   responses={200: RunSerializer, **ERRORS, **CONFLICT})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(request, services.run_publish)


@extend_schema_view(list=extend_schema(summary="亩均评价结果", parameters=[
    OpenApiParameter("run", int, description="评价 id"), OpenApiParameter("enterprise", int, description="企业 id"),
    OpenApiParameter("class", str, description="类别（如 A、D、T）"), OpenApiParameter("pool", str, description="评价组")]),
    retrieve=extend_schema(summary="一家企业的评价结果及逐项说明"))
class ResultViewSet(_Base):
    serializer_class = ResultSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MujunResult.objects.none()
        qs = selectors.results_visible_to(self.request.user).select_related("enterprise").order_by("run", "pk")
        params = self.request.query_params
        for key in ("run", "enterprise"):
            if parse_id(params.get(key)):
                qs = qs.filter(**{key: parse_id(params[key])})
        if params.get("class"):
            qs = qs.filter(class_key=params["class"])
        if params.get("pool"):
            qs = qs.filter(pool=params["pool"])
        return qs
