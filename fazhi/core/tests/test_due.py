"""Deadlines in colour (issue 13 §2): red 逾期N天, amber 剩余N个工作日, plain otherwise."""

from datetime import date

import pytest
from django.template import Context, Template

from fazhi.core.due import due_state

pytestmark = pytest.mark.django_db

MON = date(2026, 3, 2)


def test_a_passed_deadline_is_overdue_by_calendar_days():
    s = due_state(date(2026, 2, 27), MON)
    assert (s.kind, s.days, s.text) == ("overdue", 3, "逾期3天")


def test_a_near_deadline_counts_working_days_left_not_weekend_days():
    s = due_state(date(2026, 3, 9), date(2026, 3, 6))  # Friday -> next Monday
    assert (s.kind, s.days, s.text) == ("soon", 1, "剩余1个工作日")


def test_today_is_due_soon_and_says_so():
    s = due_state(MON, MON)
    assert (s.kind, s.text) == ("soon", "今日到期")


def test_a_far_deadline_and_a_done_matter_are_plain():
    assert due_state(date(2026, 3, 20), MON).kind == ""
    assert due_state(date(2026, 2, 1), MON, done=True).kind == ""


def test_lateness_is_judged_on_the_working_day_a_deadline_rolls_to():
    s = due_state(date(2026, 2, 28), MON, judged_on=MON)  # Saturday deadline, judged Monday
    assert s.kind == "soon" and "2026-02-28" in str(s)


def test_the_template_tag_renders_the_colours_and_texts():
    html = Template("{% load due %}{% due_cell a today %}|{% due_cell b today %}|{% due_cell c today %}|"
                    "{% due_cell None today %}").render(Context(
                        {"a": date(2026, 2, 27), "b": date(2026, 3, 4), "c": date(2026, 5, 1), "today": MON}))
    overdue, soon, plain, empty = html.split("|")
    assert "due-overdue" in overdue and "badge-danger" in overdue and "逾期3天" in overdue
    assert "due-soon" in soon and "badge-warn" in soon and "剩余2个工作日" in soon
    assert "2026-05-01" in plain and "badge" not in plain
    assert empty == "—"
