"""导入目录 in a real browser (issue 13 §2 "Imports people need").

The government office's clerk (gov_clerk, who keeps the catalogue) starts
next year's catalogue, uploads the published notice as a .docx, sees every
row checked — one 承办单位 ("区城管局") is not a unit of the district and is
flagged, nothing is saved — picks the right unit in the preview, confirms,
and finds the three matters in the catalogue. PageWatch fails the test on a
console error, a 4xx/5xx or an outside request.
"""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fazhi.e2e.axe import axe_violations, structure_problems
from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

ROWS = [
    ("1", "示范区高标准农田建设管护办法", "区农业农村局（牵头），区司法局", "6月底前"),
    ("2", "城区食品摊贩管理办法", "区市场监管局", "三季度"),
    ("3", "城区生活垃圾分类收费办法", "区城管局", "年底前"),
]


def _notice(year: int) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(f"示范区人民政府办公室关于印发示范区{year}年度重大行政决策事项目录的通知")
    d.add_paragraph("各镇人民政府，区政府各部门：经区委同意，现将目录印发给你们，请认真组织实施。")
    t = d.add_table(rows=1, cols=4)
    for cell, text in zip(t.rows[0].cells, ("序号", "决策事项", "承办单位", "完成时限"), strict=True):
        cell.text = text
    for r in ROWS:
        for cell, text in zip(t.add_row().cells, r, strict=True):
            cell.text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _upload(page, year: int) -> None:
    with page.expect_navigation():
        page.locator("a.btn", has_text="导入目录").click()
    page.set_input_files("input[name=file]", {
        "name": f"示范府办发〔{year}〕3号.docx", "buffer": _notice(year),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    page.locator("select[name=category]").select_option(label="重大公共政策和措施")
    with page.expect_navigation():
        page.locator("button", has_text="识别预览").click()


def test_the_office_imports_a_notice_fixing_one_flagged_row(as_user):
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year + 1
    page = as_user("gov_clerk")

    # ----------------------------------------------- next year's draft catalogue
    page.goto("/decisions/catalogues/")
    form = page.locator("form", has=page.locator("button", has_text="新建目录"))
    form.locator("select[name=unit]").select_option(label="示范区人民政府")
    form.locator("input[name=year]").fill(str(year))
    with page.expect_navigation():
        form.locator("button", has_text="新建目录").click()
    assert "尚无事项" in page.content()
    cat_url = page.url

    # ------------------------------------------------------- upload → preview
    _upload(page, year)
    assert page.locator("h1").inner_text() == "导入预览"
    report = page.locator("#import-report").inner_text()
    assert "共3行，拟导入3项" in report and "有1行存在问题" in report, report
    assert "表格第4行" in report and "承办单位“区城管局”不是本级政府或其所属单位的名称，请选择" in report, report
    rows = page.locator("table.md-import tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("select[name$=sponsor_unit] option:checked").inner_text().strip() == "示范区农业农村局"
    assert rows.nth(0).locator("input[name$=partners]").input_value() == "区司法局"
    assert rows.nth(1).locator("input[name$=planned_completion]").input_value() == f"{year}-09-30"
    flagged = page.locator("tr.has-problem")
    assert flagged.count() == 1 and "城区生活垃圾分类收费办法" in flagged.locator("input[name$=title]").input_value()
    # The header sits above the first row (a sticky header inside the scroll box covered it).
    head_box = page.locator("table.md-import thead").bounding_box()
    assert head_box["y"] + head_box["height"] <= rows.nth(0).bounding_box()["y"] + 1
    shot(page, "md-import-01-preview")

    # ------------------------------------------------- fix the row, confirm
    flagged.locator("select[name$=sponsor_unit]").select_option(label="示范区综合行政执法局")
    with page.expect_navigation():
        page.locator("button", has_text="确认导入").click()
    assert page.url.split("#")[0] == cat_url.split("#")[0], page.url
    assert "已导入3项事项" in page.locator(".msg-success").inner_text()
    table = page.locator("table.grid").first.inner_text()
    for _, title, _, _ in ROWS:
        assert title in table, table
    entries = page.locator("table.grid").first.locator("tbody tr")
    assert "示范区综合行政执法局" in entries.nth(2).inner_text()
    assert f"{year}-12-31" in entries.nth(2).inner_text()
    assert "配合单位：示范区司法局" in entries.nth(0).inner_text()
    shot(page, "md-import-02-saved")

    # ------------- the same notice again: every row is already in the catalogue
    # (axe needs its script injected, hence a page without CSP for this check only)
    again = as_user("gov_clerk", bypass_csp=True)
    again.goto(cat_url)
    _upload(again, year)
    report = again.locator("#import-report").inner_text()
    assert "有3行存在问题" in report and "目录中已有事项“城区食品摊贩管理办法”" in report, report
    assert not axe_violations(again) + structure_problems(again, again.url)
