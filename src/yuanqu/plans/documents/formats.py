"""Each file format a plan arrives in, read as blocks in document order: prose text (str) and tables
(TaskTable, not yet checked for a header). Errors are ApplicationErrors in Chinese naming the file."""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from yuanqu.core.errors import ApplicationError

from .tables import TaskTable, split_pasted_tables

Block = str | TaskTable
DOC_PACKAGE = "antiword"  # the Debian package the docs name for old Word files
CONVERT_SECONDS = 60


def _fail(message: str) -> ApplicationError:
    return ApplicationError(message, field="file")


# ---------------------------------------------------------------- text


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding name) of a text file: UTF-8 (BOM or not), UTF-16 with a BOM (Windows Notepad's
    "Unicode"), else GB18030 (a superset of GBK and GB2312, what Chinese Windows saves as "ANSI")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("gb18030"), "GB18030"
        except UnicodeDecodeError:
            pass
    raise _fail(f"文件“{name}”不是可识别编码的文本（支持 UTF-8 和 GB18030/GBK 编码）；"
                "请用记事本或 WPS 另存为 UTF-8 编码的文本，或上传 Word（.docx）文件。")


def text_blocks(text: str) -> list[Block]:
    return split_pasted_tables(text.replace("\r\n", "\n").replace("\r", "\n"))


# ---------------------------------------------------------------- Word (.docx)


def docx_blocks(data: bytes, name: str) -> list[Block]:
    """Paragraphs and tables in document order. python-docx gives a merged cell as the same cell in
    every grid position it covers: a repeat to the right is blank, a repeat below is `continued`."""
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # a broken zip, missing parts, malformed XML (lxml): the file is damaged
        raise _fail(f"“{name}”不是有效的 Word（.docx）文件；请用 Word 或 WPS 打开后另存为 .docx 再上传。") from None
    blocks: list[Block] = []
    for part in document.iter_inner_content():
        if not isinstance(part, Table):
            if part.text.strip():
                blocks.append(part.text)
            continue
        rows, continued, above = [], set(), []
        for r, row in enumerate(part.rows):
            cells = list(row.cells)
            texts = []
            for c, cell in enumerate(cells):
                if c and cell._tc is cells[c - 1]._tc:
                    texts.append("")
                    continue
                if c < len(above) and cell._tc is above[c]._tc:
                    continued.add((r, c))
                texts.append(cell.text.strip())
            rows.append(texts)
            above = cells
        blocks.append(TaskTable(title=f"表格{sum(isinstance(b, TaskTable) for b in blocks) + 1}", rows=rows,
                                continued=continued))
    return blocks


# ---------------------------------------------------------------- spreadsheets (.xlsx, .xls)


def sheet_blocks(data: bytes, name: str) -> list[Block]:
    """Every sheet as a table. A merged range keeps its value only in its first cell: it is carried
    down the range's first column (as `continued`); where a format keeps no merge information, blank
    group and lead cells are carried down instead."""
    from python_calamine import CalamineWorkbook

    from yuanqu.core.imports.columns import text_of
    from yuanqu.core.imports.reading import normalise_cell

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(n, workbook.get_sheet_by_name(n)) for n in workbook.sheet_names]
        grids = [(n, s.to_python(skip_empty_area=False), s.merged_cell_ranges) for n, s in sheets]
    except Exception:
        raise _fail(f"“{name}”不是有效的电子表格，或文件已损坏/加密；请用 Excel 或 WPS 另存为 .xlsx 后重新上传。") from None
    blocks: list[Block] = []
    for sheet, grid, merged in grids:
        rows = [[text_of(normalise_cell(v)) for v in row] for row in grid]
        continued = set()
        for (r0, c0), (r1, c1) in merged or []:
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                    if (r, c) == (r0, c0):
                        continue
                    rows[r][c] = rows[r0][c0] if c == c0 else ""
                    if c == c0:
                        continued.add((r, c))
        if any(any(cell for cell in row) for row in rows):
            blocks.append(TaskTable(title=f"工作表“{sheet}”", rows=rows, continued=continued,
                                    carry_blanks=merged is None))
    return blocks


# ---------------------------------------------------------------- PDF

_PAGE_NUMBER = re.compile(r"^\s*([-—–_·\s]*\d{1,4}[-—–_·\s]*|第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?)\s*$")
_STARTS_ITEM = re.compile(r"^\s*(第[一二三四五六七八九十百\d]+|[一二三四五六七八九十]+[、是．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、．.])")


def pdf_text(data: bytes, name: str) -> str:
    """The text layer of a PDF, its lines re-joined into paragraphs. A scan has no text layer."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(f"PDF 文件“{name}”已加密，无法读取；请上传未加密的文件，或上传 Word 文件、粘贴计划原文。")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ApplicationError:
        raise
    except Exception:  # pypdf raises many kinds on a damaged file; each means the same to the office
        raise _fail(f"“{name}”不是有效的 PDF 文件，或文件已损坏；请上传 Word 文件或粘贴计划原文。") from None
    lines = [line.strip() for page in pages for line in page.splitlines()]
    lines = [line for line in lines if line and not _PAGE_NUMBER.match(line)]
    if len(re.sub(r"[\s\d\W]", "", "".join(lines))) < 10:
        raise _fail(f"PDF 文件“{name}”没有文字层（可能是扫描件或图片），系统无法识别其中的文字。"
                    "请向发文单位索取 Word 文件或文字版 PDF 上传，或直接粘贴计划原文。")
    return "\n".join(reflow(lines))


def reflow(lines: list[str]) -> list[str]:
    """A PDF breaks a paragraph at every line's end: a full-width line runs on into the next, unless
    the next starts a numbered item. A short line (a title, a paragraph's last line) ends its paragraph."""
    lengths = sorted(len(line) for line in lines)
    full = statistics.quantiles(lengths, n=10)[-1] * 0.8 if len(lengths) >= 2 else 0
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and not _STARTS_ITEM.match(line):
            out[-1] += line
        else:
            out.append(line)
        joining = len(line) >= full > 0
    return out


# ---------------------------------------------------------------- old Word (.doc)


def doc_blocks(data: bytes, name: str) -> list[Block]:
    """An old Word file through the server's converter: antiword (Debian package antiword; tables come
    out as |-rows), else LibreOffice converting it to .docx."""
    if data.startswith(b"PK"):
        return docx_blocks(data, name)  # a .docx renamed .doc
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(f"“{name}”不是有效的 Word 文件；请用 Word 或 WPS 打开后另存为 .docx 再上传。")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword")
    if not (office or antiword):
        raise _fail(f"服务器未安装旧版 Word（.doc）转换工具，无法读取“{name}”。请在 Word 或 WPS 中将其另存为 .docx 后上传，"
                    f"或请管理员安装 Debian 软件包 {DOC_PACKAGE}（apt-get install {DOC_PACKAGE}）。")
    with tempfile.TemporaryDirectory(prefix="yuanqu-doc-") as folder:
        source = Path(folder) / "plan.doc"
        source.write_bytes(data)
        try:
            if not antiword:
                _run([office, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "docx",
                      "--outdir", folder, str(source)])
                return docx_blocks((Path(folder) / "plan.docx").read_bytes(), name)
            out = _run([antiword, "-m", "UTF-8.txt", "-w", "0", str(source)])
        except (OSError, subprocess.SubprocessError):
            raise _fail(f"旧版 Word 文件“{name}”转换失败（文件可能已损坏或加密）；请在 Word 或 WPS 中另存为 .docx 后上传。") from None
    return antiword_blocks(out.decode("utf-8", errors="replace"))


def _run(command: list[str]) -> bytes:
    done = subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=True, stdin=subprocess.DEVNULL)
    return done.stdout


def antiword_blocks(text: str) -> list[Block]:
    """antiword's text: a table is a run of |cell|cell| lines, a cell's long text wrapped onto lines
    whose first cell is blank; those are joined back into the row above."""
    blocks: list[Block] = []
    prose: list[str] = []
    grid: list[list[str]] = []

    def close_table():
        if grid:
            blocks.append(TaskTable(title=f"表格{sum(isinstance(b, TaskTable) for b in blocks) + 1}", rows=list(grid),
                                    carry_blanks=True))
            grid.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if len(stripped) > 1 and stripped.startswith("|") and stripped.endswith("|"):
            if prose:
                blocks.append("\n".join(prose))
                prose = []
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if grid and not cells[0] and len(cells) == len(grid[-1]):
                grid[-1] = [a + b for a, b in zip(grid[-1], cells, strict=True)]
            else:
                grid.append(cells)
            continue
        close_table()
        if stripped:
            prose.append(stripped)
    close_table()
    if prose:
        blocks.append("\n".join(prose))
    return blocks
