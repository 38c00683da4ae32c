"""Indicator formulas: + - * / and parentheses over named yearly figures and numbers.

A formula such as ``实缴税金 / 用地面积`` is parsed once, when the scheme is built, by a small
recursive-descent parser, into a tree that is then applied to whole NumPy columns at a time.
Nothing is ever handed to ``eval``: the only things a formula can do are the four operations.

Why not a library: polars is not a dependency (NumPy already is, through shapely), and its
``sql_expr`` would accept a whole SQL dialect — functions, CASE, casts — that we would then have to
walk and fence in again; Python's ``ast`` parses Python (``**``, comparisons, calls, attributes) and
its identifiers reject names such as ``R&D经费支出``.  The grammar needed here is four operators, so
forty lines of parser give exact Chinese messages (which character, which name) at less cost.

Names are runs of characters other than white space, operators and parentheses that do not start
with a digit, so Chinese names and ``R&D经费支出`` are names as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<op>[-+*/()])|(?P<name>[^\s\-+*/()]+))")


class FormulaError(ValueError):
    """A formula that cannot be read; the message is Chinese and says where."""


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - the name class matches any other character
            raise FormulaError(f"第{pos + 1}个字符无法识别")
        kind = match.lastgroup
        value = match.group(kind)
        start = match.start(kind)
        if kind == "name" and value[0].isdigit():
            raise FormulaError(f"第{start + 1}个字符处“{value}”不是数字也不是数据项名称")
        out.append((kind, value, start))
        pos = match.end()
    return out


class Formula:
    """A parsed formula: ``names`` it reads, and ``evaluate(columns)`` over NumPy arrays."""

    def __init__(self, text: str):
        if not isinstance(text, str) or not text.strip():
            raise FormulaError("公式为空")
        self.text = text
        self._tokens = _tokens(text)
        self._at = 0
        self.names: list[str] = []
        tree = self._sum()
        if self._at < len(self._tokens):
            _, value, start = self._tokens[self._at]
            raise FormulaError(f"第{start + 1}个字符处多出“{value}”")
        self._tree = tree
        del self._tokens

    # -- parsing -------------------------------------------------------------------------------
    def _peek(self) -> tuple[str, str, int] | None:
        return self._tokens[self._at] if self._at < len(self._tokens) else None

    def _sum(self):
        return self._chain("+-", self._product)

    def _product(self):
        return self._chain("*/", self._unary)

    def _chain(self, ops: str, operand):
        """Left-associative run of ``operand (op operand)*`` for the operators in ``ops``."""
        node = operand()
        while (tok := self._peek()) and tok[0] == "op" and tok[1] in ops:
            self._at += 1
            node = (tok[1], node, operand())
        return node

    def _unary(self):
        tok = self._peek()
        if tok is None:
            raise FormulaError("公式不完整：结尾缺少数字或数据项")
        kind, value, start = tok
        self._at += 1
        if kind == "num":
            return ("num", float(value))
        if kind == "name":
            if value not in self.names:
                self.names.append(value)
            return ("name", value)
        if value == "(":
            node = self._sum()
            close = self._peek()
            if close is None or close[1] != ")":
                raise FormulaError(f"第{start + 1}个字符处的“(”没有对应的“)”")
            self._at += 1
            return node
        if value in "+-":
            inner = self._unary()
            return ("neg", inner) if value == "-" else inner
        raise FormulaError(f"第{start + 1}个字符处不应出现“{value}”")

    # -- evaluation ----------------------------------------------------------------------------
    def evaluate(self, columns: Mapping[str, np.ndarray]) -> np.ndarray:
        """The formula over float columns; a zero divisor gives inf or NaN (the caller's 'missing')."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.asarray(_apply(self._tree, columns), dtype=float)

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"


_BINARY: dict[str, Callable] = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}


def _apply(node, columns):
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return columns[node[1]]
    if kind == "neg":
        return np.negative(_apply(node[1], columns))
    return _BINARY[kind](_apply(node[1], columns), _apply(node[2], columns))
