"""Staff pages: scope (404/403), sign-in, the editor, transitions by POST with
refusals naming their rule, print, docx, Excel, bounded query counts."""

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.annual_report import rules, services
from fazhi.annual_report.models import Report, Section, Status
from fazhi.annual_report.tests.conftest import TODAY, fill

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _pin_today(monkeypatch):
    monkeypatch.setattr("fazhi.annual_report.views._today", lambda: TODAY)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def body(resp) -> str:
    return resp.content.decode()


def test_anonymous_is_sent_to_sign_in(report):
    resp = Client().get(reverse("annual_report:detail", args=[report.pk]))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_the_list_shows_own_reports_with_deadlines(report, tree):
    resp = client_for(tree.clerk_a).get(reverse("annual_report:list"))
    assert resp.status_code == 200
    text = body(resp)
    assert report.title in text and "2026-03-31" in text and "2026-04-01" in text


def test_the_list_colours_the_open_deadlines(report, tree, django_assert_max_num_queries):
    """Issue 13 §2: 报送期限 / 公开期限 red 逾期N天 or amber 剩余N个工作日 until met; sortable."""
    Report.objects.filter(pk=report.pk).update(submit_due=date(2026, 2, 27), publish_due=date(2026, 3, 4),
                                               submitted_on=None, published_on=None)
    c = client_for(tree.clerk_a)
    with django_assert_max_num_queries(14):
        text = body(c.get(reverse("annual_report:list"), {"sort": "submit_due"}))
    assert 'class="due-cell due-overdue"' in text and "逾期3天" in text
    assert 'class="due-cell due-soon"' in text and "剩余2个工作日" in text
    Report.objects.filter(pk=report.pk).update(submitted_on=date(2026, 2, 26))
    text = body(c.get(reverse("annual_report:list")))
    assert "逾期3天" not in text and "剩余2个工作日" in text  # met: the date plainly


def test_another_units_clerk_sees_neither_the_row_nor_the_report(report, tree):
    c = client_for(tree.clerk_b)
    assert report.title not in body(c.get(reverse("annual_report:list")))
    assert c.get(reverse("annual_report:detail", args=[report.pk])).status_code == 404
    assert c.get(reverse("annual_report:docx", args=[report.pk])).status_code == 404
    assert c.post(reverse("annual_report:section_edit", args=[report.pk, "p5"]), {"p5-text": "x"}).status_code == 404


def test_an_assessor_may_read_but_not_edit(report, tree):
    c = client_for(tree.assessor)
    assert c.get(reverse("annual_report:detail", args=[report.pk])).status_code == 200
    assert c.post(reverse("annual_report:section_edit", args=[report.pk, "p5"]), {"p5-text": "x"}).status_code == 403
    assert c.post(reverse("annual_report:action", args=[report.pk, "review"])).status_code == 403


def test_list_query_count_is_bounded(records, tree, django_assert_max_num_queries):
    services.generate_report(tree.a, 2025, by=None, today=TODAY)
    services.generate_report(tree.b, 2025, by=None, today=TODAY)
    services.generate_report(tree.gov, 2025, by=None, today=TODAY)
    c = client_for(tree.assessor)
    with django_assert_max_num_queries(14):
        resp = c.get(reverse("annual_report:list") + "?year=2025")
    assert body(resp).count("法治政府建设情况报告</a>") == 3


def test_list_exports_excel(report, tree):
    resp = client_for(tree.clerk_a).get(reverse("annual_report:list") + "?export=xlsx")
    ws = load_workbook(BytesIO(resp.content)).active
    assert ws.cell(1, 2).value == "报告单位" and ws.cell(2, 2).value == "示范区农业农村局"


def test_the_editor_shows_generated_text_beside_the_editable_text_and_figure_links(report, records, tree):
    resp = client_for(tree.clerk_a).get(reverse("annual_report:detail", args=[report.pk]))
    text = body(resp)
    assert "自动生成内容" in text and "正式文本" in text
    assert f'href="/normdocs/{records.docs[0].pk}/"' in text  # a named document links to its record
    assert 'class="ar-fig" href="/normdocs/?unit=' in text  # a figure links to its records
    assert "{{nd_published}}" in text  # the editable text keeps the reference
    assert "&lt;script&gt;" in text and "<script>alert" not in text


def test_the_editor_query_count_is_bounded(report, tree, django_assert_max_num_queries):
    c = client_for(tree.clerk_a)
    with django_assert_max_num_queries(20):
        c.get(reverse("annual_report:detail", args=[report.pk]))


def test_a_section_is_edited_by_post(report, tree):
    resp = client_for(tree.clerk_a).post(reverse("annual_report:section_edit", args=[report.pk, "p5"]),
                                         {"p5-text": "无。"})
    assert resp.status_code == 302
    assert Section.objects.get(report=report, key="p5").edited_text == "无。"


def test_the_section_edit_needs_post(report, tree):
    resp = client_for(tree.clerk_a).get(reverse("annual_report:section_edit", args=[report.pk, "p5"]))
    assert resp.status_code == 405


def test_a_refused_review_shows_the_rule_and_changes_nothing(report, tree):
    c = client_for(tree.head_a)
    resp = c.post(reverse("annual_report:action", args=[report.pk, "review"]), follow=True)
    assert "RPT-02" in body(resp)
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_the_editor_says_why_review_is_not_yet_possible(report, tree):
    text = body(client_for(tree.head_a).get(reverse("annual_report:detail", args=[report.pk])))
    assert "disabled>审核通过</button>" in text and "RPT-02" in text


def test_review_submit_and_publish_through_the_page(report, tree):
    fill(report, tree.clerk_a)
    head = client_for(tree.head_a)
    head.post(reverse("annual_report:action", args=[report.pk, "review"]), {"note": "同意"})
    resp = head.post(reverse("annual_report:action", args=[report.pk, "submit"]), {
        "submitted_on": "2026-03-02", "to_government": "示范区人民政府", "to_higher_dept": "市农业农村局"})
    assert resp.status_code == 302
    head.post(reverse("annual_report:action", args=[report.pk, "publish"]), {"published_on": "2026-03-02"})
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED and report.published_on == date(2026, 3, 2)
    assert sorted(report.recipients.values_list("name", flat=True)) == ["市农业农村局", "示范区人民政府"]


def test_an_unknown_action_is_404(report, tree):
    resp = client_for(tree.head_a).post(reverse("annual_report:action", args=[report.pk, "delete"]))
    assert resp.status_code == 404


def test_generate_page_refuses_a_year_without_data_in_chinese(tree):
    resp = client_for(tree.clerk_a).post(reverse("annual_report:generate"), {"unit": tree.a.pk, "year": 2017})
    assert resp.status_code == 200 and "没有任何业务记录" in body(resp)
    assert not Report.objects.exists()


def test_generate_page_creates_the_draft(records, tree):
    resp = client_for(tree.clerk_a).post(reverse("annual_report:generate"), {"unit": tree.a.pk, "year": 2025})
    report = Report.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("annual_report:detail", args=[report.pk])


def test_generate_page_offers_only_own_units(records, tree):
    resp = client_for(tree.clerk_b).post(reverse("annual_report:generate"), {"unit": tree.a.pk, "year": 2025})
    assert resp.status_code == 200 and "有效的选项" in body(resp)
    assert not Report.objects.exists()


def test_print_and_docx(report, tree):
    c = client_for(tree.clerk_a)
    text = body(c.get(reverse("annual_report:print", args=[report.pk])))
    assert "<h1>示范区农业农村局2025年度法治政府建设情况报告</h1>" in text and "{{" not in text
    resp = c.get(reverse("annual_report:docx", args=[report.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == DOCX


def test_the_date_fields_are_prefilled_in_the_format_a_date_input_accepts(report, tree):
    """<input type=date> takes only YYYY-MM-DD; anything else shows empty and,
    being required, blocks the 报送/公开 button in the browser."""
    fill(report, by=tree.clerk_a)
    services.review(report, by=tree.head_a, today=TODAY)
    html = body(client_for(tree.head_a).get(reverse("annual_report:detail", args=[report.pk])))
    assert f'name="submitted_on" value="{TODAY.isoformat()}"' in html
    report.refresh_from_db()
    services.submit(report, by=tree.head_a, submitted_on=TODAY, today=TODAY,
                    recipients=[{"kind": k, "name": d or "某单位"} for k, _, d in rules.required_recipients(tree.a)])
    html = body(client_for(tree.head_a).get(reverse("annual_report:detail", args=[report.pk])))
    assert f'name="published_on" value="{TODAY.isoformat()}"' in html
