"""考核评价 in a real browser, as the assessor (kaohe) sees it (issue 13 §1).

The assessor opens the indicator table and the ranking, follows a figure of a
unit to the records behind it (from the table and from a bar of the cockpit's
charts), exports the table as .xlsx and reads it back with openpyxl, and finds
the 区政府 shown as 不参与排名 — never ranked among the departments whose sum
it is. Every page on the way is watched (conftest).
"""

import io
import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

GOV = "示范区人民政府"
NONGYE = "示范区农业农村局"
CERTIFIED = "执法人员持证率"


def _row(page, unit_name: str):
    row = page.locator("table.assess-table tbody tr").filter(
        has=page.locator("td:nth-child(2)", has_text=re.compile(rf"^{re.escape(unit_name)}$")))
    assert row.count() == 1, f"考核指标表中没有“{unit_name}”"
    return row


def _column(page, name: str) -> int:
    heads = page.locator("table.assess-table thead th").all_inner_texts()
    found = [i for i, h in enumerate(heads) if h.startswith(name)]
    assert found, f"表头中没有“{name}”：{heads}"
    return found[0]


def _click_bar(page, chart_id: str, index: int):
    """Click the ``index``-th bar of an ECharts chart (SVG renderer) where it is drawn,
    once the bars have finished growing (ECharts animates them in)."""
    page.evaluate("(id) => document.getElementById(id).scrollIntoView({block: 'center'})", chart_id)
    page.wait_for_timeout(1500)
    point = page.evaluate(
        """([id, i]) => {
            const el = document.getElementById(id);
            el.scrollIntoView({block: "center"});
            const chart = window.echarts.getInstanceByDom(el);
            const opt = chart.getOption();
            const v = opt.series[0].data[i];
            const value = (v !== null && typeof v === "object") ? v.value : v;
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [i, (value || 0) / 4]);
            const box = el.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y, value: value};
        }""", [chart_id, index])
    assert point["value"], f"{chart_id} 第{index + 1}根柱形没有数值"
    page.mouse.click(point["x"], point["y"])


def test_assessor_table_ranking_drill_down_and_export(as_user):
    page = as_user("kaohe")
    page.goto("/assessment/")
    page.wait_for_load_state()
    year = int(re.search(r"(\d{4})年度考核指标", page.locator("h1").inner_text()).group(1))
    shot(page, "assess-01-table")

    # ------------------------------------------ the government is not ranked
    gov = _row(page, GOV)
    assert "不参与排名" in gov.locator("td").first.inner_text()
    ny = _row(page, NONGYE)
    assert re.fullmatch(r"\d+", ny.locator("td").first.inner_text().strip()), "农业农村局应有名次"

    # ---------------------------------- a figure of a unit -> its records (table)
    col = _column(page, CERTIFIED)
    cell = ny.locator("td").nth(col)
    shown = cell.locator("a").inner_text().strip()
    num, den = (int(x) for x in re.search(r"(\d+)/(\d+)", cell.inner_text()).groups())
    assert den > 0 and shown == f"{num * 100 / den:.1f}%", (shown, num, den)
    with page.expect_navigation():
        cell.locator("a").click()
    assert f"/assessment/{year}/" in page.url and page.url.endswith("/ENF_CERTIFIED/")
    assert NONGYE in page.locator("h1").inner_text() and CERTIFIED in page.locator("h1").inner_text()
    kv = page.locator("dl.kv").inner_text()
    assert shown in kv and f"{num} / {den}" in kv
    records = page.locator("table.grid tbody tr")
    assert records.count() == den, "钻取页列出的记录数应等于分母"
    assert page.locator("table.grid tbody .badge-ok").count() == num, "计入分子的记录数应等于分子"
    assert "持有效执法证" in page.locator("table.grid tbody").inner_text()
    shot(page, "assess-02-drill-certified")
    # a record behind the figure opens its own page
    first = records.first.locator("a")
    officer = first.inner_text().split("（")[0]
    with page.expect_navigation():
        first.click()
    assert "/enforcement/officers/" in page.url and officer in page.locator("main").inner_text()
    page.go_back()
    with page.expect_navigation():
        page.locator("a", has_text="返回考核指标").click()
    assert "#unit-" in page.url and page.locator("table.assess-table").count() == 1

    # ----------------------------------------------------- the ranking page
    page.goto(f"/assessment/ranking/?year={year}")
    ranking = page.locator("table.grid tbody tr")
    # the government is left out of the ranking, and the page says why
    assert ranking.filter(has_text=GOV).count() == 0
    assert "区政府的数值是其汇总，不参与排名" in page.locator("main").inner_text()
    ranked = [r for r in ranking.all() if re.fullmatch(r"\d+", r.locator("td").first.inner_text().strip())]
    assert ranked and all(GOV not in r.inner_text() for r in ranked)
    ranks = [int(r.locator("td").first.inner_text()) for r in ranked]
    assert ranks == sorted(ranks) and ranks[0] == 1, ranks
    shot(page, "assess-03-ranking")

    # ----------------------------------- the cockpit: a bar opens what it counts
    page.goto(f"/assessment/cockpit/?year={year}")
    page.wait_for_function("() => window.echarts && document.querySelector('#chart-top svg')")
    shot(page, "assess-04-cockpit")
    top_unit = page.locator("section.cockpit-card h2").first.inner_text().split("：")[0]
    labels = page.evaluate("() => window.echarts.getInstanceByDom(document.getElementById('chart-top'))"
                           ".getOption().xAxis[0].data")
    i = labels.index(CERTIFIED)
    with page.expect_navigation():
        _click_bar(page, "chart-top", i)
    assert page.url.endswith("/ENF_CERTIFIED/"), page.url
    assert top_unit in page.locator("h1").inner_text()
    assert page.locator("table.grid tbody tr").count() >= 1
    shot(page, "assess-05-drill-from-chart")

    page.goto(f"/assessment/cockpit/?year={year}")
    page.wait_for_function("() => window.echarts && document.querySelector('#chart-scores svg')")
    units = page.evaluate("() => window.echarts.getInstanceByDom(document.getElementById('chart-scores'))"
                          ".getOption().xAxis[0].data")
    assert all("人民政府" not in u for u in units), f"区政府不应出现在得分排名图中：{units}"
    with page.expect_navigation():
        _click_bar(page, "chart-scores", 0)
    assert "/assessment/?year=" in page.url and "#unit-" in page.url, page.url
    pk = page.url.rsplit("#unit-", 1)[1]
    row = page.locator(f"tr#unit-{pk}")
    assert row.count() == 1 and row.locator("td").first.inner_text().strip() == "1"

    # ------------------------------------------------------- export .xlsx
    page.goto(f"/assessment/?year={year}")
    with page.expect_download() as dl:
        page.locator("a", has_text="导出 Excel").click()
    data = open(dl.value.path(), "rb").read()
    assert dl.value.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows())
    head = [c.value for c in rows[0]]
    assert head[:3] == ["名次", "单位", "综合得分"] and CERTIFIED in head
    by_unit = {r[1].value: r for r in rows[1:] if r[1].value}
    assert by_unit[GOV][0].value.startswith("不参与排名")
    ny_cells = by_unit[NONGYE]
    c = head.index(CERTIFIED)
    assert isinstance(ny_cells[c].value, (int, float)) and "%" in ny_cells[c].number_format
    assert abs(ny_cells[c].value - num / den) < 1e-9
    assert ny_cells[c + 1].value == f"{num}/{den}"
    assert "%" in ny_cells[c + 2].number_format  # the target is a percentage too


def test_a_towns_clerk_sees_only_their_own_unit(as_user):
    """Scope: 龙凤镇's clerk sees 龙凤镇 alone; another unit's records behind a figure are a 404."""
    page = as_user("longfeng_clerk")
    page.goto("/assessment/")
    units = page.locator("table.assess-table tbody tr td:nth-child(2)").all_inner_texts()
    assert units and all("龙凤镇" in u for u in units), units
    year = int(re.search(r"(\d{4})年度", page.locator("h1").inner_text()).group(1))
    kaohe = as_user("kaohe")
    kaohe.goto(f"/assessment/?year={year}")
    link = _row(kaohe, NONGYE).locator("td").nth(_column(kaohe, CERTIFIED)).locator("a").get_attribute("href")
    assert page.request.get(link).status == 404
