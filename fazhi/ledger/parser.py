"""Reading an implementation plan (实施方案) into areas and numbered measures.

Pure Python, no database: ``parse_plan(text)`` returns a ``ParsedPlan`` (title,
year range, areas with their measures, warnings) or raises ``PlanParseError``
(a ``ValidationError`` with a Chinese message) when nothing can be read.

How a plan is read (the shape of seed document 5, 大渡口区实施方案 2017—2020):

* Page-footer noise ("— 12 —") is removed wherever it stands, even inside a
  paragraph; a line that began with a footer continues the previous line.
* Parts are "一、…"; areas are "(一)…" / "（一）…" inside a part. A part with
  numbered measures but no (一) heading is itself the area (seed: "三、组织保障
  和落实机制" holds measures 39–42 directly).
* Measures are "1." / "1．" / "1、" at the start of a line (also after a
  "措施：" label on the same line). When a plan has no such numbers at all,
  its (一)(二)… headings are the measures and the 一、 parts are the areas.
* Parts that only state the plan's frame (一、总体要求: 指导思想, 基本原则 …)
  hold no measures; their sub-heads are not measures.
* "目标：" after an area heading is the area's goal, not a measure.
* Unit lines after a measure — 牵头单位 / 责任单位 / 配合单位 / 完成时限, with
  full- or half-width colons, several units separated by 、，,;； — or the same
  fields in parentheses at the end of the measure's paragraph. 牵头单位 names
  the lead; without it the first 责任单位 (or one marked "（牵头）") leads and the
  others take part. Several leads: the first leads, the rest become partners
  (with a warning), because the ledger holds exactly one lead per measure.
* A file holding several documents ("第一篇：…" lines, like the seed file) is
  split; the document with the most measures is taken (a warning says which),
  or the one asked for with ``part=N`` (1-based).
"""

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date

from fazhi.core.errors import ValidationError

CN_DIGITS = "一二三四五六七八九十"
PREAMBLE_TITLES = ("总体要求", "指导思想", "基本原则", "总体目标", "工作目标", "主要目标", "目标要求",
                   "衡量标准", "基本要求", "适用范围", "编制依据")

FOOTER_RE = re.compile(r"\s*[—–]{1,2}\s+\d{1,3}\s+[—–]{1,2}\s*|^\s*-\s+\d{1,3}\s+-\s*$", re.M)
DOC_RE = re.compile(r"^\s*第([一二三四五六七八九十百\d]+)篇\s*[:：]\s*(.*)$")
PART_RE = re.compile(rf"^([{CN_DIGITS}]{{1,3}})、\s*(.*)$")
AREA_RE = re.compile(rf"^[（(]([{CN_DIGITS}]{{1,3}})[)）]\s*(.*)$")
MEASURE_RE = re.compile(r"^(\d{1,3})\s*[.．、](?![\d.．])\s*(\S.*)$")
LABEL_RE = re.compile(r"^(措施|主要措施|具体措施)\s*[:：]\s*")
GOAL_RE = re.compile(r"^(目标|工作目标)\s*[:：]\s*(.*)$")
INLINE_GOAL_RE = re.compile(r"\s*(目标|工作目标)\s*[:：]\s*")

LEAD_KEYS = ("牵头单位", "主责单位", "牵头部门")
RESP_KEYS = ("责任单位", "责任部门", "实施单位")
PARTNER_KEYS = ("配合单位", "协办单位", "参与单位", "配合部门")
DEADLINE_KEYS = ("完成时限", "完成时间", "时间节点", "办结时限")
FIELD_KEYS = LEAD_KEYS + RESP_KEYS + PARTNER_KEYS + DEADLINE_KEYS
FIELD_RE = re.compile(r"(" + "|".join(FIELD_KEYS) + r")\s*[:：]")
UNIT_LINE_RE = re.compile(r"^[（(]?\s*(" + "|".join(FIELD_KEYS) + r")\s*[:：]")
TRAILING_FIELDS_RE = re.compile(r"[（(]\s*((?:" + "|".join(FIELD_KEYS) + r")\s*[:：][^（）()]*)[)）]\s*$")
UNIT_SPLIT_RE = re.compile(r"[、，,;；/]|\s+")
LEAD_MARK_RE = re.compile(r"[（(]\s*牵头\s*[)）]")
SENTENCE_END = "。；！？：”」）)"
CLOSING_RE = re.compile(r"^(全区|全县|全市|全镇|各地区|各区县|各部门、|本方案|本实施方案|附件)")
CJK_SPACE_RE = re.compile(r"(?<=[\u4e00-\u9fff（）()])\s+(?=[\u4e00-\u9fff（）()])")
# A notice that wraps the plan: "关于印发《示范区2026年法治政府建设实施方案》的通知".
NOTICE_RE = re.compile(r"印发\s*[《<〈]([^》>〉]{4,80})[》>〉]")
# Lines of a notice's head that are never the plan's title: the 文号, "……文件".
DOC_NO_RE = re.compile(r"[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号")
# Phrases that name no unit: "各有关部门", "乡镇人民政府按职责分工分别负责", "相关单位".
GENERIC_UNIT_RE = re.compile(r"^(各|有关|相关|其他|其它|其余|全区|全县|全市)|按职责|职责分工|分工负责|分别负责|等部门$|等单位$")
# A heading standing on its own line: short, no full stop or comma of a sentence.
HEADING_MAX = 30
HEADING_STOPS = "。；;，,！？!?：:"


class PlanParseError(ValidationError):
    """Nothing usable could be read from the text."""


@dataclass
class ParsedMeasure:
    number: int  # position in the plan, 1..N (unique within the plan)
    label: str  # the number as written: "1", "（一）"
    area: str  # title of its area
    part: str  # title of the part (一、…) holding the area
    title: str  # the first sentence, up to 。
    text: str  # the measure's whole text, footers removed
    lead_units: list[str] = field(default_factory=list)
    partner_units: list[str] = field(default_factory=list)
    deadline_text: str = ""
    deadline: date | None = None

    @property
    def lead_unit(self) -> str:
        return self.lead_units[0] if self.lead_units else ""

    @property
    def units(self) -> list[str]:
        return self.lead_units + self.partner_units


@dataclass
class ParsedArea:
    code: str  # "（一）" or "三、"
    title: str
    part: str
    goal: str = ""
    measures: list[ParsedMeasure] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str
    year_start: int | None
    year_end: int | None
    areas: list[ParsedArea]
    warnings: list[str] = field(default_factory=list)
    document: int = 1  # which document of a multi-document file (1-based)
    documents: int = 1  # how many documents the file holds
    mode: str = "arabic"  # "arabic" (1. 2. …) or "paren" ((一)(二)… are the measures)
    text: str = ""  # the text of the document read (the chosen one of a multi-document file)

    @property
    def measures(self) -> list[ParsedMeasure]:
        return [m for a in self.areas for m in a.measures]


# ------------------------------------------------------------------ helpers

def read_docx(data: bytes) -> str:
    """The text of a .docx: paragraphs, then table rows (cells joined so a
    task table "序号|任务|牵头单位|…" reads as measure and unit lines).

    The file passes the one upload check first (``core.uploads.check_archive``:
    member count, inflated size, ratio, no DTD), so a decompression bomb is
    refused before python-docx inflates it; characters XML cannot carry are
    removed from the text."""
    import io

    import docx

    from fazhi.core import uploads
    from fazhi.core.text import clean

    uploads.check_archive(data, kind=uploads.DOCUMENT, what="方案文件")
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception:
        raise PlanParseError("无法读取该 Word 文件（.docx 已损坏或不是有效的 Word 文档）")
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        header: list[str] = []
        for i, row in enumerate(table.rows):
            cells = [c.text.strip() for c in row.cells]
            if i == 0 and any(any(k in c for k in FIELD_KEYS) for c in cells):
                header = cells
                continue
            if header:
                parts = []
                for h, c in zip(header, cells, strict=False):
                    if h in ("序号", "编号") and c.isdigit():
                        parts.insert(0, f"{c}.")
                    elif any(k in h for k in FIELD_KEYS):
                        parts.append(f"\n{h}：{c}")
                    else:
                        parts.append(c)
                lines.append("".join(parts))
            else:
                lines.append(" ".join(cells))
    return clean("\n".join(lines))


def strip_footers(text: str) -> tuple[str, int]:
    """Remove page footers ("— 12 —"); a line that began with one is marked
    with a leading \\x00 so the reader joins it to the previous line."""
    count = 0
    out_lines = []
    for line in text.split("\n"):
        found = list(FOOTER_RE.finditer(line))
        if found:
            count += len(found)
            starts = found[0].start() == 0
            line = FOOTER_RE.sub("", line)
            if starts:
                line = "\x00" + line
        out_lines.append(line)
    return "\n".join(out_lines), count


def first_sentence(text: str, limit: int = 200) -> str:
    s = text.split("。", 1)[0].strip()
    return s[:limit]


def is_generic_unit(name: str) -> bool:
    """A phrase in a unit field that names no unit ("各有关部门",
    "乡镇人民政府按职责分工分别负责"): not taken as a unit name."""
    return bool(GENERIC_UNIT_RE.search(name))


def split_units(value: str, generic: list[str] | None = None) -> tuple[list[str], list[str]]:
    """(marked leads, names) of a unit list; "（牵头）" marks a lead. Phrases
    that name no unit are left out (appended to ``generic`` when given)."""
    leads, names = [], []
    for raw in UNIT_SPLIT_RE.split(value):
        name = raw.strip().strip("。.")
        if not name:
            continue
        if is_generic_unit(LEAD_MARK_RE.sub("", name)):
            if generic is not None:
                generic.append(name)
            continue
        if LEAD_MARK_RE.search(name):
            name = LEAD_MARK_RE.sub("", name).strip()
            leads.append(name)
        if name and name not in names:
            names.append(name)
    return leads, names


def field_pairs(s: str) -> list[tuple[str, str]]:
    """[(key, value)] of every unit/deadline field in ``s``."""
    found = list(FIELD_RE.finditer(s))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(s)
        value = s[m.end():end].strip().strip("；;，,。）)（(").strip()
        out.append((m.group(1), value))
    return out


def parse_deadline(text: str) -> date | None:
    """A date from 完成时限 text: "2024年6月30日前", "2024年6月底", "2024年底",
    "2024年上半年", "2024年第三季度", "2024-06-30"; None for "长期坚持" etc."""
    t = (text or "").replace(" ", "")
    m = re.search(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", t) or re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.search(r"(\d{4})年(\d{1,2})月", t)
        if m:
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, monthrange(y, mo)[1])
        m = re.search(r"(\d{4})年(上半年|下半年|第?([一二三四1-4])季度)", t)
        if m:
            y = int(m[1])
            if m[2] == "上半年":
                return date(y, 6, 30)
            if m[2] == "下半年":
                return date(y, 12, 31)
            q = "一二三四".find(m[3]) + 1 if m[3] in "一二三四" else int(m[3])
            mo = q * 3
            return date(y, mo, monthrange(y, mo)[1])
        m = re.search(r"(\d{4})年", t)
        if m:
            return date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def _year_range(title: str) -> tuple[int | None, int | None]:
    m = re.search(r"(\d{4})\s*[—–\-－~～至到]+\s*(\d{4})", title)
    if m:
        return int(m[1]), int(m[2])
    m = re.search(r"(\d{4})\s*年", title)
    if m:
        return int(m[1]), int(m[1])
    return None, None


def _is_preamble(title: str) -> bool:
    return any(title.startswith(p) or title == p for p in PREAMBLE_TITLES)


def split_documents(text: str) -> list[tuple[str, str]]:
    """[(name, text)] of the documents of a file ("第一篇：…" lines); one
    document named "" when there are no such lines."""
    docs: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        m = DOC_RE.match(line)
        if m:
            docs.append((m[2].strip(), []))
        elif docs:
            docs[-1][1].append(line)
        else:
            docs.append(("", [line]))
    docs = [(n, "\n".join(ls)) for n, ls in docs if n or "\n".join(ls).strip()]
    return docs or [("", text)]


# ------------------------------------------------------------------ reading

@dataclass
class _Line:
    text: str
    joins: bool  # began with a page footer: continues the previous line directly


def _lines(text: str) -> list[_Line]:
    out = []
    for raw in text.split("\n"):
        joins = raw.startswith("\x00")
        s = raw.replace("\x00", "").replace("\u3000", " ").replace("\xa0", " ").strip()
        if s:
            out.append(_Line(s, joins))
    return out


def _title(lines: list[_Line], name: str) -> tuple[str, int]:
    """The plan's title and the index of the first body line.

    A notice that wraps the plan ("关于印发《…实施方案》的通知") gives the
    title in its 书名号; the body starts after the line repeating that title
    (else after the notice's line). The 文号 ("示范府办发〔2026〕12号") and a
    "……文件" letterhead are never the title."""
    for i, ln in enumerate(lines[:15]):
        if PART_RE.match(ln.text) or AREA_RE.match(ln.text) or MEASURE_RE.match(ln.text):
            break
        if m := NOTICE_RE.search(ln.text):
            title = CJK_SPACE_RE.sub("", m[1]).strip()
            for j in range(i + 1, min(len(lines), i + 30)):
                if CJK_SPACE_RE.sub("", lines[j].text) == title:
                    return title, j + 1
                if PART_RE.match(lines[j].text):
                    return title, j
            return title, i + 1
    for i, ln in enumerate(lines[:5]):
        if PART_RE.match(ln.text) or AREA_RE.match(ln.text) or MEASURE_RE.match(ln.text):
            break
        if DOC_NO_RE.search(ln.text) or ln.text.endswith("文件"):
            continue
        if len(ln.text) <= 60 and not ln.text.endswith("。"):
            return CJK_SPACE_RE.sub("", ln.text), i + 1
    return (CJK_SPACE_RE.sub("", name) or "未命名实施方案"), 0


class _Reader:
    def __init__(self, mode: str):
        self.mode = mode
        self.areas: list[ParsedArea] = []
        self.warnings: list[str] = []
        self.part = ""
        self.part_code = ""
        self.in_preamble = False
        self.part_has_area = False
        self.area: ParsedArea | None = None
        self.measure: dict | None = None
        self.skipped_subheads: list[str] = []
        self.part_intro = ""
        self.seq = 0
        self.labels: list[int] = []

    # a measure under construction: {"label", "chunks", "fields"}
    def close_measure(self):
        m, self.measure = self.measure, None
        if m is None:
            return
        text = ""
        heading = ""
        chunks = m["chunks"]
        if (len(chunks) > 1 and not chunks[1][1] and len(chunks[0][0]) <= HEADING_MAX
                and not any(c in chunks[0][0] for c in HEADING_STOPS)):
            # "1．深化“放管服”改革" on its own line, the body below it: a heading
            heading = chunks[0][0].strip()
        for i, (chunk, joins) in enumerate(chunks):
            if not text:
                text = chunk
            elif i == 1 and heading:
                text += "\n" + chunk
            elif joins or text[-1] not in SENTENCE_END:
                text += chunk
            else:
                text += "\n" + chunk
        tail = TRAILING_FIELDS_RE.search(text)
        pairs = list(m["fields"])
        if tail:
            pairs = field_pairs(tail.group(1)) + pairs
            text = text[:tail.start()].rstrip()
        self.seq += 1
        pm = ParsedMeasure(number=self.seq, label=m["label"], area=self.area.title, part=self.part,
                           title=heading or first_sentence(text), text=text)
        self._apply_fields(pm, pairs)
        self.area.measures.append(pm)

    def _apply_fields(self, pm: ParsedMeasure, pairs):
        leads, resp, partners, marked, generic = [], [], [], [], []
        for key, value in pairs:
            if key in DEADLINE_KEYS:
                pm.deadline_text = value
                pm.deadline = parse_deadline(value)
                if value and pm.deadline is None and re.search(r"\d", value):
                    self.warnings.append(f"措施{pm.label}的完成时限“{value}”无法识别为日期，请在分解时填写")
                continue
            mk, names = split_units(value, generic)
            marked += mk
            if key in LEAD_KEYS:
                leads += names
            elif key in RESP_KEYS:
                resp += names
            else:
                partners += names
        if not leads:
            if marked:
                leads = marked[:1]
            elif resp:
                leads = resp[:1]
        rest = [n for n in leads[1:] + resp + partners if n not in leads[:1]]
        if len(leads) > 1:
            self.warnings.append(f"措施{pm.label}列有多个牵头单位（{'、'.join(leads)}），"
                                 f"以“{leads[0]}”为牵头单位，其余作为配合单位")
        pm.lead_units = leads[:1]
        pm.partner_units = list(dict.fromkeys(rest))
        if generic:
            self.warnings.append(f"措施{pm.label}的“{'、'.join(dict.fromkeys(generic))}”不是具体单位，"
                                 "未作为单位导入，请在分工中指定")

    def open_area(self, code: str, title: str, goal: str = ""):
        self.close_measure()
        self.area = ParsedArea(code=code, title=title, part=self.part, goal=goal)
        self.areas.append(self.area)

    def start_measure(self, label: str, rest: str):
        self.close_measure()
        if self.area is None:
            if self.part and not self.in_preamble:
                self.open_area(f"{self.part_code}、", self.part, self.part_intro)
            else:
                self.warnings.append("未识别到领域标题，措施归入“主要任务”")
                self.part = self.part or "主要任务"
                self.open_area("", "主要任务")
        self.measure = {"label": label, "chunks": [(rest, False)], "fields": []}

    def add_text(self, ln: _Line):
        if self.measure is not None:
            self.measure["chunks"].append((ln.text, ln.joins))
        elif self.area is None and self.part and not self.in_preamble:
            self.part_intro += ("\n" if self.part_intro and not ln.joins else "") + ln.text
        elif self.area is not None and not self.in_preamble:
            g = self.area.goal
            self.area.goal = (g + ("" if ln.joins or not g else "\n") + ln.text) if g else ln.text

    def feed(self, ln: _Line):
        s = LABEL_RE.sub("", ln.text)
        if not s:
            return
        ln = _Line(s, ln.joins)
        if m := PART_RE.match(s):
            self.close_measure()
            self.part_code, self.part = m[1], INLINE_GOAL_RE.split(m[2], 1)[0].strip()
            self.in_preamble = _is_preamble(self.part)
            self.area, self.part_intro = None, ""
            if self.mode == "paren" and not self.in_preamble:
                self.open_area(f"{m[1]}、", self.part)
            return
        if m := AREA_RE.match(s):
            if self.in_preamble:
                self.close_measure()
                self.skipped_subheads.append(m[2][:20])
                return
            if self.mode == "paren":
                if self.area is None:
                    self.open_area("", self.part or "主要任务")
                self.start_measure(f"（{m[1]}）", m[2])
                return
            head, *goal = INLINE_GOAL_RE.split(m[2], 1)
            self.open_area(f"（{m[1]}）", head.strip().rstrip("。"), goal[-1].strip() if goal else "")
            return
        if self.mode == "arabic" and (m := MEASURE_RE.match(s)):
            if self.in_preamble:
                self.close_measure()
                self.skipped_subheads.append(m[2][:20])
                return
            self.labels.append(int(m[1]))
            self.start_measure(m[1], m[2])
            return
        if UNIT_LINE_RE.match(s):
            if self.measure is None:
                self.warnings.append(f"单位/时限行“{s[:30]}”前面没有措施，已忽略")
            else:
                self.measure["fields"] += field_pairs(s)
            return
        if (m := GOAL_RE.match(s)) and self.measure is None and self.area is not None:
            self.area.goal = m[2]
            return
        self.add_text(ln)


def _cut_closing(areas: list[ParsedArea]) -> str:
    """The plan's closing paragraph ("全区各部门……要抓好贯彻落实") follows the
    last measure without a heading; cut it off that measure and return it."""
    if not areas:
        return ""
    last = areas[-1].measures[-1]
    paras = last.text.split("\n")
    for i, para in enumerate(paras[1:], start=1):
        if CLOSING_RE.match(para):
            last.text = "\n".join(paras[:i])
            return "\n".join(paras[i:])
    return ""


def _mode(lines: list[_Line]) -> str:
    preamble = False
    for ln in lines:
        s = LABEL_RE.sub("", ln.text)
        if m := PART_RE.match(s):
            preamble = _is_preamble(m[2])
        elif MEASURE_RE.match(s) and not preamble:
            return "arabic"
    return "paren"


def _parse_one(text: str, name: str = "") -> ParsedPlan:
    body, footers = strip_footers(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = _lines(body)
    title, start = _title(lines, name)
    mode = _mode(lines[start:])
    reader = _Reader(mode)
    for ln in lines[start:]:
        reader.feed(ln)
    reader.close_measure()
    areas = [a for a in reader.areas if a.measures]
    closing = _cut_closing(areas)
    y0, y1 = _year_range(title)
    plan = ParsedPlan(title=title, year_start=y0, year_end=y1, areas=areas, mode=mode, text=text.strip())
    w = plan.warnings
    if footers:
        w.append(f"已去除页码等页脚 {footers} 处")
    if closing:
        w.append(f"方案结尾的要求“{closing[:20]}……”不属于最后一项措施，未计入措施内容")
    if reader.skipped_subheads:
        w.append(f"“总体要求”等部分的小标题不作为措施：{'、'.join(reader.skipped_subheads[:6])}"
                 + ("等" if len(reader.skipped_subheads) > 6 else ""))
    labels = reader.labels
    if labels and labels != list(range(1, len(labels) + 1)):
        restart = [i for i in range(1, len(labels)) if labels[i] == 1]
        if restart and all(labels[i] == labels[i - 1] + 1 for i in range(1, len(labels)) if i not in restart):
            w.append("措施编号在各领域内重新从1开始，已按出现顺序统一编为第1至第"
                     f"{len(labels)}项")
        else:
            for prev, cur in zip(labels, labels[1:], strict=False):
                if cur != prev + 1 and cur != 1:
                    w.append(f"措施编号不连续：第{prev}项之后是第{cur}项")
    if plan.measures:
        with_units = [m for m in plan.measures if m.units]
        if with_units and len(with_units) < len(plan.measures):
            missing = [m.label for m in plan.measures if not m.units]
            w.append(f"{len(missing)} 项措施未列责任单位（{'、'.join(missing[:10])}{'等' if len(missing) > 10 else ''}）")
        if not with_units:
            w.append("方案未列牵头/责任单位，导入后请逐项分解到单位并确定完成时限")
    reader.warnings and w.extend(reader.warnings)
    return plan


def parse_plan(text: str, *, part: int | None = None) -> ParsedPlan:
    """Read a plan; ``part`` picks a document of a multi-document file (1-based).

    Raises ``PlanParseError`` (Chinese message) when nothing can be read."""
    if not text or not text.strip():
        raise PlanParseError("文件内容为空，未能识别出任何措施")
    docs = split_documents(text)
    if part is not None:
        if not 1 <= part <= len(docs):
            raise PlanParseError(f"文件只有 {len(docs)} 篇文档，没有第 {part} 篇")
        chosen = [(part, *docs[part - 1])]
    else:
        chosen = [(i, n, t) for i, (n, t) in enumerate(docs, start=1)]
    results = [(i, n, _parse_one(t, n)) for i, n, t in chosen]
    i, name, plan = max(results, key=lambda r: (len(r[2].measures), -r[0]))
    if not plan.measures:
        where = f"第 {part} 篇文档" if part else "文本"
        raise PlanParseError(
            f"未能从{where}中识别出任何措施。实施方案应有“一、”“（一）”等标题，以及“1.”“2.”或“（一）”"
            "编号的具体措施，请检查文件内容（扫描件须先转为文字）")
    plan.document, plan.documents = i, len(docs)
    if len(docs) > 1 and part is None:
        plan.warnings.insert(0, f"文件包含 {len(docs)} 篇文档，已选取第 {i} 篇“{name}”（措施最多）；"
                                "如需其他篇，请指定篇次")
    return plan
