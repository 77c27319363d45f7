"""python manage.py normdocs_check FILE [--json] (issue 3 item 5)."""

import io
import json
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TEXTS = Path(__file__).parent / "texts"


def run(*args) -> str:
    out = io.StringIO()
    call_command("normdocs_check", *map(str, args), stdout=out)
    return out.getvalue()


def test_json_output_is_an_array_of_findings_with_the_seven_keys():
    data = json.loads(run(TEXTS / "outdoor_ads_measures.txt", "--json"))
    assert isinstance(data, list) and len(data) == 11
    assert all(list(item) == ["article", "category", "kind", "matched", "reason", "rule", "text"] for item in data)
    assert data[4] == {
        "article": "第七条",
        "category": "排除限制竞争",
        "kind": "排除限制竞争",
        "matched": "指定企业、优先使用本地",
        "reason": "对特定经营者给予优惠、与税收挂钩的奖励或限定交易，可能排除、限制竞争，应经公平竞争审查",
        "rule": "NDOC-06（公平竞争审查条例第八条至第十二条）",
        "text": "户外广告设施的制作安装由县城市管理局公布的指定企业承担，优先使用本地企业生产的材料。",
    }
    fine = next(item for item in data if item["article"] == "第十二条")
    assert (fine["kind"], fine["rule"]) == ("自设处罚", "行政处罚法第十六条")
    assert "不得设定行政处罚" in fine["reason"]


def test_json_is_not_ascii_escaped():
    assert "第一条" in run(TEXTS / "outdoor_ads_measures.txt", "--json")


def test_a_clean_text_gives_an_empty_array():
    assert json.loads(run(TEXTS / "service_window_notice.txt", "--json")) == []


def test_it_reads_gb18030_and_docx(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((TEXTS / "outdoor_ads_measures.txt").read_text(encoding="utf-8").encode("gb18030"))
    assert len(json.loads(run(gbk, "--json"))) == 11
    document = docx.Document()
    for line in ["某办法", "第一条　违反本办法的，处五百元罚款。", "第二条　本办法自公布之日起施行。"]:
        document.add_paragraph(line)
    path = tmp_path / "a.docx"
    document.save(path)
    assert [(i["article"], i["category"]) for i in json.loads(run(path, "--json"))] == [("第一条", "行政处罚")]


def test_the_readable_report_lists_findings_laws_and_a_summary():
    report = run(TEXTS / "outdoor_ads_measures.txt")
    assert "【第十二条】\n  · 行政处罚（自设处罚）：处五千元以上三万元以下罚款、吊销户外广告设施设置许可证\n" in report
    assert "    意见：由文件自行规定罚款数额" in report and "依据：行政处罚法第十六条" in report
    assert "原文：违反本办法第四条规定" in report
    assert "⚠ 《中华人民共和国合同法》（见第一条）：已于2021年1月1日废止" in report
    assert "汇总：行政许可 2，行政处罚 2，行政强制 1，收费 1，增加义务 2，减损权利 1，排除限制竞争 1，与上位法冲突 1；合计 11。" in report


def test_the_readable_report_of_a_clean_text_says_nothing_was_found():
    assert "未发现涉及行政许可" in run(TEXTS / "service_window_notice.txt")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("none.txt", None, "文件不存在"),
        ("fake.docx", "不是 docx".encode(), "不是有效的 .docx"),
        ("empty.txt", "\n\u3000\n".encode(), "没有文字内容"),
    ],
)
def test_bad_input_exits_with_status_2_and_a_chinese_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        run(path, "--json")
    assert exc.value.returncode == 2
    assert message in str(exc.value)


def test_the_readable_report_says_when_a_pdf_extraction_was_repaired(tmp_path):
    path = tmp_path / "pdf.txt"
    path.write_text("某觃定\n第一条 迚一步觃范管理。\n第二条 申请人丌得擅自改变用途。", encoding="utf-8")
    assert "已自动更正 4 处错字" in run(path)
