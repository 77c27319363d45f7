"""The status rule of a measure or task — pure, no database, no clock.

    status(due=…, today=…, reports=[(date, percent), …]) -> Progress

* 已完成: a report says 100 %; completion date = the first such report's date.
  On time when that date is on or before the due date (``on_time``).
* 逾期: not completed and ``today`` is after the due date.
* 推进中: not completed, not overdue, and a report with more than 0 %.
* 未开始: otherwise (no report, or only 0 %).

Reports dated after ``today`` are not known yet and are ignored (so a past
date can be asked about). Returned reports are left out by the caller.

The due date is the deadline, or — when the deadline falls on a day off —
the first working day after it (``effective_due``, through fazhi.workdays;
the roll-over principle of CAL-08, a setting ``LEDGER_DEADLINE_ROLL_OVER``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

NOT_STARTED, IN_PROGRESS, COMPLETED, OVERDUE = "not_started", "in_progress", "completed", "overdue"
LABELS = {NOT_STARTED: "未开始", IN_PROGRESS: "推进中", COMPLETED: "已完成", OVERDUE: "逾期"}
CHOICES = [(k, v) for k, v in LABELS.items()]
BADGES = {NOT_STARTED: "", IN_PROGRESS: "badge-warn", COMPLETED: "badge-ok", OVERDUE: "badge-danger"}


@dataclass(frozen=True)
class Progress:
    status: str
    percent: int
    completed_on: date | None
    on_time: bool | None  # None while not completed

    @property
    def label(self) -> str:
        return LABELS[self.status]


def status(*, due: date | None, today: date, reports: Iterable[tuple[date, int]]) -> Progress:
    known = sorted((d, p) for d, p in reports if d <= today)
    completed_on = next((d for d, p in known if p >= 100), None)
    percent = known[-1][1] if known else 0
    if completed_on is not None:
        return Progress(COMPLETED, 100, completed_on, due is None or completed_on <= due)
    if due is not None and today > due:
        return Progress(OVERDUE, percent, None, None)
    if percent > 0:
        return Progress(IN_PROGRESS, percent, None, None)
    return Progress(NOT_STARTED, percent, None, None)


def effective_due(deadline: date | None, calendar, *, roll_over: bool = True) -> tuple[date | None, bool]:
    """(due date, provisional): the deadline, or the first working day after
    it when it falls on a day off and ``roll_over`` is on."""
    if deadline is None:
        return None, False
    info = calendar.day(deadline)
    if info.working or not roll_over:
        return deadline, not info.confirmed
    d = calendar.add_workdays(deadline, 1)
    return d.due, d.provisional


def label(code: str) -> str:
    return LABELS.get(code, code)
