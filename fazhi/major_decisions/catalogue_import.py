"""Reading a published 年度重大行政决策事项目录 notice into rows.

Pure, no database: ``parse_catalogue(data, filename, year=…)`` returns a
``ParsedCatalogue`` (rows, each with its problems, and file-level problems).
Units are matched and rows saved elsewhere (``services.import_catalogue_entries``).

What is read:

* .docx — the first table whose header names a matter column and a unit
  column; a table split over pages may repeat its header (skipped).
* .xlsx — the first sheet; the header may stand below a title row.
* .txt — a header line and one row a line, columns separated by tabs or two
  or more spaces; or the notice text itself, numbered matters
  ("1．……（承办单位：区住建局；完成时限：2026年6月底前）").

Columns (any order, any of the names): 序号; 决策事项 / 事项名称 / 决策事项名称;
承办单位 / 牵头单位 / 责任单位 / 主办单位; 配合单位 / 协办单位; 完成时限 /
计划完成时间 / 完成时间; 决策依据 / 法律政策依据; 事项类别 / 类别; 备注.
A row spanning the whole table ("一、重大公共政策和措施") is a section: it
gives the category of the rows below it when it names one (MDEC-01).

Units: "区发改局、区财政局" or "区住建局（牵头），区自然资源局": the one marked
（牵头）, else the first, is the 承办单位; the others are 配合单位. With both a
牵头单位 and a 责任单位 column the 牵头单位 leads.

完成时限 → a date, within the catalogue's year when the text gives none:
"2026年6月底前" / "6月底前" / "2026.10" / "2026-10" → end of that month;
"2026-09-30" / "2026年9月30日" → that day; "2026年三季度" / "第三季度" → end
of the quarter; "上半年" → 30 June; "下半年" / "年底前" / "年内" / "2026年" →
31 December. Anything else ("长期坚持") is a problem of the row.
"""

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date

from fazhi.core import office
from fazhi.core.errors import ValidationError
from fazhi.ledger.parser import split_units  # the plan import's reading of unit lists, "（牵头）" included
from fazhi.major_decisions.models import Category

WHAT = "目录文件"

TITLE_KEYS = ("决策事项名称", "重大行政决策事项", "决策事项", "事项名称", "项目名称", "事项")
LEAD_KEYS = ("承办单位", "牵头单位", "主办单位", "责任单位", "承办部门", "牵头部门", "责任部门")
PARTNER_KEYS = ("配合单位", "协办单位", "参与单位", "配合部门")
DEADLINE_KEYS = ("完成时限", "计划完成时间", "完成时间", "办结时限", "时间安排", "时限")
BASIS_KEYS = ("决策依据", "法律政策依据", "政策依据", "依据")
CATEGORY_KEYS = ("事项类别", "决策类别", "类别")
NOTE_KEYS = ("备注", "说明")
SEQ_KEYS = ("序号", "编号")
# checked in this order: "事项类别" is the category, not the matter
COLUMNS = (("seq", SEQ_KEYS), ("category", CATEGORY_KEYS), ("partners", PARTNER_KEYS), ("unit", LEAD_KEYS),
           ("deadline", DEADLINE_KEYS), ("basis", BASIS_KEYS), ("note", NOTE_KEYS), ("title", TITLE_KEYS))

# Section or category text → category (MDEC-01); checked in this order.
CATEGORY_WORDS = (
    ("自然资源", Category.RESOURCES), ("文化资源", Category.RESOURCES),
    ("公共建设", Category.PROJECT), ("建设项目", Category.PROJECT),
    ("公共政策", Category.PUBLIC_POLICY), ("政策措施", Category.PUBLIC_POLICY),
    ("规划", Category.PLAN),
    ("其他", Category.OTHER), ("其它", Category.OTHER),
)

COL_SPLIT_RE = re.compile(r"\t+|[ \u3000]{2,}")
NUMBERED_RE = re.compile(r"^\s*(\d{1,3})\s*[.．、](?![\d.．])\s*(\S.*)$")
SECTION_RE = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*、\s*(\S.*)$")
FIELD_RE = re.compile(r"(" + "|".join(LEAD_KEYS + PARTNER_KEYS + DEADLINE_KEYS + BASIS_KEYS) + r")\s*[:：]")
TRAILING_RE = re.compile(r"[（(]\s*((?:" + "|".join(LEAD_KEYS + PARTNER_KEYS + DEADLINE_KEYS + BASIS_KEYS)
                         + r")\s*[:：].*)[)）]\s*[。；;]?\s*$")
CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class ParsedRow:
    line: str  # where it stands in the file: "表格第3行", "第12行"
    seq: str
    title: str
    unit_text: str  # the unit cell as written
    lead: str  # the 承办单位 read from it ("" when none)
    partners: list[str] = field(default_factory=list)
    deadline_text: str = ""
    deadline: date | None = None
    basis: str = ""
    note: str = ""
    category: str = ""  # a Category value when the file names one, else ""
    problems: list[str] = field(default_factory=list)


@dataclass
class ParsedCatalogue:
    kind: str  # "docx" | "xlsx" | "text"
    rows: list[ParsedRow]
    problems: list[str] = field(default_factory=list)  # of the file, not of a row


# ------------------------------------------------------------------ small readers

def category_of(text: str) -> str:
    """The category a section heading or a 类别 cell names, or ""."""
    for value, label in Category.choices:
        if text.strip() in (value, label):
            return value
    for word, cat in CATEGORY_WORDS:
        if word in text:
            return cat
    return ""


def _month_end(y: int, m: int) -> date:
    return date(y, m, monthrange(y, m)[1])


def parse_deadline(text: str, year: int) -> date | None:
    """The date a 完成时限 stands for (see the module docstring); None when unreadable."""
    t = re.sub(r"\s+", "", text or "").replace("年度", "年")
    if not t:
        return None
    try:
        if m := re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", t):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:月?(?:底|末)?前?)?", t):
            return _month_end(int(m[1]), int(m[2]))
        y = year
        if m := re.match(r"(\d{4})年?", t):
            y, t = int(m[1]), t[m.end():]
        if m := re.match(r"(\d{1,2})月(?:份)?(?:底|末|中旬|下旬|上旬)?(?:前|以前|之前)?$", t):
            return _month_end(y, int(m[1]))
        if m := re.match(r"(?:第)?([一二三四1-4])季度(?:末|底)?(?:前|以前|之前)?$", t):
            return _month_end(y, CN_NUM[m[1]] * 3)
        if re.match(r"上半年(?:底|末)?(?:前|以前|之前)?$", t):
            return date(y, 6, 30)
        if re.match(r"(?:下半年|年底|年末|年内|全年|底)(?:前|以前|之前)?$", t) or t == "":
            return date(y, 12, 31)
    except ValueError:  # 2026年13月, 2026-02-30
        return None
    return None


def _units(text: str) -> tuple[str, list[str]]:
    leads, names = split_units(text or "")
    lead = leads[0] if leads else (names[0] if names else "")
    return lead, [n for n in names if n != lead]


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column name → index when ``cells`` is a header row (a matter column and a unit column)."""
    cols: dict = {}  # name → index; "more_units" → [index…]
    units: list[tuple[int, int]] = []  # (rank of the key, index)
    for i, raw in enumerate(cells):
        c = re.sub(r"\s+", "", raw)
        if not c or len(c) > 12:
            continue
        for name, keys in COLUMNS:
            hit = next((k for k in keys if k in c), None)
            if hit is None:
                continue
            if name == "unit":
                units.append((keys.index(hit), i))
            elif name not in cols:
                cols[name] = i
            break
    if units:
        units.sort()
        cols["unit"] = units[0][1]
        cols["more_units"] = [i for _, i in units[1:]]
    if "title" in cols and "unit" in cols:
        return cols
    return None


def _finish(row: ParsedRow, year: int) -> ParsedRow:
    if not row.title:
        row.problems.append("缺少决策事项名称")
    if not row.lead:
        row.problems.append("缺少承办单位")
    if row.deadline_text:
        row.deadline = parse_deadline(row.deadline_text, year)
        if row.deadline is None:
            row.problems.append(f"无法识别完成时限“{row.deadline_text}”，请填写日期")
        elif row.deadline.year < year:
            row.problems.append(f"完成时限“{row.deadline_text}”早于目录年度{year}年")
    if len(row.title) > 200:
        row.problems.append("决策事项名称超过200字")
    return row


# ------------------------------------------------------------------ tables

def rows_from_table(table: list[list[str]], year: int, *, where: str = "第{}行",
                    header_within: int = 10) -> list[ParsedRow] | None:
    """The rows of a table with a header within its first ``header_within``
    rows (a title row may stand above it); None when it has none."""
    cols = None
    start = 0
    for i, cells in enumerate(table[:header_within]):
        cols = _header(cells)
        if cols:
            start = i + 1
            break
    if cols is None:
        return None
    header = [re.sub(r"\s+", "", c) for c in table[start - 1]]
    rows: list[ParsedRow] = []
    section_category = ""

    def cell(cells, name):
        i = cols.get(name)
        return cells[i].strip() if isinstance(i, int) and i < len(cells) else ""

    for n, cells in enumerate(table[start:], start=start + 1):
        texts = [c.strip() for c in cells]
        filled = [c for c in texts if c]
        if not filled:
            continue
        if [re.sub(r"\s+", "", c) for c in cells] == header:
            continue  # the header repeated on the next page
        if len(set(filled)) == 1 and (len(filled) > 1 or SECTION_RE.match(filled[0])
                                      or texts.index(filled[0]) != cols["title"]):
            section_category = category_of(filled[0]) or section_category  # a section spanning the row
            continue
        lead, partners = _units(cell(cells, "unit"))
        for text in [cells[i] for i in cols.get("more_units", []) if i < len(cells)] + [cell(cells, "partners")]:
            partners += [x for x in split_units(text)[1] if x != lead and x not in partners]
        row = ParsedRow(line=where.format(n), seq=cell(cells, "seq"), title=cell(cells, "title"),
                        unit_text=cell(cells, "unit"), lead=lead, partners=partners,
                        deadline_text=cell(cells, "deadline"), basis=cell(cells, "basis"), note=cell(cells, "note"),
                        category=category_of(cell(cells, "category")) or section_category)
        rows.append(_finish(row, year))
    return rows


# ------------------------------------------------------------------ text

def _text_table(lines: list[str], year: int) -> list[ParsedRow] | None:
    """A table typed as text: columns split by tabs or 2+ spaces. Lines of
    fewer than three columns (the notice's own sentences, its signature) are
    not rows; they stand as one cell, like a section."""
    table = []
    for ln in lines:
        cells = COL_SPLIT_RE.split(ln.strip())
        table.append(cells if sum(1 for c in cells if c) >= 3 else [ln.strip()])
    return rows_from_table(table, year, where="第{}行", header_within=len(table))


def _fields(text: str) -> dict[str, str]:
    found = list(FIELD_RE.finditer(text))
    out = {}
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        out.setdefault(m[1], text[m.end():end].strip().strip("；;，,。）)（(").strip())
    return out


def _notice_rows(lines: list[str], year: int) -> list[ParsedRow]:
    """Numbered matters of a notice's text, each with its fields on the same
    line (in trailing brackets or after the title) or on the lines below."""
    rows: list[ParsedRow] = []
    section_category = ""
    current: dict | None = None

    def close():
        if current is None:
            return
        text = current["text"]
        tail = TRAILING_RE.search(text)
        fields_text = ""
        if tail:
            fields_text, text = tail[1], text[:tail.start()]
        elif (m := FIELD_RE.search(text)) is not None:
            fields_text, text = text[m.start():], text[:m.start()]
        f = _fields(fields_text + "\n" + "\n".join(current["more"]))
        pick = lambda keys: next((f[k] for k in keys if k in f), "")  # noqa: E731
        unit_text = pick(LEAD_KEYS)
        lead, partners = _units(unit_text)
        others = [f[k] for k in LEAD_KEYS + PARTNER_KEYS if k in f and f[k] != unit_text]
        for text_ in others:
            partners += [x for x in split_units(text_)[1] if x != lead and x not in partners]
        title = text.strip().rstrip("。；;，,:：").strip()
        rows.append(_finish(ParsedRow(
            line=f"第{current['line']}行", seq=current["seq"], title=title, unit_text=unit_text, lead=lead,
            partners=partners, deadline_text=pick(DEADLINE_KEYS), basis=pick(BASIS_KEYS),
            category=current["category"]), year))

    for n, raw in enumerate(lines, start=1):
        ln = raw.strip()
        if not ln:
            continue
        if m := NUMBERED_RE.match(ln):
            close()
            current = {"line": n, "seq": m[1], "text": m[2], "more": [], "category": section_category}
        elif m := SECTION_RE.match(ln):
            close()
            current = None
            section_category = category_of(m[1]) or section_category
        elif current is not None and FIELD_RE.match(ln.lstrip("（(")):
            current["more"].append(ln.lstrip("（(").rstrip("）)"))
        elif current is not None and not current["more"] and len(ln) < 120 and not ln.endswith("。"):
            current["text"] += ln  # the title went on over a line break
        else:
            close()
            current = None
    close()
    return rows


# ------------------------------------------------------------------ entry point

def parse_catalogue(data: bytes, filename: str = "", *, year: int) -> ParsedCatalogue:
    """Rows of a catalogue notice (.docx, .xlsx or .txt, judged by content).

    Raises ``ValidationError`` (Chinese) when the file cannot be read at all;
    a file that reads but holds no catalogue rows gives ``problems``."""
    kind = office.kind_of(data, WHAT)
    rows: list[ParsedRow] | None = None
    if kind == "docx":
        tables, paragraphs = office.docx_tables(data, WHAT)
        for t, table in enumerate(tables, start=1):
            where = "表格第{}行" if len(tables) == 1 else f"第{t}个表格第{{}}行"
            rows = rows_from_table(table, year, where=where)
            if rows is not None:
                break
        if rows is None:
            rows = _text_table(paragraphs, year) or _notice_rows(paragraphs, year)
    elif kind == "xlsx":
        rows = rows_from_table(office.xlsx_rows(data, WHAT), year, where="第{}行")
    else:
        lines = office.decode_text(data, WHAT).split("\n")
        rows = _text_table(lines, year)
        if rows is None:
            rows = _notice_rows(lines, year)
    parsed = ParsedCatalogue(kind=kind, rows=rows or [])
    if rows is None and kind == "xlsx":
        parsed.problems.append("表格中找不到表头：须有“决策事项（事项名称）”和“承办单位”列")
    elif not parsed.rows:
        parsed.problems.append("文件中没有读到决策事项：请上传含目录表格（序号、决策事项、承办单位、完成时限）的通知")
    return parsed


def check_filename(filename: str) -> None:
    """Names that say another type are refused before reading (the content decides otherwise)."""
    lower = (filename or "").lower()
    if lower.endswith((".doc", ".xls", ".pdf", ".wps", ".et")):
        raise ValidationError("只接受 .docx、.xlsx 或 .txt 文件（旧版 .doc/.xls 请另存为新格式）",
                              fields={"file": "文件类型不符"})
