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
