"""Reading attendance and score sheets (.xlsx or .csv) into rows.

The sheet's first row is the header; recognised columns (any order):
姓名 (required), 单位, 出勤 (是/否, default 是), 学时 (default: the session's
hours), 成绩 (scores). Nothing is saved here: the rows go to the services,
which check them all and save all or nothing (DESIGN invariant 6).
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from fazhi.core import uploads
from fazhi.core.errors import ValidationError
from fazhi.core.text import clean
from fazhi.training import rules

HEADERS = {"姓名": "name", "单位": "unit", "所在单位": "unit", "出勤": "attended", "是否出勤": "attended",
           "学时": "hours", "认定学时": "hours", "成绩": "score", "分数": "score"}
YES = {"是", "出勤", "y", "yes", "1", "true", "√", "已出勤", ""}
NO = {"否", "缺勤", "n", "no", "0", "false", "×", "未出勤"}


@dataclass
class Row:
    line: int
    name: str
    unit: str = ""
    attended: bool = True
    hours: Decimal | None = None
    score: Decimal | None = None


def _decimal(value, label: str, line: int, errors: dict) -> Decimal | None:
    text = str(value).strip() if value is not None else ""
    if text == "":
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        errors[f"第{line}行"] = f"{label}“{text[:20]}”不是数字"
        return None
    if not d.is_finite():
        errors[f"第{line}行"] = f"{label}“{text[:20]}”不是数字"
        return None
    return d


def parse_lines(text: str) -> list[Row]:
    """The bulk entry box: one person a line, ``姓名[,单位][,学时]`` (comma,
    Chinese comma, tab or space separated)."""
    rows, errors = [], {}
    for i, raw in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in raw.replace("，", ",").replace("\t", ",").split(",")]
        parts = [p for p in parts if p != ""]
        if not parts:
            continue
        if len(parts) == 1 and " " in parts[0]:
            parts = parts[0].split()
        row = Row(line=i, name=parts[0])
        rest = parts[1:]
        if rest and _looks_numeric(rest[-1]):
            row.hours = _decimal(rest.pop(), "学时", i, errors)
        if rest:
            row.unit = rest[0]
        rows.append(row)
    if errors:
        raise ValidationError(f"有 {len(errors)} 行格式有误，未做任何更改", fields=errors, rule=rules.RULE_RECORD)
    return rows


def _looks_numeric(s: str) -> bool:
    try:
        Decimal(s)
        return True
    except InvalidOperation:
        return False


def read_sheet(upload) -> list[Row]:
    """Rows of an uploaded .xlsx or .csv; raises ValidationError (Chinese) for
    a file of the wrong type, too large, without a 姓名 column, or with bad cells."""
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None)
    if size is not None and size > rules.setting("IMPORT_MAX_BYTES"):
        raise ValidationError("文件过大，请拆分后导入")
    data = upload.read()
    if name.endswith(".xlsx"):
        table = _xlsx(data)
    elif name.endswith(".csv"):
        table = _csv(data)
    else:
        raise ValidationError("只能导入 .xlsx 或 .csv 文件")
    return _rows(table)


def _xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    # The one upload check before openpyxl inflates anything (bombs, DTDs).
    uploads.check_archive(data, kind=uploads.DOCUMENT, what="Excel 文件")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("无法读取该 Excel 文件，请确认是 .xlsx 格式")
    ws = wb.worksheets[0]
    out = []
    for r in ws.iter_rows(values_only=True):
        out.append(["" if v is None else clean(v) if isinstance(v, str) else v for v in r])
        if len(out) > rules.setting("IMPORT_MAX_ROWS") + 1:
            break
    wb.close()
    return out


def _csv(data: bytes) -> list[list]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError("无法识别 CSV 文件的编码，请另存为 UTF-8")
    return [[clean(c) for c in row] for row in csv.reader(io.StringIO(text))]


def _rows(table: list[list]) -> list[Row]:
    if not table:
        raise ValidationError("文件为空")
    header = [HEADERS.get(str(h).strip()) for h in table[0]]
    if "name" not in header:
        raise ValidationError("第1行须为表头，且包含“姓名”列")
    body = table[1:]
    if len(body) > rules.setting("IMPORT_MAX_ROWS"):
        raise ValidationError(f"一次最多导入 {rules.setting('IMPORT_MAX_ROWS')} 行")
    rows, errors = [], {}
    for i, cells in enumerate(body, start=2):
        values = {key: cells[j] if j < len(cells) else "" for j, key in enumerate(header) if key}
        name = str(values.get("name", "")).strip()
        if not name and not any(str(c).strip() for c in cells):
            continue  # blank line
        row = Row(line=i, name=name, unit=str(values.get("unit", "")).strip())
        if not name:
            errors[f"第{i}行"] = "姓名为空"
            continue
        att = str(values.get("attended", "")).strip().lower()
        if att in NO:
            row.attended = False
        elif att not in YES:
            errors[f"第{i}行"] = f"出勤栏“{att[:10]}”应为“是”或“否”"
            continue
        row.hours = _decimal(values.get("hours"), "学时", i, errors)
        row.score = _decimal(values.get("score"), "成绩", i, errors)
        rows.append(row)
    if errors:
        raise ValidationError(f"有 {len(errors)} 行格式有误，未做任何更改", fields=errors, rule=rules.RULE_RECORD)
    if not rows:
        raise ValidationError("文件中没有人员")
    return rows
