"""The place-dependent rules of 考核评价, as settings with defaults.

Override a key in ``settings.FAZHI_ASSESSMENT`` (a dict) or from the
environment (``FAZHI_ASSESSMENT__RANK_MIN_INDICATORS=4``); see
``fazhi.core.local_rules``.
"""

import sys

from fazhi.core import local_rules

DEFAULTS = {
    # A unit is ranked only with data on at least N indicators; with fewer it is
    # listed after the ranked units as 数据不足 (one perfect item must not rank first).
    "rank_min_indicators": 3,
}


def get(key: str) -> int:
    return int(local_rules.in_force("FAZHI_ASSESSMENT").get(key, DEFAULTS[key]))


LOCAL_RULES = local_rules.RuleGroup.declare("FAZHI_ASSESSMENT", "考核评价", sys.modules[__name__], DEFAULTS)
