"""Splitting a normative document's text into articles. Pure: no database.

Three numbering schemes are recognised:

* ``第一条 …`` (Chinese numerals with 十/百/千/零, or Arabic ``第12条``), also
  inserted articles ``第五条之一``, with chapter (``第一章 总则``) and section
  (``第一节 …``) headings in between;
* ``一、 …`` for notices and opinions; ``（一）`` and ``1.`` sub-items stay
  inside their article;
* ``1、 …`` for notices numbered that way, used only when neither of the
  others is present (elsewhere ``1、`` is a sub-item).

Imported and pasted text is often one long line (PDF extraction and web pages
lose the breaks), so a heading is found by what surrounds it, not by line
starts. A ``第X条`` is a heading only when

1. it stands at a boundary: start of text, a line break or space, a sentence
   end (。；：！？), a closing bracket, or right after a chapter heading or
   the document's title — never after ``本办法``, ``》`` or other words, so
   ``依照本办法第十二条规定`` and ``根据《XX条例》第三条`` stay references;
2. it is not followed by words that make it a reference (``第五条规定``,
   ``第五条所称``, ``第五条、第六条``, ``第五条的``…);
3. it continues the sequence: headings must run n, n+1, n+2… (with
   ``第n条之一`` allowed between n and n+1). Among all candidates the longest
   such chain wins, so a cross-reference that slips through rules 1–2
   (``。第五条 …`` inside article 9) is dropped. A chain normally starts at
   1; a text that is a fragment (it starts at ``第十五条``) has no article 1,
   and its chain starts at its first heading. Between chains of equal length
   one starting at 1 wins.

Decision on the preamble: text before the first article (title, 文号, the
issuing paragraph of a 通知, or the tail of an article a fragment starts in)
is kept as an ``Article`` with ``no == ""`` at the head of the list, so
nothing in the text is lost and the diff and the checker see it too.
``Article.is_preamble`` tells it apart. A text with no recognisable numbering
comes back as a single preamble article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "零〇一二两三四五六七八九"
CN_UNITS = "十百千"
_DIGIT_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

NUM = rf"[{CN_DIGITS}{CN_UNITS}]+|[0-9０-９]+"
SPACE = " \t\u3000\u00a0"
# What may stand right before a heading.
_BOUNDARY_BEFORE = set("\n\r" + SPACE + "。；;：:！!？?）)」』”\"")
# What right after 第X条 makes it a reference, not a heading. Only words that
# cannot begin an article's text: an article may well begin with 中小企业…,
# 所有…, 和解… or 与…, so those are references only in their reference uses.
_REFERENCE_AFTER = re.compile(
    r"^(?:的|之(?!一|二|三|四|五|六|七|八|九|十)|规定|所(?:称|列|述|指|规定|确定)|中(?:的|所|规定|列明|明确)"
    r"|、|，|,|。|；|;|）|\)|》|至|到|(?:和|与|或者|或|及|以及)第|第|（[一二三四五六七八九十]+）项)"
)
_SUB_DIGITS = "一二三四五六七八九十"
_ARTICLE_RE = re.compile(rf"第\s*({NUM})\s*条(?:之([{_SUB_DIGITS}]+))?")
_ITEM_RE = re.compile(rf"([{CN_DIGITS}{CN_UNITS}]+)\s*、")
_ARABIC_ITEM_RE = re.compile(r"(?<![0-9０-９.．])([0-9０-９]{1,2})\s*、")
# A chapter/section heading at the very end of a segment (the segment before
# the next article heading): 第二章 行政许可 / 第一节 一般规定.
# Kinds of document a title ends with; a title may run straight into the
# first chapter or article heading in text without line breaks.
_TITLE_ENDS = (
    "办法", "规定", "细则", "条例", "意见", "通知", "决定", "方案", "规则", "制度", "措施", "通告", "公告", "政策", "规范",
)  # fmt: skip
_AFTER_TITLE = "|".join(f"(?<={w})" for w in _TITLE_ENDS)
_HEADING_TAIL_RE = re.compile(
    rf"(?:^|(?<=[\n\r{SPACE}。；;：:！!？?）)])|{_AFTER_TITLE})"
    rf"(第\s*(?:{NUM})\s*(?:章|节|编|部分))[{SPACE}]*([^\n\r。；;：:，,！!？?第]{{0,25}}?)[{SPACE}\n\r]*$"
)


@dataclass(frozen=True)
class Article:
    """One article. ``no`` is the heading as written in the document's own
    scheme ("第十二条", "一、"); ``""`` for the preamble. ``chapter`` is the
    nearest chapter heading ("第二章 行政许可") and ``section`` the nearest
    section heading inside it ("第一节 一般规定"); both normalised to one
    ASCII space between number and title."""

    no: str
    chapter: str
    text: str
    section: str = ""

    @property
    def is_preamble(self) -> bool:
        return self.no == ""

    @property
    def number(self) -> int | None:
        """The article's ordinal (12 for 第十二条, 5 for 第五条之一), None for
        the preamble."""
        if not self.no:
            return None
        return parse_chinese_numeral(self.no.strip("第、 ").split("条")[0])

    @property
    def label(self) -> str:
        """How to name the article to a reader."""
        return self.no.rstrip("、") if self.no else "正文前部分"


# --- numerals -------------------------------------------------------------


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 15 -> 十五, 110 -> 一百一十, 105 -> 一百零五,
    1001 -> 一千零一 (the way laws number their articles: 民法典第一千零一条)."""
    if not 0 < n < 10000:
        raise ValueError(f"超出范围：{n}")
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    out = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(digits[d] + unit)
        elif out:
            zero_pending = True
    return "".join(out)


def parse_chinese_numeral(s: str) -> int:
    """Inverse of ``chinese_numeral``; also accepts Arabic and full-width
    digits, 两, 〇, and digit strings like 二〇二四. Raises ValueError."""
    s = s.strip().translate(_FULLWIDTH_DIGITS)
    if not s:
        raise ValueError("空数字")
    if s.isdigit():
        return int(s)
    if any(ch not in _DIGIT_VALUE and ch not in _UNIT_VALUE for ch in s):
        raise ValueError(f"不是中文数字：{s}")
    if not any(ch in _UNIT_VALUE for ch in s):
        # 二〇二四: positional digits.
        return int("".join(str(_DIGIT_VALUE[ch]) for ch in s))
    total, current = 0, 0
    for ch in s:
        if ch in _DIGIT_VALUE:
            current = _DIGIT_VALUE[ch]
        else:
            unit = _UNIT_VALUE[ch]
            total += (current or (1 if unit == 10 else 0)) * unit
            if current == 0 and unit != 10:
                raise ValueError(f"不是中文数字：{s}")
            current = 0
    return total + current


# --- splitting ------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int  # where the heading starts
    end: int  # where the article text starts
    n: int
    no: str  # normalised heading ("第十二条" / "第12条" / "第五条之一" / "一、")
    strong: bool  # at a line start
    sub: int = 0  # 1 for 第五条之一


def clean_text(text: str) -> str:
    """Lines stripped (including full-width spaces), empty lines dropped."""
    lines = (line.strip(SPACE) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _boundary_ok(text: str, pos: int) -> tuple[bool, bool]:
    """(allowed, strong) for a heading starting at ``pos``."""
    if pos == 0:
        return True, True
    prev = text[pos - 1]
    if prev in "\n\r":
        return True, True
    if prev in _BOUNDARY_BEFORE:
        # Spaces after a line break still count as a line start.
        back = text[:pos].rstrip(SPACE)
        return True, (not back or back[-1] in "\n\r")
    # Directly after a chapter heading in run-together text: "第一章总则第一条".
    if _HEADING_TAIL_RE.search(text[max(0, pos - 40) : pos]):
        return True, False
    return False, False


def _after_title(text: str, pos: int) -> bool:
    """“…管理办法第一条” (a title running into the first article), but not
    “本办法第一条” (a reference)."""
    before = text[max(0, pos - 3) : pos]
    return before.endswith(_TITLE_ENDS) and not before.startswith("本")


def _article_candidates(text: str) -> list[_Candidate]:
    found = []
    for m in _ARTICLE_RE.finditer(text):
        ok, strong = _boundary_ok(text, m.start())
        if not ok and not (_after_title(text, m.start()) and m.group(1) in ("一", "1", "１")):
            continue
        after = text[m.end() : m.end() + 8]
        rest = after.lstrip(SPACE)
        if not rest:
            continue
        if _REFERENCE_AFTER.match(rest):
            continue
        try:
            n = parse_chinese_numeral(m.group(1))
            sub = parse_chinese_numeral(m.group(2)) if m.group(2) else 0
        except ValueError:
            continue
        raw = m.group(1).translate(_FULLWIDTH_DIGITS)
        no = f"第{raw}条" + (f"之{m.group(2)}" if sub else "")
        found.append(_Candidate(m.start(), m.end(), n, no, strong, sub))
    return found


def _item_candidates(text: str, pattern: re.Pattern = _ITEM_RE) -> list[_Candidate]:
    found = []
    for m in pattern.finditer(text):
        ok, strong = _boundary_ok(text, m.start())
        if not ok:
            continue
        try:
            n = parse_chinese_numeral(m.group(1))
        except ValueError:
            continue
        no = f"{m.group(1).translate(_FULLWIDTH_DIGITS)}、"
        found.append(_Candidate(m.start(), m.end(), n, no, strong))
    return found


def _follows(prev: _Candidate, c: _Candidate) -> bool:
    """``c`` may come right after ``prev``: 5 → 6, 5 → 5之一 → 5之二 → 6."""
    if c.sub:
        return prev.n == c.n and prev.sub == c.sub - 1
    return prev.n == c.n - 1


def _best_chain(cands: list[_Candidate]) -> list[_Candidate]:
    """Longest run n, n+1, n+2… in text order. A run starts at 1, or at the
    first candidate of the text (a fragment), or at a line-start heading;
    among runs of equal length, one starting at 1 wins, then the one with
    more line-start headings."""
    # best[i] = (length, starts at 1, strong count, previous index) of a chain ending at i
    best: list[tuple[int, int, int, int]] = []
    by_number: dict[int, list[int]] = {}
    for i, c in enumerate(cands):
        entry = (0, 0, 0, -1)
        if not c.sub and (c.n == 1 or i == 0 or c.strong):
            entry = (1, int(c.n == 1), int(c.strong), -1)
        for j in by_number.get(c.n if c.sub else c.n - 1, []):
            if best[j][0] and cands[j].end <= c.start and _follows(cands[j], c):
                cand_entry = (best[j][0] + 1, best[j][1], best[j][2] + int(c.strong), j)
                if cand_entry[:3] > entry[:3]:
                    entry = cand_entry
        best.append(entry)
        by_number.setdefault(c.n, []).append(i)
    if not best or max(b[0] for b in best) == 0:
        return []
    i = max(range(len(best)), key=lambda k: (best[k][:3], -k))
    chain = []
    while i != -1:
        chain.append(cands[i])
        i = best[i][3]
    return chain[::-1]


def _split_heading_tail(segment: str) -> tuple[str, list[str]]:
    """Remove chapter/section headings from the end of a segment; returns the
    remaining text and the headings in reading order."""
    headings = []
    while True:
        m = _HEADING_TAIL_RE.search(segment)
        if not m:
            break
        number = re.sub(r"\s+", "", m.group(1))
        title = m.group(2).strip(SPACE)
        headings.insert(0, f"{number} {title}".strip())
        segment = segment[: m.start()]
    return segment, headings


def _is_section(heading: str) -> bool:
    return bool(re.match(rf"第(?:{NUM})节", heading))


def find_headings(text: str) -> list[_Candidate]:
    """The article headings of ``text``: the longer of the 第X条 chain and the
    一、 chain (第X条 wins a tie); the 1、 chain only when neither has two
    headings (otherwise 1、 numbers sub-items)."""
    articles = _best_chain(_article_candidates(text))
    items = _best_chain(_item_candidates(text))
    best = articles if len(articles) >= len(items) else items
    if len(best) < 2:
        arabic = _best_chain(_item_candidates(text, _ARABIC_ITEM_RE))
        if len(arabic) >= 2:
            return arabic
    return best


def split_articles(text: str) -> list[Article]:
    """Split ``text`` into articles (see the module docstring for the rules).

    The first element is the preamble (``no == ""``) when there is text
    before the first article. Article text is cleaned: each line stripped of
    surrounding (full-width) spaces, empty lines dropped, lines joined by
    ``\\n``; chapter headings are moved from the text to ``chapter``.
    """
    text = text.replace("\ufeff", "")
    heads = find_headings(text)
    if not heads:
        cleaned = clean_text(text)
        return [Article("", "", cleaned)] if cleaned else []

    result: list[Article] = []
    chapter = section = ""
    preamble, headings = _split_heading_tail(text[: heads[0].start])
    preamble = clean_text(preamble)
    if preamble:
        result.append(Article("", "", preamble))
    for i, head in enumerate(heads):
        for h in headings:
            if _is_section(h):
                section = h
            else:
                chapter, section = h, ""
        end = heads[i + 1].start if i + 1 < len(heads) else len(text)
        body, headings = _split_heading_tail(text[head.end : end])
        # “第一条：为了…” — the colon belongs to the heading, not the text.
        result.append(Article(head.no, chapter, clean_text(body).lstrip("：:" + SPACE), section))
    return result


# --- signature ----------------------------------------------------------

_CN_DATE_DIGITS = "〇零一二三四五六七八九十"
DATE_RE = re.compile(
    rf"(\d{{4}}|[{_CN_DATE_DIGITS}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_DATE_DIGITS}]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{_CN_DATE_DIGITS}]{{1,3}})\s*日"
)
ORGAN_SUFFIX = r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管理局|局|厅|委|办|中心|院)"
_ORGAN_LINE = re.compile(rf"^[\u4e00-\u9fa5（）()、]{{2,40}}{ORGAN_SUFFIX}$")


def strip_signature(articles: list[Article]) -> tuple[list[Article], str, str]:
    """Take the signature (issuing organ lines and the date line, 落款) off
    the end of the last article. Returns (articles, issuer, date text);
    issuer and date are "" when there is no signature."""
    if not articles:
        return articles, "", ""
    last = articles[-1]
    lines = last.text.split("\n")
    issuer, signed = "", ""
    if len(lines) > 1 and DATE_RE.fullmatch(lines[-1].replace(" ", "")):
        signed = lines[-1]
        lines = lines[:-1]
        while len(lines) > 1 and _ORGAN_LINE.match(lines[-1]):
            issuer = lines[-1] if not issuer else f"{lines[-1]} {issuer}"
            lines = lines[:-1]
    else:
        # Run-together text: “…起施行。示范县人民政府 2024年3月1日”
        m = re.search(rf"[。；]\s*([\u4e00-\u9fa5]{{2,40}}{ORGAN_SUFFIX})?\s*({DATE_RE.pattern})\s*$", last.text)
        if m and m.group(1):
            issuer, signed = m.group(1), m.group(2)
            lines = [last.text[: m.start() + 1]]
    if not signed:
        return articles, "", ""
    trimmed = Article(last.no, last.chapter, clean_text("\n".join(lines)), last.section)
    return [*articles[:-1], trimmed], issuer, signed


# --- title ----------------------------------------------------------------

_TITLE_WORDS = (
    "办法|规定|细则|通知|意见|决定|方案|规则|条例|公告|通告|规划|计划|规范|制度|标准|措施|指引|指南|目录|清单|纲要"
)
_DOC_NUMBER_LINE = re.compile(r"[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号")


def title_of(text: str) -> str:
    """Best guess at the document's title: the first short line naming a kind
    of document (办法, 通知, 意见…) that is not a 文号 line or a red-header
    line (“XX人民政府文件”); else the first non-empty short line. For
    one-line texts, the words before the first 文号, chapter or article."""
    lines = [ln for ln in clean_text(text).split("\n") if ln]
    if not lines:
        return ""
    if len(lines) == 1 or len(lines[0]) > 200:
        return _title_of_run_together(lines[0])
    candidates = []
    for line in lines[:15]:
        if len(line) > 80 or line.endswith(("：", ":", "。", "；")) or _DOC_NUMBER_LINE.search(line):
            continue
        if line.endswith("文件") or re.match(r"^(?:第.{1,6}[章节条]|[一二三四五六七八九十]+、)", line):
            continue
        candidates.append(line)
    for line in candidates:
        if re.search(rf"(?:{_TITLE_WORDS})(?:（[^）]*）|\([^)]*\))?$", line):
            return line
    return candidates[0] if candidates else lines[0][:60]


def _title_of_run_together(line: str) -> str:
    head = line[:200]
    cut = re.search(r"第[一1]\s*[章条]|为了|为进一步|根据《|各[\u4e00-\u9fa5、]{1,30}[：:]", head)
    if cut:
        head = head[: cut.start()]
    number = _DOC_NUMBER_LINE.search(head)
    if number and len(head) - number.end() > 4:
        head = head[number.end() :]
    # The red header “XX人民政府文件” followed by a space.
    head = re.sub(rf"^[^{SPACE}]{{2,30}}文件[{SPACE}]+", "", head.strip(SPACE))
    m = re.match(rf"^(.*(?:{_TITLE_WORDS})(?:（[^）]*）|\([^)]*\))?)", head.strip(SPACE))
    return (m.group(1) if m else head).strip(SPACE)[:80]
