"""Reads for the calendar pages, the API and the dashboard."""

import calendar as pycal
from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from fazhi.core.manifest import DashboardItem
from fazhi.org.access import is_admin
from fazhi.workdays.calendar import Calendar, DayInfo
from fazhi.workdays.models import CalendarYear, Holiday

# The arrangement for the next year is normally published in November
# (2024-11-12 for 2025, 2025-11-04 for 2026; rules.md §0 design note 2).
WARN_FROM_MONTH = 11


@dataclass(frozen=True)
class MonthGrid:
    month: int
    weeks: list[list[DayInfo | None]]  # Monday first; None pads the edges


def year_status(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()


def holidays_of(year: int):
    """The rows of arrangement ``year`` plus any other row dated in that year."""
    from django.db.models import Q

    return Holiday.objects.filter(Q(year=year) | Q(date__year=year)).order_by("date")


def month_grids(year: int, calendar: Calendar | None = None) -> list[MonthGrid]:
    cal = calendar or Calendar([year])
    grids = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([cal.day(d) if d.month == month else None for d in week])
        grids.append(MonthGrid(month, weeks))
    return grids


def known_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def calendar_days_payload(year: int) -> dict:
    cy = year_status(year)
    return {
        "year": year,
        "confirmed": bool(cy and cy.confirmed),
        "source": cy.source if cy else "",
        "notice_title": cy.notice_title if cy else "",
        "days": [
            {"date": h.date.isoformat(), "kind": h.kind, "kind_display": h.get_kind_display(),
             "festival": h.festival}
            for h in holidays_of(year)
        ],
    }


def dashboard_items(user, today: date) -> list[DashboardItem]:
    """For administrators: from 1 November, next year's arrangement not yet
    confirmed; at any time, the current year's arrangement not confirmed."""
    if not is_admin(user):
        return []
    wanted = [today.year]
    if today.month >= WARN_FROM_MONTH:
        wanted.append(today.year + 1)
    confirmed = set(CalendarYear.objects.filter(year__in=wanted, confirmed=True).values_list("year", flat=True))
    url = reverse("workdays:import")
    return [
        DashboardItem(
            kind="todo",
            title=f"{y}年节假日安排尚未确认",
            url=url,
            module="workdays",
            note="请在国务院办公厅发布通知后导入；此前跨入该年的工作日期限均为暂定期限。",
        )
        for y in wanted if y not in confirmed
    ]
