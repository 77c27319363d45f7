"""Every rule of this module that varies by place, as a setting with a default.

Override any key in ``settings.FAZHI_DECISIONS`` (a dict), e.g.::

    FAZHI_DECISIONS = {"consultation_days": 30, "min_experts": 5}

Defaults follow docs/rules.md §2 (MDEC-*). Each computed deadline is stored
with its due date, the workdays "provisional" flag and ``rule_text``.

The random draw of experts is the verifiable draw of ``fazhi/core/draw.py``
(``expert_draw.py``; commit, then reveal; nobody chooses the seed). ``draw``
below is only the ranking by SHA-256 of "seed:id" that reviews drawn before
used — kept so that their stored seed and candidates still verify.
"""

import hashlib
import sys
from dataclasses import dataclass
from datetime import date

from fazhi.core import local_rules
from fazhi.workdays.calendar import Deadline, add_calendar_days, add_workdays

DEFAULTS = {
    # MDEC-04: public comment normally >= 30 (calendar) days; shorter only with a stated reason.
    "consultation_days": 30,
    # MDEC-06: at least 3 experts from the matter's field (local practice, source documents).
    "min_experts": 3,
    # MDEC-09: allow at least 7 working days for the legality review.
    "legal_review_workdays": 7,
    # MDEC-15: default period of a post-evaluation (no national figure; local 后评估办法 use ~3 months).
    "post_evaluation_days": 90,
    # Dashboard: how many days ahead a due date counts as "due soon".
    "due_soon_days": 7,
}

RULE_IDS = {
    "consultation_days": "MDEC-04",
    "min_experts": "MDEC-06",
    "legal_review_workdays": "MDEC-09",
    "post_evaluation_days": "MDEC-15",
}


def get(key: str) -> int:
    overrides = local_rules.in_force("FAZHI_DECISIONS")
    value = overrides.get(key, DEFAULTS[key])
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"FAZHI_DECISIONS[{key!r}] must be a non-negative integer, got {value!r}")
    return value


@dataclass(frozen=True)
class Due:
    due: date
    provisional: bool
    rule_text: str  # e.g. "MDEC-09 7个工作日"
    deadline: Deadline | None = None


def _due(key: str, deadline: Deadline) -> Due:
    return Due(deadline.due, deadline.provisional, f"{RULE_IDS[key]} {deadline.rule_label}", deadline)


def consultation_min_end(start: date) -> Due:
    """MDEC-04: the earliest day a consultation may end — 30 calendar days
    after the start (the start day is not counted: 1 March -> 31 March)."""
    return _due("consultation_days", add_calendar_days(start, get("consultation_days")))


def legal_review_due(submitted_on: date) -> Due:
    """MDEC-09: the legality review gets at least 7 working days from submission."""
    return _due("legal_review_workdays", add_workdays(submitted_on, get("legal_review_workdays")))


def post_evaluation_due(started_on: date) -> Due:
    return _due("post_evaluation_days", add_calendar_days(started_on, get("post_evaluation_days")))


def min_experts() -> int:
    """MDEC-06: at least this many experts from the matter's field."""
    return get("min_experts")


# ------------------------------------------------- random draw of earlier reviews


def draw_rank(seed: str, candidate_id: int) -> str:
    return hashlib.sha256(f"{seed}:{candidate_id}".encode()).hexdigest()


def draw(seed: str, candidates: list[int], count: int) -> list[int]:
    """The draw of reviews recorded before fazhi-draw/2: candidates ordered by
    SHA-256("seed:id"), first ``count`` taken (a seed could be typed by the
    clerk — which is why new draws use the committed draw instead)."""
    ordered = sorted(candidates, key=lambda c: (draw_rank(seed, c), c))
    return ordered[:count]


LOCAL_RULES = local_rules.RuleGroup.declare(
    "FAZHI_DECISIONS", "重大行政决策", sys.modules[__name__], DEFAULTS, rule_ids=RULE_IDS)
