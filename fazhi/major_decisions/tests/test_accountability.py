"""Lifetime accountability (MDEC-17): responsible persons as they were then."""

from fazhi.major_decisions import selectors
from fazhi.major_decisions.models import Capacity, Status
from fazhi.major_decisions.tests.conftest import drive
from fazhi.org import services as org_services


def test_person_history_survives_a_move(md, django_assert_max_num_queries):
    d = drive(md, Status.PUBLISHED)
    org_services.move_person(md.clerk_a, by=None, unit=md.b, post="副局长")
    org_services.move_person(md.head_gov, by=None, unit=md.s, post="调研员")
    rows = list(selectors.decisions_of_person(md.clerk_a))
    assert rows and all(r.decision_id == d.pk for r in rows)
    assert {r.capacity for r in rows} >= {Capacity.SPONSOR, Capacity.DRAFTER}
    assert all(r.unit_name == md.a.name and r.post == "科员" for r in rows)
    head_rows = list(selectors.decisions_of_person(md.head_gov))
    assert {r.capacity for r in head_rows} >= {Capacity.HOST, Capacity.DECIDER, Capacity.PUBLISHER}
    assert all(r.post == "区长" and r.unit_name == md.gov.name for r in head_rows)
    with django_assert_max_num_queries(2):
        for r in selectors.decisions_of_person(md.head_gov):
            _ = (r.decision.title, r.decision.unit.name, r.decision.sponsor_unit.name)


def test_responsible_for_in_procedure_order(md):
    d = drive(md, Status.PUBLISHED)
    rows = selectors.responsible_for(d)
    steps = [r.step for r in rows]
    order = ["launch", "draft", "participation", "expert_review", "risk_assessment", "legal_review", "discussion",
             "publication"]
    assert [s for s in order if s in steps] == order
    assert sorted(steps, key=order.index) == steps
    experts = [r for r in rows if r.capacity == Capacity.EXPERT]
    assert len(experts) == 3 and all(r.expert_id for r in experts)
    assert any(r.capacity == Capacity.REVIEWER and r.name == "审核员" for r in rows)


def test_expert_history(md):
    d = drive(md, Status.RISK_ASSESSMENT)
    review = d.expert_reviews.get()
    expert = review.opinions.first().expert
    assert [r.decision_id for r in selectors.expert_history(expert)] == [d.pk]
