"""What every API view runs without its app writing it, named in settings (REST_FRAMEWORK):
the JSON parser and the permission that holds each request to the contract. Kept apart from
core.api because DRF imports these while it defines APIView (core.api imports drf-spectacular,
which imports APIView)."""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission


class NotAnObject(exceptions.ParseError):
    """Already in the platform's words (core.api.exception_handler rewords DRF's own ParseError)."""


class JSONObjectParser(JSONParser):
    """A JSON body must be an object ({...}): every write takes named fields, and views that read
    `request.data.get(...)` would fail on a list or a number."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            kinds = {list: "数组", str: "字符串", int: "数字", float: "数字", bool: "布尔值", type(None): "null"}
            raise NotAnObject(f"请求体应为 JSON 对象（{{\"字段\": 值, …}}），收到的是{kinds.get(type(data), '其他值')}。")
        return data


class Contract(BasePermission):
    """Run by every API view after authentication (settings: DEFAULT_PERMISSION_CLASSES), before
    its handler: the query string must hold what the schema declares (core.query), and a POST
    with an Idempotency-Key is reserved or answered from its first run (core.idempotency)."""

    def has_permission(self, request, view):
        from . import idempotency, query

        query.check(request)
        idempotency.begin(request)
        return True
