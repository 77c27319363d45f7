"""The status rule, pure; and the due date across holidays (fazhi.workdays)."""

from datetime import date

import pytest

from fazhi.ledger import status as st
from fazhi.workdays.calendar import Calendar

DUE = date(2026, 6, 30)


def test_no_report_before_deadline_is_not_started():
    assert st.status(due=DUE, today=date(2026, 6, 1), reports=[]).status == st.NOT_STARTED


def test_zero_percent_is_still_not_started():
    assert st.status(due=DUE, today=date(2026, 6, 1), reports=[(date(2026, 5, 1), 0)]).status == st.NOT_STARTED


def test_partial_report_is_in_progress():
    p = st.status(due=DUE, today=date(2026, 6, 1), reports=[(date(2026, 5, 1), 40)])
    assert p.status == st.IN_PROGRESS and p.percent == 40


def test_hundred_on_the_deadline_is_completed_on_time():
    p = st.status(due=DUE, today=date(2026, 8, 1), reports=[(date(2026, 5, 1), 40), (DUE, 100)])
    assert p.status == st.COMPLETED and p.on_time is True and p.completed_on == DUE


def test_hundred_after_the_deadline_is_completed_late():
    p = st.status(due=DUE, today=date(2026, 8, 1), reports=[(date(2026, 7, 1), 100)])
    assert p.status == st.COMPLETED and p.on_time is False


def test_past_deadline_without_completion_is_overdue():
    p = st.status(due=DUE, today=date(2026, 7, 1), reports=[(date(2026, 5, 1), 90)])
    assert p.status == st.OVERDUE and p.percent == 90


def test_the_deadline_day_itself_is_not_overdue():
    assert st.status(due=DUE, today=DUE, reports=[]).status == st.NOT_STARTED


def test_reports_after_today_are_not_known_yet():
    p = st.status(due=DUE, today=date(2026, 6, 1), reports=[(date(2026, 6, 20), 100)])
    assert p.status == st.NOT_STARTED


def test_no_deadline_never_overdue():
    assert st.status(due=None, today=date(2030, 1, 1), reports=[]).status == st.NOT_STARTED


@pytest.mark.django_db
def test_deadline_on_the_national_day_holiday_rolls_to_the_next_working_day():
    # 2026: 1–7 Oct off (CAL-06); Sat 10 Oct is a make-up working day.
    cal = Calendar(years=[2026])
    due, provisional = st.effective_due(date(2026, 10, 3), cal)
    assert due == date(2026, 10, 8) and provisional is False
    late_but_on_time = st.status(due=due, today=date(2026, 10, 9), reports=[(date(2026, 10, 8), 100)])
    assert late_but_on_time.on_time is True
    assert st.status(due=due, today=date(2026, 10, 8), reports=[]).status == st.NOT_STARTED
    assert st.status(due=due, today=date(2026, 10, 9), reports=[]).status == st.OVERDUE


@pytest.mark.django_db
def test_make_up_saturday_is_a_working_day_and_does_not_roll():
    cal = Calendar(years=[2026])
    assert st.effective_due(date(2026, 10, 10), cal)[0] == date(2026, 10, 10)
    assert st.effective_due(date(2026, 10, 10), cal, roll_over=False)[0] == date(2026, 10, 10)
    assert st.effective_due(date(2026, 10, 3), cal, roll_over=False)[0] == date(2026, 10, 3)
