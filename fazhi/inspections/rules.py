"""The rules of 双随机、一公开 as settings and pure functions (rules.md §4).

Override any key in ``settings.FAZHI_INSPECTIONS`` (a dict), e.g.::

    FAZHI_INSPECTIONS = {"publish_within_workdays": 20, "random_share_target": "0.5"}

Nothing here reads the clock: callers pass ``today``.
"""

import sys
from datetime import date
from decimal import Decimal

from fazhi.core import local_rules
from fazhi.workdays.calendar import Calendar, Deadline

DEFAULTS = {
    # RAND-07: publish inspection results within 20 WD of the end of the check (local practice;
    # the national text is UNCONFIRMED, hence a setting).
    "publish_within_workdays": 20,
    # RAND-01: the share of a department's inspections done by double-random draw (30% and up).
    "random_share_target": "0.3",
    # RAND-05: at least 2 inspectors per check.
    "min_team_size": 2,
    # RAND-05 (docs/draw-algorithm.md §2): witnesses (监督人) whose values enter the seed; a draw
    # is frozen only with at least this many (e.g. the 纪检 officer and a public representative).
    "min_witnesses": 1,
    "max_witnesses": 9,
    # Dashboard: a publication due within N calendar days is "due soon".
    "due_soon_days": 5,
    # Import: rows of the error report kept on the EntityImport row (the count is always exact).
    "max_stored_errors": 1000,
    # Import: the largest upload accepted (MB).
    "import_max_mb": 1024,
    # Import: start the work in the web process (the one-off job ``inspections.import``)
    # as soon as the upload is committed, so the clerk sees progress at once; the job ``inspections.imports``
    # still picks up whatever is left pending (e.g. after a restart). Turn off where
    # web processes must not run long work (then only the worker runs imports).
    "start_imports_at_once": True,
    # Import: an import "导入中" without a heartbeat for this many minutes was interrupted
    # (its process died): the job marks it failed (nothing was written: pass 2 is one
    # transaction) and removes its temporary file.
    "import_stale_minutes": 10,
}

RULE_RANDOM = "RAND-01"
RULE_LISTS = "RAND-02"
RULE_POOLS = "RAND-03"
RULE_ITEMS = "RAND-04"
RULE_DRAW = "RAND-05"
RULE_PUBLISH = "RAND-07"
RULE_PLAN = "RAND-09"
RULE_PUBLISHED_ITEMS = "ENF-28"


def get(key: str):
    overrides = local_rules.in_force("FAZHI_INSPECTIONS")
    return overrides.get(key, DEFAULTS[key])


def random_share_target() -> Decimal:
    return Decimal(str(get("random_share_target")))


def publish_due(inspected_on: date, *, calendar: Calendar | None = None) -> Deadline:
    """RAND-07: the last day to publish a result: N working days after the end
    of the check (the day of the check is not counted; 调休 Saturdays count)."""
    cal = calendar or Calendar()
    return cal.add_workdays(inspected_on, int(get("publish_within_workdays")))


def publish_rule_text() -> str:
    return f"{RULE_PUBLISH} {int(get('publish_within_workdays'))}个工作日"


# How the server runs imports is set at deploy time only (it must match the proxy's
# upload limit and the worker set-up), never on the admin screen.
LOCAL_RULES = local_rules.RuleGroup.declare(
    "FAZHI_INSPECTIONS", "双随机一公开", sys.modules[__name__], DEFAULTS,
    deploy_only=("max_stored_errors", "import_max_mb", "start_imports_at_once", "import_stale_minutes"))
