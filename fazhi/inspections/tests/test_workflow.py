"""Every row of the transition tables, without a database."""

from types import SimpleNamespace

import pytest

from fazhi.core.errors import TransitionRefused
from fazhi.inspections.workflow import (
    DRAW_WORKFLOW,
    INSPECTION_WORKFLOW,
    ITEM_WORKFLOW,
    PLAN_WORKFLOW,
    TASK_WORKFLOW,
)


def obj(status):
    return SimpleNamespace(status=status)


@pytest.mark.parametrize("wf, action, ok, bad, ctx", [
    (ITEM_WORKFLOW, "update", "draft", "published", {}),
    (ITEM_WORKFLOW, "publish", "draft", "retired", {}),
    (ITEM_WORKFLOW, "revise", "published", "draft", {"no_pending_revision": True}),
    (ITEM_WORKFLOW, "retire", "published", "draft", {}),
    (PLAN_WORKFLOW, "update", "draft", "approved", {}),
    (PLAN_WORKFLOW, "approve", "draft", "approved", {"has_tasks": True}),
    (TASK_WORKFLOW, "update", "draft", "committed", {}),
    (TASK_WORKFLOW, "commit", "draft", "drawn", {"plan_approved": True, "items_published": True}),
    (TASK_WORKFLOW, "reveal", "committed", "draft", {}),
    (TASK_WORKFLOW, "close", "drawn", "committed", {"all_recorded": True}),
    (DRAW_WORKFLOW, "reveal", "committed", "published", {"witnesses_revealed": True}),
    (DRAW_WORKFLOW, "publish", "drawn", "committed", {}),
    (INSPECTION_WORKFLOW, "record_result", "pending", "published", {"team_ok": True}),
    (INSPECTION_WORKFLOW, "publish", "recorded", "pending", {}),
    (INSPECTION_WORKFLOW, "hand_over", "recorded", "pending", {"not_handed_over": True}),
])
def test_each_transition_allows_its_source_and_refuses_others(wf, action, ok, bad, ctx):
    wf.check(obj(ok), action, ctx)
    with pytest.raises(TransitionRefused) as exc:
        wf.check(obj(bad), action, ctx)
    assert exc.value.rule


@pytest.mark.parametrize("wf, action, state, ctx, rule", [
    (PLAN_WORKFLOW, "approve", "draft", {"has_tasks": False}, "RAND-09"),
    (TASK_WORKFLOW, "commit", "draft", {"plan_approved": False, "items_published": True}, "RAND-09"),
    (TASK_WORKFLOW, "commit", "draft", {"plan_approved": True, "items_published": False}, "ENF-28"),
    (TASK_WORKFLOW, "close", "drawn", {"all_recorded": False}, "RAND-07"),
    (DRAW_WORKFLOW, "reveal", "committed", {"witnesses_revealed": False}, "RAND-05"),
    (INSPECTION_WORKFLOW, "record_result", "pending", {"team_ok": False}, "RAND-05"),
    (INSPECTION_WORKFLOW, "hand_over", "recorded", {"not_handed_over": False}, "RAND-07"),
    (ITEM_WORKFLOW, "revise", "published", {"no_pending_revision": False}, "RAND-04"),
])
def test_guards_name_their_rule(wf, action, state, ctx, rule):
    with pytest.raises(TransitionRefused) as exc:
        wf.check(obj(state), action, ctx)
    assert exc.value.rule == rule


def test_a_published_draw_has_no_way_out():
    assert DRAW_WORKFLOW.available(obj("published"), {"witnesses_revealed": True}) == []


@pytest.mark.parametrize("workflow,state,action,fact", [
    (INSPECTION_WORKFLOW, "pending", "record_result", "team_ok"),
    (INSPECTION_WORKFLOW, "recorded", "hand_over", "not_handed_over"),
    (ITEM_WORKFLOW, "published", "revise", "no_pending_revision"),
])
def test_a_step_evaluated_without_its_fact_is_not_available(workflow, state, action, fact):
    assert action in [t.action for t in workflow.available(obj(state), {fact: True})]
    assert action not in [t.action for t in workflow.available(obj(state), {})]
