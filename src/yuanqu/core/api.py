"""The API's chassis: one error shape ({"message", "field", "extra"}), input validation that names
fields by their Chinese label, versions through the body or If-Match, and the schema pieces every
app's endpoints share."""

from __future__ import annotations

import copy
import datetime as dt

import drf_spectacular.openapi
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import clock
from .contract import JSONObjectParser  # noqa: F401 - views name it with the rest of core.api
from .errors import (
    BUSY_MESSAGE,
    BUSY_RETRY_AFTER,
    ApplicationError,
    ConflictError,
    PermissionDeniedError,
    is_database_busy,
)
from .ids import IdConverter
from .parsing import DIGIT_CODES, MONTH_PATTERN, MONTH_RE, too_many_digits


def exception_handler(exc, context):
    from .idempotency import Replay

    if isinstance(exc, Replay):
        return exc.response()
    if is_database_busy(exc):
        return Response({"message": BUSY_MESSAGE, "field": None, "extra": {}},
                        status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(BUSY_RETRY_AFTER)})
    if isinstance(exc, ApplicationError):
        code = getattr(exc, "status_code", status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, PermissionDeniedError):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, ConflictError):
            code = status.HTTP_409_CONFLICT
        return Response({"message": exc.message, "field": exc.field, "extra": exc.extra}, status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到，或您无权查看。")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.APIException) and type(exc) in REFUSALS_IN_CHINESE:
        exc = REFUSALS_IN_CHINESE[type(exc)](exc, context)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "message" not in response.data:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        if detail is not None:
            response.data = {"message": str(detail), "field": None, "extra": {}}
        else:
            field, errors = next(iter(response.data.items()))
            text = errors[0] if isinstance(errors, list) and errors else errors
            response.data = {"message": f"{field}：{text}", "field": field, "extra": response.data}
    return response


def _parse_error(exc, context):
    # DRF's message carries Python's English reason ("Expecting value: line 1 column 1").
    request = context.get("request")
    kind = getattr(request, "content_type", "") or ""
    if "json" in kind:
        return exceptions.ParseError("请求体不是有效的 JSON，请检查格式（如引号、逗号、括号是否成对）。")
    return exceptions.ParseError("请求体无法解析，请检查格式。")


def _unsupported(exc, context):
    request = context.get("request")
    kind = (getattr(request, "content_type", "") or "").split(";")[0] or "（未注明）"
    return exceptions.UnsupportedMediaType(kind, detail=f"不支持的请求体格式“{kind}”：请用 application/json，"
                                                        "上传文件时用 multipart/form-data。")


def _not_acceptable(exc, context):
    return exceptions.NotAcceptable("接口只返回 JSON（application/json），请调整 Accept 头。")


def _method_not_allowed(exc, context):
    request = context.get("request")
    method = getattr(request, "method", "")
    return exceptions.MethodNotAllowed(method, detail=f"此地址不支持 {method} 请求。")


# DRF's own refusals whose text is English or names Python internals, in the platform's words.
REFUSALS_IN_CHINESE = {
    exceptions.ParseError: _parse_error,
    exceptions.UnsupportedMediaType: _unsupported,
    exceptions.NotAcceptable: _not_acceptable,
    exceptions.MethodNotAllowed: _method_not_allowed,
}


def _first_error(errors):
    """The first ErrorDetail of DRF's nested errors (None when there is none)."""
    while isinstance(errors, list | dict):
        if not errors:
            return None
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return errors


def _text_is_text(serializer: serializers.Serializer) -> None:
    """A text field given a JSON number is refused: DRF would store 0.0 as "0.0", where the schema
    (and the client's intent) says text — a number sent as a name is a client's mistake."""
    data = getattr(serializer, "initial_data", None)
    if not isinstance(data, dict):
        return
    for name, field in serializer.fields.items():
        value = data.get(name)
        if (isinstance(field, serializers.CharField) and not field.read_only
                and isinstance(value, int | float) and not isinstance(value, bool)):
            raise ApplicationError(f"{field.label}：应为文本（加引号的字符串），收到数字 {value}。", field=name)


def validated(serializer: serializers.Serializer) -> dict:
    """Validate input; a failure becomes one Chinese message naming the field by its label.

    DRF would name the field by its key ("value"); people read the label ("完成值").
    All errors stay in `extra["errors"]` for clients that show them per field.
    """
    _text_is_text(serializer)
    if serializer.is_valid():
        return dict(serializer.validated_data)
    errors = serializer.errors
    name = next(iter(errors))
    first = _first_error(errors[name])
    text = "" if first is None else str(first)
    field = serializer.fields.get(name)
    if field is None:
        raise ApplicationError(text, extra={"errors": errors})
    if isinstance(field, serializers.DecimalField) and getattr(first, "code", None) in DIGIT_CODES:
        raw = serializer.initial_data.get(name) if hasattr(serializer.initial_data, "get") else None
        message = too_many_digits(str(field.label), raw, max_digits=field.max_digits,
                                  decimal_places=field.decimal_places)
        raise ApplicationError(message, field=name, extra={"errors": errors})
    raise ApplicationError(f"{field.label}：{text}", field=name, extra={"errors": errors})


def expected_version(request, body_version: int | None, *, required: bool) -> int | None:
    """The version the client edited: `version` in the body, else the If-Match header (ETag)."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise ApplicationError(
                "请提供所修改记录的版本号：在请求中填写 version，或通过 If-Match 头给出。", field="version"
            )
        return None
    raw = header.removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise ApplicationError(f"If-Match 头应为版本号（整数），收到“{header}”。", field="version")
    return int(raw)


def versioned_input(request, serializer: serializers.Serializer, *, required: bool) -> tuple[dict, int | None]:
    """An edit's validated body, and the version the client edited (its `version`, else If-Match)."""
    data = validated(serializer)
    return data, expected_version(request, data.pop("version", None), required=required)


def etag(version: int) -> str:
    return f'"{version}"'


def respond_one(view, pk: int, serializer_class, code: int = 200, *, versioned: bool = True):
    """One record as written, re-read through the view's scoped queryset; a versioned record
    carries its ETag so the client's next write can send If-Match."""
    from rest_framework.response import Response

    obj = view.get_queryset().get(pk=pk)
    data = serializer_class(obj, context=view.get_serializer_context()).data
    return Response(data, status=code, headers={"ETag": etag(obj.version)} if versioned else None)


# An id given in a write body: its bounds in the schema (a positive 32-bit integer).
ID = {"min_value": 1, "max_value": 2**31 - 1}


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-03"})
class MonthField(serializers.Field):
    """A report month as "YYYY-MM" (stored as the first day of the month)."""

    default_error_messages = {"invalid": _("应为 YYYY-MM 格式的月份，如 2026-03。")}

    def to_internal_value(self, data):
        match = MONTH_RE.match(str(data).strip())
        if not match:
            self.fail("invalid")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def to_representation(self, value):
        return value.strftime("%Y-%m")


@extend_schema_field(OpenApiTypes.BOOL)
class AsOfToday(serializers.Field):
    """A yes/no the record works out for today, never stored: `AsOfToday("is_overdue")` answers
    `record.is_overdue(today)` (the serializer context's `today`, else core.clock's)."""

    def __init__(self, method: str, **kwargs):
        self.method = method
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return getattr(value, self.method)(self.context.get("today") or clock.today())


class ErrorSerializer(serializers.Serializer):
    """The one error shape (core.api.exception_handler)."""

    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    extra = serializers.DictField()


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误（message 指明字段）"),
    403: OpenApiResponse(ErrorSerializer, description="无权操作"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或不在您的查看范围内"),
}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="记录已被他人修改，请刷新后重试")}
WRITE_RESPONSES = {**ERRORS, **CONFLICT}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="所修改记录的版本号（GET 返回的 ETag）；也可在请求体中以 version 给出",
)


# ---------------------------------------------------------------- what every endpoint's schema inherits


# Refusals any operation may answer, in the one error shape (ErrorSerializer).
REFUSALS = {
    400: "输入有误（message 指明字段或查询参数）",
    401: "未登录或用户名、密码错误",
    403: "无权操作",
    404: "不存在或不在您的查看范围内",
    429: "登录失败次数过多，账号暂时锁定",
    503: "系统正忙（数据库被其他写入占用），未保存，请稍后重试",
}
BODY_REFUSALS = {
    409: "记录已被他人修改，或相同 Idempotency-Key 的请求正在处理",
    413: "请求体过大",
    415: "请求体格式不支持",
}
IDEMPOTENT_REFUSALS = {422: "Idempotency-Key 已用于另一个不同的请求"}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="客户端为本次写入生成的唯一键（如 UUID，最长 255 个字符）。网络中断后用同一键重试，"
                "平台返回第一次的结果而不重复写入（24 小时内有效）",
)


class AutoSchema(drf_spectacular.openapi.AutoSchema):
    """Every operation declares the refusals the chassis may give it (error shape included) and
    every POST the Idempotency-Key header, so no app writes them and the fuzz holds each to it."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        refusals = dict(REFUSALS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            refusals.update(BODY_REFUSALS)
        if self.method == "POST":
            refusals.update(IDEMPOTENT_REFUSALS)
        for code, description in sorted(refusals.items()):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), str(code), direction=direction)
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF builds a read-only choice field without the model's blank=True, so the schema
        # would deny the "" such a field holds (a milestone target's comparator).
        if isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank:
            model = getattr(getattr(field.parent, "Meta", None), "model", None)
            try:
                blank = model is not None and model._meta.get_field(field.source).blank
            except Exception:  # noqa: BLE001 - a source that is no model field (a method, a path)
                blank = False
            if blank:
                field = copy.copy(field)
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST":
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters


# ---------------------------------------------------------------- workflow steps


def step_action(name: str, *, run, target: str, request, response, summary: str, attr: str = "",
                url_path: str = "", keep_none: bool = True):
    """A POST endpoint `<pk>/<name>/` taking one workflow step on the view's record: the body checked
    by the `request` serializer, the version from the body or If-Match, then
    `run(actor=…, <target>=record, action=name, expected_version=…, **body)` (the app's service), and
    the record answered as `response`. Registers declare one per action of their workflow.
    `attr` names the view attribute where `name` is a Python word (raise, return, dispatch)."""

    def step(self, request_, pk=None):
        obj = self.get_object()
        data, version = versioned_input(request_, request(data=request_.data), required=True)
        if not keep_none:
            data = {k: v for k, v in data.items() if v is not None}
        run(actor=request_.user, **{target: obj}, action=name, expected_version=version, **data)
        return respond_one(self, obj.pk, response)

    step.__name__ = attr or str(name)  # DRF finds an action by its attribute name, before decorating
    step = action(detail=True, methods=["post"], url_path=url_path or str(name), url_name=str(name))(step)
    return extend_schema(summary=summary, request=request, parameters=[IF_MATCH],
                         responses={200: response, **WRITE_RESPONSES})(step)


def workflow_steps(*, summaries: dict, dashed: bool = False, **shared):
    """What a register's step endpoints share (`run`, `target`, `request`, `response`, and any other
    step_action option), once: returns `step(name, attr="")`, the step_action of one action with
    its summary from `summaries` (`dashed`: its address spells the action with dashes, follow-up)."""

    def step(name: str, attr: str = ""):
        url_path = str(name).replace("_", "-") if dashed else ""
        return step_action(name, attr=attr, summary=summaries[name], url_path=url_path, **shared)

    return step


# ---------------------------------------------------------------- a record added under another


def child_action(url_path: str, *, write, run, target: str, summary: str):
    """A POST endpoint `<pk>/<url_path>/` adding one record under the view's record (a lead's
    follow-up, a project's monthly return or problem): the body checked by `write`, then
    `run(actor=…, <target>=record, data=…)` (the app's service), and the new record answered as
    `write` with 201."""

    def add(self, request, pk=None):
        obj = self.get_object()
        data = validated(write(data=request.data))
        child = run(actor=request.user, **{target: obj}, data=data)
        return Response(write(child).data, status=status.HTTP_201_CREATED)

    add.__name__ = url_path.replace("-", "_")  # DRF finds an action by its attribute name, before decorating
    add = action(detail=True, methods=["post"], url_path=url_path)(add)
    return extend_schema(summary=summary, request=write, responses={201: write, **ERRORS})(add)


# ---------------------------------------------------------------- a register's create and edit


def _refuse_unless(user, ability: str, refusal: str, check) -> None:
    # Before the body is read, so a reader hears "no right", not a field error.
    if check is not None:
        check(user)
    elif ability and not user.can(ability):
        raise PermissionDeniedError(refusal)


def in_scope(model, field: str, refusal: str):
    """A `prepare` for create_action: the body's `field` (an id) read among the `model` records the
    user may see and passed apart as `field`; an id naming none of them is refused with `refusal`."""

    def prepare(view, data) -> dict:
        found = model.objects.visible_to(view.request.user).filter(pk=data.pop(field, None)).first()
        if found is None:
            raise ApplicationError(refusal, field=field)
        return {field: found}

    return prepare


def create_action(*, write, detail, run, summary: str, ability: str = "", refusal: str = "", check=None,
                  prepare=None, context: bool = False, responses: dict | None = None):
    """`create` (POST on the collection) of a register's viewset: the ability checked before the body
    is read (`ability` + `refusal`, or `check(user)` raising), the body checked by the `write`
    serializer (its `version` dropped), then `run(actor=…, data=…, **prepare(view, data))` (the app's
    service; `prepare` pops what is passed apart, e.g. a parent looked up in scope), and the record
    answered as `detail` with 201 and its ETag. `context=True` gives the serializer the view's context."""

    def create(self, request, *args, **kwargs):
        _refuse_unless(request.user, ability, refusal, check)
        extra = {"context": self.get_serializer_context()} if context else {}
        data = validated(write(data=request.data, **extra))
        data.pop("version", None)
        obj = run(actor=request.user, data=data, **(prepare(self, data) if prepare else {}))
        return respond_one(self, obj.pk, detail, status.HTTP_201_CREATED)

    return extend_schema(summary=summary, request=write,
                         responses=responses if responses is not None else {201: detail, **ERRORS})(create)


def update_action(*, write, detail, run, target: str, summary: str, ability: str = "", refusal: str = "",
                  check=None, drop: tuple[str, ...] = (), partial: bool = True, prepare=None, context: bool = False,
                  request_schema=None, responses: dict | None = None, version_required: bool = True):
    """`partial_update` (PATCH on a record): the view's record (out of scope → 404), the ability
    checked (as create_action), the body checked by `write` (partial unless `partial=False`), the
    version from the body or If-Match (required), the `drop` fields removed (a record stays with its
    parent), then `run(actor=…, <target>=record, data=…, expected_version=…, **prepare(view, data))`
    and the record answered as `detail` with its ETag. `prepare` pops what is passed apart (as
    create_action's); `context=True` gives the serializer the view's context and the record as
    `<target>` (a choice that depends on what the record already has). `request_schema` overrides the
    body the schema shows (default: `write`, partial when the body is). `version_required=False`: an
    edit without a version is taken as is (plans' ledger items)."""

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        _refuse_unless(request.user, ability, refusal, check)
        extra = {"context": {**self.get_serializer_context(), target: obj}} if context else {}
        serializer = write(data=request.data, partial=partial, **extra)
        data, version = versioned_input(request, serializer, required=version_required)
        for name in drop:
            data.pop(name, None)
        run(actor=request.user, **{target: obj}, data=data, expected_version=version,
            **(prepare(self, data) if prepare else {}))
        return respond_one(self, obj.pk, detail)

    if request_schema is None:
        request_schema = write(partial=True) if partial else write
    return extend_schema(summary=summary, request=request_schema, parameters=[IF_MATCH],
                         responses=responses if responses is not None else {200: detail, **WRITE_RESPONSES}
                         )(partial_update)


# ---------------------------------------------------------------- a workflow record's timeline


# One row of a workflow's timeline (core.workflow.WorkflowEvent): what was done, from which state to
# which, by whom, when and why. A register subclasses it with its event model in `Meta` and its
# `actor` (org's UserBriefSerializer: core does not import the apps); it may redeclare the states'
# labels or add fields. (No docstring: the schema would show it as every event's description.)
class WorkflowEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    from_state = serializers.CharField(read_only=True, label=_("原状态"))
    to_state = serializers.CharField(read_only=True, label=_("新状态"))

    class Meta:
        fields = ["id", "action", "action_label", "from_state", "to_state", "actor", "time", "comment"]
        read_only_fields = fields


def timeline(event_model, lookup: str = "events") -> Prefetch:
    """A record's workflow events with their actors, in the order they happened (one query)."""
    return Prefetch(lookup, queryset=event_model.objects.select_related("actor").order_by("time", "id"))


# ---------------------------------------------------------------- a workflow record's buttons


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class AllowedActions(serializers.Field):
    """The steps the asking user may take on the record now (`allowed(user, record)`, the app's
    `services.allowed_actions`): what the page shows as buttons, for a client to show the same."""

    def __init__(self, allowed, **kwargs):
        self.allowed = allowed
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return [str(a) for a in self.allowed(request.user, value)] if request is not None else []


# ---------------------------------------------------------------- a register's records


# A register's records: the list is what the register's filters find (`listed(user, params)`, the
# rows its page shows, as `serializer_class`; by default every record in scope, as `detailed`), one
# record is read through `model.objects.visible_to(user)` with what its detail needs (`detailed(qs)`)
# and answered as `detail_serializer` (by default `serializer_class`) with its ETag (`versioned =
# False`: the GET of one record without; a write's answer through `respond()` always has it). A
# register filtering with a django-filter FilterSet (plans) names it as `filterset_class` (or
# `filterset_fields`), applied to the list and, through `get_object`, to one record's URL and its
# writes, as plans always did. Writes are declared beside it
# (create_action, update_action, step_action); the summaries stay on the subclass's
# `extend_schema_view`. This one lists and acts on its records but has no GET of one (`<pk>/` answers
# only its writes and steps: inspections' revisits, a chain node's companies); RegisterViewSet below
# adds it. (No docstring: the schema would show it as every operation's description.)
class RegisterListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = IdConverter.regex
    filter_backends = [DjangoFilterBackend]  # a no-op without a filterset
    model = None
    detail_serializer = None
    versioned = True

    def listed(self, user, params):
        return self.detailed(self.model.objects.visible_to(user))

    def detailed(self, qs):
        return qs

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        if self.action == "list":
            return self.listed(self.request.user, self.request.query_params)
        return self.detailed(self.model.objects.visible_to(self.request.user))

    def get_serializer_class(self):
        if self.action == "list":
            return self.serializer_class
        return self.detail_serializer or self.serializer_class

    def respond(self, pk: int, code: int = status.HTTP_200_OK):
        """One record as the view's own write left it: its detail, with its ETag."""
        return respond_one(self, pk, self.detail_serializer or self.serializer_class, code)


# A register's records, listed and each read on its own (see RegisterListViewSet).
class RegisterViewSet(mixins.RetrieveModelMixin, RegisterListViewSet):
    def retrieve(self, request, *args, **kwargs):
        if not self.versioned:
            return super().retrieve(request, *args, **kwargs)
        return self.respond(self.get_object().pk)


# A register's small table kept as data (its categories, its time limits): listed whole, in one
# page, to anyone signed in, unless `listed` says otherwise (a gate, only the active rows).
class ReferenceListViewSet(RegisterListViewSet):
    pagination_class = None

    def listed(self, user, params):
        return self.model.objects.all()
