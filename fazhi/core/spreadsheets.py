"""Excel (.xlsx) and CSV files, written one way for every export of the platform.

* Formula injection (OWASP "CSV injection"): a text cell whose first character
  is ``=`` ``+`` ``-`` ``@``, a tab or a carriage return is never a formula.
  In .xlsx it is stored as text with Excel's own quote prefix (the cell shows
  exactly what was stored, and stays text even when edited); in .csv, which has
  no types, it gets a leading apostrophe. Numbers stay numbers, negative ones too.
* Characters XML cannot carry (``fazhi.core.text``) are removed, so a value
  stored before the input check existed cannot make a download fail.
* Values: None → empty, bool → 是/否, an aware datetime → local time, dates and
  numbers as themselves, anything else as its text.

    sheet = Sheet("检查对象", ["名称", "风险等级"], rows)
    return download(xlsx_bytes(sheet), "检查对象.xlsx", XLSX)

Written with openpyxl's write-only workbook: rows stream to the file, so a
50,000-row export does not hold every cell object in memory.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from fazhi.core.text import clean

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RED = "FBEAEA"


@dataclass(frozen=True)
class Flag:
    """A value shown on a light red background (e.g. a target not met)."""

    value: object


@dataclass(frozen=True)
class Percent:
    """A ratio (0..1) written as a number formatted as a percentage (0.0%), so
    Excel shows 87.5% and still sorts and sums it; None is written 无数据.
    ``flag`` shows it on the light red background of ``Flag``."""

    value: float | None
    flag: bool = False


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    min_width: int = 10  # a column is max(min_width, 2 × its label + 4) wide…
    width: int | None = None  # …or this, for every column


def cell_value(v):
    """The value as it goes into a cell (before formula protection)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return v
    if getattr(v, "tzinfo", None) is not None:
        return timezone.localtime(v).replace(tzinfo=None)
    if isinstance(v, Decimal) or hasattr(v, "isoformat"):
        return v
    return clean(str(v))


def is_formula_like(v) -> bool:
    return isinstance(v, str) and v.startswith(FORMULA_START)


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def xlsx_bytes(*sheets: Sheet) -> bytes:
    """An .xlsx with one worksheet per ``Sheet``: a bold header, then the rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    wb = Workbook(write_only=True)
    bold, red = Font(bold=True), PatternFill("solid", fgColor=_RED)
    for sheet in sheets:
        ws = wb.create_sheet(clean(sheet.title)[:31] or "Sheet")
        for i, label in enumerate(sheet.header, start=1):
            ws.column_dimensions[_column_letter(i)].width = sheet.width or max(sheet.min_width, len(str(label)) * 2 + 4)
        header = []
        for label in sheet.header:
            c = WriteOnlyCell(ws, value=cell_value(label))
            c.font = bold
            header.append(c)
        ws.append(header)
        for row in sheet.rows:
            out = []
            for v in row:
                if isinstance(v, Percent):
                    c = WriteOnlyCell(ws, value="无数据" if v.value is None else float(v.value))
                    if v.value is not None:
                        c.number_format = "0.0%"
                    if v.flag:
                        c.fill = red
                    out.append(c)
                    continue
                flagged = isinstance(v, Flag)
                value = cell_value(v.value if flagged else v)
                if not (flagged or is_formula_like(value)):
                    out.append(value)
                    continue
                c = WriteOnlyCell(ws, value=value)
                if is_formula_like(value):
                    c.data_type, c.quotePrefix = "s", True  # text, never a formula
                if flagged:
                    c.fill = red
                out.append(c)
            ws.append(out)
    if not sheets:
        wb.create_sheet("Sheet")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with BOM so that Excel opens Chinese text correctly; a formula-like
    text cell gets a leading apostrophe (a CSV cell has no type)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow(["'" + v if is_formula_like(v) else v for v in map(cell_value, r)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    resp = HttpResponse(content, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def xlsx_download(*sheets: Sheet, stem: str) -> HttpResponse:
    """An .xlsx export named ``<stem>-<local time YYYYMMDDHHMM>.xlsx``, as every list export is named."""
    return download(xlsx_bytes(*sheets), f"{stem}-{timezone.localtime():%Y%m%d%H%M}.xlsx", XLSX)
