"""Properties of the arithmetic over the whole built-in calendar."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.workdays.calendar import Calendar

pytestmark = pytest.mark.django_db

starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=1, max_value=400)


def test_adding_then_counting_gives_back_n():
    cal = Calendar(range(2004, 2031))  # loaded once; the examples use no queries

    @settings(max_examples=300, deadline=None)
    @given(start=starts, n=counts)
    def check(start, n):
        due = cal.add_workdays(start, n).due
        assert cal.count_workdays(start, due) == n
        assert cal.is_workday(due)
        # the due date is the first day on which n working days are reached
        assert cal.count_workdays(start, due - timedelta(days=1)) == n - 1

    check()


def test_roll_over_ends_on_the_first_working_day_not_before_the_plain_end():
    cal = Calendar(range(2004, 2031))

    @settings(max_examples=300, deadline=None)
    @given(start=starts, n=st.integers(min_value=1, max_value=400))
    def check(start, n):
        plain = cal.add_calendar_days(start, n).due
        rolled = cal.add_calendar_days(start, n, roll_over=True).due
        assert plain == start + timedelta(days=n)
        assert rolled >= plain and cal.is_workday(rolled)
        day = plain
        while day < rolled:
            assert not cal.is_workday(day)
            day += timedelta(days=1)

    check()
