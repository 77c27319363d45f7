"""How a deadline looks in a list (issue 13 §2 "Deadlines in colour").

One rule for every list, in the dashboard's colours: red ``逾期N天`` (calendar
days past the deadline), amber ``剩余N个工作日`` when at most
``FAZHI_DUE_SOON_WORKDAYS`` working days (default 5, counted by
``fazhi.workdays``) are left, plain otherwise or once the matter is done.
``today`` is the server's date, passed in by the view.

    {% load due %}{% due_cell m.deadline today done=m.completed %}
    Column -> DueColumn("完成时限", "deadline", sort="deadline", done=lambda m: m.state == "completed")
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string

from fazhi.workdays.calendar import Calendar


def soon_workdays() -> int:
    return int(getattr(settings, "FAZHI_DUE_SOON_WORKDAYS", 5))


@dataclass(frozen=True)
class DueState:
    due: date | None
    kind: str = ""  # "overdue" | "soon" | ""
    days: int = 0  # calendar days overdue, or working days left
    provisional: bool = False  # computed on a holiday calendar not yet published

    @property
    def text(self) -> str:
        if self.kind == "overdue":
            return f"逾期{self.days}天"
        if self.kind == "soon":
            return "今日到期" if self.days == 0 else f"剩余{self.days}个工作日"
        return ""

    @property
    def plain(self) -> str:
        """Date and words, for text (the spreadsheet export writes the date itself)."""
        return f"{self.due:%Y-%m-%d} {self.text}".strip() if self.due else ""

    def __html__(self) -> str:  # the one cell markup (safe: rendered from a template)
        return render_to_string("core/_due_cell.html", {"d": self})

    # {{ value }} turns a non-string into str() before escaping: give it the markup.
    __str__ = __html__


def due_state(due, today: date, *, done: bool = False, judged_on: date | None = None,
              provisional: bool = False, calendar: Calendar | None = None) -> DueState:
    """The colour of ``due`` on ``today``; ``done`` matters show the date only.
    ``judged_on``: the day lateness is judged against when it differs from the
    date shown (a ledger deadline on a day off is judged on the next working day)."""
    if isinstance(due, datetime):
        due = due.date()
    if not isinstance(due, date):
        return DueState(None)
    p = bool(provisional)
    if done:
        return DueState(due, provisional=p)
    judged = judged_on or due
    if judged < today:
        return DueState(due, "overdue", (today - judged).days, p)
    if (judged - today).days > 3 * soon_workdays() + 14:
        return DueState(due, provisional=p)  # far off whatever the holidays: no calendar needed
    left = (calendar or Calendar()).count_workdays(today, judged)
    if left <= soon_workdays():
        return DueState(due, "soon", left, p)
    return DueState(due, provisional=p)
