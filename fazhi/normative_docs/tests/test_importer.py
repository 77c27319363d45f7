"""Importing existing documents (issue 3 item 7): metadata guesses, problems
reported in Chinese, and a folder import that survives bad files."""

from datetime import date
from pathlib import Path

import docx
import pytest

from fazhi.normative_docs.importer import normalize_doc_number, parse_date, parse_document, parse_folder

TEXTS = Path(__file__).parent / "texts"


def parsed(name: str):
    return parse_document((TEXTS / name).read_text(encoding="utf-8"), filename=name)


def test_it_parses_the_metadata_of_a_measures_document():
    doc = parsed("outdoor_ads_measures.txt")
    assert doc.title == "示范县人民政府关于印发《示范县城区户外广告设施设置管理办法》的通知"
    assert doc.doc_number == "示范府发〔2024〕5号"
    assert doc.issuer == "示范县人民政府"
    assert doc.issued_on == date(2024, 3, 1)
    assert doc.effective_on == date(2024, 5, 1)
    assert (doc.validity_years, doc.expires_on) == (5, date(2029, 4, 30))
    assert len(doc.body_articles) == 15
    assert doc.problems == []


def test_a_notice_effective_from_issue_takes_the_signature_date():
    doc = parsed("service_window_notice.txt")
    assert (doc.doc_number, doc.issuer) == ("示范府办发〔2024〕12号", "示范县人民政府办公室")
    assert doc.issued_on == doc.effective_on == date(2024, 6, 3)
    assert [a.no for a in doc.body_articles] == ["一、", "二、", "三、", "四、", "五、"]
    assert doc.problems == ["未能识别有效期"]


def test_a_one_line_text_reports_what_is_missing():
    doc = parsed("publication_rules_oneline.txt")
    assert doc.title == "示范县行政规范性文件公开管理规定"
    assert (doc.doc_number, doc.issuer) == ("示范司发〔2024〕3号", "示范县司法局")
    assert doc.effective_on == date(2024, 7, 1)
    assert doc.problems == ["未能识别印发日期", "未能识别有效期"]


@pytest.mark.parametrize(
    "raw",
    ["示范府发〔2024〕5号", "示范府发[2024]5号", "示范府发［2024］5号", "示范府发(2024)5号", "示范府发（2024）第5号", "示范府发【2024】5号"],
)
def test_doc_number_brackets_are_normalised(raw):
    assert normalize_doc_number(raw) == "示范府发〔2024〕5号"


def test_the_own_number_is_not_a_number_cited_in_brackets():
    text = "关于加强管理的通知\n各乡镇：\n根据《意见》（国办发〔2018〕37号），现通知如下：\n一、加强领导。\n二、落实责任。"
    doc = parse_document(text)
    assert doc.doc_number == ""
    assert "未能识别文号" in doc.problems


def test_the_issuer_is_found_from_the_number_prefix():
    text = "渝大渡口府发〔2024〕5号\n关于做好窗口工作的实施意见\n一、大渡口区人民政府各部门要加强领导。\n二、落实责任。"
    assert parse_document(text).issuer == "大渡口区人民政府"


@pytest.mark.parametrize(
    "text, expected",
    [("2024年3月1日", date(2024, 3, 1)), ("二〇二四年三月十一日", date(2024, 3, 11)), ("2024年2月30日", None), ("无", None)],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


def test_validity_until_a_date_and_effective_date_unknown():
    doc = parse_document("某办法\n第一条 甲。\n第二条 本办法有效期至2029年4月30日。")
    assert doc.expires_on == date(2029, 4, 30)
    doc = parse_document("某办法\n第一条 甲。\n第二条 本办法有效期为三年。")
    assert doc.validity_years == 3 and doc.expires_on is None
    assert "有效期为3年，但施行日期未知，无法计算截止日期" in doc.problems


def test_a_text_without_numbering_is_reported():
    doc = parse_document("一段说明文字，没有任何条款编号。")
    assert doc.body_articles == []
    assert "未能识别条款编号（第X条 或 一、二、三、），全文作为一段保存" in doc.problems


def test_a_garbled_pdf_text_is_repaired_and_reported():
    doc = parse_document("某觃定\n第一条 迚一步觃范管理。\n第二条 丌得擅自改变用途。")
    assert doc.body_articles[1].text == "不得擅自改变用途。"
    assert doc.problems[0] == "文本疑似由 PDF 提取，已自动更正 4 处错字，请人工核对"


def test_parse_folder_reports_each_bad_file_and_keeps_going(tmp_path):
    (tmp_path / "1.txt").write_text((TEXTS / "service_window_notice.txt").read_text(encoding="utf-8"), encoding="gb18030")
    (tmp_path / "2.docx").write_bytes("不是 docx".encode())
    (tmp_path / "3.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "4.txt").write_bytes(b"")
    document = docx.Document()
    document.add_paragraph("关于某事的通知")
    document.add_paragraph("一、甲。")
    document.add_paragraph("二、乙。")
    document.save(tmp_path / "5.docx")
    (tmp_path / ".hidden.txt").write_text("x")
    results = parse_folder(tmp_path)
    assert [Path(r.path).name for r in results] == ["1.txt", "2.docx", "3.pdf", "4.txt", "5.docx"]
    assert [r.ok for r in results] == [True, False, False, False, True]
    assert results[0].document.doc_number == "示范府办发〔2024〕12号"
    assert "不是有效的 .docx" in results[1].error
    assert results[2].error == "不支持的文件类型，只支持 .txt 和 .docx"
    assert "没有文字内容" in results[3].error
    assert [a.no for a in results[4].document.body_articles] == ["一、", "二、"]


def test_parse_folder_takes_a_list_of_paths_including_missing_ones(tmp_path):
    results = parse_folder([TEXTS / "outdoor_ads_measures.txt", tmp_path / "none.txt"])
    assert results[0].ok and results[0].document.filename == "outdoor_ads_measures.txt"
    assert results[1].error.startswith("文件不存在")
