"""Staff screens of the two pools (检查对象名录库, 检查人员名录库) and the import."""

from datetime import date
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fazhi.core.tables import CappedPaginator
from fazhi.inspections import services
from fazhi.inspections.models import Entity, EntityImport, InspectorAbsence, Recusal
from fazhi.inspections.tests.factories import (
    SCRIPT,
    EntityFactory,
    EntityImportFactory,
    InspectorAbsenceFactory,
    InspectorFactory,
    RecusalFactory,
    bad_check_digit,
    credit_code,
)
from fazhi.inspections.tests.test_views import ESCAPED, XLSX, body, client_for, url

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _pin_today(monkeypatch):
    monkeypatch.setattr("fazhi.inspections.views.common.today", lambda: TODAY)
    cache.clear()


# ------------------------------------------------------------ object pool

def test_entity_list_filters(ins):
    EntityFactory(name="甲餐饮店", industry="餐饮", region="龙凤镇", risk_level="high", credit_level="A")
    EntityFactory(name="乙超市", industry="食品销售", region="白沙镇")
    c = client_for(ins.officer_a)
    text = body(c.get(url("entity_list"), {"industry": "餐饮"}))
    assert "甲餐饮店" in text and "乙超市" not in text
    assert "乙超市" in body(c.get(url("entity_list"), {"region": "白沙镇"}))
    text = body(c.get(url("entity_list"), {"risk_level": "high"}))
    assert "甲餐饮店" in text and "乙超市" not in text
    text = body(c.get(url("entity_list"), {"credit_level": "A"}))
    assert "甲餐饮店" in text and "乙超市" not in text


def test_entity_list_keyword_on_name_and_credit_code(ins):
    a = EntityFactory(name="甲餐饮店")
    EntityFactory(name="乙超市")
    c = client_for(ins.officer_a)
    assert "乙超市" not in body(c.get(url("entity_list"), {"q": "甲餐饮"}))
    text = body(c.get(url("entity_list"), {"q": a.credit_code[:12]}))
    assert "甲餐饮店" in text


def test_entity_list_hides_inactive_by_default(ins):
    EntityFactory(name="已注销公司", inactive=True)
    c = client_for(ins.officer_a)
    assert "已注销公司" not in body(c.get(url("entity_list")))
    assert "已注销公司" in body(c.get(url("entity_list"), {"active": "0"}))


def test_entity_list_query_count_is_bounded(ins, django_assert_max_num_queries):
    for _ in range(12):
        EntityFactory()
    c = client_for(ins.officer_a)
    with django_assert_max_num_queries(15):  # incl. 3 cached suggestion lists
        response = c.get(url("entity_list"))
    assert response.status_code == 200 and response.context["total"] == 12


def test_entity_list_count_is_bounded_for_huge_pools(ins):
    for _ in range(5):
        EntityFactory()
    p = CappedPaginator(Entity.objects.order_by("pk"), 2, limit=3)
    assert p.count == 3 and p.truncated and p.num_pages == 2
    p = CappedPaginator(Entity.objects.order_by("pk"), 2, limit=10)
    assert p.count == 5 and not p.truncated



def test_entity_list_page_says_when_the_count_stops_at_the_limit(ins, monkeypatch):
    from fazhi.inspections.views import pools as views

    for _ in range(4):
        EntityFactory()
    monkeypatch.setattr(views.ENTITY_TABLE, "count_limit", 3)
    response = client_for(ins.officer_a).get(url("entity_list"))
    assert response.context["total"] == "3+" and response.context["truncated"] is True
    assert "超过 3 条" in body(response)
    monkeypatch.setattr(views.ENTITY_TABLE, "count_limit", 10)
    response = client_for(ins.officer_a).get(url("entity_list"))
    assert response.context["total"] == 4 and response.context["truncated"] is False

def test_entity_list_exports_xlsx(ins):
    EntityFactory(name="导出公司")
    response = client_for(ins.officer_a).get(url("entity_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(1, 2).value == "统一社会信用代码" and ws.cell(2, 1).value.startswith("导出公司")


def test_entity_detail_shows_history(ins):
    from fazhi.inspections.tests.factories import InspectionFactory

    e = EntityFactory()
    InspectionFactory(unit=ins.a, entity=e, recorded=True)
    other = InspectionFactory(unit=ins.b, entity=e, recorded=True, findings="他部门检查")
    text = body(client_for(ins.clerk_a).get(url("entity_detail", e.pk)))
    assert "发现问题已责令改正" in text and url("inspection_detail", other.pk) not in text
    assert ESCAPED in text and SCRIPT not in text


def test_entity_pages_404_for_missing(ins):
    c = client_for(ins.clerk_a)
    assert c.get(url("entity_detail", 999999)).status_code == 404
    assert c.get(url("entity_edit", 999999)).status_code == 404


def test_clerk_adds_an_entity(ins):
    code = credit_code(777)
    response = client_for(ins.clerk_a).post(url("entity_create"), {
        "name": "新登记公司", "credit_code": code.lower(), "risk_level": "medium", "industry": "餐饮"})
    e = Entity.objects.get(credit_code=code)
    assert response.status_code == 302 and response["Location"] == url("entity_detail", e.pk)
    assert e.risk_level == "medium"


def test_bad_credit_code_is_refused_and_nothing_is_created(ins):
    response = client_for(ins.clerk_a).post(url("entity_create"), {
        "name": "错误代码公司", "credit_code": bad_check_digit(credit_code(778)), "risk_level": "low"})
    assert response.status_code == 400 and "校验" in body(response)
    assert not Entity.objects.filter(name="错误代码公司").exists()


def test_officer_may_not_add_entities(ins):
    c = client_for(ins.officer_a)
    assert c.get(url("entity_create")).status_code == 403
    e = EntityFactory()
    assert c.post(url("entity_edit", e.pk), {"name": "改名", "credit_code": e.credit_code,
                                              "risk_level": "low"}).status_code == 403
    e.refresh_from_db()
    assert e.name != "改名"


def test_clerk_edits_an_entity(ins):
    e = EntityFactory()
    response = client_for(ins.clerk_a).post(url("entity_edit", e.pk), {
        "name": "改名后的公司", "credit_code": e.credit_code, "risk_level": "high", "active": "on"})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.name == "改名后的公司" and e.risk_level == "high"


# ------------------------------------------------------------------ import

def test_import_templates_have_the_headers(ins):
    c = client_for(ins.officer_a)
    response = c.get(url("import_template", "xlsx"))
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "名称" and ws.cell(1, 2).value == "统一社会信用代码"
    response = c.get(url("import_template", "csv"))
    assert response.content.decode("utf-8-sig").startswith("名称,统一社会信用代码")
    assert c.get(url("import_template", "pdf")).status_code == 404


def _csv(rows) -> bytes:
    lines = ["名称,统一社会信用代码,行业,区域,风险等级"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_upload_starts_an_import_and_shows_the_progress_page(ins):
    f = SimpleUploadedFile("对象.csv", _csv([("甲公司", credit_code(901), "餐饮", "龙凤镇", "高")]))
    response = client_for(ins.clerk_a).post(url("import_start"), {"unit": ins.a.pk, "file": f})
    batch = EntityImport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("import_detail", batch.pk)
    text = body(client_for(ins.clerk_a).get(url("import_detail", batch.pk)))
    assert 'hx-trigger="every 1s"' in text and url("import_progress", batch.pk) in text


def test_import_success_page_says_how_many(ins):
    f = SimpleUploadedFile("对象.csv", _csv([("甲公司", credit_code(901), "餐饮", "龙凤镇", "高"),
                                            ("乙公司", credit_code(902), "餐饮", "白沙镇", "低")]))
    batch = services.start_import(f, by=ins.clerk_a, unit=ins.a)
    services.run_import(batch.pk)
    c = client_for(ins.clerk_a)
    text = body(c.get(url("import_detail", batch.pk)))
    assert "导入成功 <strong>2</strong> 条" in text and "hx-trigger" not in text
    response = c.get(url("import_progress", batch.pk), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_import_errors_are_reported_row_by_row_and_nothing_is_imported(ins):
    f = SimpleUploadedFile("对象.csv", _csv([("甲公司", credit_code(901), "餐饮", "龙凤镇", "高"),
                                            ("乙公司", bad_check_digit(credit_code(902)), "餐饮", "白沙镇", "低")]))
    batch = services.start_import(f, by=ins.clerk_a, unit=ins.a)
    services.run_import(batch.pk)
    assert not Entity.objects.exists()
    c = client_for(ins.clerk_a)
    text = body(c.get(url("import_detail", batch.pk)))
    assert "未导入任何数据" in text and "错误报告" in text and "hx-trigger" not in text
    response = c.get(url("import_errors", batch.pk, "xlsx"))
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "行号" and ws.cell(2, 1).value == 3
    csv = c.get(url("import_errors", batch.pk, "csv")).content.decode("utf-8-sig")
    assert csv.startswith("行号,列,内容,错误说明") and "统一社会信用代码" in csv


def test_running_import_progress_fragment_keeps_polling(ins):
    batch = EntityImportFactory(unit=ins.a, running=True)
    response = client_for(ins.clerk_a).get(url("import_progress", batch.pk), HTTP_HX_REQUEST="true")
    text = body(response)
    assert response.status_code == 200 and 'hx-trigger="every 1s"' in text and "40%" in text
    assert "HX-Refresh" not in response


def test_import_of_another_unit_is_404(ins):
    batch = EntityImportFactory(unit=ins.b, failed=True)
    c = client_for(ins.clerk_a)
    assert c.get(url("import_detail", batch.pk)).status_code == 404
    assert c.get(url("import_progress", batch.pk)).status_code == 404
    assert c.get(url("import_errors", batch.pk, "csv")).status_code == 404


def test_officer_may_not_import(ins):
    f = SimpleUploadedFile("对象.csv", _csv([]))
    c = client_for(ins.officer_a)
    assert c.get(url("import_start")).status_code == 403
    assert c.post(url("import_start"), {"unit": ins.a.pk, "file": f}).status_code == 403
    assert not EntityImport.objects.exists()


def test_a_binary_upload_is_refused_with_a_message(ins):
    f = SimpleUploadedFile("对象.csv", b"\x00\x01\x02binary")
    response = client_for(ins.clerk_a).post(url("import_start"), {"unit": ins.a.pk, "file": f})
    assert response.status_code == 400 and "格式" in body(response)
    assert not EntityImport.objects.exists()


# --------------------------------------------------------- inspector pool

def test_inspector_list_shows_the_units_inspectors(ins):
    text = body(client_for(ins.clerk_a).get(url("inspector_list")))
    for i in ins.inspectors_a:
        assert url("inspector_detail", i.pk) in text
    for i in ins.inspectors_b:
        assert url("inspector_detail", i.pk) not in text
    assert "可抽取" in text


def test_inspector_list_eligible_filter(ins):
    absent = ins.inspectors_a[0]
    InspectorAbsenceFactory(inspector=absent, start=TODAY, end=TODAY, reason="培训")
    c = client_for(ins.clerk_a)
    text = body(c.get(url("inspector_list"), {"eligible": "1"}))
    assert url("inspector_detail", absent.pk) not in text and url("inspector_detail", ins.inspectors_a[1].pk) in text
    text = body(c.get(url("inspector_list"), {"eligible": "0"}))
    assert url("inspector_detail", absent.pk) in text and "培训" in text


def test_inspector_list_query_count_is_bounded(ins, django_assert_max_num_queries):
    for _ in range(6):
        InspectorFactory(unit=ins.a)
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(15):
        response = c.get(url("inspector_list"))
    assert response.context["total"] == 10


def test_another_units_inspector_is_404(ins):
    other = ins.inspectors_b[0]
    c = client_for(ins.clerk_a)
    assert c.get(url("inspector_detail", other.pk)).status_code == 404
    assert c.post(url("inspector_action", other.pk, "absence"), {
        "absence-start": "2026-04-01", "absence-end": "2026-04-02", "absence-reason": "休假"}).status_code == 404
    assert not InspectorAbsence.objects.exists()


def test_add_and_remove_an_absence(ins):
    i = ins.inspectors_a[0]
    c = client_for(ins.clerk_a)
    response = c.post(url("inspector_action", i.pk, "absence"), {
        "absence-start": "2026-04-01", "absence-end": "2026-04-10", "absence-reason": "休假"})
    assert response.status_code == 302
    a = InspectorAbsence.objects.get(inspector=i)
    assert c.get(url("absence_remove", i.pk, a.pk)).status_code == 405
    c.post(url("absence_remove", i.pk, a.pk))
    assert not InspectorAbsence.objects.exists()


def test_absence_ending_before_it_starts_is_refused(ins):
    i = ins.inspectors_a[0]
    response = client_for(ins.clerk_a).post(url("inspector_action", i.pk, "absence"), {
        "absence-start": "2026-04-10", "absence-end": "2026-04-01", "absence-reason": "休假"})
    assert response.status_code == 400 and "结束日期" in body(response)
    assert not InspectorAbsence.objects.exists()


def test_add_and_remove_a_recusal_by_credit_code(ins):
    i = ins.inspectors_a[0]
    e = EntityFactory()
    c = client_for(ins.clerk_a)
    response = c.post(url("inspector_action", i.pk, "recusal"), {
        "recusal-target": "entity", "recusal-credit_code": e.credit_code, "recusal-reason": "近亲属任职"})
    assert response.status_code == 302
    r = Recusal.objects.get(inspector=i)
    assert r.entity == e
    assert "近亲属任职" in body(c.get(url("inspector_detail", i.pk)))
    c.post(url("recusal_remove", i.pk, r.pk))
    assert not Recusal.objects.exists()


def test_recusal_of_a_unit(ins):
    i = ins.inspectors_a[0]
    client_for(ins.clerk_a).post(url("inspector_action", i.pk, "recusal"), {
        "recusal-target": "unit", "recusal-org_unit": ins.town.pk, "recusal-reason": "曾在该镇任职"})
    assert Recusal.objects.get(inspector=i).org_unit == ins.town


def test_recusal_of_an_unknown_object_is_refused(ins):
    i = ins.inspectors_a[0]
    response = client_for(ins.clerk_a).post(url("inspector_action", i.pk, "recusal"), {
        "recusal-target": "entity", "recusal-credit_code": credit_code(999), "recusal-reason": "x"})
    assert response.status_code == 400 and "名录库中没有" in body(response)
    assert not Recusal.objects.exists()


def test_officer_may_not_change_the_inspector_pool(ins):
    i = ins.inspectors_a[0]
    r = RecusalFactory(inspector=i)
    c = client_for(ins.officer_a)
    assert c.post(url("inspector_action", i.pk, "absence"), {
        "absence-start": "2026-04-01", "absence-end": "2026-04-02", "absence-reason": "休假"}).status_code == 403
    assert c.post(url("recusal_remove", i.pk, r.pk)).status_code == 403
    assert Recusal.objects.filter(pk=r.pk).exists() and not InspectorAbsence.objects.exists()


def test_inspector_detail_flags_today(ins):
    i = ins.inspectors_a[0]
    c = client_for(ins.officer_a)
    assert "今日可抽取" in body(c.get(url("inspector_detail", i.pk)))
    InspectorAbsenceFactory(inspector=i, start=TODAY, end=TODAY, reason="培训")
    assert "今日不可抽取" in body(c.get(url("inspector_detail", i.pk)))


def test_add_an_officer_to_the_pool(ins):
    from fazhi.enforcement.tests.factories import make_officer
    from fazhi.inspections.models import Inspector

    officer = make_officer(ins.a, name="新执法员")
    c = client_for(ins.clerk_a)
    assert "新执法员" in body(c.get(url("inspector_add")))
    response = c.post(url("inspector_add"), {"officer": officer.pk, "areas": "市场监管、食品安全"})
    ins_ = Inspector.objects.get(officer=officer)
    assert response.status_code == 302 and ins_.fields == "市场监管、食品安全"


def test_import_page_query_count_is_bounded(ins, django_assert_max_num_queries):
    for _ in range(6):
        EntityImportFactory(unit=ins.a, succeeded=True)
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(12):
        response = c.get(url("import_start"))
    assert response.context["total"] == 6
