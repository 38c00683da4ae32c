"""The column types an importer declares: each parses one cell and says how to show its value.

A cell arrives already normalised by `reading` (text stripped, dates as ISO text, numbers as int
or float); `parse` turns it into the model's value or raises `CellError` with the Chinese reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)
_MISSING = object()
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "启用", "有效", "t"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "停用", "禁用", "无效", "f"}


class CellError(Exception):
    """A cell's value cannot be used; the message is shown after 第N行「列名」：."""


@dataclass(frozen=True)
class NewRef:
    """A reference to a record another row of the same file creates (resolved when applying)."""

    key: str


@dataclass
class Column:
    header: str
    field: str
    required: bool = False
    help: str = ""
    sample: Any = ""
    type_label = "文本"

    def parse(self, raw: Any, ctx) -> Any:
        return text_of(raw)

    # For comparing with a stored record and showing the value (before → after).
    def current(self, obj) -> Any:
        return getattr(obj, self.field)

    def comparable(self, value: Any) -> Any:
        return value

    def display(self, value: Any) -> str:
        if value is None or value == "":
            return "（空）"
        return str(value)

    def allowed(self) -> str:
        """What the notes sheet says may be written in the column."""
        return ""

    def dropdown(self) -> list[str] | None:
        return None


def text_of(raw: Any) -> str:
    """A cell as text; a number Excel stored as float (phone 1.38e10, code 3.0) loses its ".0"."""
    if raw.__class__ is str:  # most cells
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float):
        if raw.is_integer():
            return str(int(raw))
        return format(Decimal(repr(raw)).normalize(), "f")
    return str(raw).strip()


_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)\.0+$")


@dataclass
class TextColumn(Column):
    """Text. `digits=True` for phone numbers and codes: "13800000000.0" (a number Excel saved as
    float) becomes "13800000000"; "1.38E+10" is refused, its digits are already lost."""

    max_length: int | None = None
    digits: bool = False

    def parse(self, raw, ctx):
        value = text_of(raw)
        if self.digits:
            if _SCIENTIFIC.match(value):
                raise CellError(f"“{value}”是科学计数法，号码已被 Excel 截断；请把该列设为文本格式后重新填写")
            match = _WHOLE_FLOAT.match(value)
            if match:
                value = match.group(1)
        if self.max_length and len(value) > self.max_length:
            raise CellError(f"不能超过{self.max_length}个字（现有{len(value)}个字）")
        return value


def _number(raw) -> Decimal:
    if isinstance(raw, bool):
        raise InvalidOperation
    if isinstance(raw, int | float):
        return Decimal(repr(raw))
    return Decimal(text_of(raw).replace(",", "").replace("，", ""))


@dataclass
class IntColumn(Column):
    type_label = "整数"

    def parse(self, raw, ctx):
        try:
            number = _number(raw)
        except (InvalidOperation, ValueError):
            raise CellError(f"“{text_of(raw)}”不是整数") from None
        if number != number.to_integral_value():
            raise CellError(f"“{text_of(raw)}”不是整数")
        return int(number)


@dataclass
class DecimalColumn(Column):
    type_label = "数字"

    def parse(self, raw, ctx):
        try:
            number = _number(raw)
        except (InvalidOperation, ValueError):
            raise CellError(f"“{text_of(raw)}”不是数字") from None
        if not number.is_finite():
            raise CellError(f"“{text_of(raw)}”不是数字")
        return number

    def comparable(self, value):
        return None if value is None else Decimal(value).normalize()


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


def parse_date(raw) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(raw))  # an Excel serial day number
    match = _DATE_TEXT.match(text_of(raw))
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(f"“{text_of(raw)}”不是日期（例如 2026-01-05）")


@dataclass
class DateColumn(Column):
    type_label = "日期"

    def parse(self, raw, ctx):
        return parse_date(raw)

    def display(self, value):
        return value.isoformat() if isinstance(value, dt.date) else super().display(value)

    def allowed(self):
        return "2026-01-05、2026/1/5、2026年1月5日 或 Excel 日期"


@dataclass
class BoolColumn(Column):
    type_label = "是/否"

    def parse(self, raw, ctx):
        if isinstance(raw, bool):
            return raw
        word = text_of(raw).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError(f"“{text_of(raw)}”应填“是”或“否”")

    def display(self, value):
        return "是" if value else "否"

    def allowed(self):
        return "是、否"

    def dropdown(self):
        return ["是", "否"]


@dataclass
class EnumColumn(Column):
    """A choice written as its Chinese label (the stored value is accepted too)."""

    choices: list[tuple[str, str]] | Callable[[], list[tuple[str, str]]] = field(default_factory=list)
    type_label = "选项"
    _labels: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def options(self) -> list[tuple[str, str]]:
        """The choices; a callable is asked each time (roles that apps declare after this module)."""
        return self.choices() if callable(self.choices) else self.choices

    def parse(self, raw, ctx):
        text = text_of(raw)
        # The labels are lazy translations: read once per import (one request, one language).
        lookup = ctx.memo(("enum", id(self)), self._lookup) if ctx is not None else self._lookup()
        found = lookup.get(text, lookup.get(text.lower(), _MISSING))
        if found is _MISSING:
            raise CellError(f"“{text}”不是可选值（可选：{self.allowed()}）")
        return found

    def _lookup(self) -> dict:
        """Label → value and lower-case value → value; a label wins, and the first choice of two."""
        options = list(reversed(self.options()))
        lookup = {str(value).lower(): value for value, _label in options}
        lookup.update({str(label): value for value, label in options})
        return lookup

    def display(self, value):
        if not value:
            return super().display(value)
        # Called for every cell of a preview: the (lazy) labels are read once, not per cell (the
        # platform speaks one language).
        if not self._labels:
            self._labels.update({v: str(label) for v, label in self.options()})
        return self._labels.get(value, str(value))

    def allowed(self):
        return "、".join(str(label) for _, label in self.options())

    def dropdown(self):
        return [str(label) for _, label in self.options()]


@dataclass
class ForeignKeyColumn(Column):
    """A record of another (or the same) register, named by any of `lookup` fields (name, short
    name, code). `ctx.find(self, text)` resolves it against the database and the file itself."""

    model: Any = None
    lookup: tuple[str, ...] = ("name",)
    type_label = "名称"

    def parse(self, raw, ctx):
        return ctx.find(self, text_of(raw))

    def candidates(self):
        """(text, record) pairs a cell may name, read once per import; a column whose names
        span several fields (a node's chain and code) overrides this."""
        for obj in self.model._default_manager.all():
            for name in self.lookup:
                yield text_of(getattr(obj, name, "")), obj

    def current(self, obj):
        return getattr(obj, self.field)

    def comparable(self, value):
        if isinstance(value, NewRef):
            return value
        return getattr(value, "pk", value)

    def display(self, value):
        if isinstance(value, NewRef):
            return f"{value.key}（本次新增）"
        return super().display(value)

    def allowed(self):
        names = "或".join(str(self.model._meta.get_field(f).verbose_name) for f in self.lookup)
        return f"已有{self.model._meta.verbose_name}的{names}"


@dataclass
class ManyToManyColumn(ForeignKeyColumn):
    """Several records named in one cell, separated by 、 or a comma."""

    type_label = "名称列表"

    def parse(self, raw, ctx):
        names = [n.strip() for n in LIST_SEPARATORS.split(text_of(raw)) if n.strip()]
        found = []
        for name in names:
            value = ctx.find(self, name)
            if value not in found:
                found.append(value)
        return found

    def current(self, obj):
        return list(getattr(obj, self.field).all())

    def comparable(self, value):
        return sorted(getattr(v, "pk", 0) for v in value or [])

    def display(self, value):
        return "、".join(str(v.key if isinstance(v, NewRef) else v) for v in value) if value else "（空）"

    def allowed(self):
        return super().allowed() + "，多个用“、”或逗号分隔"


class NotCompared:
    """Put before a column's type (`class KeyColumn(NotCompared, TextColumn)`) when its value never
    makes a row an update: a part of the row's key (it names the record), a name checked against
    the register, a source that goes with other columns' new values."""

    def current(self, obj):
        return None

    def comparable(self, value):
        return None


def differs(column: Column, value: Any, obj) -> bool:
    """Whether a row's `value` would change what `obj` stores under `column`, compared as the column
    compares: for an importer refusing, in `check_row`, a change it leaves to the record's page."""
    return column.comparable(value) != column.comparable(column.current(obj))
