"""The shortfall screen: who is short of the yearly hours, per unit (ENF-26)."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.training import selectors
from fazhi.training.tests.factories import AttendanceFactory, SessionFactory, attend


def client_for(person):
    c = Client()
    c.force_login(person.user)
    return c


@pytest.fixture
def hours(tr):
    attend(tr.officer1, "64")       # above 60
    attend(tr.officer2, "20")       # short by 40
    s = SessionFactory(unit=tr.a, held=True, hours=Decimal("12.5"), date=date(2026, 6, 1))
    AttendanceFactory(session=s, person=tr.officer2)  # 32.5 in all: short by 27.5
    attend(tr.officer_b, "59.5")    # short by 0.5
    attend(tr.staff_a, "3")         # not an officer: no requirement by default (LAW-04)
    return tr


def _short(user, year=2026):
    return {p.name: (p.hours, p.missing) for p in selectors.shortfall(user, year)}


def test_the_assessor_sees_everyone_short_with_the_missing_hours(hours):
    assert _short(hours.assessor.user) == {
        "何二": (Decimal("32.5"), Decimal("27.5")), "孙三": (Decimal("59.5"), Decimal("0.5"))}


def test_a_unit_sees_only_its_own_people(hours):
    assert _short(hours.clerk_a.user) == {"何二": (Decimal("32.5"), Decimal("27.5"))}
    assert _short(hours.clerk_b.user) == {"孙三": (Decimal("59.5"), Decimal("0.5"))}


def test_an_officer_without_hours_is_short_by_the_whole_requirement(tr):
    assert _short(tr.assessor.user) == {"何一": (0, 60), "何二": (0, 60), "孙三": (0, 60)}


def test_the_requirement_is_a_setting(hours, settings):
    settings.FAZHI_TRAINING = {"OFFICER_HOURS": 30, "STAFF_HOURS": 4}
    short = _short(hours.clerk_a.user)
    assert short["科员甲"] == (Decimal("3"), Decimal("1")) and short["经办人甲"] == (0, 4)
    assert "何二" not in short  # 32.5 ≥ 30
    assert {p.name: p.required for p in selectors.shortfall(hours.assessor.user, 2026)}["科员甲"] == Decimal("4")


def test_another_year_is_counted_on_its_own(hours):
    assert set(_short(hours.assessor.user, 2025)) == {"何一", "何二", "孙三"}


def test_summary_per_unit(hours):
    rows = {r.unit_name: (r.required_people, r.short_people) for r in selectors.shortfall_by_unit(
        hours.assessor.user, 2026)}
    assert rows == {"示范区农业农村局执法大队": (2, 1), "示范区市场监督管理局": (1, 1)}


def test_shortfall_page_lists_people_short_per_unit(hours):
    resp = client_for(hours.assessor).get(reverse("training:shortfall"), {"year": 2026})
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "何二" in body and "27.5" in body and "孙三" in body and "何一" not in body.split("未达标人员")[-1]
    assert "ENF-26" in body


def test_shortfall_page_of_another_unit_clerk_does_not_show_them(hours):
    body = client_for(hours.clerk_b).get(reverse("training:shortfall"), {"year": 2026}).content.decode()
    assert "孙三" in body and "何二" not in body


def test_an_officer_cannot_open_the_shortfall_page(hours):
    assert client_for(hours.officer1).get(reverse("training:shortfall")).status_code == 403


def test_shortfall_unit_filter(hours):
    resp = client_for(hours.assessor).get(reverse("training:shortfall"), {"year": 2026, "unit": hours.b.pk})
    assert [p.name for p, _ in resp.context["cells"]] == ["孙三"]


def test_shortfall_excel_export(hours):
    from io import BytesIO

    from openpyxl import load_workbook

    resp = client_for(hours.assessor).get(reverse("training:shortfall"), {"year": 2026, "export": "xlsx"})
    assert resp.status_code == 200 and "spreadsheetml" in resp["Content-Type"]
    ws = load_workbook(BytesIO(resp.content)).active
    rows = list(ws.values)
    assert rows[0][:2] == ("单位", "姓名") and {r[1] for r in rows[1:]} == {"何二", "孙三"}


def test_shortfall_page_query_count_is_bounded(tr, django_assert_max_num_queries):
    from fazhi.org.tests.factories import PersonFactory

    for i in range(25):
        p = PersonFactory(unit=tr.ad, name=f"队员{i}", roles=[("officer", tr.ad, False)])
        attend(p, str(i + 1))
    c = client_for(tr.assessor)
    with django_assert_max_num_queries(14):
        resp = c.get(reverse("training:shortfall"), {"year": 2026})
    assert resp.status_code == 200 and resp.context["total"] == 28


def test_dashboard_tells_a_short_officer_and_in_q4_the_unit_admin(hours, django_assert_max_num_queries):
    from fazhi.org.tests.factories import fresh

    items = selectors.dashboard_items(fresh(hours.officer2.user), date(2026, 5, 1))
    assert len(items) == 1 and "32.5 / 60" in items[0].title
    assert selectors.dashboard_items(fresh(hours.officer1.user), date(2026, 5, 1)) == []
    admin = fresh(hours.admin_a.user)
    assert selectors.dashboard_items(admin, date(2026, 9, 30)) == []
    with django_assert_max_num_queries(6):
        items = selectors.dashboard_items(admin, date(2026, 10, 1))
    assert len(items) == 1 and "1 人" in items[0].title


def test_the_shortfall_shows_the_years_end_in_the_dashboards_colours(hours, monkeypatch):
    """Issue 13 §2: the hours are due by 31 December — amber 剩余N个工作日 as it nears; a past year is closed."""
    monkeypatch.setattr("fazhi.training.views._today", lambda: date(2026, 12, 29))
    c = client_for(hours.assessor)
    html = c.get(reverse("training:shortfall"), {"year": 2026}).content.decode()
    assert 'class="due-cell due-soon"' in html and "剩余2个工作日" in html and "2026-12-31" in html
    monkeypatch.setattr("fazhi.training.views._today", lambda: date(2027, 1, 4))
    html = c.get(reverse("training:shortfall"), {"year": 2026}).content.decode()
    assert "2026-12-31" in html and "due-overdue" not in html and "due-soon" not in html
