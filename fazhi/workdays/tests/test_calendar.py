"""Working-day arithmetic on the real 2025 and 2026 arrangements (loaded by
migration 0002 into the test database)."""

import pytest

from fazhi.core.errors import ValidationError
from fazhi.workdays.calendar import (
    Calendar,
    add_calendar_days,
    add_workdays,
    count_workdays,
    is_workday,
    make_year,
)
from fazhi.workdays.models import CalendarYear, Holiday
from fazhi.workdays.tests.conftest import OFF_2025, OFF_2026, WORK_2025, WORK_2026, d

pytestmark = pytest.mark.django_db


def test_the_issue_example_2025_09_25_plus_20_working_days_is_2025_10_29():
    deadline = add_workdays(d("2025-09-25"), 20)
    assert deadline.due == d("2025-10-29")
    assert (deadline.rule, deadline.start, deadline.n) == ("WD", d("2025-09-25"), 20)
    assert deadline.provisional is False
    assert deadline.unconfirmed_years == ()


@pytest.mark.parametrize("day", sorted(WORK_2025 | WORK_2026))
def test_every_make_up_day_is_a_working_day(day):
    assert day.weekday() >= 5
    assert is_workday(day)


@pytest.mark.parametrize("day", sorted(OFF_2025 | OFF_2026))
def test_every_day_off_is_not_a_working_day(day):
    assert not is_workday(day)


@pytest.mark.parametrize("start, n, due", [
    # 2025 春节: 26 Jan (Sun) worked, 28 Jan–4 Feb off, 8 Feb (Sat) worked
    ("2025-01-24", 1, "2025-01-26"),
    ("2025-01-24", 2, "2025-01-27"),
    ("2025-01-24", 3, "2025-02-05"),
    ("2025-01-24", 5, "2025-02-07"),
    ("2025-02-05", 3, "2025-02-08"),
    ("2025-02-07", 2, "2025-02-10"),
    # 2025 劳动节: 27 Apr (Sun) worked, 1–5 May off
    ("2025-04-25", 1, "2025-04-27"),
    ("2025-04-25", 5, "2025-05-06"),
    # 2025 国庆/中秋: 28 Sep (Sun) worked, 1–8 Oct off, 11 Oct (Sat) worked
    ("2025-09-26", 1, "2025-09-28"),
    ("2025-09-30", 1, "2025-10-09"),
    ("2025-10-09", 2, "2025-10-11"),
    ("2025-10-10", 2, "2025-10-13"),
    # 2026 元旦: 1–3 Jan off, 4 Jan (Sun) worked — across the year end
    ("2025-12-31", 1, "2026-01-04"),
    ("2025-12-31", 2, "2026-01-05"),
    # 2026 春节: 14 Feb (Sat) worked, 15–23 Feb off, 28 Feb (Sat) worked
    ("2026-02-13", 1, "2026-02-14"),
    ("2026-02-13", 2, "2026-02-24"),
    ("2026-02-26", 2, "2026-02-28"),
    ("2026-02-26", 3, "2026-03-02"),
    # 2026 劳动节: 1–5 May off, 9 May (Sat) worked
    ("2026-04-30", 2, "2026-05-07"),
    ("2026-04-30", 4, "2026-05-09"),
    ("2026-04-30", 5, "2026-05-11"),
    # 2026 端午, 中秋
    ("2026-06-18", 1, "2026-06-22"),
    ("2026-09-24", 1, "2026-09-28"),
    # 2026 国庆: 20 Sep (Sun) worked, 1–7 Oct off, 10 Oct (Sat) worked
    ("2026-09-18", 1, "2026-09-20"),
    ("2026-09-30", 3, "2026-10-10"),
    ("2026-09-30", 4, "2026-10-12"),
])
def test_add_workdays_around_holidays_and_make_up_days(start, n, due):
    assert add_workdays(d(start), n).due == d(due)


@pytest.mark.parametrize("a, b, n", [
    ("2025-01-24", "2025-02-08", 6),   # 26, 27, 5, 6, 7, 8
    ("2025-04-25", "2025-05-06", 5),   # 27, 28, 29, 30, 6
    ("2025-09-25", "2025-10-29", 20),
    ("2025-09-27", "2025-10-11", 6),   # 28, 29, 30, 9, 10, 11
    ("2025-12-31", "2026-01-04", 1),
    ("2026-02-13", "2026-02-28", 6),   # 14, 24, 25, 26, 27, 28
    ("2026-05-08", "2026-05-09", 1),
    ("2026-09-18", "2026-10-10", 11),  # 20, 21-24, 28-30, 8, 9, 10
    ("2025-10-29", "2025-10-29", 0),
])
def test_count_workdays_counts_after_a_up_to_and_including_b(a, b, n):
    assert count_workdays(d(a), d(b)) == n


def test_count_workdays_is_negative_when_b_is_before_a():
    assert count_workdays(d("2025-10-29"), d("2025-09-25")) == -20


def test_zero_working_days_is_the_start_day_itself():
    deadline = add_workdays(d("2025-10-01"), 0)
    assert deadline.due == d("2025-10-01")
    assert deadline.explain() == []


def test_explain_gives_each_day_counted_or_skipped_with_the_reason():
    steps = add_workdays(d("2025-09-25"), 20).explain()
    by_day = {s.day: s for s in steps}
    assert steps[0].day == d("2025-09-26") and steps[-1].day == d("2025-10-29")
    assert sum(s.counted for s in steps) == 20
    assert (by_day[d("2025-09-26")].counted, by_day[d("2025-09-26")].reason) == (True, "工作日")
    assert (by_day[d("2025-09-27")].counted, by_day[d("2025-09-27")].reason) == (False, "周末")
    assert (by_day[d("2025-09-28")].counted, by_day[d("2025-09-28")].reason) == (True, "调休上班日（国庆节）")
    assert (by_day[d("2025-10-01")].counted, by_day[d("2025-10-01")].reason) == (False, "法定节假日（国庆节）")
    assert by_day[d("2025-10-29")].ordinal == 20


def test_explain_names_the_spring_festival():
    steps = add_workdays(d("2026-02-13"), 2).explain()
    assert steps[1].reason == "法定节假日（春节）"
    assert steps[0].reason == "调休上班日（春节）"


def test_calendar_days_are_not_shifted_without_roll_over():
    deadline = add_calendar_days(d("2025-09-10"), 21)
    assert deadline.due == d("2025-10-01")
    assert deadline.rule == "CAL"


def test_roll_over_moves_an_end_on_a_holiday_to_the_next_working_day():
    """CAL-08: the period ends on the first day after the holiday."""
    deadline = add_calendar_days(d("2025-09-10"), 21, roll_over=True)
    assert deadline.due == d("2025-10-09")
    assert deadline.roll_over is True
    assert deadline.explain()[-1].reason == "工作日（顺延后的期限末日）"


def test_roll_over_moves_an_end_on_a_plain_weekend_to_monday():
    assert add_calendar_days(d("2025-10-11"), 7, roll_over=True).due == d("2025-10-20")


def test_roll_over_keeps_an_end_on_a_make_up_working_saturday():
    """Design note 3: a 调休 Saturday is a working day, not a 休假日."""
    assert add_calendar_days(d("2025-10-04"), 7, roll_over=True).due == d("2025-10-11")
    assert add_calendar_days(d("2026-02-21"), 7, roll_over=True).due == d("2026-02-28")


def test_a_deadline_into_an_unconfirmed_year_is_provisional(no_2027):
    deadline = add_workdays(d("2026-12-25"), 10)
    # 28–31 Dec, (1 Jan estimated 元旦), 4–8 Jan, 11 Jan
    assert deadline.due == d("2027-01-11")
    assert deadline.provisional is True
    assert deadline.unconfirmed_years == (2027,)
    assert "未确认" in deadline.warning()
    assert any(s.reason == "法定节假日（元旦，预估）" for s in deadline.explain())


def test_an_unconfirmed_year_is_never_a_plain_monday_to_friday_week(no_2027):
    assert not is_workday(d("2027-10-01"))  # Friday, estimated 国庆节
    assert is_workday(d("2027-05-03"))  # Monday 3 May: not a fixed-date holiday
    assert not is_workday(d("2027-01-02"))  # Saturday


def test_plain_calendar_days_into_an_unconfirmed_year_are_not_provisional(no_2027):
    deadline = add_calendar_days(d("2026-12-20"), 30)
    assert deadline.due == d("2027-01-19")
    assert deadline.provisional is False


def test_roll_over_into_an_unconfirmed_year_is_provisional(no_2027):
    deadline = add_calendar_days(d("2026-12-01"), 31, roll_over=True)
    assert deadline.due == d("2027-01-04")  # 1 Jan estimated off, then the weekend
    assert deadline.unconfirmed_years == (2027,)


@pytest.mark.parametrize("n", [-1, 1.5, "3", True, 10_001])
def test_bad_day_counts_are_refused_in_chinese(n):
    with pytest.raises(ValidationError) as exc:
        add_workdays(d("2025-01-01"), n)
    assert "天数" in exc.value.message


def test_one_calendar_serves_many_deadlines_with_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        cal = Calendar([2025, 2026])
        dues = [cal.add_workdays(d("2025-01-02"), n).due for n in range(1, 200)]
    assert dues[-1].year == 2025


def test_calendar_version_is_stable_and_follows_the_data():
    before = add_workdays(d("2025-09-25"), 20).calendar_version
    assert before == add_workdays(d("2025-09-25"), 20).calendar_version
    Holiday.objects.filter(date=d("2025-10-11")).delete()
    after = add_workdays(d("2025-09-25"), 20)
    assert after.calendar_version != before
    assert after.due == d("2025-10-30")  # 11 Oct is now an ordinary Saturday


def test_the_year_table_comes_from_the_database():
    assert CalendarYear.objects.get(year=2025).confirmed
    assert add_workdays(d("2025-09-25"), 20).calendar_version


def test_an_in_memory_calendar_needs_no_database():
    year = make_year(2030, True, {d("2030-01-01"): ("off", "元旦"), d("2030-01-05"): ("work", "元旦")})
    cal = Calendar.from_years([year])
    assert cal.add_workdays(d("2029-12-31"), 4).due == d("2030-01-05")
    assert cal.add_workdays(d("2029-12-31"), 4).unconfirmed_years == ()  # the start day is not used
    assert cal.add_workdays(d("2030-12-31"), 1).unconfirmed_years == (2031,)
