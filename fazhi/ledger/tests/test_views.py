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


def test_preview_of_a_notice_shows_the_plans_title_and_which_units_matched(lg):
    """Issue 13 §2: the title from inside the notice, generic phrases no units,
    each named unit shown with the district unit it matched (or 未找到)."""
    from fazhi.ledger.tests.test_parser import NOTICE

    resp = client_for(lg.fzb).post(reverse("ledger:plan_upload"), {
        "unit": lg.gov.pk, "file": SimpleUploadedFile("notice.txt", NOTICE.encode())})
    body = resp.content.decode()
    assert resp.status_code == 200 and "识别结果：示范区2026年法治政府建设实施方案" in body
    assert "<td>深化“放管服”改革</td>" in body
    matches = body.split('id="unit-matches"', 1)[1].split("</table>", 1)[0]
    assert "<td>区司法局</td><td>示范区司法局</td>" in matches
    assert "<td>区农业农村局</td><td>示范区农业农村局</td>" in matches
    # the short name here is 市场监管局; 区市场监管局 reads the same (org.matching: 县/区 prefix dropped)
    assert "<td>区市场监管局</td><td>示范区市场监督管理局</td>" in matches
    assert "各有关部门</td>" not in matches and "按职责分工" not in matches
    assert not Plan.objects.exists()


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


def test_the_assign_page_shows_each_measures_deadline_in_colour(lg, plan):
    """The measure rows there colour the deadline like every list (they crashed without the server's today)."""
    services.assign_measures([measure(plan, 1)], by=None, lead=lg.a, deadline=date(2020, 1, 6))
    resp = client_for(lg.fzb).get(reverse("ledger:plan_assign", args=[plan.pk]))
    assert resp.status_code == 200 and "due-overdue" in resp.content.decode()


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
    with django_assert_max_num_queries(18):  # + the working-day calendar the deadline colours read, once
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


def test_review_does_not_redirect_to_another_host(lg, plan):
    """``next`` is followed only into this site (open redirect, issue 11)."""
    m3 = measure(plan, 3)  # lead a
    client_for(lg.clerk_a).post(reverse("ledger:measure_report", args=[m3.pk]), {
        "unit": lg.a.pk, "percent": 50, "report_date": date.today().isoformat(), "text": "过半"})
    report = ProgressReport.objects.get()
    url = reverse("ledger:report_review", args=[m3.pk, report.pk])
    resp = client_for(lg.head_a).post(url, {"action": "confirm", "next": "https://evil.example/phish"})
    assert resp.status_code == 302 and resp["Location"] == reverse("ledger:measure_detail", args=[m3.pk])
    resp = client_for(lg.head_a).post(url, {"action": "confirm", "next": "/ledger/mine/"})
    assert resp["Location"] == "/ledger/mine/"


def test_the_ledger_colours_overdue_and_due_soon_deadlines_and_sorts_by_them(lg, plan, monkeypatch):
    """Issue 13 §2 "Deadlines in colour": red 逾期N天, amber 剩余N个工作日, the dashboard's badges."""
    from fazhi.ledger.models import Measure

    monkeypatch.setattr("fazhi.ledger.views._today", lambda: date(2026, 3, 2))
    late, soon, *rest = list(Measure.objects.filter(plan=plan).order_by("number"))
    Measure.objects.filter(pk=late.pk).update(deadline=date(2026, 2, 27), due_on=date(2026, 2, 27), completed_on=None)
    Measure.objects.filter(pk=soon.pk).update(deadline=date(2026, 3, 4), due_on=date(2026, 3, 4), completed_on=None)
    Measure.objects.filter(pk__in=[m.pk for m in rest]).update(deadline=date(2026, 12, 31), due_on=date(2026, 12, 31))
    c = client_for(lg.fzb)
    html = c.get(reverse("ledger:measure_list"), {"plan": plan.pk, "sort": "deadline"}).content.decode()
    assert 'class="due-cell due-overdue"' in html and "逾期3天" in html
    assert 'class="due-cell due-soon"' in html and "剩余2个工作日" in html
    assert html.index("逾期3天") < html.index("剩余2个工作日") < html.index("2026-12-31")
    detail = c.get(reverse("ledger:plan_detail", args=[plan.pk])).content.decode()
    assert "逾期3天" in detail and "剩余2个工作日" in detail
    overdue = c.get(reverse("ledger:overdue")).content.decode()
    assert "逾期3天" in overdue and "剩余2个工作日" not in overdue


def test_an_unconfirmed_report_shows_as_awaiting_confirmation_and_is_not_counted(lg, plan):
    """Issue 14: the measure's progress counts only reports the unit head confirmed."""
    m3 = measure(plan, 3)  # lead a
    client_for(lg.clerk_a).post(reverse("ledger:measure_report", args=[m3.pk]), {
        "unit": lg.a.pk, "percent": 50, "report_date": date.today().isoformat(), "text": "过半"})
    page = client_for(lg.clerk_a).get(reverse("ledger:measure_detail", args=[m3.pk])).content.decode()
    assert "待确认" in page and "<dt>完成进度</dt><dd>0%" in page and "另有 1 条报送待确认" in page
    report = ProgressReport.objects.get()
    client_for(lg.head_a).post(reverse("ledger:report_review", args=[m3.pk, report.pk]), {"action": "confirm"})
    page = client_for(lg.clerk_a).get(reverse("ledger:measure_detail", args=[m3.pk])).content.decode()
    assert "<dt>完成进度</dt><dd>50%" in page and "待确认" not in page
