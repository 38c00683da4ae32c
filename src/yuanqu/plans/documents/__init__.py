"""A plan as the office sends it — text (UTF-8 or GB18030/GBK), Word (.docx, old .doc), a spreadsheet
(.xlsx, .xls) or a PDF with a text layer — read into the plan text the extractor takes.

Pure functions, no database: the plan page, the API and `yuanqu plan` all read files through
`read_document`, so one rule decides what is accepted. Task tables (in a Word file, a workbook's
sheets, or pasted as tab-separated text) are kept as tables with a guessed column mapping, so the
page can show the guess and let the office change it before the text is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yuanqu.core.errors import ApplicationError

from . import formats
from .tables import (
    EXPECTED_HEADERS,
    FIELDS,
    HEADING,
    TaskTable,
    apply_mapping,
    detect,
    guess_mapping,
    plain_lines,
    task_lines,
)

__all__ = ["FIELDS", "PlanDocument", "TaskTable", "apply_mapping", "guess_mapping", "read_document", "read_pasted",
           "BINARY_SUFFIXES"]

# Formats that are containers rather than text (their size limit is larger: pictures, styles, fonts).
BINARY_SUFFIXES = (".docx", ".doc", ".xlsx", ".xlsm", ".xls", ".pdf")
FORMAT_LABELS = {"text": "文本", "docx": "Word（.docx）", "doc": "旧版 Word（.doc）", "xlsx": "电子表格",
                 "pdf": "PDF", "pasted": "粘贴的文字"}


@dataclass
class PlanDocument:
    """The blocks of a plan in document order (prose text and task tables), where it came from and
    the text encoding used (for a text file). `text` renders it with each table's mapping."""

    name: str
    format: str
    encoding: str | None = None
    blocks: list[str | TaskTable] = field(default_factory=list)

    @property
    def tables(self) -> list[TaskTable]:
        return [b for b in self.blocks if isinstance(b, TaskTable)]

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)

    @property
    def text(self) -> str:
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, TaskTable):
                # A table with no groups under no heading of the document's own gets one section.
                headed = any(HEADING.match(line.strip()) for line in lines)
                lines.extend(task_lines(block, heading_if_none=not headed))
            else:
                lines.append(block)
        return "\n".join(line for line in lines if line.strip())

    def to_dict(self) -> dict:
        return {"name": self.name, "format": self.format, "encoding": self.encoding,
                "blocks": [b.to_dict() if isinstance(b, TaskTable) else b for b in self.blocks]}

    @classmethod
    def from_dict(cls, data: dict) -> PlanDocument:
        blocks = [TaskTable.from_dict(b) if isinstance(b, dict) else str(b) for b in data["blocks"]]
        return cls(name=data["name"], format=data["format"], encoding=data.get("encoding"), blocks=blocks)


def _suffix(name: str) -> str:
    name = (name or "").lower()
    return name[name.rfind("."):] if "." in name else ""


def _settle(blocks: list, *, tables_required: str | None = None) -> list[str | TaskTable]:
    """Task tables keep their guessed mapping; any other table becomes lines of text (or, in a
    workbook, is left out: a notes sheet is not the plan)."""
    settled: list[str | TaskTable] = []
    for block in blocks:
        if not isinstance(block, TaskTable) or detect(block):
            settled.append(block)
        elif tables_required is None:
            settled.extend(plain_lines(block.rows))
    if tables_required is not None and not any(isinstance(b, TaskTable) for b in settled):
        raise ApplicationError(
            f"电子表格“{tables_required}”中没有找到任务表的表头。请确认表头一行包含这些列名中的几个："
            f"{EXPECTED_HEADERS}（表头上方可以有标题行），然后重新上传。", field="file")
    return settled


def read_document(data: bytes, name: str) -> PlanDocument:
    """A plan file's bytes as a PlanDocument, or an ApplicationError in Chinese naming the file."""
    suffix = _suffix(name)
    if not data:
        raise ApplicationError(f"计划文件“{name}”是空文件，请检查后重新上传。", field="file")
    if suffix == ".docx":
        document = PlanDocument(name, "docx", blocks=_settle(formats.docx_blocks(data, name)))
    elif suffix == ".doc":
        document = PlanDocument(name, "doc", blocks=_settle(formats.doc_blocks(data, name)))
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        document = PlanDocument(name, "xlsx", blocks=_settle(formats.sheet_blocks(data, name), tables_required=name))
    elif suffix == ".pdf":
        document = PlanDocument(name, "pdf", blocks=_settle(formats.text_blocks(formats.pdf_text(data, name))))
    else:
        text, encoding = formats.decode_text(data, name)
        document = PlanDocument(name, "text", encoding, blocks=_settle(formats.text_blocks(text)))
    if not document.text.strip():
        raise ApplicationError(f"计划文件“{name}”中没有文字。", field="file")
    return document


def read_pasted(text: str) -> PlanDocument:
    """Pasted plan text: tab-separated task tables in it are read like a Word table."""
    return PlanDocument("", "pasted", blocks=_settle(formats.text_blocks(text)))
