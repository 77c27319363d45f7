"""任务清单与推进台账 in a real browser, as the demo roles (issue 13 §1–§2).

The 依法治区办 clerk (fazhiban_clerk) uploads the 区政府's notice that wraps
its 2026 implementation plan (a .docx, as the office receives it), checks the
preview — the plan's title and year, not the notice's 文号; "各有关部门" and
"乡镇人民政府按职责分工分别负责" are not units; a heading on its own line is
the measure's title; the units named are matched to the district's units —,
confirms, assigns a deadline and a partner on 分工与时限 and issues (下达) the
plan. The 区农业农村局 clerk finds the measure in 我的待办 (due soon) and
reports progress; the bureau's head (a different person) finds the report in
我的待办 and confirms it; the measure then shows the confirmed progress.
Every page on the way is watched (conftest).
"""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

TITLE = "示范区2026年法治政府建设实施方案"
DOC_NO = "示范府办发〔2026〕12号"
NOTICE = [
    "示范区人民政府办公室文件",
    DOC_NO,
    "示范区人民政府办公室",
    f"关于印发《{TITLE}》的通知",
    "各乡镇人民政府，区政府各部门，各有关单位：",
    f"《{TITLE}》已经区政府同意，现印发给你们，请认真贯彻执行。",
    "示范区人民政府办公室",
    "2026年3月2日",
    TITLE,
    "为深入推进依法行政，加快建设法治政府，结合我区实际，制定本方案。",
    "一、总体要求",
    "以习近平新时代中国特色社会主义思想为指导，全面推进依法行政，到2026年底基本建成法治政府。",
    "二、主要任务",
    "（一）依法全面履行政府职能",
    "1．深化“放管服”改革",
    "全面清理行政审批事项，公布权责清单并实行动态调整，推行“一网通办”。",
    "牵头单位：区司法局",
    "配合单位：各有关部门",
    "完成时限：2026年6月底",
    "2．推行“双随机、一公开”监管",
    "各执法部门制定年度抽查计划，抽查结果于检查后20个工作日内向社会公示。",
    "牵头单位：区市场监管局",
    "配合单位：区农业农村局、乡镇人民政府按职责分工分别负责",
    "完成时限：2026年9月底",
    "（二）严格规范公正文明执法",
    "3．全面落实行政执法三项制度",
    "执法全过程记录，重大执法决定法制审核全覆盖，执法结果按期公示。",
    "牵头单位：区农业农村局",
    "配合单位：区综合行政执法局",
    "完成时限：2026年12月底",
    "三、组织保障",
    "4．加强组织领导",
    "区政府常务会议每年听取法治政府建设情况汇报不少于2次。",
    "牵头单位：区司法局",
    "配合单位：区发展改革委",
    "完成时限：2026年12月底",
    "全区各部门要高度重视，明确责任，抓好贯彻落实。",
]


def _docx(lines: list[str]) -> bytes:
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _ok(page, text: str):
    page.wait_for_load_state()
    errors = page.locator(".msg-error")
    assert errors.count() == 0, f"出现错误：{errors.all_inner_texts()}"
    assert text in page.locator("main").inner_text(), f"未看到“{text}”"


def _todo(page, text):
    """我的待办 on the home page lists ``text`` (a string or a pattern); follow its link."""
    page.goto("/")
    link = page.locator("a", has_text=text).first
    assert link.count() == 1, f"我的待办中没有“{text}”：{page.locator('main').inner_text()[:1500]}"
    with page.expect_navigation():
        link.click()


def _row(page, text: str):
    return page.locator("table.grid tbody tr", has_text=text)


def test_plan_from_notice_to_confirmed_progress(as_user):
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    deadline = today + timedelta(days=7)  # within 10 working days: 即将到期 in 我的待办

    # ------------------------------------------ 导入 (依法治区办 clerk)
    office = as_user("fazhiban_clerk")
    office.goto("/ledger/plans/upload/")
    office.select_option("#id_unit", label="示范区人民政府")
    office.set_input_files("#id_file", {
        "name": "示范府办发〔2026〕12号.docx", "buffer": _docx(NOTICE),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    with office.expect_navigation():
        office.click("form button.btn-primary")
    _ok(office, "识别结果")
    shot(office, "ledger-01-preview")

    # the preview: the plan's title and year, not the notice's 文号
    assert office.locator("h1").inner_text() == f"识别结果：{TITLE}"
    facts = office.locator("dl.kv").inner_text()
    assert "2026—2026" in facts and "1 个领域" not in facts and "4 项措施" in facts
    assert DOC_NO not in office.locator("h1").inner_text()
    table = office.locator("table.grid").last
    rows = table.locator("tbody tr")
    # the headings standing on their own lines are the measures' titles
    titles = [_cells(r)[2] for r in rows.all() if len(_cells(r)) == 7]
    assert titles == ["深化“放管服”改革", "推行“双随机、一公开”监管", "全面落实行政执法三项制度", "加强组织领导"], titles
    # generic phrases are no units; the named ones are matched
    units = table.inner_text()
    assert "各有关部门" not in units and "按职责分工" not in units
    m2 = _cells(rows.filter(has_text="推行“双随机、一公开”监管"))
    assert m2[3] == "区市场监管局" and m2[4] == "区农业农村局", m2
    matches = office.locator("#unit-matches").inner_text()
    for written, unit in (("区司法局", "示范区司法局"), ("区市场监管局", "示范区市场监督管理局"),
                          ("区农业农村局", "示范区农业农村局"), ("区综合行政执法局", "示范区综合行政执法局")):
        assert re.search(rf"{written}\s+{unit}", matches), (written, matches)
    assert "区发展改革委" in matches and "未找到" in matches
    warnings = office.locator(".msg-warning").inner_text()
    assert "“各有关部门”不是具体单位" in warnings and "乡镇人民政府按职责分工分别负责" in warnings
    assert "全区各部门要高度重视" in warnings  # the closing paragraph is no part of measure 4

    with office.expect_navigation():
        office.locator("button", has_text="确认导入 4 项措施").click()
    _ok(office, TITLE)
    plan_url = office.url
    assert re.search(r"/ledger/plans/\d+/$", plan_url), plan_url
    assert "待下达" in office.locator(".toolbar").inner_text() or "草稿" in office.locator(".toolbar").inner_text()
    shot(office, "ledger-02-imported")

    # ------------------------------ 分工与时限 (bulk): measure 3's deadline and partner
    with office.expect_navigation():
        office.locator("a", has_text="分工与时限").click()
    office.locator("table.grid tbody tr", has_text="全面落实行政执法三项制度").locator("input[type=checkbox]").check()
    office.fill("#id_deadline", deadline.isoformat())
    _pick(office.locator("#id_partners"), "示范区龙凤镇人民政府")
    with office.expect_navigation():
        office.locator("#assign-form button").click()
    office.wait_for_load_state()
    assert office.locator(".msg-error").count() == 0, office.locator(".msg-error").all_inner_texts()
    office.goto(plan_url)
    row = _row(office, "全面落实行政执法三项制度")
    assert deadline.isoformat() in row.inner_text() and "龙凤镇" in row.inner_text(), row.inner_text()

    # ------------------------------------------------------------- 下达
    with office.expect_navigation():
        office.locator("button", has_text="下达").click()
    _ok(office, "方案已下达")
    shot(office, "ledger-03-issued")
    measure_url = office.locator("a", has_text="全面落实行政执法三项制度").first.get_attribute("href")

    # ------------------------ 报送 (the lead unit's clerk, from 我的待办)
    clerk = as_user("nongye_clerk")
    _todo(clerk, "措施3“全面落实行政执法三项制度”即将到期")
    assert clerk.url.endswith(measure_url), (clerk.url, measure_url)
    form = clerk.locator("form[action$='/report/']")
    form.locator("[name=text]").fill("已制定执法全过程记录办法，重大执法决定法制审核目录已公布，本年度法制审核42件。")
    form.locator("[name=percent]").fill("60")
    form.locator("[name=report_date]").fill(today.isoformat())
    with clerk.expect_navigation():
        form.locator("button").click()
    _ok(clerk, "推进情况已报送")
    assert "待确认" in _row(clerk, "法制审核目录已公布").inner_text()
    # not counted before the head confirms it (issue 14)
    assert re.search(r"完成进度\s+0%", clerk.locator("dl.kv").inner_text()), clerk.locator("dl.kv").inner_text()
    shot(clerk, "ledger-04-reported")

    # another unit's clerk (neither lead nor partner) does not see the measure
    other = as_user("shichang_clerk")
    assert other.request.get(measure_url).status == 404

    # ----------------------- 审核 (the bureau's head, a different person, from 我的待办)
    head = as_user("nongye_head")
    _todo(head, re.compile(r"有 \d+ 条推进情况报送待审核"))
    pending = _row(head, "法制审核目录已公布")
    assert "全面落实行政执法三项制度" in pending.inner_text()
    assert "60%" in pending.inner_text()
    with head.expect_navigation():
        pending.locator("button", has_text="审核通过").click()
    head.wait_for_load_state()
    assert head.locator(".msg-error").count() == 0, head.locator(".msg-error").all_inner_texts()
    assert _row(head, "法制审核目录已公布").count() == 0  # no longer waiting

    # ------------------------------------ the measure shows the confirmed progress
    office.goto(measure_url)
    facts = office.locator("dl.kv").inner_text()
    assert re.search(r"完成进度\s+60%", facts), facts
    assert "推进中" in office.locator(".toolbar").inner_text()
    assert "已审核" in _row(office, "法制审核目录已公布").inner_text()
    office.goto(plan_url)
    assert "60%" in _row(office, "全面落实行政执法三项制度").inner_text()
    shot(office, "ledger-05-confirmed")


def _pick(select, text: str):
    """Choose the option whose label contains ``text`` (labels are indented by depth)."""
    select.select_option(label=select.locator("option", has_text=text).first.inner_text())


def _cells(row) -> list[str]:
    return [c.strip() for c in row.locator("td").all_inner_texts()]

