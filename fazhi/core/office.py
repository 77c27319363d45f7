"""Reading the tables of an uploaded .docx, .xlsx or text file as rows of text cells.

Pure: no database. One place for what the catalogue import (and any later
table import) needs; the older readers (ledger plan text, training sheets,
inspection pools) predate it.

* The type is judged by the content, never by the name: a zip holding
  ``word/document.xml`` is a Word file, one holding ``xl/workbook.xml`` an
  Excel file; everything else must decode as UTF-8 or GB18030 text.
* Every zip passes the one upload check (``uploads.check_archive``: member
  count, inflated size, ratio, no DTD) before python-docx or openpyxl opens it.
* Cells are text: characters XML cannot carry are removed, an Excel date
  becomes ``YYYY-MM-DD``, a whole float its integer.
* Refusals are ``ValidationError`` with a Chinese message; nothing is stored.

    kind, tables = read_tables(data, what="目录文件")
    # kind: "docx" | "xlsx" | "text"; tables: [[row cells…]…] (text: [] and the text in read_text)
"""

import io
from datetime import date, datetime

from fazhi.core import uploads
from fazhi.core.errors import ValidationError
from fazhi.core.text import clean

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls (old Office)
MAX_ROWS = 5000


def kind_of(data: bytes, what: str = "文件") -> str:
    """"docx", "xlsx" or "text" from the content; a refusal for anything else."""
    if not data:
        raise ValidationError(f"{what}为空", fields={"file": "请选择文件"})
    if data.startswith(ZIP):
        members = {m.name for m in uploads.zip_members(
            data, max_members=uploads.zip_limits(uploads.DOCUMENT).members, what=what)}
        if "word/document.xml" in members:
            return "docx"
        if "xl/workbook.xml" in members:
            return "xlsx"
        raise ValidationError(f"{what}只接受 .docx、.xlsx 或 .txt 文件（按文件内容识别）", fields={"file": "文件类型不符"})
    if data.startswith(OLE):
        raise ValidationError("不支持旧版 Word/Excel（.doc/.xls）格式，请另存为 .docx 或 .xlsx 后重新上传",
                              fields={"file": "文件类型不符"})
    if data.startswith(b"%PDF"):
        raise ValidationError("不支持 PDF 文件，请上传 .docx、.xlsx 或 .txt 文件", fields={"file": "文件类型不符"})
    return "text"


def decode_text(data: bytes, what: str = "文件") -> str:
    """UTF-8 (with or without BOM) or GB18030 text, line ends made ``\\n``."""
    if b"\x00" in data[:4096]:
        raise ValidationError(f"{what}不是文本文件，只接受 .docx、.xlsx 或 .txt 文件", fields={"file": "文件类型不符"})
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    raise ValidationError(f"无法识别{what}的文字编码（请使用 UTF-8 或 GB18030）", fields={"file": "无法识别编码"})


def cell_str(value) -> str:
    """A cell's value as text, as it stands (characters XML cannot carry kept:
    a streaming import checks the raw value and cleans what it stores)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_text(value) -> str:
    """A cell's value as clean text (``cell_str`` without what XML cannot carry)."""
    return clean(cell_str(value)).strip()


def docx_tables(data: bytes, what: str = "文件") -> tuple[list[list[list[str]]], list[str]]:
    """(tables, paragraphs) of a .docx: every table as rows of cell texts (a
    merged cell repeats its text in each column it spans, as python-docx
    gives it), and the body paragraphs."""
    uploads.check_archive(data, kind=uploads.DOCUMENT, what=what)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on damaged XML
        raise ValidationError(f"无法读取{what}（.docx 已损坏或不是有效的 Word 文档）", fields={"file": "文件已损坏"})
    tables = []
    for table in document.tables:
        rows = []
        for row in table.rows[:MAX_ROWS]:
            rows.append([cell_text(c.text) for c in row.cells])
        tables.append(rows)
    return tables, [clean(p.text) for p in document.paragraphs]


def xlsx_rows(data: bytes, what: str = "文件") -> list[list[str]]:
    """The rows of the first worksheet as cell texts (at most ``MAX_ROWS``)."""
    uploads.check_archive(data, kind=uploads.DOCUMENT, what=what)
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(f"无法读取{what}（.xlsx 已损坏或不是有效的 Excel 文件）", fields={"file": "文件已损坏"})
    try:
        rows = []
        for r in wb.worksheets[0].iter_rows(values_only=True):
            rows.append([cell_text(v) for v in r])
            if len(rows) >= MAX_ROWS:
                break
        return rows
    finally:
        wb.close()
