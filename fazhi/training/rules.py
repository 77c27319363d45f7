"""Rules of 学法用法 and training hours (rules.md §11 and ENF-26), with the
local values as settings.

Settings override the defaults through ``settings.FAZHI_TRAINING`` (a dict),
e.g. ``FAZHI_TRAINING = {"OFFICER_HOURS": 72, "STAFF_HOURS": 40}``:

* ``OFFICER_HOURS`` — ENF-26: at least 60 学时 of business and legal
  training per enforcement officer (org role 执法人员) per calendar year.
  The figure is UNCONFIRMED nationally (rules.md §14 item 3), hence a setting.
* ``STAFF_HOURS`` — LAW-04: a yearly minimum for other staff exists only as
  local examples ("at least 40 学时"), UNCONFIRMED nationally, so the default
  is 0 = no requirement; a place that has one sets it.
* ``MAX_SESSION_HOURS`` — a sanity bound on one session's hours.
* ``IMPORT_MAX_ROWS`` / ``IMPORT_MAX_BYTES`` — limits of an attendance or
  score import.

Years are calendar years (1 January – 31 December) by the session date.
"""

import sys
from datetime import date
from decimal import Decimal

from fazhi.core import local_rules

DEFAULTS = {
    "OFFICER_HOURS": 60,
    "STAFF_HOURS": 0,
    "MAX_SESSION_HOURS": 200,
    "IMPORT_MAX_ROWS": 2000,
    "IMPORT_MAX_BYTES": 2 * 1024 * 1024,
}

# Rule IDs cited in refusals and docstrings.
RULE_OFFICER_HOURS = "ENF-26"
RULE_STAFF_HOURS = "LAW-04"
RULE_RECORD = "LAW-05"  # per person per year: hours, sessions, exam results
# The pre-implementation training on a new law (新法施行前培训) comes from the
# 2016 学法用法 opinion (LAW-02); rules.md has no row of its own for it.
RULE_PRE_IMPLEMENTATION = "LAW-02"


def setting(name: str):
    overrides = local_rules.in_force("FAZHI_TRAINING")
    # The environment gives lower-case keys (FAZHI_TRAINING__OFFICER_HOURS -> officer_hours).
    return overrides.get(name, overrides.get(name.lower(), DEFAULTS[name]))


def officer_hours() -> Decimal:
    """ENF-26: yearly minimum of an enforcement officer."""
    return Decimal(str(setting("OFFICER_HOURS")))


def staff_hours() -> Decimal:
    """LAW-04: yearly minimum of other staff (0 = none)."""
    return Decimal(str(setting("STAFF_HOURS")))


def required_hours(*, is_officer: bool) -> Decimal:
    return officer_hours() if is_officer else staff_hours()


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def in_last_quarter(today: date) -> bool:
    """Q4: when a unit still has people short of hours, the dashboard says so."""
    return today.month >= 10


# Import limits are set at deploy time only (they must match the proxy's upload limit).
LOCAL_RULES = local_rules.RuleGroup.declare("FAZHI_TRAINING", "学法培训", sys.modules[__name__], DEFAULTS,
                                            deploy_only=("IMPORT_MAX_ROWS", "IMPORT_MAX_BYTES"))
