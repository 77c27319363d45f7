"""Dates a person enters (SYS-03) — DESIGN invariant 8.

The law's clock runs on the server's date: services receive ``today`` from
the server, never from a page or the API. Some dates are legitimately typed
by a person — a meeting held yesterday, a letter received last week, a
decision served in the field. Those are checked here:

* never after today (an act cannot be recorded before it happens);
* never before the steps they follow (a service date before the decision);
* more than ``FAZHI_BACKDATE_DAYS`` days (default 15) in the past only with a
  reason, and then flagged in the trail (``audit_data``).

    held = entered_date(d["held_on"], today=today, label="会议日期", field="held_on",
                        after=[(review.completed_on, "合法性审查完成日期")], reason=d.get("late_reason", ""))
    audit.record(obj, "…", by=by, data={..., **held.audit_data()})
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings

from fazhi.core.errors import ValidationError

DATE_RULE = "SYS-03"


def backdate_days() -> int:
    return int(getattr(settings, "FAZHI_BACKDATE_DAYS", 15))


@dataclass(frozen=True)
class EnteredDate:
    value: date
    days_back: int
    late_reason: str = ""

    @property
    def late(self) -> bool:
        return bool(self.late_reason)

    def audit_data(self, key: str = "") -> dict:
        """What the trail records about a late entry (empty when on time)."""
        if not self.late:
            return {}
        prefix = f"{key}_" if key else ""
        return {f"{prefix}backdated_days": self.days_back, f"{prefix}backdate_reason": self.late_reason}


def _as_date(value, label: str, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    message = f"请填写{label}（格式 YYYY-MM-DD）"
    raise ValidationError(message, fields={field: [message]})


def entered_date(value, *, today: date, label: str, field: str,
                 after: Iterable[tuple[date | None, str]] = (), reason: str = "",
                 max_back: int | None = None) -> EnteredDate:
    """Check a date typed by a person; return it with its lateness.

    ``after`` lists (date, name) of the steps it follows; a None date is
    skipped. ``reason`` explains an entry more than ``max_back`` days late.
    """
    d = _as_date(value, label, field)

    def refuse(message: str):
        raise ValidationError(message, rule=DATE_RULE, fields={field: [message]})

    if d > today:
        refuse(f"{label}（{d.isoformat()}）不能晚于今天（{today.isoformat()}）")
    for earlier, name in after:
        if isinstance(earlier, datetime):
            earlier = earlier.date()
        if earlier is not None and d < earlier:
            refuse(f"{label}（{d.isoformat()}）不能早于{name}（{earlier.isoformat()}）")
    limit = backdate_days() if max_back is None else max_back
    days_back = (today - d).days
    reason = (reason or "").strip()
    if days_back > limit:
        if not reason:
            refuse(f"{label}（{d.isoformat()}）早于今天{days_back}天，超过{limit}天的补录须说明理由")
        return EnteredDate(d, days_back, reason[:500])
    return EnteredDate(d, days_back)
