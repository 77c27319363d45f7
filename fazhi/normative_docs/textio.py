"""Reading uploaded texts (.txt, .docx) and writing the official-looking .docx
download. Pure: no database.

* The type is decided by the content, never by the file name: a .docx is a
  zip holding ``word/document.xml``; anything named .docx that is not one is
  refused, and so are .doc, PDF and other binaries.
* A .txt may be UTF-8 (with or without BOM) or GB18030 (which covers GBK and
  GB2312, still common for files saved on Chinese Windows).
* Every refusal is a ``ValidationError`` with a Chinese message; nothing is
  written anywhere.

``repair_extraction`` fixes the characters that a common PDF extraction
fault puts in place of their neighbours in Unicode (觃定 for 规定, 颂导 for
领导, 迚一步 for 进一步…); see its docstring for when it acts.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from fazhi.core import uploads
from fazhi.core.errors import ValidationError
from fazhi.core.text import clean
from fazhi.normative_docs.articles import Article, strip_signature

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls (old Office)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _read_bytes(source, max_bytes: int) -> tuple[bytes, str]:
    """(content, name) from a path or a file-like object (Django's
    UploadedFile included), reading at most ``max_bytes + 1`` bytes."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise ValidationError(f"文件不存在：{path}")
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1), path.name
    name = getattr(source, "name", "") or ""
    size = getattr(source, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise ValidationError(f"文件超过大小限制（最大 {_mb(max_bytes)}）")
    if hasattr(source, "seek"):
        try:
            source.seek(0)
        except (OSError, ValueError):
            pass
    data = source.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, os.path.basename(name)


def read_text(source, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a .txt or .docx given as a path or an uploaded file.

    Raises ValidationError (Chinese message) for a missing file, a file over
    ``max_bytes``, a type other than plain text or .docx (checked by content),
    a damaged .docx, an undecodable text, or a file without any text.
    """
    data, name = _read_bytes(source, max_bytes)
    if len(data) > max_bytes:
        raise ValidationError(f"文件超过大小限制（最大 {_mb(max_bytes)}）")
    if not data:
        raise ValidationError("文件为空，没有文字内容")
    if data.startswith(_ZIP_MAGIC):
        text = _docx_text(data)
    elif name.lower().endswith(".docx"):
        raise ValidationError("文件不是有效的 .docx 文档（内容与扩展名不符），请用 Word 另存为 .docx 后重新上传")
    elif data.startswith(_OLE_MAGIC):
        raise ValidationError("不支持旧版 Word（.doc）格式，请另存为 .docx 后重新上传")
    elif data.startswith(b"%PDF"):
        raise ValidationError("不支持 PDF 文件，请转换为 .docx 或 .txt 后重新上传")
    else:
        text = _decode(data)
    # Characters XML cannot carry (a form feed from a PDF extraction…) would
    # break the .docx download of the stored text later: removed here.
    text = clean(text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
    if not text.strip(" \t\n\u3000\u00a0"):
        raise ValidationError("文件中没有文字内容")
    return text


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ValidationError("无法识别的文件类型，只支持 .txt（UTF-8 或 GB18030 编码）和 .docx")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls > 8:
            break
        return text
    raise ValidationError("无法识别文本编码或文件不是文本文件，只支持 .txt（UTF-8 或 GB18030 编码）和 .docx")


def _docx_text(data: bytes) -> str:
    # The one upload check: member count, inflated size and ratio, a DTD
    # (decompression bombs, entity expansion) — before python-docx opens it.
    uploads.check_archive(data, kind=uploads.DOCUMENT, what="文件")
    if uploads.detect_type(data) != "docx":
        raise ValidationError("文件不是有效的 .docx 文档（压缩包中没有 word/document.xml）")
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on damaged XML
        raise ValidationError("无法读取 .docx 文档，文件可能已损坏")
    return "\n".join(_body_lines(document))


def _body_lines(document):
    """Paragraph and table text in body order (tables row by row, cells
    separated by a tab)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, document).text
        elif tag == "tbl":
            for row in Table(child, document).rows:
                yield "\t".join(cell.text for cell in row.cells)


# --- repairing PDF extraction ----------------------------------------------

# Characters that never occur in a modern official document but that a broken
# PDF font mapping puts one code point (or a few) away from the right one.
_REPAIR_CHARS = str.maketrans(
    {
        "觃": "规", "迚": "进", "亊": "事", "収": "发", "丌": "不", "挄": "按", "劢": "动", "幵": "并",
        "叏": "取", "叐": "受", "刉": "划", "刌": "则", "戓": "战", "庩": "康", "丼": "举", "挃": "指",
        "庪": "廉", "戔": "截", "庨": "庭", "凢": "凭", "仧": "们", "仦": "仪", "丏": "且",
    }
)  # fmt: skip
# Real characters that the same fault also produces; fixed only in these
# contexts, and only in a text that shows the fault (see repair_extraction).
_REPAIR_CONTEXT = (
    (re.compile(r"(?<!内)讧"), "议"),
    (re.compile(r"讣(?!告|闻)"), "认"),
    (re.compile(r"(?<!攻)讦"), "训"),
    (re.compile(r"纨(?!绔)"), "纪"),
    (re.compile(r"颀(?=布|发)"), "颁"),
    (re.compile(r"颂导"), "领导"),
    (re.compile(r"(?<=[关低高等对由属])二(?=[^〇零一二三四五六七八九十百千年月日]|$)"), "于"),
    (re.compile(r"与(?=项|题|业|门|职|责)"), "专"),
    (re.compile(r"参不"), "参与"),
)
_REPAIR_MIN_EVIDENCE = 3


def repair_extraction(text: str) -> tuple[str, int]:
    """Fix characters garbled by a common PDF text-extraction fault.

    Acts only when the text shows the fault: at least three characters from
    the unambiguous table (觃, 迚, 亊…). Then it also fixes the ambiguous ones
    in the contexts listed (会讧 -> 会议, 关二 -> 关于, 颂导 -> 领导…).
    Returns the text and the number of characters changed.
    """
    evidence = sum(text.count(ch) for ch in map(chr, _REPAIR_CHARS))
    if evidence < _REPAIR_MIN_EVIDENCE:
        return text, 0
    fixed = text.translate(_REPAIR_CHARS)
    for pattern, repl in _REPAIR_CONTEXT:
        fixed = pattern.sub(repl, fixed)
    changed = sum(1 for a, b in zip(text, fixed, strict=False) if a != b) + abs(len(text) - len(fixed))
    return fixed, changed


# --- writing the download ----------------------------------------------------

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号


def _set_font(run, name: str, size_pt: float, *, bold: bool = False) -> None:
    """Set the font for Latin and East-Asian text; Word uses w:eastAsia for
    Chinese characters and ignores ``font.name`` for them."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), name)


def _paragraph(document, text: str = "", *, align=None, font=BODY_FONT, size=BODY_PT, bold=False, indent=True):
    from docx.shared import Pt

    p = document.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)  # GB/T 9704: 22 lines of 28 chars a page
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if text:
        _set_font(p.add_run(clean(text)), font, size, bold=bold)
    return p


def write_docx(
    title: str,
    doc_number: str,
    issuer: str,
    date_text: str,
    articles: list[Article],
    *,
    chapter_headings: bool = True,
) -> bytes:
    """An A4 .docx in the style of GB/T 9704 (党政机关公文格式): the 文号
    line and the title centred, a chapter heading centred in bold whenever
    the chapter changes (and ``chapter_headings`` is on), each article a
    paragraph starting with its number in bold (“第五条”, then a full-width
    space), sub-items on their own indented lines, and the issuer and date
    at the end on the right. Body in 仿宋 三号, title in 宋体 二号, set
    through the East-Asian font attribute so Word shows them.

    Reading the result back with ``read_text`` and splitting it gives the
    same articles (importer.parse_document also takes off the issuer and
    date lines)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    if issuer or date_text:
        # Callers often pass the articles of the stored text, signature
        # included; the signature given here replaces it rather than repeat.
        articles, _, _ = strip_signature(list(articles))
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT, BODY_PT)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

    if doc_number:
        _paragraph(document, doc_number, align=center, indent=False)
    if title:
        _paragraph(document, title, align=center, font=TITLE_FONT, size=TITLE_PT, bold=True, indent=False)
    chapter = section_heading = ""
    for article in articles:
        if chapter_headings and article.chapter and article.chapter != chapter:
            _paragraph(document, article.chapter, align=center, bold=True, indent=False)
            section_heading = ""
        if chapter_headings and article.section and article.section != section_heading:
            _paragraph(document, article.section, align=center, bold=True, indent=False)
        chapter, section_heading = article.chapter, article.section
        lines = article.text.split("\n") if article.text else [""]
        if article.no:
            p = _paragraph(document)
            gap = "" if article.no.endswith("、") else "\u3000"
            _set_font(p.add_run(clean(article.no) + gap), BODY_FONT, BODY_PT, bold=True)
            if lines[0]:
                _set_font(p.add_run(clean(lines[0])), BODY_FONT, BODY_PT)
            lines = lines[1:]
        for line in lines:
            _paragraph(document, line)
    if issuer or date_text:
        _paragraph(document, indent=False)
    for line in (issuer, date_text):
        if line:
            _paragraph(document, line, align=right, indent=False)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
