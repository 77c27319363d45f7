"""Every row of the transition table, without a database."""

from types import SimpleNamespace

import pytest

from fazhi.annual_report.workflow import WORKFLOW
from fazhi.core.errors import TransitionRefused

FACTS = {"placeholders": [], "missing_recipients": []}


def r(status):
    return SimpleNamespace(status=status)


@pytest.mark.parametrize("action,source,target", [
    ("review", "draft", "reviewed"), ("return", "reviewed", "draft"),
    ("submit", "reviewed", "submitted"), ("publish", "submitted", "published"),
])
def test_each_transition_moves_to_its_target(action, source, target):
    obj = r(source)
    WORKFLOW.apply(obj, action, FACTS)
    assert obj.status == target


@pytest.mark.parametrize("action,source", [
    ("review", "submitted"), ("return", "draft"), ("submit", "draft"), ("publish", "reviewed"),
    ("publish", "draft"), ("review", "published"),
])
def test_the_wrong_source_state_is_refused(action, source):
    with pytest.raises(TransitionRefused, match="不能执行"):
        WORKFLOW.check(r(source), action, {})


def test_review_needs_every_part_written():
    with pytest.raises(TransitionRefused) as e:
        WORKFLOW.check(r("draft"), "review", {"placeholders": ["五、其他需要报告的事项"]})
    assert e.value.rule == "RPT-02"


def test_submit_needs_every_required_recipient():
    with pytest.raises(TransitionRefused) as e:
        WORKFLOW.check(r("reviewed"), "submit", {"missing_recipients": ["上级主管部门"]})
    assert e.value.rule == "RPT-03"


def test_available_actions_follow_the_state():
    assert [t.action for t in WORKFLOW.available(r("reviewed"), FACTS)] == ["return", "submit"]
    assert WORKFLOW.available(r("published"), FACTS) == []


@pytest.mark.parametrize("action,source,fact", [("review", "draft", "placeholders"),
                                                ("submit", "reviewed", "missing_recipients")])
def test_a_step_evaluated_without_its_fact_is_not_available(action, source, fact):
    facts = {k: v for k, v in FACTS.items() if k != fact}
    assert action not in [t.action for t in WORKFLOW.available(r(source), facts)]
