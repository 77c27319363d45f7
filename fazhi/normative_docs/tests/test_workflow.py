"""The transition tables, without a database."""

from types import SimpleNamespace

import pytest

from fazhi.core.errors import TransitionRefused
from fazhi.normative_docs.models import MeetingType, Status
from fazhi.normative_docs.workflow import (
    DOC_WORKFLOW,
    FILING_WORKFLOW,
    STATE_LABELS,
    check_filing_allowed,
    meeting_allowed,
)

DONE = {"consultation_done": True, "has_text": True, "fair_review_passed": True, "legal_review_passed": True,
        "consultation_open": False}


def doc(status, touches_market=False, issuer_level="department", filing_status="not_filed"):
    return SimpleNamespace(status=status, touches_market=touches_market, issuer_level=issuer_level,
                           filing_status=filing_status)


def refusal(d, action, **ctx):
    with pytest.raises(TransitionRefused) as e:
        DOC_WORKFLOW.check(d, action, {**DONE, **ctx})
    return e.value


def test_every_state_has_a_chinese_label():
    assert set(STATE_LABELS) == set(Status.values)
    assert STATE_LABELS["discussion"] == "集体讨论"


def test_every_transition_names_its_rule():
    for t in (*DOC_WORKFLOW.transitions, *FILING_WORKFLOW.transitions):
        assert t.rule and t.rule.startswith("NDOC-"), t.action
        for g in t.guards:
            assert g.rule.startswith("NDOC-")


def test_the_happy_path_in_legal_order():
    d = doc(Status.DRAFTING, touches_market=True)
    for action in ("start_consultation", "submit_fair_review", "fair_review_pass", "submit_legal_review",
                   "legal_review_pass", "discussion_adopt", "sign", "register", "publish"):
        DOC_WORKFLOW.apply(d, action, {**DONE, "consultation_open": False})
    assert d.status == Status.PUBLISHED


def test_it_refuses_discussion_before_legality_review():
    e = refusal(doc(Status.CONSULTING), "discussion_adopt")
    assert e.rule == "NDOC-07"
    assert "合法性审查" in e.message or "集体讨论" in e.message


def test_discussion_needs_a_passed_legal_review_even_in_the_right_state():
    e = refusal(doc(Status.DISCUSSION), "discussion_adopt", legal_review_passed=False)
    assert e.rule == "NDOC-07"


def test_a_rejected_review_goes_back_to_drafting():
    d = doc(Status.LEGAL_REVIEW)
    DOC_WORKFLOW.apply(d, "legal_review_reject", DONE)
    assert d.status == Status.DRAFTING
    assert refusal(d, "discussion_adopt").rule == "NDOC-07"


def test_publishing_before_registration_is_refused():
    assert refusal(doc(Status.SIGNED), "publish").rule == "NDOC-10"


def test_market_documents_need_a_passed_fair_review_before_legal_review():
    e = refusal(doc(Status.CONSULTING, touches_market=True), "submit_legal_review", fair_review_passed=False)
    assert e.rule == "NDOC-06"


def test_non_market_documents_skip_fair_review():
    assert refusal(doc(Status.CONSULTING), "submit_fair_review").rule == "NDOC-06"
    DOC_WORKFLOW.check(doc(Status.CONSULTING), "submit_legal_review", {**DONE, "fair_review_passed": False})


def test_legal_review_needs_a_finished_consultation():
    e = refusal(doc(Status.CONSULTING), "submit_legal_review", consultation_done=False)
    assert e.rule == "NDOC-04"
    e = refusal(doc(Status.CONSULTING), "submit_legal_review", consultation_open=True)
    assert e.rule == "NDOC-04"


@pytest.mark.parametrize("level,meeting,ok", [
    ("government", MeetingType.STANDING, True),
    ("government", MeetingType.PLENARY, True),
    ("government", MeetingType.OFFICE, False),
    ("department", MeetingType.OFFICE, True),
    ("department", MeetingType.STANDING, False),
    ("town", MeetingType.TOWN, True),
    ("town", MeetingType.OFFICE, False),
])
def test_meeting_type_must_match_the_issuer(level, meeting, ok):
    assert meeting_allowed(level, meeting) is ok
    d = doc(Status.DISCUSSION, issuer_level=level)
    if ok:
        DOC_WORKFLOW.check(d, "discussion_adopt", {**DONE, "meeting_type": meeting})
    else:
        assert refusal(d, "discussion_adopt", meeting_type=meeting).rule == "NDOC-09"


def test_filing_before_publication_is_refused():
    with pytest.raises(TransitionRefused) as e:
        check_filing_allowed(doc(Status.REGISTERED))
    assert e.value.rule == "NDOC-12"
    check_filing_allowed(doc(Status.PUBLISHED))


def test_filing_review_order():
    d = doc(Status.PUBLISHED)
    for action in ("file", "return_filing", "file", "accept_filing", "review_correct", "report_correction"):
        FILING_WORKFLOW.apply(d, action)
    assert d.filing_status == "corrected"
    with pytest.raises(TransitionRefused) as e:
        FILING_WORKFLOW.check(doc(Status.PUBLISHED), "accept_filing")
    assert e.value.rule == "NDOC-15"


def test_only_published_documents_end():
    for action in ("repeal", "expire", "amend", "renew"):
        assert refusal(doc(Status.REGISTERED), action).rule.startswith("NDOC-1")


@pytest.mark.parametrize("fact", ["has_text", "consultation_open"])
def test_a_step_evaluated_without_its_fact_is_not_available(fact):
    facts = {k: v for k, v in DONE.items() if k != fact}
    assert "start_consultation" in [t.action for t in DOC_WORKFLOW.available(doc(Status.DRAFTING), DONE)]
    assert "start_consultation" not in [t.action for t in DOC_WORKFLOW.available(doc(Status.DRAFTING), facts)]
