from datetime import date
from types import SimpleNamespace

import pytest

from fazhi.core.errors import TransitionRefused
from fazhi.training.models import Status
from fazhi.training.workflow import SESSION_WORKFLOW


def test_a_planned_session_can_be_completed_on_or_after_its_date():
    s = SimpleNamespace(status=Status.PLANNED, date=date(2026, 3, 10))
    assert SESSION_WORKFLOW.check(s, "complete", {"today": date(2026, 3, 10)})


def test_it_refuses_to_complete_a_session_before_its_date():
    s = SimpleNamespace(status=Status.PLANNED, date=date(2026, 3, 10))
    with pytest.raises(TransitionRefused) as e:
        SESSION_WORKFLOW.check(s, "complete", {"today": date(2026, 3, 9)})
    assert e.value.rule == "LAW-05"


def test_it_refuses_attendance_on_a_planned_session():
    with pytest.raises(TransitionRefused) as e:
        SESSION_WORKFLOW.check(SimpleNamespace(status=Status.PLANNED), "record_attendance")
    assert e.value.rule == "LAW-05" and "已举办" in e.value.message


def test_it_refuses_to_complete_twice():
    with pytest.raises(TransitionRefused):
        SESSION_WORKFLOW.check(SimpleNamespace(status=Status.HELD, date=date(2026, 1, 1)), "complete", {})


def test_completing_without_today_is_refused():
    with pytest.raises(TransitionRefused):
        SESSION_WORKFLOW.check(SimpleNamespace(status=Status.PLANNED, date=date(2026, 1, 1)), "complete", {})
