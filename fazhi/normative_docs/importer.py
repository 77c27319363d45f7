"""Parsing existing documents for import (issue 3 item 7). Pure: no database;
the services save what is parsed here.

``parse_document`` guesses the metadata a legal-affairs office registers
(NDOC-10: issuing organ, 文号, title, dates) and splits the articles. What it
cannot find is listed in ``problems`` in Chinese, so the person importing can
complete it by hand; nothing here raises on a poor text.

Decisions:

* 文号: ``示范府发〔2024〕5号``; ``[2024]``, ``［2024］``, ``(2024)``, ``（2024）``
  and ``【2024】`` are normalised to 〔〕. The document's own number is the
  first one before the first article that is not inside brackets (numbers
  cited in the text are written “（国办发〔2018〕37号）”).
* Issuer: the signature line before the closing date; else the red header
  “XX人民政府文件”; else the words before 关于 in the title; else, from the
  文号 prefix, an organ name in the text starting with the same place name.
* Dates: 印发 = the signature date, or a line “印发日期：…”; 发布 = a line
  “发布日期：…”, else the 印发 date; 施行 = “自2024年5月1日起施行”, or the
  印发/发布 date for “自印发（发布）之日起施行”.
* Validity: “有效期至2029年4月30日” is taken as written; “有效期5年” ends
  the day before the same date five years after the effective date
  (2024-05-01 -> 2029-04-30).
* A garbled PDF extraction is repaired first (textio.repair_extraction) and
  the repair is reported in ``problems``.
* The signature (issuer and date lines after the last article) is removed
  from the last article's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from fazhi.core.errors import DomainError
from fazhi.normative_docs.articles import (
    DATE_RE,
    ORGAN_SUFFIX,
    Article,
    parse_chinese_numeral,
    split_articles,
    strip_signature,
    title_of,
)
from fazhi.normative_docs.textio import DEFAULT_MAX_BYTES, read_text, repair_extraction

SUPPORTED_SUFFIXES = (".txt", ".docx")

DOC_NUMBER_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fa5]{2,12}?)\s*[〔\[［(（【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】]\s*"
    r"第?\s*(?P<seq>\d{1,5})\s*号"
)
_PROVINCE_ABBR = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"


@dataclass
class ParsedDocument:
    filename: str
    title: str
    doc_number: str
    issuer: str
    issued_on: date | None  # 印发日期
    published_on: date | None  # 发布日期
    effective_on: date | None  # 施行日期
    expires_on: date | None  # 有效期截止日（含当日）
    validity_years: int | None
    articles: list[Article]
    text: str  # the (repaired) full text
    problems: list[str] = field(default_factory=list)

    @property
    def body_articles(self) -> list[Article]:
        return [a for a in self.articles if not a.is_preamble]


@dataclass
class FileResult:
    path: str
    document: ParsedDocument | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.document is not None


def parse_date(s: str) -> date | None:
    """2024年3月1日 / 二〇二四年三月一日 -> date; None when not a valid date."""
    m = DATE_RE.search(s)
    if not m:
        return None
    try:
        y, mo, d = (parse_chinese_numeral(g) for g in m.groups())
        return date(y, mo, d)
    except ValueError:
        return None


def normalize_doc_number(s: str) -> str:
    """示范府发[2024]5号 / 示范府发（2024）第5号 -> 示范府发〔2024〕5号; "" if none."""
    m = DOC_NUMBER_RE.search(s)
    return f"{_trim_prefix(m.group('prefix'))}〔{m.group('year')}〕{m.group('seq')}号" if m else ""


def _trim_prefix(prefix: str) -> str:
    # Run-together text: “…人民政府文件示范府发” -> “示范府发”.
    for marker in ("文件", "通知", "决定", "意见"):
        if marker in prefix:
            prefix = prefix.rsplit(marker, 1)[1]
    return prefix


def _find_doc_number(head: str) -> str:
    for m in DOC_NUMBER_RE.finditer(head):
        before = head[: m.start()].rstrip()
        if before.endswith(("（", "(", "《", "〈", "依据", "根据", "按照")):
            continue
        if head[: m.start()].count("（") > head[: m.start()].count("）"):
            continue
        prefix = _trim_prefix(m.group("prefix"))
        if len(prefix) >= 2:
            return f"{prefix}〔{m.group('year')}〕{m.group('seq')}号"
    return ""


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _labelled_date(text: str, label: str) -> date | None:
    m = re.search(rf"{label}\s*[：:]?\s*({DATE_RE.pattern})", text)
    return parse_date(m.group(1)) if m else None


def _issuer_from_number(number: str, text: str) -> str:
    prefix = re.sub(r"\s+", "", number.split("〔", 1)[0])
    m = re.match(r"^(.+?)(?:府办发|府办函|府办|府发|府函|府令|政办发|政发|办发|发|函|字)$", prefix)
    place = m.group(1) if m else prefix
    if len(place) > 2 and place[0] in _PROVINCE_ABBR:
        place = place[1:]
    if len(place) < 2:
        return ""
    organ = re.search(rf"{re.escape(place)}[\u4e00-\u9fa5]{{0,4}}?{ORGAN_SUFFIX}", text)
    return organ.group(0) if organ else ""


def parse_document(text: str, *, filename: str = "") -> ParsedDocument:
    """Metadata and articles of one document; what could not be parsed is
    listed in ``problems`` (see the module docstring for the rules)."""
    problems: list[str] = []
    text, repaired = repair_extraction(text)
    if repaired:
        problems.append(f"文本疑似由 PDF 提取，已自动更正 {repaired} 处错字，请人工核对")
    articles = split_articles(text)
    articles, issuer, signed_text = strip_signature(articles)
    signed = parse_date(signed_text) if signed_text else None
    body = [a for a in articles if not a.is_preamble]
    if not body:
        problems.append("未能识别条款编号（第X条 或 一、二、三、），全文作为一段保存")
    head = articles[0].text if articles and articles[0].is_preamble else text[:500]

    title = title_of(head if body else text)
    if not title:
        problems.append("未能识别标题")

    doc_number = _find_doc_number(head)
    if not doc_number:
        problems.append("未能识别文号")

    if not issuer:
        header = re.search(rf"^([\u4e00-\u9fa5]{{2,40}}{ORGAN_SUFFIX})文件", head, re.M)
        from_title = re.match(rf"^([\u4e00-\u9fa5]{{2,40}}{ORGAN_SUFFIX})关于", title)
        if header:
            issuer = header.group(1)
        elif from_title:
            issuer = from_title.group(1)
        elif doc_number:
            issuer = _issuer_from_number(doc_number, text)
    if not issuer:
        problems.append("未能识别发文机关")

    issued_on = _labelled_date(text, "印发日期") or _labelled_date(text, "成文日期") or signed
    published_on = _labelled_date(text, "发布日期") or _labelled_date(text, "公布日期")
    if not issued_on:
        problems.append("未能识别印发日期")
    effective_on = None
    m = re.search(rf"自\s*({DATE_RE.pattern})\s*起(?:施行|执行|实施|生效)", text)
    if m:
        effective_on = parse_date(m.group(1))
    elif re.search(r"自(?:印发|发布|公布|下发)之日起(?:施行|执行|实施|生效)", text):
        effective_on = published_on or issued_on
    if not effective_on:
        problems.append("未能识别施行日期")

    validity_years, expires_on = None, None
    m = re.search(rf"有效期(?:为|至)?\s*(?:到)?\s*({DATE_RE.pattern})", text)
    if m:
        expires_on = parse_date(m.group(1))
    else:
        m = re.search(r"有效期(?:为|是)?\s*(\d{1,2}|[一二三四五六七八九十两]{1,2})\s*年", text)
        if m:
            validity_years = parse_chinese_numeral(m.group(1))
            if effective_on:
                expires_on = _add_years(effective_on, validity_years) - timedelta(days=1)
            else:
                problems.append(f"有效期为{validity_years}年，但施行日期未知，无法计算截止日期")
    if not expires_on and not validity_years:
        problems.append("未能识别有效期")

    return ParsedDocument(
        filename=filename,
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        issued_on=issued_on,
        published_on=published_on,
        effective_on=effective_on,
        expires_on=expires_on,
        validity_years=validity_years,
        articles=articles,
        text=text,
        problems=problems,
    )


def _expand(paths: Iterable[str | Path] | str | Path) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith((".", "~$")))
        else:
            out.append(p)
    return out


def parse_folder(paths, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[FileResult]:
    """Parse each file (a directory stands for its files, hidden files and
    Word lock files skipped). One result per file, in order; a bad file gets
    ``error`` (Chinese) and never stops the others."""
    results = []
    for path in _expand(paths):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            results.append(FileResult(str(path), None, "不支持的文件类型，只支持 .txt 和 .docx"))
            continue
        try:
            text = read_text(path, max_bytes=max_bytes)
            results.append(FileResult(str(path), parse_document(text, filename=path.name)))
        except DomainError as exc:
            results.append(FileResult(str(path), None, exc.message))
        except Exception as exc:  # one bad file must not stop the batch
            results.append(FileResult(str(path), None, f"解析失败：{type(exc).__name__}"))
    return results
