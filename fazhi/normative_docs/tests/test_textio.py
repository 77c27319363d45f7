"""Reading uploads and writing the .docx download (issue 3 items 6, 7 and
"Bad input")."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.oxml.ns import qn

from fazhi.core.errors import ValidationError
from fazhi.normative_docs.articles import Article, split_articles
from fazhi.normative_docs.importer import parse_document
from fazhi.normative_docs.textio import read_text, repair_extraction, write_docx

TEXTS = Path(__file__).parent / "texts"
SAMPLE = "示范县某某管理办法\n第一条　为了规范管理，制定本办法。\n第二条　本办法自公布之日起施行。\n"
LIMIT = 1024 * 1024


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_text_in_each_supported_encoding(encoding):
    assert read_text(upload("a.txt", SAMPLE.encode(encoding)), max_bytes=LIMIT) == SAMPLE


def test_it_reads_a_path(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    assert read_text(path, max_bytes=LIMIT) == SAMPLE
    assert read_text(str(path), max_bytes=LIMIT) == SAMPLE


def test_crlf_line_ends_are_normalised():
    assert read_text(upload("a.txt", SAMPLE.replace("\n", "\r\n").encode()), max_bytes=LIMIT) == SAMPLE


def test_it_reads_a_docx_by_content_whatever_its_name():
    data = docx_bytes("示范县某某管理办法", "第一条　为了规范管理，制定本办法。")
    assert read_text(upload("上传.bin", data), max_bytes=LIMIT) == "示范县某某管理办法\n第一条　为了规范管理，制定本办法。"


def test_it_reads_docx_tables_in_body_order():
    document = docx.Document()
    document.add_paragraph("前")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "标准"
    document.add_paragraph("后")
    out = io.BytesIO()
    document.save(out)
    assert read_text(upload("t.docx", out.getvalue()), max_bytes=LIMIT) == "前\n项目\t标准\n后"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("a.docx", "这不是 Word 文档".encode(), "不是有效的 .docx"),
        ("a.docx", b"PK\x03\x04broken", "压缩包已损坏"),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Word"),
        ("a.pdf", b"%PDF-1.7\n...", "不支持 PDF"),
        ("a.txt", b"\x00\x01\x02\x03" * 50, "无法识别"),
        ("a.txt", "  \n\u3000\n".encode(), "没有文字内容"),
        ("a.docx", b"", "没有文字内容"),
    ],
)
def test_bad_uploads_are_refused_with_a_chinese_message(name, data, message):
    with pytest.raises(ValidationError) as exc:
        read_text(upload(name, data), max_bytes=LIMIT)
    assert message in exc.value.message


def test_a_zip_without_word_document_is_not_a_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("content.xml", "<x/>")
    with pytest.raises(ValidationError, match="word/document.xml"):
        read_text(upload("a.docx", buf.getvalue()), max_bytes=LIMIT)


def test_an_empty_docx_is_refused():
    with pytest.raises(ValidationError, match="没有文字内容"):
        read_text(upload("a.docx", docx_bytes()), max_bytes=LIMIT)


def test_files_over_the_limit_are_refused(tmp_path):
    with pytest.raises(ValidationError, match="超过大小限制"):
        read_text(upload("a.txt", "字".encode() * 400), max_bytes=1000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 1001)
    with pytest.raises(ValidationError, match="超过大小限制"):
        read_text(path, max_bytes=1000)


def test_a_missing_path_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="文件不存在"):
        read_text(tmp_path / "none.txt", max_bytes=LIMIT)


def test_docx_round_trip_gives_the_articles_back():
    articles = split_articles((TEXTS / "outdoor_ads_measures.txt").read_text(encoding="utf-8"))[1:]
    articles[-1] = Article(articles[-1].no, articles[-1].chapter, "本办法自2024年5月1日起施行，有效期5年。")
    data = write_docx("示范县城区户外广告设施设置管理办法", "示范府发〔2024〕5号", "示范县人民政府", "2024年3月1日", articles)
    parsed = parse_document(read_text(upload("下载.docx", data), max_bytes=LIMIT))
    assert parsed.body_articles == articles
    assert (parsed.title, parsed.doc_number, parsed.issuer) == (
        "示范县城区户外广告设施设置管理办法",
        "示范府发〔2024〕5号",
        "示范县人民政府",
    )


def test_docx_round_trip_of_a_notice_numbered_yi_er_san():
    articles = [Article("一、", "", "总体要求\n坚持便民。"), Article("二、", "", "工作措施\n（一）设立窗口；\n（二）公开流程。")]
    data = write_docx("关于做好窗口工作的通知", "", "", "", articles)
    assert split_articles(read_text(upload("n.docx", data), max_bytes=LIMIT))[1:] == articles


def test_written_docx_uses_east_asian_fonts_bold_numbers_and_centred_headings():
    articles = [Article("第一条", "第一章 总则", "为了规范管理，制定本办法。")]
    document = docx.Document(io.BytesIO(write_docx("某办法", "示范府发〔2024〕5号", "", "", articles)))
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs] == ["示范府发〔2024〕5号", "某办法", "第一章 总则", "第一条\u3000为了规范管理，制定本办法。"]
    title_run = paragraphs[1].runs[0]
    assert title_run.bold and title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert paragraphs[2].alignment == 1  # centred
    number_run, body_run = paragraphs[3].runs
    assert number_run.bold and not body_run.bold
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_repair_extraction_fixes_a_garbled_pdf_text():
    garbled = "在县委的正确颂导下，挄照觃定迚一步落实关二印収的文件，会讧讣真研究，丌得推诿。"
    fixed, count = repair_extraction(garbled)
    assert fixed == "在县委的正确领导下，按照规定进一步落实关于印发的文件，会议认真研究，不得推诿。"
    assert count == 9


def test_repair_extraction_leaves_a_clean_text_alone():
    text = "关二 这种写法出现在正常文本中时不改；会讧也不改。"
    assert repair_extraction(text) == (text, 0)


def test_a_signature_left_in_the_articles_is_not_written_twice():
    articles = split_articles("某办法\n第一条 甲。\n第二条 乙。\n示范县人民政府\n2024年3月1日")
    data = write_docx("某办法", "", "示范县人民政府", "2024年3月1日", articles)
    text = read_text(upload("s.docx", data), max_bytes=LIMIT)
    assert text.count("示范县人民政府") == 1 and text.count("2024年3月1日") == 1
