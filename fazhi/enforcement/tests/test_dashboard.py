"""我的待办: every step of a penalty case that waits for a person is on that
person's dashboard (issue 13 §2), in the selector and on the home page."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.enforcement import selectors, services
from fazhi.enforcement.tests.factories import make_case

D = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _officer_roles(enf):
    """The case officers o1, o2 sign in with the 执法人员 role of their unit."""
    from fazhi.org import services as org_services

    for o in (enf.o1, enf.o2):
        org_services.grant_role(o.person, by=None, role="officer", unit=enf.a, include_subunits=False)


def _titles(user, today):
    return [i.title for i in selectors.dashboard_items(user, today)]


def _mine(titles, case, what):
    return [t for t in titles if t.startswith(what) and (case.display_no in t)]


def test_head_sees_a_case_awaiting_filing_approval(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    assert _mine(_titles(enf.head_a, D), case, "待立案审批")
    assert not _mine(_titles(enf.clerk_b, D), case, "待立案审批")
    assert not _mine(_titles(enf.officer_a, D), case, "待立案审批")  # officers do not approve


def test_a_filed_case_leaves_the_filing_list(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    assert not [t for t in _titles(enf.head_a, D) if t.startswith("待立案审批")]
    assert case.case_no


def test_reviewer_sees_a_case_awaiting_legal_review_but_not_one_she_handles(enf):
    case = make_case("legal_review", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    today = case.notice_served_on + timedelta(days=10)
    assert _mine(_titles(enf.reviewer, today), case, "待法制审核")
    assert not _mine(_titles(enf.head_a, today), case, "待法制审核")
    # SYS-01: an officer of the case who also holds the reviewer role is not asked to review it.
    from fazhi.org import services as org_services

    org_services.grant_role(enf.o1.person, by=None, role="reviewer", unit=enf.gov, include_subunits=True)
    assert not _mine(_titles(enf.o1.person.user, today), case, "待法制审核")


@pytest.mark.parametrize("state, what", [("reviewed", "待决定"), ("discussion", "待集体讨论并决定")])
def test_head_sees_a_case_awaiting_the_decision(enf, state, what):
    case = make_case(state, unit=enf.a, officers=[enf.o1, enf.o2], today=D, major=True)
    today = case.notice_served_on + timedelta(days=10)
    assert _mine(_titles(enf.head_a, today), case, what)
    assert not _mine(_titles(enf.clerk_b, today), case, what)


def test_a_notified_minor_case_waits_for_the_head_once_the_window_is_over(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    assert not _mine(_titles(enf.head_a, case.notice_served_on), case, "待决定")  # window still open (ENF-06)
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    assert _mine(_titles(enf.head_a, case.notice_served_on), case, "待决定")


def test_officer_sees_own_cases_with_next_step_and_deadline(enf):
    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    items = [i for i in selectors.dashboard_items(enf.o1.person.user, case.decided_on)
             if i.title.startswith("我承办的案件") and case.display_no in i.title]
    assert len(items) == 1
    assert "下一步：送达行政处罚决定书" in items[0].title and items[0].due == case.service_due
    # A colleague of the unit who is not on the case does not get it as "mine".
    assert not [t for t in _titles(enf.officer_a, case.decided_on) if t.startswith("我承办的案件")]


def test_waiting_steps_show_on_the_home_page(enf, client):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    client.force_login(enf.head_a)
    html = client.get("/").content.decode()
    assert f"待立案审批：{case.display_no}" in html
    client.force_login(enf.o1.person.user)
    html = client.get("/").content.decode()
    assert f"我承办的案件：{case.display_no}" in html and "待负责人审批立案" in html


def _dashboard_queries(user, today) -> int:
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        selectors.dashboard_items(user, today)
    return len(ctx.captured_queries)


def test_dashboard_costs_the_same_for_two_or_ten_waiting_cases(enf):
    for _ in range(2):
        make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    few = {u: _dashboard_queries(u, D) for u in (enf.head_a, enf.reviewer, enf.o1.person.user)}
    for _ in range(8):
        make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    assert {u: _dashboard_queries(u, D) for u in few} == few


def test_home_page_and_case_list_cost_the_same_for_two_or_ten_cases(enf, client):
    def count(url, user):
        client.force_login(user)
        client.get(url)  # warm caches (permissions, menus)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    few = [count(u, who) for u in ("/", "/enforcement/cases/") for who in (enf.head_a, enf.o1.person.user)]
    for _ in range(8):
        make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    assert [count(u, who) for u in ("/", "/enforcement/cases/") for who in (enf.head_a, enf.o1.person.user)] == few
