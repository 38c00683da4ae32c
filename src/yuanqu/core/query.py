"""The API's query strings held to the OpenAPI schema: a filter value the schema does not allow
(`state=nonsense`, `year=5.9`, `lead_unit=abc`) is refused with a 400 naming the parameter, instead
of being ignored (and the client shown everything) as the pages' filters do with a stale link.

The schema is what every app already declares (OpenApiParameter, django-filter), so an app's
filters are checked without a line in the app; it is generated once per process."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re

from .errors import ApplicationError

# Ids and counts go to the database as 64-bit integers: anything larger could only overflow there.
INT_RANGE = (-(2**63), 2**63 - 1)
BOOLEANS = {"true", "false", "1", "0", "True", "False"}


@functools.cache
def _operations() -> list[tuple[re.Pattern, str, dict]]:
    """(path regex, method, {parameter name: its schema}) for every operation of the API."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        regex = re.compile("^" + "[^/]+".join(map(re.escape, re.split(r"\{[^}]+\}", path))) + "$")
        for method, operation in methods.items():
            params = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p["in"] == "query"}
            operations.append((path.count("{"), regex, method.upper(), params))
    # A literal path first: `leads/regions/` is its own operation, not `leads/{id}/` with id "regions".
    return [op[1:] for op in sorted(operations, key=lambda op: op[0])]


def declared(path: str, method: str) -> dict | None:
    """The query parameters the schema declares for this request (None for a path it lacks)."""
    method = "GET" if method == "HEAD" else method
    for regex, each_method, params in _operations():
        if each_method == method and regex.match(path):
            return params
    return None


def problem(value: str, schema: dict) -> str | None:
    """Why `value` is not what `schema` allows, in words for the message (None when it is)."""
    kind = schema.get("type")
    if "enum" in schema:
        allowed = [str(v) for v in schema["enum"] if v is not None]
        if value not in allowed:
            return "应为以下之一：" + "、".join(allowed) if allowed else "不接受任何值"
        return None
    if kind == "integer":
        if not re.fullmatch(r"-?\d{1,19}", value):
            return "应为整数"
        number = int(value)
        low = max(schema.get("minimum", INT_RANGE[0]), INT_RANGE[0])
        high = min(schema.get("maximum", INT_RANGE[1]), INT_RANGE[1])
        if not low <= number <= high:
            return f"应在 {low} 到 {high} 之间"
        return None
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            return "应为数字"
        return None if math.isfinite(number) else "应为有限的数字"
    if kind == "boolean":
        return None if value in BOOLEANS else "应为 true 或 false"
    if kind == "string":
        if schema.get("format") == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return "应为 YYYY-MM-DD 格式的日期"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"格式不对（{schema.get('example') and '如 ' + str(schema['example']) or schema['pattern']}）"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"最长 {schema['maxLength']} 个字符"
        if "minLength" in schema and len(value) < schema["minLength"]:
            return f"至少 {schema['minLength']} 个字符"
    return None


def check(request) -> None:
    """Refuse the first query value the schema does not allow, naming its parameter."""
    if not request.query_params:
        return
    params = declared(request.path_info, request.method)
    if not params:
        return
    for name, schema in params.items():
        for value in request.query_params.getlist(name):
            reason = problem(value, schema)
            if reason:
                shown = value if len(value) <= 50 else value[:50] + "…"
                raise ApplicationError(f"查询参数 {name} {reason}，收到“{shown}”。", field=name,
                                       extra={"parameter": name, "value": value[:200]})
