from types import SimpleNamespace

import pytest

from fazhi.core.errors import TransitionRefused
from fazhi.core.workflow import Guard, Transition, Workflow

FLOW = Workflow(
    "demo",
    [
        Transition("review", "合法性审查", ("draft",), "reviewed", rule="R-1"),
        Transition(
            "discuss", "集体讨论", ("reviewed",), "decided",
            guards=(Guard("R-2", "缺少合法性审查意见", lambda o, c: bool(o.opinion)),),
        ),
    ],
    state_labels={"draft": "草稿", "reviewed": "已审查", "decided": "已决定"},
)


def test_it_refuses_an_action_from_the_wrong_state_and_names_the_rule():
    with pytest.raises(TransitionRefused) as err:
        FLOW.check(SimpleNamespace(status="draft", opinion="ok"), "discuss")
    assert err.value.rule is None or err.value.rule
    assert "草稿" in err.value.message and "集体讨论" in err.value.message


def test_a_failing_guard_names_its_rule():
    with pytest.raises(TransitionRefused) as err:
        FLOW.check(SimpleNamespace(status="reviewed", opinion=""), "discuss")
    assert err.value.rule == "R-2"
    assert "R-2" in str(err.value)


def test_apply_moves_to_the_target_state():
    obj = SimpleNamespace(status="draft", opinion="")
    FLOW.apply(obj, "review")
    assert obj.status == "reviewed"


def test_available_lists_only_allowed_actions():
    obj = SimpleNamespace(status="reviewed", opinion="")
    assert FLOW.available(obj) == []
    obj.opinion = "同意"
    assert [t.action for t in FLOW.available(obj)] == ["discuss"]


def test_unknown_action_is_refused():
    with pytest.raises(TransitionRefused):
        FLOW.check(SimpleNamespace(status="draft"), "fly")
