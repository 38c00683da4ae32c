"""The metric registry: named live figures that any app offers and a target can be bound to.

A metric is a function from parameters and a date to a number in a unit ("ledger items done of
target 12 on 2026-06-30"). Apps declare theirs in a `metrics.py` module, discovered at start-up;
the plans app reads a bound target's value from here instead of having it typed twice.

Declaring one (see docs/metrics.md):

    from yuanqu.core.metrics import Param, register

    @register("investment.projects_started", label="开工项目数", unit="个",
              params=[Param("min_amount", "最低投资额（亿元）", "decimal", required=False)])
    def projects_started(params_list, on):
        # return one value per params dict, in order, in a fixed number of queries
        ...

The function takes a list of parameter dicts so a page evaluating many bound targets asks each
metric once (fixed query count), not once per target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .errors import ApplicationError
from .ids import parse_id

ParamsList = Sequence[dict]
MetricFunc = Callable[[ParamsList, dt.date], list[Decimal | None]]


@dataclass(frozen=True)
class Param:
    name: str
    label: str  # Chinese, shown in forms and messages
    type: str = "int"  # "int", "decimal", "str"
    required: bool = True
    # For a parameter naming a record: does the value exist? (checked when a target is bound)
    exists: Callable[[object], bool] | None = None


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str
    func: MetricFunc
    params: tuple[Param, ...] = field(default_factory=tuple)
    description: str = ""

    def clean_params(self, raw: dict | None, *, check_exists: bool = False) -> dict:
        """Check and convert parameters; the message names the parameter in Chinese.

        `check_exists` (when binding, not on every read) also asks whether named records exist.
        """
        if raw is not None and not isinstance(raw, dict):
            raise ApplicationError(f"指标“{self.label}”的参数应为“名称: 值”的形式。", field="metric_params")
        raw = dict(raw or {})
        unknown = set(raw) - {p.name for p in self.params}
        if unknown:
            raise ApplicationError(
                f"指标“{self.label}”没有参数：{'、'.join(sorted(unknown))}。", field="metric_params"
            )
        cleaned = {}
        for p in self.params:
            value = raw.pop(p.name, None)
            if value in (None, ""):
                if p.required:
                    raise ApplicationError(f"指标“{self.label}”缺少参数“{p.label}”。", field="metric_params")
                continue
            try:
                if p.type == "int":
                    value = parse_id(value)
                    if value is None:
                        raise ValueError
                elif p.type == "decimal":
                    value = Decimal(str(value))
                else:
                    value = str(value)
            except (ValueError, TypeError, InvalidOperation):
                raise ApplicationError(
                    f"指标“{self.label}”的参数“{p.label}”格式不正确：“{value}”。", field="metric_params"
                ) from None
            if check_exists and p.exists is not None and not p.exists(value):
                raise ApplicationError(
                    f"指标“{self.label}”的参数“{p.label}”为“{value}”，但该对象不存在。", field="metric_params"
                )
            cleaned[p.name] = value
        return cleaned

    def compute_many(self, params_list: ParamsList, on: dt.date) -> list[Decimal | None]:
        values = self.func(list(params_list), on)
        if len(values) != len(params_list):
            raise RuntimeError(f"metric {self.name} returned {len(values)} values for {len(params_list)} inputs")
        return values


_registry: dict[str, Metric] = {}


def register(
    name: str, *, label: str, unit: str, params: Sequence[Param] = (), description: str = ""
) -> Callable[[MetricFunc], MetricFunc]:
    def decorator(func: MetricFunc) -> MetricFunc:
        if name in _registry and _registry[name].func is not func:
            raise RuntimeError(f"metric {name} registered twice")
        _registry[name] = Metric(name, label, unit, func, tuple(params), description or (func.__doc__ or "").strip())
        return func

    return decorator


def get_metric(name: str) -> Metric:
    try:
        return _registry[name]
    except KeyError:
        raise ApplicationError(f"指标“{name}”不存在。", field="metric") from None


def find_metric(name: str) -> Metric | None:
    """The metric, or None when nothing registers it (a removed register, a renamed metric)."""
    return _registry.get(name)


def all_metrics() -> list[Metric]:
    return sorted(_registry.values(), key=lambda m: m.name)


def metric_choices() -> list[tuple[str, str]]:
    return [(m.name, f"{m.label}（{m.unit}）") for m in all_metrics()]
