"""Deadline arithmetic on the legal working-day calendar.

Rules (docs/rules.md §0):

* CAL-01: Saturday and Sunday are the weekly rest days.
* CAL-02/05/06: statutory holidays and the yearly arrangement; a 调休
  Saturday or Sunday listed as 上班 **is a working day** (design note 1).
* CAL-08: for calendar-day periods the start day is not counted; where the
  law says so, an end that falls on a day off moves to the next working day
  (roll-over). A make-up working Saturday is not a day off for roll-over
  (design note 3, the natural reading).
* Design note 2: a deadline that runs into a year whose arrangement is not
  confirmed is *provisional*. For such years weekends are off and the
  fixed-date statutory holidays (元旦 1 Jan, 劳动节 1–2 May, 国庆节 1–3 Oct)
  are estimated as off — never a silent Monday–Friday week.

No clock is read here: every function takes explicit dates. A ``Calendar``
loads the rows of the years it touches, once, so one instance can serve a
whole list page:

    cal = Calendar(years=[2025, 2026])
    for case in cases:
        case.deadline = cal.add_workdays(case.received_on, 20)
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from fazhi.core.errors import ValidationError

WD = "WD"  # working days (工作日)
CAL = "CAL"  # calendar days (自然日)
RULE_LABELS = {WD: "工作日", CAL: "自然日"}

MAX_DAYS = 10_000  # about 27 years; anything longer is a typo

# Estimated days off in a year without a confirmed arrangement (CAL-02 fixed solar dates).
FIXED_HOLIDAYS = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}

REASON_WORKDAY = "工作日"
REASON_WEEKEND = "周末"


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    reason: str  # 工作日 / 周末 / 法定节假日（春节） / 调休上班日（春节）
    festival: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class Step:
    """One line of a deadline's explanation."""

    day: date
    counted: bool
    reason: str
    ordinal: int | None = None  # 1..n for counted days

    @property
    def action(self) -> str:
        if self.counted:
            return f"计入第{self.ordinal}日" if self.ordinal else "顺延至此"
        return "跳过"

    def as_dict(self) -> dict:
        return {"date": self.day.isoformat(), "counted": self.counted, "ordinal": self.ordinal,
                "action": self.action, "reason": self.reason}


@dataclass(frozen=True)
class Deadline:
    """A computed deadline that knows how it was computed (DESIGN invariant 2)."""

    due: date
    rule: str  # "WD" | "CAL"
    start: date
    n: int
    provisional: bool
    unconfirmed_years: tuple[int, ...]
    calendar_version: str
    roll_over: bool = False
    steps: tuple[Step, ...] = field(default=(), repr=False, compare=False)

    @property
    def rule_label(self) -> str:
        label = f"{self.n}个{RULE_LABELS[self.rule]}"
        return label + "（末日遇节假日顺延）" if self.roll_over else label

    def explain(self) -> list[Step]:
        """Every day after the start up to the due date, counted or skipped, and why."""
        return list(self.steps)

    def warning(self) -> str:
        if not self.provisional:
            return ""
        return unconfirmed_warning(self.unconfirmed_years)

    def as_dict(self, *, steps: bool = True) -> dict:
        out = {
            "due": self.due.isoformat(),
            "rule": self.rule,
            "start": self.start.isoformat(),
            "n": self.n,
            "roll_over": self.roll_over,
            "provisional": self.provisional,
            "unconfirmed_years": list(self.unconfirmed_years),
            "calendar_version": self.calendar_version,
        }
        if steps:
            out["steps"] = [s.as_dict() for s in self.steps]
        return out


def unconfirmed_warning(years: Iterable[int]) -> str:
    names = "、".join(f"{y}年" for y in years)
    return (f"注意：{names}的节假日安排尚未确认（国务院办公厅通知未发布或未导入），"
            "已按周末及元旦、劳动节、国庆节固定日期预估，本期限为暂定期限，通知导入后需重新计算。")


@dataclass(frozen=True)
class YearData:
    year: int
    confirmed: bool
    days: dict  # date -> (kind, festival); kind "off" | "work"
    version: str


def _year_version(year: int, confirmed: bool, days: dict) -> str:
    text = f"{year}:{int(confirmed)}:" + ";".join(f"{d.isoformat()}{k}" for d, (k, _) in sorted(days.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def make_year(year: int, confirmed: bool, days: dict) -> YearData:
    return YearData(year, confirmed, dict(days), _year_version(year, confirmed, days))


def check_days(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValidationError(f"天数“{n}”无效：必须是整数", fields={"n": "必须是整数"})
    if n < 0:
        raise ValidationError(f"天数“{n}”无效：不能为负数", fields={"n": "不能为负数"})
    if n > MAX_DAYS:
        raise ValidationError(f"天数“{n}”过大：不能超过 {MAX_DAYS}", fields={"n": f"不能超过 {MAX_DAYS}"})
    return n


def parse_date(text: str, field_name: str = "date") -> date:
    """An ISO date typed by a person (CLI, API); a clear Chinese error otherwise."""
    value = (text or "").strip()
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        msg = f"日期“{value}”无效：请填写真实存在的日期，格式为 YYYY-MM-DD（如 2025-09-25）"
        raise ValidationError(msg, fields={field_name: "日期无效"})


def parse_days(text, field_name: str = "n") -> int:
    value = str(text if text is not None else "").strip()
    try:
        n = int(value, 10)
    except ValueError:
        raise ValidationError(f"天数“{value}”无效：必须是非负整数", fields={field_name: "必须是非负整数"})
    return check_days(n)


class Calendar:
    """The working-day calendar for the years it has loaded.

    Years are loaded from the database on first use (two queries for any
    number of years); ``Calendar.from_years`` builds one without a database.
    """

    def __init__(self, years: Iterable[int] = ()):
        self._years: dict[int, YearData] = {}
        self._db = True
        self.preload(years)

    @classmethod
    def from_years(cls, years: Iterable[YearData]) -> "Calendar":
        """An in-memory calendar (tests, what-if previews). Other years are unconfirmed."""
        cal = cls.__new__(cls)
        cal._years = {y.year: y for y in years}
        cal._db = False
        return cal

    # -- loading -------------------------------------------------------------

    def preload(self, years: Iterable[int]) -> None:
        missing = sorted({int(y) for y in years} - set(self._years))
        if not missing:
            return
        if not self._db:
            for y in missing:
                self._years[y] = make_year(y, False, {})
            return
        from fazhi.workdays.models import CalendarYear, Holiday

        confirmed = dict(CalendarYear.objects.filter(year__in=missing).values_list("year", "confirmed"))
        days: dict[int, dict] = {y: {} for y in missing}
        rows = Holiday.objects.filter(date__gte=date(missing[0], 1, 1), date__lte=date(missing[-1], 12, 31))
        for d, kind, festival in rows.values_list("date", "kind", "festival"):
            if d.year in days:
                days[d.year][d] = (kind, festival)
        for y in missing:
            self._years[y] = make_year(y, confirmed.get(y, False), days[y])

    def year(self, y: int) -> YearData:
        if y not in self._years:
            self.preload([y])
        return self._years[y]

    # -- one day -------------------------------------------------------------

    def day(self, d: date) -> DayInfo:
        data = self.year(d.year)
        row = data.days.get(d)
        if row is not None:
            kind, festival = row
            if kind == "work":
                return DayInfo(d, True, f"调休上班日（{festival}）", festival, data.confirmed)
            return DayInfo(d, False, f"法定节假日（{festival}）", festival, data.confirmed)
        if not data.confirmed:
            festival = FIXED_HOLIDAYS.get((d.month, d.day))
            if festival:
                return DayInfo(d, False, f"法定节假日（{festival}，预估）", festival, False)
        if d.weekday() >= 5:
            return DayInfo(d, False, REASON_WEEKEND, "", data.confirmed)
        return DayInfo(d, True, REASON_WORKDAY, "", data.confirmed)

    def is_workday(self, d: date) -> bool:
        return self.day(d).working

    def unconfirmed_years(self, first: date, last: date) -> tuple[int, ...]:
        lo, hi = min(first, last), max(first, last)
        return tuple(y for y in range(lo.year, hi.year + 1) if not self.year(y).confirmed)

    def version(self, first: date, last: date) -> str:
        lo, hi = min(first, last), max(first, last)
        parts = [self.year(y).version for y in range(lo.year, hi.year + 1)]
        if len(parts) == 1:
            return parts[0]
        return hashlib.sha256("".join(parts).encode()).hexdigest()[:8]

    # -- arithmetic ------------------------------------------------------------

    def add_workdays(self, start: date, n: int) -> Deadline:
        """The n-th working day after ``start``; the start day is not counted (CAL-08, CAL-09)."""
        check_days(n)
        steps: list[Step] = []
        d, counted = start, 0
        while counted < n:
            d = _next(d)
            info = self.day(d)
            if info.working:
                counted += 1
                steps.append(Step(d, True, info.reason, counted))
            else:
                steps.append(Step(d, False, info.reason))
        return self._deadline(d, WD, start, n, steps, roll_over=False)

    def count_workdays(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; negative if b < a."""
        if b < a:
            return -self.count_workdays(b, a)
        total, d = 0, a
        while d < b:
            d = _next(d)
            if self.is_workday(d):
                total += 1
        return total

    def add_calendar_days(self, start: date, n: int, roll_over: bool = False) -> Deadline:
        """``start`` + n calendar days. With ``roll_over`` an end on a day off moves
        to the next working day (CAL-08); a make-up working Saturday stays."""
        check_days(n)
        steps = []
        d = start
        for i in range(1, n + 1):
            d = _next(d)
            steps.append(Step(d, True, self.day(d).reason, i))
        if roll_over and n > 0:
            end = self.day(d)
            if not end.working:
                steps[-1] = Step(d, True, f"{end.reason}，期限末日顺延", n)
                while True:
                    d = _next(d)
                    info = self.day(d)
                    if info.working:
                        steps.append(Step(d, True, f"{info.reason}（顺延后的期限末日）"))
                        break
                    steps.append(Step(d, False, info.reason))
        return self._deadline(d, CAL, start, n, steps, roll_over=roll_over)

    def _deadline(self, due: date, rule: str, start: date, n: int, steps, *, roll_over: bool) -> Deadline:
        # A plain calendar-day period does not depend on the holiday table.
        depends = rule == WD or roll_over
        first = _next(start) if due > start else start
        unconfirmed = self.unconfirmed_years(first, due) if depends else ()
        version = self.version(first, due) if depends else ""
        return Deadline(due=due, rule=rule, start=start, n=n, provisional=bool(unconfirmed),
                        unconfirmed_years=unconfirmed, calendar_version=version,
                        roll_over=roll_over, steps=tuple(steps))


def _next(d: date) -> date:
    try:
        return d + timedelta(days=1)
    except OverflowError:
        raise ValidationError("期限超出可计算的日期范围")


# -- module-level shortcuts (one query pair per call; pass calendar= in loops) --


def is_workday(d: date, *, calendar: Calendar | None = None) -> bool:
    return (calendar or Calendar()).is_workday(d)


def add_workdays(start: date, n: int, *, calendar: Calendar | None = None) -> Deadline:
    return (calendar or Calendar()).add_workdays(start, n)


def count_workdays(a: date, b: date, *, calendar: Calendar | None = None) -> int:
    return (calendar or Calendar()).count_workdays(a, b)


def add_calendar_days(start: date, n: int, roll_over: bool = False, *,
                      calendar: Calendar | None = None) -> Deadline:
    return (calendar or Calendar()).add_calendar_days(start, n, roll_over)
