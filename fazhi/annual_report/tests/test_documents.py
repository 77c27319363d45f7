"""The .docx in official-document style, and the CLI."""

from io import BytesIO

import docx
import pytest
from django.core.management import CommandError, call_command
from docx.oxml.ns import qn

from fazhi.annual_report import documents
from fazhi.annual_report.models import Report


def _fonts(run):
    rf = run._element.rPr.rFonts
    return rf.get(qn("w:eastAsia")), rf.get(qn("w:ascii"))


def _open(report):
    return docx.Document(BytesIO(documents.report_docx(report)))


def test_page_is_a4_with_the_official_margins(report):
    sec = _open(report).sections[0]
    mm = [round(x.mm, 1) for x in (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin,
                                   sec.left_margin, sec.right_margin)]
    assert mm == [210, 297, 37, 35, 28, 26]  # stored in twips: to 0.1 mm


def test_title_body_and_heading_fonts(report):
    d = _open(report)
    paras = [p for p in d.paragraphs if p.text.strip()]
    title = paras[0]
    assert title.text == report.title
    assert _fonts(title.runs[0]) == ("方正小标宋简体", "方正小标宋简体")
    assert title.runs[0].font.size.pt == 22
    h1 = next(p for p in paras if p.text.startswith("一、"))
    assert _fonts(h1.runs[0])[0] == "黑体" and h1.runs[0].font.size.pt == 16
    h2 = next(p for p in paras if p.text.startswith("（一）"))
    assert _fonts(h2.runs[0])[0] == "楷体_GB2312"
    body = next(p for p in paras if "制定并公布行政规范性文件" in p.text)
    assert _fonts(body.runs[0])[0] == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    assert "{{" not in body.text and "行政规范性文件2件" in body.text


def test_headings_are_numbered_in_order(report):
    texts = [p.text for p in _open(report).paragraphs]
    order = [t[:3] for t in texts if t[:2] in ("一、", "二、", "三、", "四、", "五、") or t.startswith("（")]
    assert order == ["一、2", "（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）",
                     "二、存", "三、党", "四、2", "五、其"]


def test_the_footer_has_a_page_number_field(report):
    footer = _open(report).sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in xml and "fldChar" in xml


def test_the_cli_generates_when_missing_and_writes_the_file(records, tree, tmp_path):
    out = tmp_path / "report.docx"
    call_command("annual_report", "--unit", "区农业农村局", "--year", "2025", "--out", str(out))
    assert Report.objects.filter(unit=tree.a, year=2025).exists()
    d = docx.Document(str(out))
    assert d.paragraphs[0].text == "示范区农业农村局2025年度法治政府建设情况报告"


def test_the_cli_takes_the_full_name_and_an_existing_report(report, tmp_path):
    out = tmp_path / "r.docx"
    call_command("annual_report", "--unit", "示范区农业农村局", "--year", "2025", "--out", str(out))
    assert out.stat().st_size > 5000
    assert Report.objects.count() == 1


@pytest.mark.parametrize("args,message", [
    (["--unit", "不存在的局", "--year", "2025"], "找不到单位"),
    (["--unit", "区农业农村局", "--year", "2012"], "没有任何业务记录"),
    (["--unit", "区农业农村局", "--year", "明年"], "年度"),
])
def test_the_cli_explains_errors_in_chinese(tree, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", *args, "--out", str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()


def test_a_stored_control_character_does_not_break_the_docx():
    """Defence in depth (issue 11): text stored before the input check existed."""
    data = documents.build("二〇二五年\x01法治政府建设情况报告", "示范区\x0b人民政府", None,
                           [{"level": 1, "heading": "一、主要\x1f举措", "text": "推进\x00依法行政"}])
    paragraphs = [p.text for p in docx.Document(BytesIO(data)).paragraphs]
    assert "一、主要举措" in paragraphs and "推进依法行政" in paragraphs


def test_headings_use_the_heading_styles_so_the_outline_is_real(report):
    d = _open(report)
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert [t[:2] for t in h1] == ["一、", "二、", "三、", "四、", "五、"]
    assert len(h2) == 8 and all(t.startswith("（") for t in h2)
    assert all(p.style.name == "Normal" for p in d.paragraphs if "制定并公布" in p.text)
    style = d.styles["Heading 1"]
    assert style.font.color.rgb == docx.shared.RGBColor(0, 0, 0) and not style.font.bold
    fonts = style.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "黑体" and fonts.get(qn("w:eastAsiaTheme")) is None
    assert d.styles["Heading 2"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"


def test_page_numbers_odd_right_even_left_as_gbt_9704(report):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = _open(report)
    assert d.settings.odd_and_even_pages_header_footer  # w:evenAndOddHeaders
    sec = d.sections[0]
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and odd.paragraph_format.right_indent.pt == 14
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT and even.paragraph_format.left_indent.pt == 14
    for p in (odd, even):
        assert p.text == "— 1 —" and "PAGE" in p._element.xml
        assert _fonts(p.runs[0]) == ("宋体", "宋体") and p.runs[0].font.size.pt == 14


def test_official_fonts_declare_an_installed_fallback():
    import zipfile

    from lxml import etree

    body = documents.build("标题", "示范区农业农村局", None, [{"level": 1, "heading": "一、甲", "text": "乙"}])
    root = etree.fromstring(zipfile.ZipFile(BytesIO(body)).read("word/fontTable.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    table = {f.get(f"{w}name"): f for f in root.findall(f"{w}font")}
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert table[name].find(f"{w}altName").get(f"{w}val") == alt
        assert table[name].find(f"{w}charset").get(f"{w}val") == "86"
