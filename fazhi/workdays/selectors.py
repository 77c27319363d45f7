"""Reads for the calendar pages, the API and the dashboard."""

import calendar as pycal
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse

from fazhi.core.manifest import DashboardItem
from fazhi.org.access import is_admin, unit_q
from fazhi.workdays.calendar import Calendar, DayInfo
from fazhi.workdays.models import CalendarChange, CalendarYear, DeadlineChange, Holiday

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
    """The calendar's own items (administrators) and the stored deadlines a
    calendar change moved or flagged (the people responsible for them)."""
    return calendar_items(user, today) + deadline_change_items(user, today)


def calendar_items(user, today: date) -> list[DashboardItem]:
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


# -- stored deadlines moved or flagged by a calendar change ---------------------------

NOTE_ROWS = 3  # rows named in a dashboard note; the page lists them all


def visible_changes(user, states=DeadlineChange.OPEN_STATES):
    """DeadlineChange rows the user is responsible for: each row is seen by the
    holders of its module's permission over its unit (``org.access``)."""
    qs = DeadlineChange.objects.filter(state__in=states)
    q = Q(pk__in=[])
    for perm in qs.order_by().values_list("permission", flat=True).distinct():
        q |= Q(permission=perm) & unit_q(user, perm)
    return qs.filter(q).select_related("change", "unit")


def calendar_change(pk: int):
    from fazhi.workdays.models import CalendarChange

    return CalendarChange.objects.filter(pk=pk).first()


def _row_text(r: DeadlineChange) -> str:
    return f"{r.object_repr} {r.kind_label}：{r.old_due:%Y-%m-%d} → {r.new_due:%Y-%m-%d}"


def deadline_change_items(user, today: date) -> list[DashboardItem]:
    """因2027年放假安排调整，以下期限已重新计算 — one item per calendar change for
    the deadlines it moved that are still running (until acknowledged), and
    one item per deadline that had passed and waits for a person's decision."""
    rows = list(visible_changes(user).filter(Q(state=DeadlineChange.State.FLAGGED) | Q(new_due__gte=today))
                .order_by("change_id", "new_due", "pk"))
    url = reverse("workdays:changes")
    items: list[DashboardItem] = []
    moved: dict[CalendarChange, list[DeadlineChange]] = {}
    for r in rows:
        if r.state == DeadlineChange.State.MOVED:
            moved.setdefault(r.change, []).append(r)
            continue
        items.append(DashboardItem(
            kind="todo", title=f"期限需人工确认：{r.object_repr} {r.kind_label}", url=f"{url}#change-{r.pk}",
            due=r.old_due, module="工作日历",
            note=(f"因{r.change.cause}，按新日历应为{r.new_due:%Y-%m-%d}；原期限{r.old_due:%Y-%m-%d}已届满，"
                  "未自动调整，请决定保留原期限或按新日历调整"),
        ))
    for change, group in moved.items():
        names = "；".join(_row_text(r) for r in group[:NOTE_ROWS]) + ("等" if len(group) > NOTE_ROWS else "")
        items.append(DashboardItem(
            kind="todo", title=f"因{change.cause}，以下期限已重新计算（{len(group)}项）",
            url=f"{url}?change={change.pk}", due=min(r.new_due for r in group), module="工作日历", note=names,
        ))
    return items
