"""Pages: the indicator table, drill-down, ranking, weights, cockpit —
and who may see what."""

from datetime import date

import pytest
from django.urls import reverse

from fazhi.assessment.models import IndicatorWeight, Settlement
from fazhi.assessment.tests.conftest import YEAR
from fazhi.enforcement.tests.factories import make_officer
from fazhi.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(tree):
    make_officer(tree.a)
    make_officer(tree.b, valid_to=date(2025, 1, 31))
    return tree


def test_anonymous_is_sent_to_sign_in(client, tree):
    resp = client.get(reverse("assessment:table"))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_assessor_sees_every_unit_with_colours_and_gaps(client, data):
    client.force_login(data.assessor.user)
    html = client.get(reverse("assessment:table") + f"?year={YEAR}").content.decode()
    for u in (data.gov, data.a, data.b, data.s):
        assert u.name in html
    assert "cell-below" in html  # b's certificates: 0 % against 100 %
    assert "无数据的指标" in html and "不计入得分" in html
    assert reverse("assessment:drill", args=[YEAR, data.a.pk, "ENF_CERTIFIED"]) in html


def test_a_department_clerk_sees_only_its_unit(client, data):
    client.force_login(data.clerk_a.user)
    html = client.get(reverse("assessment:table") + f"?year={YEAR}").content.decode()
    assert data.a.name in html
    assert data.b.name not in html and data.gov.name not in html


def test_a_person_without_a_role_is_refused(client, data):
    client.force_login(data.staff.user)
    assert client.get(reverse("assessment:table")).status_code == 403
    assert client.get(reverse("assessment:cockpit")).status_code == 403


def test_drill_down_lists_the_records_with_reasons_and_links(client, data):
    client.force_login(data.assessor.user)
    resp = client.get(reverse("assessment:drill", args=[YEAR, data.b.pk, "ENF_CERTIFIED"]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "无有效执法证" in html and "已过期" in html
    assert reverse("enforcement:officer_detail", args=[data.b.enforcement_officers.get().pk]) in html


def test_drill_down_of_another_unit_is_404(client, data):
    client.force_login(data.clerk_a.user)
    assert client.get(reverse("assessment:drill", args=[YEAR, data.a.pk, "ENF_CERTIFIED"])).status_code == 200
    assert client.get(reverse("assessment:drill", args=[YEAR, data.b.pk, "ENF_CERTIFIED"])).status_code == 404
    assert client.get(reverse("assessment:drill", args=[YEAR, data.a.pk, "NO_SUCH"])).status_code == 404


def test_indicator_table_runs_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    for _ in range(8):
        make_officer(UnitFactory(parent=data.gov))
    client.force_login(data.assessor.user)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("assessment:table") + f"?year={YEAR}").status_code == 200


def test_excel_export(client, data):
    client.force_login(data.assessor.user)
    resp = client.get(reverse("assessment:table") + f"?year={YEAR}&export=xlsx")
    assert resp.status_code == 200 and "spreadsheetml" in resp["Content-Type"]


def test_ranking_page_leaves_out_the_government(client, data):
    client.force_login(data.assessor.user)
    html = client.get(reverse("assessment:ranking") + f"?year={YEAR}").content.decode()
    assert data.a.name in html and data.gov.name not in html


def test_cockpit_uses_the_vendored_chart_library_and_plain_tables(client, data):
    client.force_login(data.assessor.user)
    html = client.get(reverse("assessment:cockpit") + f"?year={YEAR}").content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert 'id="cockpit-data"' in html
    assert "逾期事项" in html and "近年趋势" in html and "<table" in html


def test_weights_page_is_the_assessors(client, data):
    client.force_login(data.clerk_a.user)
    assert client.get(reverse("assessment:weights")).status_code == 403
    assert client.post(reverse("assessment:settle"), {"year": YEAR}).status_code == 403


def test_assessor_saves_weights_and_settles(client, data):
    client.force_login(data.assessor.user)
    resp = client.post(reverse("assessment:weights"), {"year": YEAR, "weight_ENF_CERTIFIED": "2",
                                                       "target_ENF_CERTIFIED": "95"})
    assert resp.status_code == 302
    assert IndicatorWeight.objects.get(year=YEAR, code="ENF_CERTIFIED").weight == 2
    resp = client.post(reverse("assessment:settle"), {"year": YEAR, "note": "结算"})
    assert resp.status_code == 302 and Settlement.objects.filter(year=YEAR).count() == 1


def test_bad_weight_shows_a_message_and_saves_nothing(client, data):
    client.force_login(data.assessor.user)
    resp = client.post(reverse("assessment:weights"), {"year": YEAR, "weight_ENF_CERTIFIED": "-1"}, follow=True)
    assert "权重" in resp.content.decode() and not IndicatorWeight.objects.exists()


def test_excel_export_writes_a_formula_like_unit_name_as_text(client, data):
    from io import BytesIO

    from openpyxl import load_workbook

    data.a.name = "=HYPERLINK(\"http://evil.example/\",\"考核\")"
    data.a.save(update_fields=["name"])
    client.force_login(data.assessor.user)
    resp = client.get(reverse("assessment:table") + f"?year={YEAR}&export=xlsx")
    ws = load_workbook(BytesIO(resp.content)).active
    [cell] = [c for c in ws["B"] if c.value == data.a.name]
    assert cell.data_type == "s" and cell.quotePrefix


def _sheet(resp):
    import io

    from openpyxl import load_workbook

    assert resp.status_code == 200 and "spreadsheetml" in resp["Content-Type"]
    return load_workbook(io.BytesIO(resp.content)).active


def test_the_government_is_never_ranked_among_its_departments(client, data):
    # The government's values are the sum of its departments and towns: the
    # table, its export and the API show it after them, marked, without a rank.
    client.force_login(data.assessor.user)
    html = client.get(reverse("assessment:table") + f"?year={YEAR}").content.decode()
    gov_row = html.split(f'id="unit-{data.gov.pk}"')[1].split("</tr>")[0]
    assert "不参与排名" in gov_row
    ws = _sheet(client.get(reverse("assessment:table") + f"?year={YEAR}&export=xlsx"))
    standing = {row[1]: row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert standing[data.gov.name] == "不参与排名（本级政府）"
    assert all(v != "1" or k != data.gov.name for k, v in standing.items())
    api = client.get(f"/api/v1/assessment/values/?year={YEAR}").json()
    gov = next(r for r in api if r["unit_id"] == data.gov.pk)
    assert gov["rank"] is None and gov["standing"] == "不参与排名（本级政府）"
    assert all(r["unit_id"] != data.gov.pk for r in client.get(f"/api/v1/assessment/ranking/?year={YEAR}").json())


def test_exports_write_percentages_as_formatted_numbers(client, data):
    client.force_login(data.assessor.user)
    ws = _sheet(client.get(reverse("assessment:table") + f"?year={YEAR}&export=xlsx"))
    head = [c.value for c in ws[1]]
    col = head.index("执法人员持证率")
    cells = {row[1].value: row[col] for row in ws.iter_rows(min_row=2)}
    assert cells[data.a.name].value == 1 and cells[data.b.name].value == 0  # 1/1 and 0/1
    assert all(cells[u.name].number_format == "0.0%" for u in (data.a, data.b))
    target = [row[col + 2] for row in ws.iter_rows(min_row=2)][0]
    assert target.number_format == "0.0%" and 0 <= target.value <= 1


def test_ranking_and_drill_down_export(client, data):
    client.force_login(data.assessor.user)
    ws = _sheet(client.get(reverse("assessment:ranking") + f"?year={YEAR}&export=xlsx"))
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert data.a.name in names and data.gov.name not in names
    assert [c.value for c in ws[1]][:3] == ["名次", "单位", "综合得分"]
    ws = _sheet(client.get(reverse("assessment:drill", args=[YEAR, data.b.pk, "ENF_CERTIFIED"]) + "?export=xlsx"))
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert any(r and r[0] == "指标值" for r in rows)
    # Another unit's drill-down export is as private as the page.
    client.force_login(data.clerk_a.user)
    assert client.get(reverse("assessment:drill", args=[YEAR, data.b.pk, "ENF_CERTIFIED"])
                      + "?export=xlsx").status_code == 404


def test_cockpit_counts_overdue_items_of_every_module_by_unit_with_links(client, data):
    import json

    client.force_login(data.assessor.user)
    html = client.get(reverse("assessment:cockpit") + f"?year={YEAR}").content.decode()
    # Every module with deadlines declares its overdue items, the ledger and inspections included.
    for title in ("逾期未完成的任务措施", "逾期未公示的抽查检查结果", "超过办案期限未作出决定的案件", "逾期未报备的规范性文件"):
        assert title in html
    chart = json.loads(html.split('id="cockpit-data"')[1].split(">", 1)[1].split("</script>")[0])
    # By unit, without the government's column (it repeats its departments).
    assert chart["overdue"]["units"] and data.gov.display_name not in chart["overdue"]["units"]
    assert all(len(s["values"]) == len(chart["overdue"]["units"]) and s["url"] for s in chart["overdue"]["series"])
    # Each bar opens what it counts.
    assert all("#unit-" in s["url"] for s in chart["scores"])
    assert all(i["url"].startswith("/assessment/") for i in chart["top"]["indicators"])
    assert data.gov.display_name not in [s["unit"] for s in chart["scores"]]
