from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.ledger import services
from fazhi.ledger.models import Plan, ProgressReport
from fazhi.ledger.tests.conftest import PLAN_TEXT, measure

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "dadukou_plan_2017_2020.txt"


def client_for(person):
    c = Client()
    c.force_login(person.user)
    return c


def test_anonymous_is_sent_to_sign_in(db):
    for name in ("ledger:plan_list", "ledger:my_measures", "ledger:measure_list"):
        resp = Client().get(reverse(name))
        assert resp.status_code == 302 and "login" in resp["Location"]


def test_upload_preview_then_confirm(lg):
    c = client_for(lg.fzb)
    resp = c.post(reverse("ledger:plan_upload"), {
        "unit": lg.gov.pk, "file": SimpleUploadedFile("plan.txt", FIXTURE.read_bytes())})
    body = resp.content.decode()
    assert resp.status_code == 200 and "确认导入 42 项措施" in body and "落实第一责任人责任" in body
    assert not Plan.objects.exists()
    resp = c.post(reverse("ledger:plan_confirm"))
    plan = Plan.objects.get()
    assert resp.status_code == 302 and plan.measures.count() == 42


def test_upload_of_garbage_shows_the_error_and_saves_nothing(lg):
    resp = client_for(lg.fzb).post(reverse("ledger:plan_upload"), {
        "unit": lg.gov.pk, "file": SimpleUploadedFile("x.txt", "没有编号的文字。".encode())})
    assert resp.status_code == 400 and "未能从文本中识别出任何措施" in resp.content.decode()
    assert not Plan.objects.exists()


def test_a_department_clerk_may_import_only_for_its_own_units(lg):
    c = client_for(lg.clerk_a)
    resp = c.get(reverse("ledger:plan_upload"))
    assert [u for u, _ in resp.context["form"].fields["unit"].choices] == [lg.a.pk, lg.ad.pk]
    resp = c.post(reverse("ledger:plan_upload"), {"unit": lg.gov.pk,
                                                  "file": SimpleUploadedFile("p.txt", PLAN_TEXT.encode())})
    assert resp.status_code == 400 and not Plan.objects.exists()
    assert client_for(lg.staff).get(reverse("ledger:plan_upload")).status_code == 403


def test_plan_detail_lists_measures_with_escaping(lg, plan):
    body = client_for(lg.fzb).get(reverse("ledger:plan_detail", args=[plan.pk])).content.decode()
    assert "推进权责清单管理" in body and "示范区司法局" in body
    assert "<script>督办" not in body and "&lt;script&gt;" in body


def test_measure_outside_scope_is_404(lg, plan):
    m2 = measure(plan, 2)  # lead b only
    assert client_for(lg.clerk_a).get(reverse("ledger:measure_detail", args=[m2.pk])).status_code == 404
    assert client_for(lg.clerk_b).get(reverse("ledger:measure_detail", args=[m2.pk])).status_code == 200
    assert client_for(lg.assessor).get(reverse("ledger:measure_detail", args=[m2.pk])).status_code == 200
    assert client_for(lg.fzb).get(reverse("ledger:measure_detail", args=[99999])).status_code == 404


def test_report_through_the_page(lg, plan):
    m3 = measure(plan, 3)  # lead a
    resp = client_for(lg.clerk_a).post(reverse("ledger:measure_report", args=[m3.pk]), {
        "unit": lg.a.pk, "percent": 50, "report_date": date.today().isoformat(), "text": "过半"})
    assert resp.status_code == 302 and ProgressReport.objects.get().percent == 50


def test_report_page_for_a_visible_measure_of_another_unit_is_403(lg, plan):
    m1 = measure(plan, 1)  # lead s; partners a, b — visible to assessor, who may not report
    resp = client_for(lg.assessor).post(reverse("ledger:measure_report", args=[m1.pk]), {
        "unit": lg.s.pk, "percent": 50, "report_date": date.today().isoformat(), "text": "x"})
    assert resp.status_code == 403 and not ProgressReport.objects.exists()


def test_report_form_get_is_405(lg, plan):
    assert client_for(lg.clerk_a).get(reverse("ledger:measure_report", args=[measure(plan, 3).pk])).status_code == 405


def test_assign_page_forbidden_to_department_clerk(lg, plan):
    assert client_for(lg.clerk_a).get(reverse("ledger:plan_assign", args=[plan.pk])).status_code == 403


def test_bulk_assign_through_the_page(lg, plan):
    ms = [measure(plan, 1).pk, measure(plan, 2).pk]
    resp = client_for(lg.fzb).post(reverse("ledger:plan_assign", args=[plan.pk]), {
        "measures": ms, "lead": lg.a.pk, "deadline": "2026-11-30"})
    assert resp.status_code == 302
    assert set(plan.measures.filter(pk__in=ms).values_list("lead_unit", flat=True)) == {lg.a.pk}


def test_list_pages_have_bounded_queries(lg, plan, django_assert_max_num_queries):
    from fazhi.ledger import parser

    for i in range(5):
        p = services.import_plan(parser.parse_plan(PLAN_TEXT), unit=lg.gov, by=None, source_sha256=f"{i}" * 64)
        services.activate_plan(p, by=None)
    c = client_for(lg.fzb)
    for name in ("ledger:measure_list", "ledger:plan_list", "ledger:overdue", "ledger:supervision_list"):
        with django_assert_max_num_queries(16):
            assert c.get(reverse(name)).status_code == 200
    ca = client_for(lg.clerk_a)
    with django_assert_max_num_queries(16):
        resp = ca.get(reverse("ledger:my_measures"))
    assert resp.context["total"] == 12
    with django_assert_max_num_queries(16):
        assert c.get(reverse("ledger:plan_detail", args=[plan.pk])).status_code == 200


def test_excel_export_and_print(lg, plan):
    c = client_for(lg.fzb)
    resp = c.get(reverse("ledger:measure_list"), {"plan": plan.pk, "export": "xlsx"})
    assert resp.status_code == 200 and "spreadsheetml" in resp["Content-Type"]
    assert "任务清单和推进台账" in c.get(reverse("ledger:plan_print", args=[plan.pk])).content.decode()


def test_my_measures_show_only_own(lg, plan):
    resp = client_for(lg.clerk_b).get(reverse("ledger:my_measures"))
    assert sorted(m.number for m, _ in resp.context["cells"]) == [1, 2]


def test_dashboard_items(lg, plan, django_assert_max_num_queries):
    from fazhi.ledger.selectors import dashboard_items

    user = lg.clerk_b.user
    with django_assert_max_num_queries(12):
        items = dashboard_items(user, date(2026, 9, 25))
    assert [(i.kind, i.due) for i in items] == [("due_soon", date(2026, 9, 30))]
    items = dashboard_items(user, date(2026, 10, 9))
    assert items[0].kind == "overdue"
