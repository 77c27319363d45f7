"""The report as a .docx in official-document style (党政机关公文格式, GB/T 9704-2012).

* A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
* Title: 方正小标宋简体 二号 (22 pt), centred.
* Body: 仿宋_GB2312 三号 (16 pt), first line indented two characters,
  fixed line spacing 28 pt (22 lines a page).
* “一、” headings in 黑体 三号; “（一）” headings in 楷体_GB2312 三号.
* Page numbers: 宋体 四号 (14 pt) “— N —” at the foot, odd pages right and
  even pages left is the standard; one centred footer is used here.
* The issuing unit and the date at the end, right-aligned.

Every run sets the Latin *and* East-Asian font (``w:eastAsia``): Word uses
the East-Asian font for Chinese characters and ignores ``font.name`` for them.
The fonts are named, not embedded (the machines that open the file have them).
"""

from datetime import date
from io import BytesIO

from fazhi.annual_report.rendering import blocks

TITLE_FONT, TITLE_PT = "方正小标宋简体", 22
BODY_FONT, BODY_PT = "仿宋_GB2312", 16
H1_FONT, H2_FONT = "黑体", "楷体_GB2312"
PAGE_FONT, PAGE_PT = "宋体", 14
LINE_PT = 28


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def set_font(target, name: str, size_pt: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.name = name
    target.font.size = Pt(size_pt)
    target.font.bold = bold
    rpr = target._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    rfonts.set(qn("w:hint"), "eastAsia")


def _para(doc, text: str = "", *, font=BODY_FONT, size=BODY_PT, align: str = "", indent: bool = True,
          spacing: float = LINE_PT, bold: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(spacing)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if text:
        set_font(p.add_run(text), font, size, bold=bold)
    return p


def _page_number(section) -> None:
    """Footer “— PAGE —” with a PAGE field."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), PAGE_FONT, PAGE_PT)
    run = p.add_run()
    set_font(run, PAGE_FONT, PAGE_PT)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        if kind == "separate":
            t = OxmlElement("w:t")
            t.text = "1"
            run._r.append(t)
    set_font(p.add_run(" —"), PAGE_FONT, PAGE_PT)


def build(title: str, unit_name: str, on: date | None, parts: list[dict]) -> bytes:
    """``parts``: [{level, heading, text}] with figures already filled in."""
    import docx
    from docx.shared import Mm

    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    set_font(doc.styles["Normal"], BODY_FONT, BODY_PT)
    doc.core_properties.title = title
    doc.core_properties.author = unit_name

    _para(doc, title, font=TITLE_FONT, size=TITLE_PT, align="center", indent=False, spacing=36)
    _para(doc, indent=False)
    for block in parts:
        level, heading = block.get("level", 1), (block.get("heading") or "").strip()
        if heading:
            font = H1_FONT if level <= 1 else H2_FONT
            _para(doc, heading, font=font, align="justify")
        for line in (block.get("text") or "").split("\n"):
            if line.strip():
                _para(doc, line.strip(), align="justify")
    _para(doc, indent=False)
    _para(doc, unit_name, align="right", indent=False)
    if on:
        _para(doc, cn_date(on), align="right", indent=False)
    _page_number(sec)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def report_docx(report) -> bytes:
    """A report's .docx: a published report from its fixed public copy, a
    draft from its current sections; dated by publication or submission."""
    published = report.status == "published" and report.public_sections
    title = (report.public_title or report.title) if published else report.title
    on = report.published_on or report.submitted_on or report.reviewed_on
    return build(title, report.unit.name, on, blocks(report))


def filename(report) -> str:
    return f"{report.unit.name}{report.year}年度法治政府建设情况报告.docx"
