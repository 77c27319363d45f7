"""Every rule of this module that varies by place, as a setting with a default.

Override any key in ``settings.FAZHI_NORMDOCS`` (a dict), e.g.::

    FAZHI_NORMDOCS = {"filing_days": 30, "validity_years": 3}

Defaults are the national or most common values (docs/rules.md §1). Each
deadline computed from them is stored with its due date, the workdays
"provisional" flag and ``rule_text`` (the rule ID and value used), so a
later change of a setting never silently rewrites an old deadline.
"""

import sys
from dataclasses import dataclass
from datetime import date

from fazhi.core import local_rules
from fazhi.workdays.calendar import Deadline, add_calendar_days, add_workdays

DEFAULTS = {
    # NDOC-04: documents closely tied to market entities, >= 30 (calendar) days of public comment.
    "comment_days_market": 30,
    # NDOC-05: other documents, normally >= 7 working days.
    "comment_workdays": 7,
    # NDOC-08: legality review window 5–15 working days; due = accepted + max.
    "legal_review_min_workdays": 5,
    "legal_review_max_workdays": 15,
    # NDOC-20: publish within 20 working days of adoption (集体讨论).
    "publication_workdays": 20,
    # NDOC-11: effective date normally >= 30 days after publication.
    "effective_min_days": 30,
    # NDOC-12: file within 15 calendar days of publication (varies: 3 WD .. 30 days).
    "filing_days": 15,
    # NDOC-15: the filing organ finishes its review within 30 days of acceptance.
    "filing_review_days": 30,
    # NDOC-19: the maker reports its correction within 30 days.
    "correction_days": 30,
    # NDOC-17: validity 5 years; 2 years for 暂行/试行; evaluation in the 6 months before expiry.
    "validity_years": 5,
    "trial_validity_years": 2,
    "evaluation_months": 6,
    # NDOC-18: clean-up every 2 years.
    "cleanup_years": 2,
    # NDOC-16: reply to a citizen's review proposal. No national figure; 30 calendar days
    # follows the filing-review period (NDOC-15) of the same office.
    "proposal_reply_days": 30,
    # Dashboard: how many days ahead a due date counts as "due soon".
    "due_soon_days": 7,
}

RULE_IDS = {
    "comment_days_market": "NDOC-04",
    "comment_workdays": "NDOC-05",
    "legal_review_max_workdays": "NDOC-08",
    "publication_workdays": "NDOC-20",
    "effective_min_days": "NDOC-11",
    "filing_days": "NDOC-12",
    "filing_review_days": "NDOC-15",
    "correction_days": "NDOC-19",
    "validity_years": "NDOC-17",
    "trial_validity_years": "NDOC-17",
    "evaluation_months": "NDOC-17",
    "cleanup_years": "NDOC-18",
    "proposal_reply_days": "NDOC-16",
}


def get(key: str) -> int:
    overrides = local_rules.in_force("FAZHI_NORMDOCS")
    value = overrides.get(key, DEFAULTS[key])
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"FAZHI_NORMDOCS[{key!r}] must be a non-negative integer, got {value!r}")
    return value


@dataclass(frozen=True)
class Due:
    """A computed deadline: what is stored with the record."""

    due: date
    provisional: bool
    rule_text: str  # e.g. "NDOC-12 15个自然日"
    deadline: Deadline | None = None


def _due(key: str, deadline: Deadline) -> Due:
    return Due(deadline.due, deadline.provisional, f"{RULE_IDS[key]} {deadline.rule_label}", deadline)


def calendar_days(key: str, start: date) -> Due:
    return _due(key, add_calendar_days(start, get(key)))


def workdays(key: str, start: date) -> Due:
    return _due(key, add_workdays(start, get(key)))


# ------------------------------------------------------------- named rules

def comment_min_end(start: date, *, touches_market: bool) -> Due:
    """The earliest day a consultation may end (NDOC-04 / NDOC-05).

    The start day is not counted (CAL-08 reading): 30 days from 1 March end
    on 31 March; 7 working days are the 7 working days after the start.
    """
    if touches_market:
        return calendar_days("comment_days_market", start)
    return workdays("comment_workdays", start)


def legal_review_due(accepted_on: date) -> Due:
    """NDOC-08: at most 15 working days after acceptance."""
    return workdays("legal_review_max_workdays", accepted_on)


def publication_due(adopted_on: date) -> Due:
    """NDOC-20: publish within 20 working days of adoption."""
    return workdays("publication_workdays", adopted_on)


def earliest_effective(published_on: date) -> Due:
    """NDOC-11: effective normally >= 30 days after publication."""
    return calendar_days("effective_min_days", published_on)


def filing_due(published_on: date) -> Due:
    """NDOC-12: file within N calendar days of publication (default 15)."""
    return calendar_days("filing_days", published_on)


def filing_review_due(accepted_on: date) -> Due:
    """NDOC-15: the filing organ reviews within 30 days of acceptance."""
    return calendar_days("filing_review_days", accepted_on)


def correction_due(ordered_on: date) -> Due:
    """NDOC-19: the maker reports its handling within 30 days."""
    return calendar_days("correction_days", ordered_on)


def proposal_reply_due(submitted_on: date) -> Due:
    return calendar_days("proposal_reply_days", submitted_on)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    import calendar as _cal

    return date(y, m, min(day.day, _cal.monthrange(y, m)[1]))


def is_trial_title(title: str) -> bool:
    """暂行/试行 in the title -> the shorter validity (NDOC-17)."""
    return "暂行" in title or "试行" in title


def valid_until(effective_on: date, *, trial: bool) -> tuple[date, str]:
    """Last day of validity (inclusive) and the rule used (NDOC-17).

    5 years from 1 March 2026 -> valid until 28 February 2031.
    """
    key = "trial_validity_years" if trial else "validity_years"
    years = get(key)
    return add_years(effective_on, years) - _one_day(), f"NDOC-17 {years}年{'（试行/暂行）' if trial else ''}"


def evaluation_starts(valid_until_day: date) -> date:
    """First day of the evaluation window before expiry (NDOC-17)."""
    return add_months(valid_until_day, -get("evaluation_months"))


def cleanup_due(last_published: date) -> date:
    """The next periodic clean-up is due N years after the last one (NDOC-18)."""
    return add_years(last_published, get("cleanup_years"))


def _one_day():
    from datetime import timedelta

    return timedelta(days=1)


LOCAL_RULES = local_rules.RuleGroup.declare(
    "FAZHI_NORMDOCS", "规范性文件", sys.modules[__name__], DEFAULTS, rule_ids=RULE_IDS)
