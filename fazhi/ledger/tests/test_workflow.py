"""The ledger's state tables, row by row, without a database."""

from types import SimpleNamespace

import pytest

from fazhi.core.errors import TransitionRefused
from fazhi.ledger.models import PlanStatus, ReportStatus, SupervisionKind, SupervisionStatus
from fazhi.ledger.workflow import PLAN_WORKFLOW, REPORT_WORKFLOW, SUPERVISION_WORKFLOW, supervision_facts


def test_a_plan_is_issued_once():
    plan = SimpleNamespace(status=PlanStatus.DRAFT)
    PLAN_WORKFLOW.apply(plan, "activate")
    assert plan.status == PlanStatus.ACTIVE
    with pytest.raises(TransitionRefused, match="已下达"):
        PLAN_WORKFLOW.check(plan, "activate")


@pytest.mark.parametrize("action, target", [("confirm", ReportStatus.CONFIRMED), ("return", ReportStatus.RETURNED)])
def test_a_report_is_reviewed_once(action, target):
    report = SimpleNamespace(status=ReportStatus.SUBMITTED)
    REPORT_WORKFLOW.apply(report, action)
    assert report.status == target
    for again in ("confirm", "return"):
        assert REPORT_WORKFLOW.refusal(report, again) is not None


def _action(status, kind=SupervisionKind.URGE):
    return SimpleNamespace(status=status, kind=kind)


def test_a_supervision_closes_only_once_answered():
    action = _action(SupervisionStatus.OPEN)
    refused = SUPERVISION_WORKFLOW.refusal(action, "close", supervision_facts(action))
    assert refused is not None and "尚未回复" in refused.message and refused.rule is None
    SUPERVISION_WORKFLOW.apply(action, "respond")
    SUPERVISION_WORKFLOW.apply(action, "close", supervision_facts(action))
    assert action.status == SupervisionStatus.CLOSED
    assert SUPERVISION_WORKFLOW.refusal(action, "respond") is not None


def test_a_public_criticism_needs_no_answer_to_close():
    action = _action(SupervisionStatus.OPEN, SupervisionKind.CRITICISE)
    assert SUPERVISION_WORKFLOW.refusal(action, "close", supervision_facts(action)) is None


def test_closing_without_the_facts_fails_closed():
    assert SUPERVISION_WORKFLOW.refusal(_action(SupervisionStatus.RESPONDED), "close", {}) is not None
