"""The importer a register declares, and the planning step shared by all of them.

Planning reads every row of a table, checks it (types, choices, look-ups, required cells,
duplicates in the file, the register's own rules) and decides per row: create, update (which
fields, before → after) or leave unchanged. Nothing is written; applying happens in `services`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any, ClassVar

from django.db import transaction

from yuanqu.core.errors import ApplicationError

from .columns import CellError, Column, ForeignKeyColumn, ManyToManyColumn, NewRef, text_of
from .reading import Table, clean_header

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# How often, at most, the planning reports its progress while it checks rows (the page polls once a
# second); the end is always reported.
PROGRESS_SECONDS = 0.5


def row_error(row: int, header: str, message: str) -> str:
    return f"第{row}行「{header}」：{message}"


@dataclass
class RowPlan:
    row: int
    key: str
    action: str = CREATE
    values: dict[str, Any] = field(default_factory=dict)  # field → parsed value (cells left blank absent)
    obj: Any = None
    changed: list[str] = field(default_factory=list)  # fields an update changes
    errors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[RowPlan]
    errors: list[str]
    ignored_columns: list[str]
    present: list[Column]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


@dataclass(frozen=True)
class Writes:
    """What an importer writes through when the register's services take the usual shape:
    `create(actor=…, data=…)`, `update(actor=…, <target>=record, data=…)` and
    `delete(actor=…, <target>=record)` (a revert's undo of a created record).

        writes = Writes(target="parcel", create=services.parcel_create,
                        update=services.parcel_update, delete=services.parcel_delete)
    """

    target: str
    create: Callable
    update: Callable
    delete: Callable


def refusals(check: Callable[[], object]) -> list[tuple[str, str]]:
    """A service's own rule run while planning, as `check_row`'s answer: [] when `check()` passes,
    else its refusal as (field, message), the message without its full stop (the row's error
    frames it: 第N行「列」：…)."""
    try:
        check()
    except ApplicationError as exc:
        return [(exc.field, exc.message.rstrip("。"))]
    return []


class _Trial(Exception):
    """Rolls back a row tried at preview (Importer.trial)."""


class Importer:
    """Subclass per register: `key`, `title`, `model`, `natural_key` (a field that is also a
    column), `columns`; `create`/`update` call the register's services; `undo_create` and
    `restore` undo a batch (`writes` gives all four for services of the usual shape).
    `check_row` / `check_rows` add the register's own rules."""

    key: ClassVar[str]
    title: ClassVar[str]
    model: ClassVar[Any]
    natural_key: ClassVar[str]
    columns: ClassVar[list[Column]]
    notes: ClassVar[str] = ""
    # Besides the administrators, the holders of this ability may use this importer (its template,
    # upload, preview, apply and revert): the 经发局 imports the enterprises' yearly figures.
    ability: ClassVar[str] = ""
    writes: ClassVar[Writes | None] = None

    # -- what a register implements (or declares with `writes`)
    def write(self, *, actor, obj, values: dict):
        """Create (`obj` None) or update by one path, for a register whose rows are walked through
        its services' steps either way; `create` and `update` come here when no `writes` is declared."""
        raise NotImplementedError(f"{type(self).__name__} declares neither `writes` nor write()")

    def create(self, *, actor, values: dict):
        if self.writes is None:
            return self.write(actor=actor, obj=None, values=values)
        return self.writes.create(actor=actor, data=values)

    def create_many(self, *, actor, rows: list[dict]) -> list:
        """Create the records of many rows at once, in their order. A register whose services can
        write in bulk (a fixed number of queries for any number of rows) overrides this; a refusal
        carries the row's place in `extra["index"]` (core.services.one_by_one). Default: `create`
        row by row."""
        from yuanqu.core.services import one_by_one

        return one_by_one(rows, lambda values: self.create(actor=actor, values=values))

    def update(self, *, actor, obj, values: dict):
        if self.writes is None:
            return self.write(actor=actor, obj=obj, values=values)
        return self.writes.update(actor=actor, **{self.writes.target: obj}, data=values)

    def undo_create(self, *, actor, obj) -> None:
        if self.writes is None:
            raise NotImplementedError(f"{type(self).__name__} declares neither `writes` nor undo_create()")
        self.writes.delete(actor=actor, **{self.writes.target: obj})

    def undo_creates(self, *, actor, objs: list) -> None:
        """Undo several creations, newest first (revert). A register that writes thousands of
        records per batch (yearly figures) deletes them in one go; the default undoes each."""
        for obj in objs:
            self.undo_create(actor=actor, obj=obj)

    def restore(self, *, actor, obj, before: dict) -> None:
        """Put back the `before` values (snapshot form: foreign keys as ids) of the changed fields."""
        self.update(actor=actor, obj=obj, values=before)

    def check_row(self, plan: RowPlan, ctx: Context) -> list[tuple[str, str]]:
        """(field, message) for rules the planning can check without writing."""
        return []

    def trial(self, write) -> ApplicationError | None:
        """Run `write()` in a savepoint rolled back afterwards and give the services' refusal, if
        any: for a register whose rules live in its services' steps (a case walked through its
        dated steps), so that the preview names a row's refusal in their own wording."""
        try:
            with transaction.atomic():
                write()
                raise _Trial
        except _Trial:
            return None
        except ApplicationError as exc:
            return exc

    def check_rows(self, plans: list[RowPlan], ctx: Context) -> list[tuple[RowPlan, str, str]]:
        """Rules across rows and the database (e.g. a cycle in a tree)."""
        return []

    def prepare(self, table: Table) -> tuple[Table, list[str]]:
        """Reshape the sheet before its rows are checked (an indented tree becomes a parent
        column); returns the table and errors already worded `第N行「列」：…`. Runs at preview and
        again at apply, from the stored cells. Default: the sheet as it is."""
        return table, []

    def key_of(self, cells: dict[str, Any]) -> str:
        """A row's natural key from its cells by field; a register whose key spans several
        columns (a node's code within its chain) overrides this and `existing`."""
        return text_of(cells.get(self.natural_key))

    # -- shared
    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def existing(self, keys: list[str]) -> dict[str, Any]:
        queryset = self.model._default_manager.filter(**{f"{self.natural_key}__in": keys})
        m2m = [c.field for c in self.columns if isinstance(c, ManyToManyColumn)]
        fks = [c.field for c in self.columns if isinstance(c, ForeignKeyColumn) and not isinstance(c, ManyToManyColumn)]
        queryset = queryset.select_related(*fks).prefetch_related(*m2m)
        return {str(getattr(obj, self.natural_key)): obj for obj in queryset}

    def plan(self, table: Table, progress=None) -> Plan:
        return Planner(self, table, progress).run()


class Context:
    """Look-ups for foreign-key columns: one query per referenced register, plus the records the
    file itself creates (a parent unit defined a few rows further down)."""

    def __init__(self, importer: Importer, existing: dict[str, Any], new_rows: dict[str, dict]):
        self.importer = importer
        self.existing = existing
        self._indexes: dict[tuple, dict[str, list]] = {}
        self._by_column: dict[int, dict[str, list]] = {}
        self._new_rows = new_rows  # natural key → raw cells by field, for rows creating a record
        self._memo: dict = {}

    def memo(self, key, compute):
        """A value computed once per import (a column's lookup table)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _index(self, column: ForeignKeyColumn) -> dict[str, list]:
        cache_key = (type(column), column.model, column.lookup)
        if cache_key not in self._indexes:
            index: dict[str, list] = defaultdict(list)
            for text, obj in column.candidates():
                if text and obj not in index[text]:
                    index[text].append(obj)
            if column.model is self.importer.model:
                for key, cells in self._new_rows.items():
                    for name in column.lookup:
                        text = text_of(cells.get(name))
                        if text and NewRef(key) not in index[text]:
                            index[text].append(NewRef(key))
            self._indexes[cache_key] = index
        return self._indexes[cache_key]

    def record(self, key: str):
        """The record of this register with natural key `key`: a stored one (as `existing`
        found it), a `NewRef` when a row of the file creates it, else None."""
        if key in self.existing:
            return self.existing[key]
        return NewRef(key) if key in self._new_rows else None

    def find(self, column: ForeignKeyColumn, text: str):
        index = self._by_column.get(id(column))  # asked for every cell: the column's index kept at hand
        if index is None:
            index = self._by_column[id(column)] = self._index(column)
        found = index.get(text, [])
        if len(found) == 1:
            return found[0]
        noun = column.model._meta.verbose_name
        if not found:
            raise CellError(f"未找到{noun}“{text}”")
        if len(found) > 1:
            # A full name wins over a short name that happens to equal it.
            exact = [f for f in found if text_of(getattr(f, column.lookup[0], getattr(f, "key", ""))) == text]
            if len(exact) == 1:
                return exact[0]
            names = "、".join(str(getattr(f, "key", f)) for f in found[:5])
            raise CellError(f"“{text}”对应多个{noun}（{names}），请填写全称")
        return found[0]


class Planner:
    def __init__(self, importer: Importer, table: Table, progress=None):
        self.importer = importer
        self.table = table
        self.progress = progress or (lambda done: None)

    def _columns(self) -> tuple[dict[str, int], list[str], list[str]]:
        """Column position by field; file-level errors; ignored headers."""
        positions: dict[str, int] = {}
        errors: list[str] = []
        known = {clean_header(c.header): c for c in self.importer.columns}
        ignored = []
        seen: dict[str, int] = {}
        for i, header in enumerate(self.table.header):
            if not header:
                continue
            if header in seen:
                errors.append(f"第{self.table.header_row}行：列「{header}」出现了两次（第{seen[header] + 1}列和第{i + 1}列）")
                continue
            seen[header] = i
            column = known.get(header)
            if column is None:
                ignored.append(header)
            else:
                positions[column.field] = i
        for column in self.importer.columns:
            if column.required and column.field not in positions:
                errors.append(f"缺少必填列「{column.header}」")
        return positions, errors, ignored

    def run(self) -> Plan:
        importer = self.importer
        self.table, early = importer.prepare(self.table)
        positions, errors, ignored = self._columns()
        present = [c for c in importer.columns if c.field in positions]
        if errors:
            return Plan(rows=[], errors=errors, ignored_columns=ignored, present=present)
        errors = list(early)  # the reshaping's row errors come first; the rows are still checked

        places = list(positions.items())
        width = max(positions.values(), default=-1) + 1

        def cells_of(cells: list) -> dict[str, Any]:
            if len(cells) >= width:
                return {f: cells[i] for f, i in places}
            return {f: (cells[i] if i < len(cells) else None) for f, i in places}

        raw_rows = [(number, cells_of(cells)) for number, cells in self.table.rows]
        keys = [importer.key_of(cells) for _, cells in raw_rows]
        existing = importer.existing([k for k in keys if k])
        new_rows = {k: cells for k, (_, cells) in zip(keys, raw_rows, strict=True) if k and k not in existing}
        ctx = Context(importer, existing, new_rows)

        by_key: dict[str, list[int]] = defaultdict(list)
        for key, (number, _) in zip(keys, raw_rows, strict=True):
            if key:
                by_key[key].append(number)

        plans = []
        # Progress is written outside the import's transaction (a commit each, and on SQLite a
        # rewrite of the batch's row, its stored cells with it): every 5% of a file at the most,
        # and not twice within PROGRESS_SECONDS.
        every = max(100, len(raw_rows) // 20)
        reported, reported_done = monotonic(), 0
        key_column = importer.column(importer.natural_key)
        # The template's sample row, left in by mistake, would create a record nobody meant.
        sample = {c.field: text_of(c.sample) for c in present if c.sample not in (None, "")}
        first_sample = next(iter(sample.items()), None)
        # Per column, read once rather than per cell: its field, parse, whether a blank is refused
        # on every row (the key) or on a new record's only, and its header.
        checks = [(c.field, c.parse, c.required and c.field == importer.natural_key, c.required, c.header)
                  for c in present]
        for done, (key, (number, cells)) in enumerate(zip(keys, raw_rows, strict=True), start=1):
            plan = RowPlan(row=number, key=key, obj=existing.get(key))
            if first_sample and text_of(cells.get(first_sample[0])) == first_sample[1] \
                    and all(text_of(cells.get(f)) == v for f, v in sample.items()):
                plan.errors.append(row_error(number, key_column.header, "这是模板中的示例行，请删除后再上传"))
                plans.append(plan)
                continue
            if key and len(by_key[key]) > 1:
                others = "、".join(str(n) for n in by_key[key] if n != number)
                plan.errors.append(row_error(number, key_column.header, f"“{key}”与第{others}行重复"))
            values, new = plan.values, plan.obj is None
            for field_name, parse, always_required, required, header in checks:
                raw = cells.get(field_name)
                if raw is None or (raw.__class__ is str and not raw.strip()):
                    if always_required or (required and new):
                        plan.errors.append(row_error(number, header, "必填，不能为空"))
                    continue
                try:
                    values[field_name] = parse(raw, ctx)
                except CellError as exc:
                    plan.errors.append(row_error(number, header, str(exc)))
            if not plan.errors:
                for field_name, message in importer.check_row(plan, ctx):
                    plan.errors.append(row_error(number, self._header(field_name), message))
            if not plan.errors and plan.obj is not None:
                plan.changed = [
                    c.field for c in present if c.field in plan.values
                    and c.comparable(plan.values[c.field]) != c.comparable(c.current(plan.obj))
                ]
                plan.action = UPDATE if plan.changed else UNCHANGED
            plans.append(plan)
            if done % every == 0 and (now := monotonic()) - reported >= PROGRESS_SECONDS:
                self.progress(done)
                reported, reported_done = now, done
        for plan, field_name, message in importer.check_rows([p for p in plans if not p.errors], ctx):
            plan.errors.append(row_error(plan.row, self._header(field_name), message))
        for plan in plans:
            errors.extend(plan.errors)
        if reported_done != len(plans):
            self.progress(len(plans))
        return Plan(rows=plans, errors=errors, ignored_columns=ignored, present=present)

    def _header(self, field_name: str) -> str:
        return next((c.header for c in self.importer.columns if c.field == field_name), field_name)


def apply_order(plans: list[RowPlan]) -> list[RowPlan]:
    """Rows that refer to a record another row creates come after that row (parents first)."""
    by_key = {p.key: p for p in plans if p.action == CREATE}
    ordered: list[RowPlan] = []
    state: dict[int, int] = {}

    def visit(plan: RowPlan) -> None:
        if state.get(plan.row) == 2:
            return
        state[plan.row] = 1
        for value in plan.values.values():
            for ref in value if isinstance(value, list) else [value]:
                target = by_key.get(ref.key) if isinstance(ref, NewRef) else None
                if target is not None and target is not plan and state.get(target.row) != 1:
                    visit(target)
        state[plan.row] = 2
        ordered.append(plan)

    for plan in plans:
        visit(plan)
    return ordered
