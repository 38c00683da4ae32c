"""Spreadsheet import of chain nodes, from an indented sheet.

A node is named by its chain and its 编码 (the natural key spans both columns). The tree comes
from any of three layouts, read by `prepare` into one 上级编码 column:
- a 层级 column (1 for a top node, 2 below it, …) beside 节点名称;
- one column per level (一级、二级、三级… or 第1级…), each row's name written in its level's column;
- a 上级编码 column naming the parent's 编码 (a parent from the same file or already stored).
With levels, a node's parent is the nearest row above it, in the same chain, one level up.
"""

from __future__ import annotations

import re
from typing import Any

from yuanqu.core.imports import (
    BoolColumn,
    CellError,
    DecimalColumn,
    EnumColumn,
    ForeignKeyColumn,
    Importer,
    IntColumn,
    NewRef,
    TextColumn,
    register,
)
from yuanqu.core.imports.base import row_error
from yuanqu.core.imports.columns import text_of
from yuanqu.core.imports.reading import Table
from yuanqu.enterprises.models import Enterprise

from . import services
from .models import Chain, ChainNode, NodeEnterprise, Segment

SEP = " › "  # chain name › node code: a node's key across chains
_NUMERALS = "一二三四五六七八九"
_LEVEL_HEADER = re.compile(rf"^(?:第)?([{_NUMERALS}]|\d)级(?:节点)?$")
CHAIN, CODE, NAME, PARENT, LEVEL = "产业链", "编码", "节点名称", "上级编码", "层级"


def node_key(chain: str, code: str) -> str:
    return f"{chain}{SEP}{code}" if chain and code else ""


def _level_of_header(header: str) -> int | None:
    match = _LEVEL_HEADER.match(header)
    if not match:
        return None
    text = match.group(1)
    return _NUMERALS.index(text) + 1 if text in _NUMERALS else int(text)


class ParentColumn(ForeignKeyColumn):
    """The parent node, by its chain's 编码 (`prepare` has prefixed the row's chain)."""

    def parse(self, raw, ctx):
        key = text_of(raw)
        found = ctx.record(key)
        if found is None:
            code = key.split(SEP, 1)[-1]
            raise CellError(f"未找到上级节点“{code}”：请先建立该节点，或在本表中上级节点那一行填写这个编码")
        return found

    def display(self, value):
        if isinstance(value, NewRef):
            return f"{value.key.split(SEP, 1)[-1]}（本次新增）"
        return value.code if value else super().display(value)

    def allowed(self):
        return "同一产业链中已有节点或本表中其他行的编码；用层级列或分级列时自动填写"


@register
class ChainNodeImporter(Importer):
    key = "chains.nodes"
    title = "产业链节点"
    model = ChainNode
    natural_key = "code"
    notes = ("节点的上下级可用三种方式之一填写：①“层级”列（一级节点填1，其下级填2，依此类推）；"
             "②分级列“一级”“二级”“三级”……，每行只在本级那一列写节点名称（代替“节点名称”列）；"
             "③“上级编码”列。用①②时，上级为同一产业链中、位于该行之上最近的高一级节点。"
             "产业链须先在系统中建立；某行产业链留空时沿用上一行的。")
    columns = [
        ForeignKeyColumn(CHAIN, "chain", model=Chain, lookup=("name",), required=True, sample="豪华邮轮",
                         help="留空沿用上一行"),
        TextColumn(CODE, "code", required=True, max_length=30, digits=True, sample="U1-9",
                   help="在同一产业链内不重复，如 U1、U1.2"),
        TextColumn(NAME, "name", required=True, max_length=100, sample="设计研发"),
        ParentColumn(PARENT, "parent", model=ChainNode, lookup=("code",), sample="U"),
        EnumColumn("环节", "segment", choices=Segment.choices, sample="上游", help="一级节点必填；下级沿用一级节点的"),
        BoolColumn("延链节点", "is_extension", help="园区尚未布局、拟扩链延链的方向填“是”"),
        IntColumn("企业数下限", "min_enterprises", help="空为沿用产业链的设置"),
        DecimalColumn("产值下限（亿元）", "min_output", help="空为沿用产业链的设置"),
        TextColumn("说明", "description"),
    ]

    # -- the key spans chain and code
    def key_of(self, cells: dict[str, Any]) -> str:
        return node_key(text_of(cells.get("chain")), text_of(cells.get("code")))

    def existing(self, keys: list[str]) -> dict[str, Any]:
        chains = {k.split(SEP, 1)[0] for k in keys}
        nodes = ChainNode.objects.filter(chain__name__in=chains).select_related("chain", "parent")
        # Every node of the chains named, not only the rows' own: parents are looked up here too.
        return {node_key(n.chain.name, n.code): n for n in nodes}

    # -- the indented layouts become a 上级编码 column
    def prepare(self, table: Table) -> tuple[Table, list[str]]:
        table = carry_chain(table, ())
        header = list(table.header)
        levels = {i: _level_of_header(h) for i, h in enumerate(header)}
        levels = {i: lv for i, lv in levels.items() if lv}
        at = {h: i for i, h in enumerate(header) if h}
        errors: list[str] = []
        if levels and NAME in at:
            return table, [f"第{table.header_row}行：有分级列（{'、'.join(header[i] for i in levels)}）时不要再用「{NAME}」列"]
        if levels and LEVEL in at:
            return table, [f"第{table.header_row}行：「{LEVEL}」列与分级列（{header[min(levels)]}…）只用一种"]
        drop = set(levels) | ({at[LEVEL]} if LEVEL in at else set())
        keep = [i for i in range(len(header)) if i not in drop]
        new_header = [header[i] for i in keep]
        for name in (NAME, PARENT):
            if name not in new_header:
                new_header.append(name)
        pos = {h: i for i, h in enumerate(new_header) if h}
        rows = []
        chain = ""
        stacks: dict[str, dict[int, tuple[str, int]]] = {}  # chain → level → (code, row) of the last node
        for number, cells in table.rows:
            out = [cells[i] if i < len(cells) else None for i in keep] + [None] * (len(new_header) - len(keep))
            chain = text_of(out[pos[CHAIN]]) if CHAIN in pos else ""  # carried down by carry_chain
            code = text_of(out[pos[CODE]]) if CODE in pos else ""
            level, level_header = None, LEVEL
            if levels:
                filled = [(i, lv) for i, lv in levels.items() if i < len(cells) and text_of(cells[i])]
                if len(filled) > 1:
                    names = "、".join(header[i] for i, _ in filled)
                    errors.append(row_error(number, header[filled[0][0]], f"一行只写一个节点，本行填了{names}几列"))
                elif filled:
                    (i, level), = filled
                    level_header = header[i]
                    out[pos[NAME]] = cells[i]
            elif LEVEL in at:
                raw = cells[at[LEVEL]] if at[LEVEL] < len(cells) else None
                text = text_of(raw)
                if text:
                    if text.isdigit() and int(text) >= 1:
                        level = int(text)
                    else:
                        errors.append(row_error(number, LEVEL, f"“{text}”不是层级，请填写1、2、3等正整数"))
            if level is not None:
                stack = stacks.setdefault(chain, {})
                if text_of(out[pos[PARENT]]):
                    pass  # an explicit parent wins
                elif level > 1:
                    above = stack.get(level - 1)
                    if above is None:
                        errors.append(row_error(number, level_header,
                                                f"第{level}级节点上面没有第{level - 1}级节点，请检查缩进"))
                    elif not above[0]:
                        errors.append(row_error(number, level_header, f"上级节点（第{above[1]}行）没有填写编码"))
                    else:
                        out[pos[PARENT]] = above[0]
                stack[level] = (code, number)
                for deeper in [lv for lv in stack if lv > level]:
                    del stack[deeper]  # a later deeper row must not hang under an earlier branch
            rows.append((number, out))
        return carry_chain(Table(header=new_header, rows=rows, header_row=table.header_row), (PARENT,)), errors

    def check_row(self, plan, ctx):
        if plan.obj is None and "parent" not in plan.values and not plan.values.get("segment"):
            return [("segment", "一级节点请填写环节（上游、中游或下游）")]
        return []

    def check_rows(self, plans, ctx):
        parent_of = {p.key: p.values.get("parent") for p in plans}
        wrong = []
        for plan in plans:
            seen, ref = {plan.key}, parent_of.get(plan.key)
            while isinstance(ref, NewRef):
                if ref.key in seen:
                    wrong.append((plan, "parent", "上级节点形成循环，请检查上级编码"))
                    break
                seen.add(ref.key)
                ref = parent_of.get(ref.key)
        return wrong

    def create(self, *, actor, values):
        values = dict(values)
        return services.node_create(actor=actor, chain=values.pop("chain"), data=values)

    def update(self, *, actor, obj, values):
        values = {k: v for k, v in values.items() if k != "chain"}
        return services.node_update(actor=actor, node=obj, data=values)

    def undo_create(self, *, actor, obj):
        services.node_delete(actor=actor, node=obj)


def carry_chain(table: Table, prefixed: tuple[str, ...]) -> Table:
    """A blank 产业链 cell takes the row above's; the code columns in `prefixed` get the row's
    chain in front (a node is named by its chain and its code)."""
    at = {h: i for i, h in enumerate(table.header) if h}
    if CHAIN not in at:
        return table
    rows, chain = [], ""
    for number, cells in table.rows:
        cells = list(cells) + [None] * (len(table.header) - len(cells))
        chain = text_of(cells[at[CHAIN]]) or chain
        cells[at[CHAIN]] = chain or None
        for header in prefixed:
            code = text_of(cells[at[header]]) if header in at else ""
            if code:
                cells[at[header]] = node_key(chain, code) or code
        rows.append((number, cells))
    return Table(header=table.header, rows=rows, header_row=table.header_row)


class NodeColumn(ForeignKeyColumn):
    """A node named by its code within the row's chain (`carry_chain` has put the chain in front)."""

    def candidates(self):
        for node in ChainNode.objects.select_related("chain"):
            yield node_key(node.chain.name, node.code), node

    def display(self, value):
        return value.code if isinstance(value, ChainNode) else super().display(value)

    def allowed(self):
        return "该产业链中已有节点的编码"


class PlacementChainColumn(ForeignKeyColumn):
    def current(self, obj):
        return obj.node.chain


NODE = "节点编码"


@register
class PlacementImporter(Importer):
    key = "chains.placements"
    title = "链上企业"
    model = NodeEnterprise
    natural_key = "enterprise"
    notes = "一行把一家企业放到一个节点上；企业须已登记（先导入“企业”）。某行产业链留空时沿用上一行的。"
    columns = [
        PlacementChainColumn(CHAIN, "chain", model=Chain, lookup=("name",), required=True, sample="豪华邮轮",
                             help="留空沿用上一行"),
        NodeColumn(NODE, "node", model=ChainNode, lookup=("code",), required=True, sample="M1"),
        ForeignKeyColumn("统一社会信用代码", "enterprise", model=Enterprise, lookup=("credit_code",), required=True,
                         sample="91320684MA1MXXXXXX"),
        EnumColumn("链上角色", "role", choices=NodeEnterprise.Role.choices, sample="配套"),
        DecimalColumn("年产值（亿元）", "output", sample="3.5"),
    ]

    def key_of(self, cells: dict[str, Any]) -> str:
        node, enterprise = text_of(cells.get("node")), text_of(cells.get("enterprise"))
        return f"{node}{SEP}{enterprise}" if node and enterprise else ""

    def existing(self, keys: list[str]) -> dict[str, Any]:
        chains = {k.split(SEP, 1)[0] for k in keys}
        placements = NodeEnterprise.objects.filter(node__chain__name__in=chains).select_related(
            "node__chain", "enterprise")
        return {f"{node_key(p.node.chain.name, p.node.code)}{SEP}{p.enterprise.credit_code}": p for p in placements}

    def prepare(self, table: Table) -> tuple[Table, list[str]]:
        return carry_chain(table, (NODE,)), []

    def check_row(self, plan, ctx):
        node, chain = plan.values.get("node"), plan.values.get("chain")
        if isinstance(node, ChainNode) and isinstance(chain, Chain) and node.chain_id != chain.pk:
            return [("node", f"节点“{node.code}”不属于产业链“{chain.name}”")]
        return []

    def create(self, *, actor, values):
        return services.placement_create(actor=actor, node=values["node"], enterprise=values["enterprise"],
                                         role=values.get("role") or NodeEnterprise.Role.SUPPORTING,
                                         output=values.get("output"))

    def update(self, *, actor, obj, values):
        return services.placement_update(actor=actor, placement=obj, data=values)

    def undo_create(self, *, actor, obj):
        services.placement_delete(actor=actor, placement=obj)
