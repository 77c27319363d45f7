"""Selectors: scoping, portal entries, dashboard, query counts."""

from datetime import date as D

import pytest

from fazhi.major_decisions import selectors, services, workflow
from fazhi.major_decisions.models import Status
from fazhi.major_decisions.tests.conftest import drive
from fazhi.major_decisions.tests.factories import DecisionFactory, EntryFactory


def test_scoping(md):
    d = drive(md, Status.DRAFTING)
    assert list(selectors.decisions(md.u.clerk_a)) == [d]
    assert list(selectors.decisions(md.u.reviewer)) == [d]
    assert list(selectors.decisions(md.u.head_gov)) == [d]
    assert list(selectors.decisions(md.u.clerk_b)) == []
    assert selectors.can_view(md.u.clerk_a, d) and not selectors.can_view(md.u.clerk_b, d)
    assert selectors.can(md.u.clerk_a, "major_decisions.sponsor", d)
    assert not selectors.can(md.u.clerk_a, "major_decisions.decide", d)


def test_list_query_count(md, django_assert_max_num_queries):
    for _ in range(5):
        DecisionFactory(entry=EntryFactory(catalogue=md.cat, sponsor_unit=md.a))
    with django_assert_max_num_queries(3):
        rows = list(selectors.decisions(md.u.head_gov))
        for d in rows:
            _ = (d.unit.name, d.sponsor_unit.name, d.entry.catalogue.year)
    assert len(rows) == 5


def test_public_only_published(md):
    draft = DecisionFactory(entry=EntryFactory(catalogue=md.cat, sponsor_unit=md.a), drafting=True)
    pub = DecisionFactory(entry=EntryFactory(catalogue=md.cat, sponsor_unit=md.a), published=True)
    assert list(selectors.public_decisions()) == [pub]
    assert draft not in selectors.public_decisions()


def test_portal_latest(md):
    DecisionFactory(entry=EntryFactory(catalogue=md.cat, sponsor_unit=md.a), published=True)
    DecisionFactory(entry=EntryFactory(catalogue=md.cat, sponsor_unit=md.a), drafting=True)
    entries = selectors.portal_latest(5)
    titles = [e.title for e in entries]
    assert md.cat.title in titles and len(entries) == 2
    assert all(e.url for e in entries)


def test_open_consultations(md):
    d = drive(md, Status.PARTICIPATION)
    assert [c.decision_id for c in selectors.open_consultations(D(2026, 4, 20))] == [d.pk]
    assert list(selectors.open_consultations(D(2026, 5, 16))) == []


def test_procedure_facts(md):
    d = drive(md, Status.DISCUSSION)
    facts = selectors.procedure_facts(d)
    assert facts["legal_review_passed"] and facts["experts_done"] and facts["consultation_done"]
    assert facts["package_missing"] == []
    assert "decide" in [t.action for t in workflow.available(d, facts)]


def test_dashboard(md, django_assert_max_num_queries):
    drive(md, Status.LEGAL_REVIEW)
    items = selectors.dashboard_items(md.u.reviewer, D(2026, 6, 5))
    assert any("合法性审查" in i.title for i in items)
    assert selectors.dashboard_items(md.u.clerk_b, D(2026, 6, 5)) == []


def test_demo_loads_every_stage_and_is_idempotent(db):
    import io

    from fazhi.major_decisions import demo
    from fazhi.major_decisions.models import Decision, Discussion
    from fazhi.org import demo as org_demo

    out = io.StringIO()
    org_demo.load(out)
    demo.load(out)
    states = set(Decision.objects.values_list("status", flat=True))
    assert {Status.LAUNCHED, Status.PARTICIPATION, Status.EXPERT_REVIEW, Status.RISK_ASSESSMENT,
            Status.LEGAL_REVIEW, Status.PUBLISHED, Status.EXECUTING, Status.EVALUATING} <= states
    assert Discussion.objects.filter(against_majority=True).exclude(head_reasons="").exists()
    blocked = Decision.objects.get(status=Status.RISK_ASSESSMENT)
    assert selectors.procedure_facts(blocked)["risk_blocking"]
    n = Decision.objects.count()
    demo.load(out)
    assert Decision.objects.count() == n


# --------------------------------------------------------------- catalogues for an administrator


def test_an_admins_new_empty_catalogue_is_visible(md):
    from fazhi.major_decisions.selectors import catalogues
    from fazhi.org.tests.factories import PersonFactory

    admin = PersonFactory(unit=md.gov, roles=[("admin", md.gov, True)]).user
    empty = services.create_catalogue(md.gov, by=admin, year=2030)
    assert set(catalogues(admin)) == {md.cat, empty}
    # Others still see only theirs: the sponsor sees the catalogue listing its matter, not the empty one.
    assert list(catalogues(md.u.clerk_a)) == [md.cat]
    assert list(catalogues(md.u.clerk_b)) == []


def test_an_admin_opens_a_new_empty_catalogue_page(md):
    from django.urls import reverse

    from fazhi.major_decisions.tests.test_views import client_for
    from fazhi.org.tests.factories import PersonFactory

    admin = PersonFactory(unit=md.gov, roles=[("admin", md.gov, True)]).user
    empty = services.create_catalogue(md.gov, by=admin, year=2030)
    c = client_for(admin)
    assert c.get(reverse("major_decisions:catalogue_detail", args=[empty.pk])).status_code == 200
    assert reverse("major_decisions:catalogue_detail", args=[empty.pk]) in c.get(
        reverse("major_decisions:catalogue_list")).content.decode()


def _titles(user, day=D(2026, 8, 1)):
    return [i.title for i in selectors.dashboard_items(user, day)]


def test_the_head_of_government_has_the_discussion_and_the_publication_in_the_todo_list(md):
    """Issue 13 §2 "To-do lists are complete": the 行政首长's steps wait in 我的待办."""
    d = drive(md, Status.DISCUSSION)
    assert f"重大决策待集体讨论决定：{d.title}" in _titles(md.u.head_gov)
    assert not [t for t in _titles(md.u.clerk_a) if "待集体讨论决定" in t]
    assert not [t for t in _titles(md.u.clerk_b) if d.title in t]


def test_a_decided_decision_waits_for_publication_in_the_heads_todo_list(md):
    d = drive(md, Status.DECIDED)
    titles = _titles(md.u.head_gov)
    assert f"重大决策待公布：{d.title}" in titles and f"重大决策待集体讨论决定：{d.title}" not in titles


@pytest.mark.parametrize(("to", "expected"), [
    (Status.LAUNCHED, "待拟订草案"),
    (Status.DRAFTING, "待公开征求意见"),
    (Status.EXPERT_REVIEW, "专家论证待完成"),
    (Status.RISK_ASSESSMENT, "待录入风险评估"),
])
def test_the_sponsors_next_step_waits_in_its_todo_list(md, to, expected):
    d = drive(md, to)
    assert f"重大决策{expected}：{d.title}" in _titles(md.u.clerk_a)
    assert not [t for t in _titles(md.u.clerk_b) if d.title in t]


def test_no_sponsor_item_while_the_legality_review_is_the_reviewers(md):
    d = drive(md, Status.LEGAL_REVIEW)
    assert not [t for t in _titles(md.u.clerk_a) if d.title in t]


def _queries(user, day=D(2026, 8, 1)) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        selectors.dashboard_items(user, day)
    return len(ctx.captured_queries)


def _new_entry(md):
    return EntryFactory(catalogue=md.cat, sponsor_unit=md.a, expert_field="城市规划")


def test_the_sponsors_todo_list_costs_the_same_for_3_or_20_decisions(md):
    """Issue 14: the procedure facts of the waiting decisions are read for all of them at once."""
    for step in (Status.EXPERT_REVIEW, Status.RISK_ASSESSMENT, Status.DRAFTING):
        drive(md, step, entry=_new_entry(md))
    few = _queries(md.u.clerk_a)
    assert len([t for t in _titles(md.u.clerk_a) if t.startswith("重大决策")]) == 3
    for i in range(17):
        drive(md, (Status.LAUNCHED, Status.DRAFTING)[i % 2], entry=_new_entry(md))
    assert _queries(md.u.clerk_a) == few
    assert len([t for t in _titles(md.u.clerk_a) if t.startswith("重大决策")]) == 20
