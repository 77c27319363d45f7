"""Scoping, the dashboard and the cost of the case list."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.enforcement import selectors
from fazhi.enforcement.tests.factories import make_case, make_officer

D = date(2026, 3, 2)


def test_another_units_clerk_sees_none_of_the_units_cases(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    assert not selectors.cases(enf.clerk_b).exists()
    assert selectors.case_detail(enf.clerk_b, case.pk) is None
    assert not selectors.officers(enf.clerk_b).filter(unit=enf.a).exists()
    assert not selectors.publications(enf.clerk_b).exists() and not selectors.transfers(enf.clerk_b).exists()


def test_own_units_officer_sees_the_units_cases(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    assert list(selectors.cases(enf.officer_a)) == [case]
    assert selectors.case_detail(enf.officer_a, case.pk) == case


def test_reviewer_sees_cases_across_units_for_review(enf):
    case_a = make_case("legal_review", unit=enf.a, officers=[enf.o1, enf.o2])
    case_b = make_case("pending", unit=enf.b)
    assert set(selectors.cases(enf.reviewer)) == {case_a, case_b}
    assert selectors.case_detail(enf.reviewer, case_a.pk) == case_a
    assert selectors.can_view(enf.reviewer, case_b) and not selectors.can_handle(enf.reviewer, case_b)


def test_dashboard_shows_overdue_case_to_its_unit_only(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    later = D + timedelta(days=91)
    items = [i for i in selectors.dashboard_items(enf.head_a, later) if case.case_no in i.title]
    assert len(items) == 1 and items[0].kind == "overdue" and items[0].note.startswith("ENF-08")
    assert not [i for i in selectors.dashboard_items(enf.clerk_b, later) if case.case_no in i.title]


def test_dashboard_warns_before_the_decision_deadline(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    assert not [i for i in selectors.dashboard_items(enf.head_a, D) if case.case_no in i.title]
    near = case.decision_due - timedelta(days=3)
    kinds = [i.kind for i in selectors.dashboard_items(enf.head_a, near) if case.case_no in i.title]
    assert kinds == ["due_soon"]


def test_dashboard_lists_pending_publication_for_publishers(enf):
    from fazhi.org.tests.factories import PersonFactory

    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2])
    clerk_a = PersonFactory(unit=enf.a, roles=[("clerk", enf.a, False)]).user
    titles = [i.title for i in selectors.dashboard_items(clerk_a, case.decided_on)]
    assert any("待公示" in t for t in titles) and any("待送达" in t for t in titles)
    assert not [i for i in selectors.dashboard_items(enf.clerk_b, case.decided_on) if "待公示" in i.title]


def test_dashboard_is_empty_without_the_view_permission(enf):
    from fazhi.org.tests.factories import PersonFactory

    make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2])
    nobody = PersonFactory(unit=enf.a).user
    assert selectors.dashboard_items(nobody, D + timedelta(days=100)) == []


def _list_queries(user) -> int:
    user = type(user).objects.get(pk=user.pk)  # no permission cache from an earlier call
    with CaptureQueriesContext(connection) as ctx:
        for c in selectors.cases(user):
            str(c.unit), c.violation_type and c.violation_type.name, c.get_status_display()
    return len(ctx.captured_queries)


def test_case_list_costs_the_same_for_two_or_ten_cases(enf):
    for _ in range(2):
        make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    few = _list_queries(enf.head_a)
    for _ in range(8):
        make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    assert _list_queries(enf.head_a) == few <= 3


def test_officer_list_prefetches_certificates(enf):
    for i in range(3):
        make_officer(enf.a, name=f"加{i}")
    with CaptureQueriesContext(connection) as ctx:
        rows = [(o.person.name, o.unit.name, o.valid_certificate(D)) for o in selectors.officers(enf.head_a)]
    assert len(rows) == 5 and len(ctx.captured_queries) <= 3


def test_certified_officers_excludes_suspended_and_inactive(enf):
    make_officer(enf.a, name="暂扣", status="suspended")
    names = [o.person.name for o in selectors.certified_officers(enf.a, D)]
    assert names == sorted(["执法员一", "执法员二"])
    assert selectors.is_certified(enf.o1.person, D) and not selectors.is_certified(enf.o1.person, date(2031, 1, 1))


# ------------------------------------------------- public decisions (ENF-20/21)

def _published(enf):
    from fazhi.enforcement import services

    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2])
    return services.publish(case.publications.get(), by=None, today=case.decided_on)


def test_a_decision_is_public_on_the_last_day_of_its_display_period(enf):
    pub = _published(enf)
    assert list(selectors.public_decisions(pub.display_until)) == [pub]
    assert [e.title for e in selectors.portal_latest(5, today=pub.display_until)] == [pub.title]


def test_a_decision_past_its_display_period_is_hidden_before_the_take_down_job_runs(enf):
    pub = _published(enf)
    after = pub.display_until + timedelta(days=1)
    pub.refresh_from_db()
    assert pub.status == "published"  # the job has not run
    assert not selectors.public_decisions(after).exists()
    assert selectors.public_decision(pub.pk, after) is None
    assert selectors.portal_latest(5, today=after) == []


def test_a_decision_is_not_public_before_its_publication_date(enf):
    pub = _published(enf)
    assert not selectors.public_decisions(pub.published_on - timedelta(days=1)).exists()
