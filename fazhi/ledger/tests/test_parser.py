from datetime import date
from pathlib import Path

import pytest

from fazhi.ledger.parser import PlanParseError, is_generic_unit, parse_deadline, parse_plan, strip_footers
from fazhi.ledger.tests.conftest import PLAN_TEXT

SEED = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "000_3639c4cfda99f003.txt"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "dadukou_plan_2017_2020.txt"
AREAS = ["依法全面履行政府职能", "完善依法行政制度体系", "推进行政决策科学化、民主化、法治化",
         "坚持严格规范公正文明执法", "强化对行政权力的制约和监督", "依法有效化解社会矛盾纠纷",
         "全面提高政府工作人员法治思维和依法行政能力", "组织保障和落实机制"]
COUNTS = [8, 2, 6, 6, 6, 6, 4, 4]


def _doc5():
    return parse_plan(FIXTURE.read_text(encoding="utf-8"))


def test_document_5_has_42_measures_in_order():
    plan = _doc5()
    assert [m.number for m in plan.measures] == list(range(1, 43))
    assert [m.label for m in plan.measures] == [str(i) for i in range(1, 43)]


def test_document_5_areas_are_the_seven_task_areas_and_the_guarantee_part():
    plan = _doc5()
    assert [a.title for a in plan.areas] == AREAS
    assert [len(a.measures) for a in plan.areas] == COUNTS
    assert {a.part for a in plan.areas[:7]} == {"主要任务和具体措施"}
    assert [m.number for m in plan.areas[-1].measures] == [39, 40, 41, 42]
    assert plan.areas[-1].code == "三、"


def test_document_5_measures_40_and_41():
    ms = {m.number: m for m in _doc5().measures}
    assert ms[40].text.startswith("落实第一责任人责任。党政主要负责人")
    assert ms[40].title == "落实第一责任人责任"
    assert ms[41].text.startswith("强化考核评价和督促检查。区委、区政府")
    assert ms[41].area == "组织保障和落实机制"
    assert ms[41].text.endswith("要及时约谈、责令整改、通报批评。")


def test_document_5_footers_are_removed_and_split_words_joined():
    ms = {m.number: m for m in _doc5().measures}
    assert "—" not in "".join(m.text for m in ms.values() if m.number != 1).replace("——", "")
    assert "全面清理行政审批事项" in ms[1].text
    assert "行政机关履行执法和监督职责所需经费" in ms[22].text
    assert ms[9].title == "加强行政规范性文件监督管理"  # "— 7 — 措施: 9.…" on one line
    assert ms[24].title.startswith("自觉接受党内监督")


def test_document_5_preamble_subheads_are_not_measures_and_closing_is_cut():
    plan = _doc5()
    titles = {m.title for m in plan.measures}
    assert not titles & {"指导思想", "总体目标", "基本原则", "衡量标准"}
    assert "全区各部门" not in plan.measures[-1].text
    assert plan.title == "大渡口区法治政府建设实施方案(2017—2020年)"
    assert (plan.year_start, plan.year_end) == (2017, 2020)


def test_area_goal_is_kept_not_a_measure():
    plan = _doc5()
    assert plan.areas[0].goal.startswith("牢固树立创新")
    assert plan.areas[6].goal.startswith("政府工作人员特别是领导干部")


@pytest.mark.skipif(not SEED.is_file(), reason="seed file not present")
def test_the_whole_seed_file_takes_document_5():
    plan = parse_plan(SEED.read_text(encoding="utf-8"))
    assert plan.documents == 5 and plan.document == 5 and len(plan.measures) == 42
    assert "已选取第 5 篇" in plan.warnings[0]
    assert len(parse_plan(SEED.read_text(encoding="utf-8"), part=5).measures) == 42


def test_unit_lines_give_lead_partners_and_deadline():
    plan = parse_plan(PLAN_TEXT)
    m1, m2, m3 = plan.measures
    assert m1.lead_units == ["示范区司法局"]
    assert m1.partner_units == ["示范区农业农村局", "示范区市场监督管理局"]
    assert m1.deadline == date(2026, 6, 30) and m1.deadline_text == "2026年6月30日"
    assert m2.deadline == date(2026, 9, 30) and m2.partner_units == []
    # 责任单位 without 牵头单位: the first one leads
    assert m3.lead_unit == "示范区农业农村局" and m3.partner_units == ["示范区司法局"]
    assert m3.deadline == date(2026, 12, 31)
    assert [a.title for a in plan.areas] == ["依法全面履行政府职能", "强化监督"]


def test_half_width_colons_semicolons_and_inline_fields():
    text = ("实施方案(2025—2026年)\n二、主要任务\n（一）加强执法\n"
            "1.规范执法程序。全面推行三项制度。（牵头单位：区司法局；配合单位：区公安局，区城管局；完成时限：2025年底）\n"
            "2.加强培训。每年培训。\n责任单位: 区人社局（牵头）; 区司法局\n完成时间: 2025年上半年\n")
    m1, m2 = parse_plan(text).measures
    assert m1.lead_unit == "区司法局" and m1.partner_units == ["区公安局", "区城管局"]
    assert m1.deadline == date(2025, 12, 31) and m1.text.endswith("全面推行三项制度。")
    assert m2.lead_unit == "区人社局" and m2.partner_units == ["区司法局"]
    assert m2.deadline == date(2025, 6, 30)


def test_several_leads_keep_the_first_and_warn():
    text = "方案(2025年)\n一、任务\n1.做事。\n牵头单位：甲局、乙局\n"
    plan = parse_plan(text)
    assert plan.measures[0].lead_units == ["甲局"] and plan.measures[0].partner_units == ["乙局"]
    assert any("多个牵头单位" in w for w in plan.warnings)


def test_paren_style_measures():
    text = ("某县2025年法治政府建设工作要点\n一、总体要求\n（一）指导思想\n以法治为引领。\n"
            "二、重点任务\n（一）深化行政审批改革。推行一网通办。\n牵头单位：县政务服务中心\n完成时限：2025年6月\n"
            "（二）加强规范性文件管理。落实备案审查。\n责任单位：县司法局\n"
            "三、保障措施\n（一）加强组织领导。定期研究。\n")
    plan = parse_plan(text)
    assert plan.mode == "paren"
    assert [m.label for m in plan.measures] == ["（一）", "（二）", "（一）"]
    assert [m.number for m in plan.measures] == [1, 2, 3]
    assert [a.title for a in plan.areas] == ["重点任务", "保障措施"]
    assert plan.measures[0].title == "深化行政审批改革" and plan.measures[0].deadline == date(2025, 6, 30)
    assert plan.measures[1].lead_unit == "县司法局"
    assert "指导思想" not in {m.title for m in plan.measures}


def test_numbering_restarting_per_area_is_renumbered_with_a_warning():
    text = "方案(2025年)\n一、甲\n（一）领域一\n1.甲一。\n2.甲二。\n（二）领域二\n1.乙一。\n"
    plan = parse_plan(text)
    assert [m.number for m in plan.measures] == [1, 2, 3] and [m.label for m in plan.measures] == ["1", "2", "1"]
    assert any("重新从1开始" in w for w in plan.warnings)


def test_garbage_is_a_chinese_error():
    with pytest.raises(PlanParseError, match="未能从文本中识别出任何措施"):
        parse_plan("这是一段普通的文字，没有任何编号。\n第二行也没有。")
    with pytest.raises(PlanParseError, match="内容为空"):
        parse_plan("   ")
    with pytest.raises(PlanParseError, match="没有第 9 篇"):
        parse_plan(PLAN_TEXT, part=9)


def test_footer_pattern_leaves_year_ranges_alone():
    text, n = strip_footers("方案(2017—2020年)\n全面清理— 2 — 行政审批\n— 13 — 法和监督")
    assert n == 2 and "2017—2020" in text and "全面清理行政审批" in text


def test_deadline_forms():
    assert parse_deadline("2025年3月") == date(2025, 3, 31)
    assert parse_deadline("2025年第三季度") == date(2025, 9, 30)
    assert parse_deadline("2025-04-01前") == date(2025, 4, 1)
    assert parse_deadline("长期坚持") is None
    assert parse_deadline("2025年2月30日") is None


def test_docx_is_read(tmp_path):
    import io

    import docx

    d = docx.Document()
    for line in PLAN_TEXT.splitlines():
        d.add_paragraph(line)
    t = d.add_table(rows=2, cols=3)
    for i, h in enumerate(["序号", "任务", "牵头单位"]):
        t.rows[0].cells[i].text = h
    for i, v in enumerate(["4", "表格中的任务。内容。", "示范区司法局"]):
        t.rows[1].cells[i].text = v
    buf = io.BytesIO()
    d.save(buf)
    from fazhi.ledger.parser import read_docx

    plan = parse_plan(read_docx(buf.getvalue()))
    assert len(plan.measures) == 4 and plan.measures[-1].lead_unit == "示范区司法局"


NOTICE = ("示范区人民政府办公室文件\n示范府办发〔2026〕12号\n示范区人民政府办公室\n"
          "关于印发《示范区2026年法治政府建设实施方案》的通知\n各乡镇人民政府，区政府各部门，各有关单位：\n"
          "《示范区2026年法治政府建设实施方案》已经区政府同意，现印发给你们，请认真贯彻执行。\n"
          "示范区人民政府办公室\n2026年3月2日\n"
          "示范区2026年法治政府建设实施方案\n为加快建设法治政府，制定本方案。\n一、总体要求\n全面推进依法行政。\n"
          "二、主要任务\n（一）依法全面履行政府职能\n"
          "1．深化“放管服”改革\n全面清理行政审批事项，公布权责清单。\n"
          "牵头单位：区司法局\n配合单位：各有关部门\n完成时限：2026年6月底\n"
          "2．推行双随机一公开监管\n抽查结果于检查后20个工作日内公示。\n"
          "牵头单位：区市场监管局\n配合单位：区农业农村局、乡镇人民政府按职责分工分别负责\n")


def test_a_notice_wrapping_the_plan_gives_the_plans_title_and_year_not_its_document_number():
    plan = parse_plan(NOTICE)
    assert plan.title == "示范区2026年法治政府建设实施方案"
    assert (plan.year_start, plan.year_end) == (2026, 2026)
    assert [m.title for m in plan.measures] == ["深化“放管服”改革", "推行双随机一公开监管"]


def test_a_document_number_or_letterhead_is_never_the_title():
    plan = parse_plan("示范府办发〔2026〕12号\n示范区2025年法治政府建设工作要点\n一、任务\n1.做事。\n")
    assert plan.title == "示范区2025年法治政府建设工作要点" and plan.year_start == 2025


def test_generic_phrases_in_unit_fields_are_not_units():
    m1, m2 = parse_plan(NOTICE).measures
    assert m1.lead_unit == "区司法局" and m1.partner_units == []
    assert m2.partner_units == ["区农业农村局"]
    warnings = "\n".join(parse_plan(NOTICE).warnings)
    assert "“各有关部门”不是具体单位" in warnings and "乡镇人民政府按职责分工分别负责" in warnings
    assert is_generic_unit("各乡镇人民政府") and is_generic_unit("相关单位") and not is_generic_unit("龙凤镇人民政府")


def test_a_heading_on_its_own_line_is_separated_from_the_body():
    m1 = parse_plan(NOTICE).measures[0]
    assert m1.title == "深化“放管服”改革"
    assert m1.text == "深化“放管服”改革\n全面清理行政审批事项，公布权责清单。"


def test_a_wrapped_sentence_is_still_one_paragraph():
    text = ("方案(2025年)\n一、任务\n1.全面清理行政审批事项，公布权责清单并实行动态\n调整，接受社会监督。\n")
    m1 = parse_plan(text).measures[0]
    assert m1.text == "全面清理行政审批事项，公布权责清单并实行动态调整，接受社会监督。"
    assert m1.title == m1.text.rstrip("。")
