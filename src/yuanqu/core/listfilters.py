"""A register list's filters, declared once as data: the page, its .xlsx export and the API read the
same query string the same way.

    HAZARD_FILTERS = ListFilters(
        Choice("state", State, "状态"),
        Ref("unit", OrgUnit, "责任单位", lookup="responsible_unit"),
        Flag("overdue", "只看逾期", q=Hazard.overdue_q),        # q: a Q, or a function of the clock
        Search(("description", "inspection__site"), "搜索"),   # the parameter is `q`
    )
    filters = HAZARD_FILTERS.parse(request.GET)      # or request.query_params; never raises
    filters.state, filters.unit, filters.overdue      # "" / False when not chosen (templates compare ids)
    filters.labels()                                  # ["状态：整改中", "责任单位：三南村", "只看逾期"]
    qs = filters.apply(Hazard.objects.visible_to(user), on=today)

What a filter does with a stale or hand-typed value is the same everywhere: it is ignored (an
unknown choice, an id that is not a plausible key, a flag other than "1"/"true", a year out of range),
never a 500; every value loses its NUL characters (PostgreSQL's text cannot hold them), and a search
is stripped and cut to 100 characters. An id that parses but names no record
is kept: the list comes out empty and the note line says "（不存在）". `labels()` reads each named
record with one query per model (`in_bulk`), only when it is called. The odd filter (a category
with its subcategories, a place, a band) is a `Choice`/`Ref`/`Flag` with an `apply=` hook, or a
`Filter` with its own `clean`, `label` (which sees the other values: one "地区：" for a province and
its city) and `apply`. `labels(only=…)` and `apply(…, skip=…)` take some of the filters.

Why not django-filter (which plans/filters.py's `TargetFilterSet` uses for the API's 400s): these
lists *ignore* a bad value rather than refuse it, and their note lines and templates need the cleaned
values with "" for unset. With django-filter each would be a custom field: `ModelChoiceFilter`
checks an id with a query of its own (the lists' query counts are asserted in tests) and drops an id
that names nothing (the list would show everything instead of nothing), `CharFilter(max_length=…)`
refuses a long search instead of cutting it, `BooleanFilter` reads "false"/"True" its own way — and
it has no labels. What is left of it would be a form built per request for four `if`s; the API's
strictness is `core.query`'s, from the declared OpenAPI parameters (`ListFilters.parameters()`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

from .ids import parse_id

MISSING = "（不存在）"


class Filter:
    """One query-string parameter: `clean` a raw value (`empty` when absent or invalid), `label` it
    for the note line (None: says nothing), `apply` it to a queryset (only called when not empty).
    `apply=` (a function of the queryset, the value and the clock `on`) replaces the default."""

    empty: object = ""
    api_type = str

    def __init__(self, name: str, label: str, *, lookup: str | None = None,
                 apply: Callable[[QuerySet, object, object], QuerySet] | None = None, doc: str = ""):
        self.name, self.title, self.lookup, self.hook, self.doc = name, label, lookup or name, apply, doc

    def clean(self, raw):
        return raw or self.empty

    def label(self, value, names: dict, chosen: Chosen) -> str | None:
        """`names`: (model, pk) → record for the Refs; `chosen`: the other filters' values."""
        return f"{self.title}：{value}"

    def apply(self, qs: QuerySet, value, on) -> QuerySet:
        if self.hook is not None:
            return self.hook(qs, value, on)
        return qs.filter(**{self.lookup: value})

    def parameter(self):
        """The OpenAPI parameter the API declares for it (`doc` its description, else the label)."""
        from drf_spectacular.types import OpenApiTypes
        from drf_spectacular.utils import OpenApiParameter

        kind = OpenApiTypes.INT if self.api_type is int else OpenApiTypes.STR
        return OpenApiParameter(self.name, kind, enum=self.enum(), description=self.doc or self.title)

    def enum(self):
        return None


class Choice(Filter):
    """One of a set of values: a TextChoices class or (value, label) pairs; "状态：已办结"."""

    def __init__(self, name: str, choices, label: str, **kw):
        super().__init__(name, label, **kw)
        self.choices = dict(choices.choices if hasattr(choices, "choices") else choices)

    def clean(self, raw):
        return raw if isinstance(raw, str) and raw in self.choices else ""

    def label(self, value, names, chosen):
        return f"{self.title}：{self.choices[value]}"

    def enum(self):
        return list(self.choices)


class Ref(Filter):
    """A record by id (`core.ids.parse_id`); labelled by `text(record)` (its name), "（不存在）" when
    the id names none."""

    api_type = int

    def __init__(self, name: str, model, label: str, *, text: Callable = lambda r: r.name, **kw):
        super().__init__(name, label, **kw)
        self.model, self.text = model, text

    def clean(self, raw):
        return parse_id(raw) or ""

    def label(self, value, names, chosen):
        found = names.get((self.model, value))
        return f"{self.title}：{self.text(found) if found is not None else MISSING}"


class Flag(Filter):
    """A box ticked ("1" or "true" by default): keeps the rows of `q` — a Q, or a function of the
    clock `on` giving one — or what `apply=` keeps. Its label is the whole note ("只看逾期")."""

    empty = False

    def __init__(self, name: str, label: str, *, q: Q | Callable | None = None, values=("1", "true"), **kw):
        super().__init__(name, label, **kw)
        self.q, self.values = q, tuple(values)

    def clean(self, raw):
        return raw in self.values

    def label(self, value, names, chosen):
        return self.title

    def apply(self, qs, value, on):
        if self.hook is not None:
            return self.hook(qs, value, on)
        return qs.filter(self.q(on) if callable(self.q) else self.q)

    def enum(self):
        return ["1"]


class Year(Filter):
    """A year typed in digits within `bounds` (else ignored); "收件年度：2024"."""

    api_type = int

    def __init__(self, name: str, label: str, *, bounds=(1990, 2100), **kw):
        super().__init__(name, label, **kw)
        self.bounds = bounds

    def clean(self, raw):
        text = str(raw or "")
        # int() refuses a string of thousands of digits (a 500); no year is longer than its bounds.
        fits = text.isdecimal() and len(text) <= len(str(self.bounds[1]))
        return int(text) if fits and self.bounds[0] <= int(text) <= self.bounds[1] else ""


def _without_nul(raw):
    return raw.replace("\x00", "") if isinstance(raw, str) else raw


class Search(Filter):
    """Free text `q` (stripped, at most 100 characters, without NUL characters, which PostgreSQL's
    text cannot hold: a 500 there, a search for nothing anywhere) found in any of `fields`; "搜索：“…”"."""

    def __init__(self, fields: Iterable[str], label: str = "搜索", *, name: str = "q", **kw):
        super().__init__(name, label, **kw)
        self.fields = tuple(fields)

    def clean(self, raw):
        return str(raw or "").strip()[:100]  # NUL characters are gone already (ListFilters.parse)

    def label(self, value, names, chosen):
        return f"{self.title}：“{value}”"

    def apply(self, qs, value, on):
        if self.hook is not None:
            return self.hook(qs, value, on)
        found = Q()
        for field in self.fields:
            found |= Q(**{f"{field}__icontains": value})
        return qs.filter(found)


class Chosen:
    """The cleaned values of one request: `chosen.state`, `chosen.unit` ("" / False when not
    chosen), `labels()` for the export's note line, `apply(qs, on=…)` for the rows."""

    def __init__(self, declared: ListFilters, values: dict):
        self._declared, self._values = declared, values

    def __getattr__(self, name):
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __eq__(self, other):
        return isinstance(other, Chosen) and self._values == other._values

    def __hash__(self):
        return hash(tuple(self._values.items()))

    def __repr__(self):
        chosen = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v != self._declared[k].empty)
        return f"Chosen({chosen})"

    def as_dict(self) -> dict:
        return dict(self._values)

    def active(self) -> list[Filter]:
        return [f for f in self._declared if self._values[f.name] != f.empty]

    def labels(self, known: dict | None = None, only: Iterable[str] | None = None) -> list[str]:
        """The note line, in the declared order; one query per model named by a Ref, none for a
        model in `known` (model → the records the page has read already, e.g. a select's options).
        `only`: the labels of these filters alone."""
        known = known or {}
        active = [f for f in self.active() if only is None or f.name in only]
        wanted = defaultdict(set)
        for f in active:
            if isinstance(f, Ref):
                wanted[f.model].add(self._values[f.name])
        names = {(model, pk): record for model, pks in wanted.items()
                 for pk, record in ({r.pk: r for r in known[model]} if model in known
                                    else model.objects.in_bulk(pks)).items()}
        return [text for f in active if (text := f.label(self._values[f.name], names, self)) is not None]

    def apply(self, qs: QuerySet, on: dt.date | dt.datetime | None = None, skip: Iterable[str] = ()) -> QuerySet:
        """The queryset narrowed by each chosen filter but those in `skip` (lazily: no query here
        unless a hook makes one)."""
        for f in self.active():
            if f.name not in skip:
                qs = f.apply(qs, self._values[f.name], on)
        return qs


class ListFilters:
    """A list's filters in the order their labels are printed."""

    def __init__(self, *filters: Filter):
        self.filters = filters
        self.by_name = {f.name: f for f in filters}
        assert len(self.by_name) == len(filters), "two filters share a parameter name"

    def __iter__(self):
        return iter(self.filters)

    def __getitem__(self, name: str) -> Filter:
        return self.by_name[name]

    def parse(self, params) -> Chosen:
        """From request.GET, DRF's query_params or a dict; a bad value is ignored, never raised.
        NUL characters are dropped from every value first: PostgreSQL's text cannot hold them (a 500
        there), and no choice, id or name contains one."""
        return Chosen(self, {f.name: f.clean(_without_nul(params.get(f.name))) for f in self.filters})

    def none(self) -> Chosen:
        return self.parse({})

    def parameters(self, **docs: str) -> list:
        """The OpenAPI parameters of these filters, for `extend_schema(parameters=…)`; `docs` (by
        name) overrides a filter's description."""
        params = []
        for f in self.filters:
            param = f.parameter()
            if f.name in docs:
                param.description = docs[f.name]
            params.append(param)
        return params
