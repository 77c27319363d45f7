"""The calendar, explain and import pages."""

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db

CAL = reverse("workdays:calendar")
EXPLAIN = reverse("workdays:explain")
IMPORT = reverse("workdays:import")


@pytest.fixture
def as_clerk(client, clerk):
    client.force_login(clerk.user)
    return client


@pytest.fixture
def as_admin(client, admin_person):
    client.force_login(admin_person.user)
    return client


@pytest.mark.parametrize("url", [CAL, EXPLAIN, IMPORT])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("shell:login") in response["Location"]


def test_the_year_page_shows_festivals_and_make_up_days(as_clerk):
    response = as_clerk.get(CAL, {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026年工作日历" in html
    assert "已确认" in html and "chinesecalendar" in html
    assert "春节" in html and "国庆节" in html
    assert "调休上班" in html
    assert html.count('<table class="grid cal-month">') == 12


def test_the_year_page_defaults_to_the_current_year(as_clerk, settings):
    response = as_clerk.get(CAL)
    assert response.status_code == 200
    assert response.context["year"] == response.context["today"].year


def test_an_unconfirmed_year_says_so(as_clerk, no_2027):
    html = as_clerk.get(CAL, {"year": 2027}).content.decode()
    assert "未确认" in html


def test_a_bad_year_falls_back_with_a_message(as_clerk):
    response = as_clerk.get(CAL, {"year": "abc"}, follow=True)
    assert response.status_code == 200
    assert "年份“abc”无效" in response.content.decode()


def test_the_year_page_rejects_post(as_clerk):
    assert as_clerk.post(CAL).status_code == 405


def test_explain_shows_the_due_date_and_each_day(as_clerk):
    html = as_clerk.get(EXPLAIN, {"start": "2025-09-25", "n": "20", "rule": "WD"}).content.decode()
    assert "2025年10月29日" in html
    assert "调休上班日（国庆节）" in html
    assert "法定节假日（国庆节）" in html


def test_explain_calendar_days_with_roll_over(as_clerk):
    html = as_clerk.get(EXPLAIN, {"start": "2025-09-10", "n": "21", "rule": "CAL", "roll_over": "on"}).content.decode()
    assert "2025年10月9日" in html


def test_explain_warns_when_provisional(as_clerk, no_2027):
    html = as_clerk.get(EXPLAIN, {"start": "2026-12-25", "n": "10", "rule": "WD"}).content.decode()
    assert "2027年1月11日" in html
    assert "未确认" in html


@pytest.mark.parametrize("params, message", [
    ({"start": "2025-02-30", "n": "3", "rule": "WD"}, "请填写有效日期"),
    ({"start": "2025-09-25", "n": "-1", "rule": "WD"}, "期限天数不能为负数"),
    ({"start": "2025-09-25", "n": "x", "rule": "WD"}, "期限天数必须是整数"),
    ({"start": "2025-09-25", "n": "3", "rule": "XX"}, "计算方式无效"),
])
def test_explain_bad_input_gives_chinese_form_errors(as_clerk, params, message):
    response = as_clerk.get(EXPLAIN, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["deadline"] is None


def test_a_clerk_may_not_open_the_import_page(as_clerk, notice_2025):
    assert as_clerk.get(IMPORT).status_code == 403
    assert as_clerk.post(IMPORT, {"text": notice_2025, "action": "confirm"}).status_code == 403


def test_an_admin_previews_a_notice_without_saving(as_admin, notice_2026):
    before = AuditEntry.objects.count()
    response = as_admin.post(IMPORT, {"text": notice_2026, "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "识别结果：2026年" in html and "确认保存2026年安排" in html
    assert "2026-02-28" in html
    assert AuditEntry.objects.count() == before


def test_an_admin_confirms_a_notice(as_admin, notice_2026):
    response = as_admin.post(IMPORT, {"text": notice_2026, "action": "confirm"})
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2026")
    assert CalendarYear.objects.get(year=2026).source.startswith("国务院办公厅")
    assert AuditEntry.objects.filter(action="workdays.calendar.imported").exists()


def test_htmx_preview_returns_the_panel_only(as_admin, notice_2025):
    response = as_admin.post(IMPORT, {"text": notice_2025, "action": "preview"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "识别结果：2025年" in html
    assert "<html" not in html


def test_htmx_confirm_redirects_with_hx_redirect(as_admin, notice_2025):
    response = as_admin.post(IMPORT, {"text": notice_2025, "action": "confirm"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].endswith("?year=2025")


def test_garbage_gives_a_chinese_error_and_saves_nothing(as_admin):
    before = AuditEntry.objects.count()
    html = as_admin.post(IMPORT, {"text": "随便写点什么", "action": "confirm"}).content.decode()
    assert "无法确定通知的年份" in html
    assert AuditEntry.objects.count() == before


def test_import_requires_csrf(admin_person, notice_2025):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_person.user)
    assert client.post(IMPORT, {"text": notice_2025, "action": "confirm"}).status_code == 403


def test_import_rejects_other_methods(as_admin):
    assert as_admin.put(IMPORT).status_code == 405
