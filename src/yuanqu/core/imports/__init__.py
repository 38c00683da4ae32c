"""Spreadsheet import for every register: declare an `Importer`, register it, get a template,
an upload with a checked preview, one-transaction apply and revert. See docs/imports.md."""

from .base import Importer, RowPlan, Writes, refusals
from .columns import (
    BoolColumn,
    CellError,
    DateColumn,
    DecimalColumn,
    EnumColumn,
    ForeignKeyColumn,
    IntColumn,
    ManyToManyColumn,
    NewRef,
    NotCompared,
    TextColumn,
)
from .registry import register

__all__ = [
    "BoolColumn", "CellError", "DateColumn", "DecimalColumn", "EnumColumn", "ForeignKeyColumn", "Importer",
    "IntColumn", "ManyToManyColumn", "NewRef", "NotCompared", "RowPlan", "TextColumn", "Writes", "refusals", "register",
]
