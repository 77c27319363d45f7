"""The report as a .docx in official-document style (党政机关公文格式, GB/T 9704-2012).

* A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
* Title: 方正小标宋简体 二号 (22 pt), centred.
* Body: 仿宋_GB2312 三号 (16 pt), first line indented two characters,
  fixed line spacing 28 pt (22 lines a page).
* “一、” headings in 黑体 三号 with the built-in style “Heading 1”; “（一）”
  headings in 楷体_GB2312 三号 with “Heading 2” — real heading styles, so
  Word's navigation pane and a table of contents see the outline. The styles
  are restyled to the official look (black, not bold, no theme fonts).
* Page numbers (GB/T 9704-2012 §7.5): 宋体 四号 (14 pt) “— N —” at the foot,
  odd pages right-aligned and even pages left-aligned, each one character
  (14 pt) in from the edge — ``w:evenAndOddHeaders`` on, an odd (default)
  and an even footer, each with a PAGE field.
* The issuing unit and the date at the end, right-aligned.

Every run sets the Latin *and* East-Asian font (``w:eastAsia``): Word uses
the East-Asian font for Chinese characters and ignores ``font.name`` for them.

Fonts are named, not embedded. A run names one font only (OOXML has no
fallback list), so the fallback is declared where Word and LibreOffice look
for it — the document's font table (``word/fontTable.xml``): each official
font is listed with ``w:altName`` = the equivalent shipped with every Chinese
Windows/WPS (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体), the
GB2312 character set (``w:charset 86``) and its family (roman/modern), so a
machine without the GB2312 fonts renders 仿宋/楷体/宋体 (Word: altName; on
Linux fontconfig maps by family to Noto/WQY), never a Latin face or boxes. The
run keeps the official name: where it is installed it is used.
"""

from datetime import date
from io import BytesIO

from fazhi.annual_report.rendering import blocks
from fazhi.core.text import clean

TITLE_FONT, TITLE_PT = "方正小标宋简体", 22
BODY_FONT, BODY_PT = "仿宋_GB2312", 16
H1_FONT, H2_FONT = "黑体", "楷体_GB2312"
PAGE_FONT, PAGE_PT = "宋体", 14
LINE_PT = 28

# name -> (w:altName, w:family, w:pitch): the fallback declared in word/fontTable.xml.
FALLBACKS = {
    "仿宋_GB2312": ("仿宋", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "roman", "variable"),
    "黑体": ("SimHei", "modern", "fixed"),
    "宋体": ("SimSun", "roman", "variable"),
}

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def _heading_style(doc, name: str, font: str) -> None:
    """A built-in heading style in the official look: the outline level stays,
    the theme fonts, colour, bold and spacing of the template go."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style = doc.styles[name]
    rpr = style.element.get_or_add_rPr()
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.remove(old)  # theme attributes (w:asciiTheme, w:eastAsiaTheme…) would win over the named font
    set_font(style, font, BODY_PT)
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.italic = False
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.keep_with_next = True


def _font_table(doc) -> None:
    """Declare each official font with its fallback (see the module docstring)."""
    from lxml import etree

    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for name, (alt, family, pitch) in FALLBACKS.items():
        for old in root.findall(f"{{{w}}}font[@{{{w}}}name='{name}']"):
            root.remove(old)
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        for tag, value in (("altName", alt), ("charset", "86"), ("family", family), ("pitch", pitch)):
            etree.SubElement(font, f"{{{w}}}{tag}", {f"{{{w}}}val": value})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _para(doc, text: str = "", *, font=BODY_FONT, size=BODY_PT, align: str = "", indent: bool = True,
          spacing: float = LINE_PT, bold: bool = False, style: str | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph(style=style)
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
        set_font(p.add_run(clean(text)), font, size, bold=bold)
    return p


def _page_number(footer, *, odd: bool) -> None:
    """Footer “— PAGE —” with a PAGE field: odd pages right, even pages left,
    one character in from the edge (GB/T 9704-2012 §7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        p.paragraph_format.right_indent = Pt(PAGE_PT)
    else:
        p.paragraph_format.left_indent = Pt(PAGE_PT)
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
    _heading_style(doc, "Heading 1", H1_FONT)
    _heading_style(doc, "Heading 2", H2_FONT)
    _font_table(doc)
    doc.core_properties.title = clean(title)
    doc.core_properties.author = clean(unit_name)

    _para(doc, title, font=TITLE_FONT, size=TITLE_PT, align="center", indent=False, spacing=36)
    _para(doc, indent=False)
    for block in parts:
        level, heading = block.get("level", 1), (block.get("heading") or "").strip()
        if heading:
            font = H1_FONT if level <= 1 else H2_FONT
            _para(doc, heading, font=font, align="justify", style="Heading 1" if level <= 1 else "Heading 2")
        for line in (block.get("text") or "").split("\n"):
            if line.strip():
                _para(doc, line.strip(), align="justify")
    _para(doc, indent=False)
    _para(doc, unit_name, align="right", indent=False)
    if on:
        _para(doc, cn_date(on), align="right", indent=False)
    doc.settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders
    _page_number(sec.footer, odd=True)
    _page_number(sec.even_page_footer, odd=False)
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
