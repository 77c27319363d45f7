from datetime import date, timedelta

import pytest

from fazhi.core.errors import NotFound
from fazhi.normative_docs import selectors, services
from fazhi.normative_docs.tests.factories import make_doc


def test_a_clerk_sees_only_their_units_documents(nd):
    mine = make_doc("drafting", unit=nd.a)
    other = make_doc("drafting", unit=nd.b)
    assert list(selectors.docs_for(nd.clerk_a)) == [mine]
    with pytest.raises(NotFound):
        selectors.get_doc(nd.clerk_a, other.pk)
    assert set(selectors.docs_for(nd.reviewer)) == {mine, other}


def test_government_documents_drafted_by_a_department_are_seen_by_the_government(nd):
    doc = make_doc("drafting", unit=nd.a, issuer=nd.gov)
    assert doc in selectors.docs_for(nd.head_gov)


def test_the_library_shows_only_published_documents(nd):
    make_doc("registered", unit=nd.a)
    pub = make_doc("published", unit=nd.a)
    assert list(selectors.public_docs()) == [pub]
    with pytest.raises(NotFound):
        selectors.public_doc(make_doc("signed", unit=nd.a).pk)


def test_portal_latest_entries(nd):
    pub = make_doc("published", unit=nd.a)
    make_doc("drafting", unit=nd.a)
    [entry] = selectors.portal_latest(5)
    assert entry.title == pub.title and entry.published == pub.published_on and entry.note == pub.doc_number
    assert str(pub.pk) in entry.url


def test_the_portal_section_is_declared_by_the_manifest(nd):
    from fazhi.portal import sections

    section = sections.get("normative-docs")
    assert section.latest is not None
    make_doc("published", unit=nd.a)
    entries, failed = sections.entries(section, 5)
    assert len(entries) == 1 and not failed


def test_public_comments_are_masked_and_only_after_the_summary(nd):
    doc = make_doc("consulting", unit=nd.a)
    c = doc.consultations.get()
    assert selectors.public_comments(c) == []
    make = make_doc("consulted", unit=nd.a)
    [row] = selectors.public_comments(make.consultations.get())
    assert row["name"] == "王*" and "contact" not in row and row["adoption"] == "部分采纳"


def test_open_consultations_for_the_public(nd):
    c = make_doc("consulting", unit=nd.a).consultations.get()
    assert list(selectors.open_consultations(c.start_on)) == [c]
    assert list(selectors.open_consultations(c.end_on + timedelta(1))) == []


def test_available_actions_follow_order_and_permission(nd):
    doc = make_doc("legal_review", unit=nd.a)
    assert [a.action for a in selectors.available_actions(nd.reviewer, doc, date(2026, 6, 1))] == [
        "legal_review_pass", "legal_review_reject"]
    assert selectors.available_actions(nd.clerk_a, doc, date(2026, 6, 1)) == []
    doc = make_doc("published", unit=nd.a)
    assert "file" in [a.action for a in selectors.available_actions(nd.clerk_a, doc, date(2026, 6, 1))]
    assert "repeal" in [a.action for a in selectors.available_actions(nd.head_a, doc, date(2026, 6, 1))]


def test_public_versions_follow_the_amendment_line(nd):
    from fazhi.normative_docs.tests.factories import make_rest

    old = make_doc("published", unit=nd.a)
    new = services.start_amendment(old, by=None, text="第一条 修改后的文本。")
    assert selectors.public_versions(old) == [old.current_version]
    make_rest(new, today=date(2026, 7, 1))
    old.refresh_from_db()
    new.refresh_from_db()
    assert selectors.public_versions(new) == [old.current_version, new.current_version]
    assert selectors.public_versions(old) == [old.current_version, new.current_version]


# ---------------------------------------------------------------- dashboard

def kinds(items, word):
    return [(i.kind, i.due) for i in items if word in i.title]


def test_reviewer_sees_legal_reviews_with_their_due_date(nd):
    doc = make_doc("legal_review", unit=nd.a)
    due = doc.legal_reviews.get().due
    assert kinds(selectors.dashboard_items(nd.reviewer, due - timedelta(3)), "合法性审核") == [("due_soon", due)]
    assert kinds(selectors.dashboard_items(nd.reviewer, due + timedelta(1)), "合法性审核") == [("overdue", due)]
    assert kinds(selectors.dashboard_items(nd.clerk_b, due), "合法性审核") == []


def test_clerk_sees_an_overdue_filing(nd):
    doc = make_doc("published", unit=nd.a)
    items = selectors.dashboard_items(nd.clerk_a, doc.filing_due + timedelta(1))
    assert kinds(items, "报备") == [("overdue", doc.filing_due)]
    assert list(selectors.filings_overdue(doc.filing_due + timedelta(1))) == [doc]
    assert kinds(selectors.dashboard_items(nd.clerk_b, doc.filing_due + timedelta(1)), "报备") == []


def test_expiry_within_six_months_is_due_soon(nd):
    doc = make_doc("published", unit=nd.a)
    items = selectors.dashboard_items(nd.reviewer, doc.valid_until - timedelta(days=100))
    assert kinds(items, "有效期届满前评估") == [("due_soon", doc.valid_until)]
    assert kinds(selectors.dashboard_items(nd.reviewer, doc.valid_until - timedelta(days=200)), "有效期") == []


def test_cleanup_due_two_years_after_the_oldest_document(nd):
    doc = make_doc("published", unit=nd.a)
    due = selectors.cleanup_due_on(nd.gov, date(2028, 1, 1))
    assert due == date(doc.published_on.year + 2, doc.published_on.month, doc.published_on.day)
    items = selectors.dashboard_items(nd.reviewer, due + timedelta(1))
    assert kinds(items, "定期清理") == [("overdue", due)]


def test_consultation_to_answer_is_a_todo(nd):
    c = make_doc("consulting", unit=nd.a).consultations.get()
    items = selectors.dashboard_items(nd.clerk_a, c.end_on + timedelta(1))
    assert kinds(items, "征求意见待答复") == [("todo", None)]


def test_dashboard_is_a_fixed_number_of_queries(nd, django_assert_max_num_queries):
    for _ in range(3):
        make_doc("legal_review", unit=nd.a)
        make_doc("published", unit=nd.a)
    with django_assert_max_num_queries(20):
        selectors.dashboard_items(nd.reviewer, date(2026, 6, 1))


def titles(user, day=date(2026, 6, 1)):
    return [i.title for i in selectors.dashboard_items(user, day)]


@pytest.mark.parametrize(("state", "market", "expected"), [
    ("consulted", True, "待送公平竞争审查"),
    ("consulted", False, "待送合法性审核"),
    ("fair_review", True, "待送合法性审核"),
    ("discussion", False, "待集体讨论"),
])
def test_the_drafting_units_next_step_waits_in_its_todo_list(nd, state, market, expected):
    """Issue 13 §2 "To-do lists are complete": every step between the consultation and the signature."""
    doc = make_doc(state, unit=nd.a, touches_market=market, title="秸秆补贴办法")
    assert f"{expected}：秸秆补贴办法" in titles(nd.clerk_a)
    assert f"{expected}：秸秆补贴办法" in titles(nd.head_a)
    assert not [t for t in titles(nd.clerk_b) if "秸秆补贴办法" in t]
    assert doc.status  # the document exists in the state named


def test_a_fair_review_not_yet_recorded_waits_for_its_result(nd):
    doc = make_doc("consulted", unit=nd.a, touches_market=True, title="秸秆补贴办法")
    services.submit_fair_review(doc, by=None)
    assert "待录入公平竞争审查结论：秸秆补贴办法" in titles(nd.clerk_a)
    assert "待送合法性审核：秸秆补贴办法" not in titles(nd.clerk_a)


@pytest.mark.parametrize("state", ["drafting", "consulting", "legal_review", "to_sign"])
def test_no_drafting_unit_item_while_the_step_is_someone_elses(nd, state):
    make_doc(state, unit=nd.a, touches_market=True, title="秸秆补贴办法")
    assert not [t for t in titles(nd.clerk_a) if t.startswith(("待送", "待录入公平", "待集体讨论"))]


def _queries(user, day) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        selectors.dashboard_items(user, day)
    return len(ctx.captured_queries)


STEPS = [("consulted", True), ("consulted", False), ("fair_review", True), ("discussion", False)]


def test_the_drafting_units_todo_list_costs_the_same_for_3_or_20_documents(nd):
    """Issue 14: the next step of each document is read for all of them at once."""
    for i in range(3):
        make_doc(STEPS[i % 4][0], unit=nd.a, touches_market=STEPS[i % 4][1], title=f"办法{i}")
    few = _queries(nd.clerk_a, date(2026, 6, 1))
    assert len([t for t in titles(nd.clerk_a) if t.startswith(("待送", "待录入公平", "待集体讨论"))]) == 3
    for i in range(3, 20):
        make_doc(STEPS[i % 4][0], unit=nd.a, touches_market=STEPS[i % 4][1], title=f"办法{i}")
    assert _queries(nd.clerk_a, date(2026, 6, 1)) == few
    assert len([t for t in titles(nd.clerk_a) if t.startswith(("待送", "待录入公平", "待集体讨论"))]) == 20
