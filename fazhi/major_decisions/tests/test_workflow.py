"""Every row of DECISION_WORKFLOW, without a database."""

from types import SimpleNamespace

import pytest

from fazhi.core.errors import TransitionRefused
from fazhi.major_decisions import workflow
from fazhi.major_decisions.models import Status as S

DONE = {"consultation_done": True, "experts_done": True, "risk_done": True, "legal_review_passed": True,
        "package_missing": [], "consultation_open": False, "risk_blocking": False}
# A decision just started: nothing open, nothing blocking, nothing done yet.
NOTHING_DONE = {"consultation_open": False, "risk_blocking": False, "package_missing": []}


def dec(status, **kw):
    base = dict(status=status, draft_text="草案", needs_participation=True, needs_expert_review=True,
                needs_risk_assessment=True, party_reported_on=None)
    base.update(kw)
    return SimpleNamespace(**base)


@pytest.mark.parametrize("action,source,target", [
    ("start_drafting", S.LAUNCHED, S.DRAFTING),
    ("start_participation", S.DRAFTING, S.PARTICIPATION),
    ("start_expert_review", S.PARTICIPATION, S.EXPERT_REVIEW),
    ("start_risk_assessment", S.EXPERT_REVIEW, S.RISK_ASSESSMENT),
    ("submit_legal_review", S.RISK_ASSESSMENT, S.LEGAL_REVIEW),
    ("legal_review_pass", S.LEGAL_REVIEW, S.DISCUSSION),
    ("legal_review_fail", S.LEGAL_REVIEW, S.DRAFTING),
    ("decide", S.DISCUSSION, S.DECIDED),
    ("decide_reject", S.DISCUSSION, S.DRAFTING),
    ("start_execution", S.PUBLISHED, S.EXECUTING),
    ("start_post_evaluation", S.EXECUTING, S.EVALUATING),
    ("finish_post_evaluation", S.EVALUATING, S.EXECUTING),
    ("adjust", S.EXECUTING, S.ADJUSTED),
    ("stop", S.EXECUTING, S.STOPPED),
    ("abandon", S.DRAFTING, S.ABANDONED),
])
def test_every_row_happy(action, source, target):
    d = dec(source)
    workflow.apply(d, action, DONE)
    assert d.status == target


def test_publish_needs_party_report():
    d = dec(S.DECIDED)
    with pytest.raises(TransitionRefused) as e:
        workflow.check(d, "publish", {**DONE, "party_reported_on": None})
    assert e.value.rule == "MDEC-12"
    workflow.apply(d, "publish", {**DONE, "party_reported_on": "2026-06-01"})
    assert d.status == S.PUBLISHED


def test_the_publish_step_is_offered_before_its_own_party_report_date_is_entered():
    """Issue 13 §2: the Party-report date is a field of the 公布 form itself, so
    the step must be offered while it is still empty (the form then asks for it)."""
    d = dec(S.DECIDED)
    assert d.party_reported_on is None
    assert workflow.refusal(d, "publish", DONE) is None
    assert "publish" in [t.action for t in workflow.available(d, DONE)]


@pytest.mark.parametrize("state", [S.LAUNCHED, S.DRAFTING, S.PARTICIPATION, S.EXPERT_REVIEW, S.RISK_ASSESSMENT,
                                   S.LEGAL_REVIEW])
def test_discussion_before_legal_review_names_mdec08(state):
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(state), "decide", DONE)
    assert e.value.rule == "MDEC-08"
    assert "合法性审查" in e.value.message


def test_discussion_with_failed_review_refused():
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(S.DISCUSSION), "decide", {**DONE, "legal_review_passed": False})
    assert e.value.rule == "MDEC-08"


def test_package_missing_listed():
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(S.DISCUSSION), "decide", {**DONE, "package_missing": ["风险评估报告"]})
    assert e.value.rule == "MDEC-10" and "风险评估报告" in e.value.message


@pytest.mark.parametrize("missing,rule", [
    ("consultation_done", "MDEC-04"), ("experts_done", "MDEC-06"), ("risk_done", "MDEC-07")])
def test_required_step_missing_blocks_legal_review(missing, rule):
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(S.RISK_ASSESSMENT), "submit_legal_review", {**DONE, missing: False})
    assert e.value.rule == rule


def test_steps_not_required_are_skipped():
    d = dec(S.DRAFTING, needs_participation=False, needs_expert_review=False, needs_risk_assessment=False)
    workflow.apply(d, "submit_legal_review", {**NOTHING_DONE, "legal_review_passed": False})
    assert d.status == S.LEGAL_REVIEW
    assert workflow.skipped_steps(dec(S.DRAFTING, needs_expert_review=False)) == ["专家论证"]


def test_step_not_required_cannot_be_taken():
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(S.DRAFTING, needs_expert_review=False), "start_expert_review", DONE)
    assert e.value.rule == "MDEC-06"


def test_high_risk_blocks():
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(S.RISK_ASSESSMENT), "submit_legal_review", {**DONE, "risk_blocking": True})
    assert e.value.rule == "MDEC-07"


def test_open_consultation_blocks_next_step():
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(S.PARTICIPATION), "start_expert_review", {**DONE, "consultation_open": True})
    assert e.value.rule == "MDEC-04"


def test_wrong_source_names_rule():
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(S.LAUNCHED), "submit_legal_review", DONE)
    assert e.value.rule == "MDEC-08" and "启动" in e.value.message


def test_no_draft_blocks_participation():
    with pytest.raises(TransitionRefused) as e:
        workflow.check(dec(S.DRAFTING, draft_text=""), "start_participation", DONE)
    assert e.value.rule == "MDEC-03"


def test_available():
    names = [t.action for t in workflow.available(dec(S.DRAFTING), NOTHING_DONE)]
    assert "start_participation" in names and "submit_legal_review" not in names


@pytest.mark.parametrize("state,action,fact", [
    (S.PARTICIPATION, "start_expert_review", "consultation_open"),
    (S.RISK_ASSESSMENT, "submit_legal_review", "risk_blocking"),
    (S.DISCUSSION, "decide", "package_missing"),
])
def test_a_step_evaluated_without_its_fact_is_not_available(state, action, fact):
    d = dec(state)
    facts = {k: v for k, v in DONE.items() if k != fact}
    assert workflow.refusal(d, action, DONE) is None
    assert action not in [t.action for t in workflow.available(d, facts)]
