"""Deadlines and settings of the annual 法治政府建设情况报告 (rules.md §12).

Settings override the defaults through ``settings.FAZHI_ANNUAL_REPORT`` (a
dict), e.g. ``FAZHI_ANNUAL_REPORT = {"DEPARTMENT_SUBMIT_BY": (3, 1)}``:

* ``SUBMIT_BY`` — RPT-04: a government reports to the same-level Party
  committee, 人大常委会 and the higher government in the first quarter;
  default (3, 31) = 31 March of the following year.
* ``DEPARTMENT_SUBMIT_BY`` — RPT-04: a provincial guide asks departments for
  1 March (the national article is UNCONFIRMED); default the same as
  ``SUBMIT_BY``; set (3, 1) where the local guide applies.
* ``PUBLISH_BY`` — RPT-01: published by 1 April of the following year.
* ``DUE_SOON_WORKDAYS`` — the dashboard warns this many working days before a
  deadline (counted through fazhi.workdays; CAL-01…06).

The deadlines are fixed **calendar dates** set by the instrument (“每年4月1日
之前”), not periods: they are stored as such and do not roll over when they
fall on a weekend or holiday. Working-day arithmetic is used only for the
“due soon” window.
"""

import sys
from datetime import date

from django.conf import settings

from fazhi.core import local_rules
from fazhi.org.models import UnitKind
from fazhi.workdays.calendar import Calendar

DEFAULTS = {
    "SUBMIT_BY": (3, 31),
    "DEPARTMENT_SUBMIT_BY": (3, 31),
    "PUBLISH_BY": (4, 1),
    "DUE_SOON_WORKDAYS": 10,
}

RULE_PUBLISH = "RPT-01"
RULE_CONTENTS = "RPT-02"
RULE_RECIPIENTS = "RPT-03"
RULE_SUBMIT = "RPT-04"

# Units that report (internal offices and 站所 report through their unit).
REPORTING_KINDS = (UnitKind.GOVERNMENT, UnitKind.DEPARTMENT, UnitKind.TOWN)


def setting(name: str):
    overrides = local_rules.in_force("FAZHI_ANNUAL_REPORT")
    # The environment gives lower-case keys (FAZHI_ANNUAL_REPORT__SUBMIT_BY -> submit_by).
    return overrides.get(name, overrides.get(name.lower(), DEFAULTS[name]))


def _on(year: int, month_day) -> date:
    month, day = month_day
    return date(year, int(month), int(day))


def is_government(unit) -> bool:
    """Governments (区政府, 镇政府) report to the Party committee, the people's
    congress and the higher government; departments to the government and the
    higher-level department (RPT-03)."""
    return unit.kind in (UnitKind.GOVERNMENT, UnitKind.TOWN)


def submit_due(unit, year: int) -> date:
    """RPT-04: the report on ``year`` goes to the higher level by this date of ``year + 1``."""
    key = "SUBMIT_BY" if is_government(unit) else "DEPARTMENT_SUBMIT_BY"
    return _on(year + 1, setting(key))


def publish_due(unit, year: int) -> date:
    """RPT-01: the report on ``year`` is public by 1 April of ``year + 1``."""
    return _on(year + 1, setting("PUBLISH_BY"))


def kind_of(due: date | None, today: date, *, calendar: Calendar | None = None) -> str:
    """"overdue" after the date, "due_soon" within DUE_SOON_WORKDAYS working days, else "todo"."""
    if due is None:
        return "todo"
    if due < today:
        return "overdue"
    cal = calendar or Calendar(years=[today.year, due.year])
    if cal.count_workdays(today, due) <= int(setting("DUE_SOON_WORKDAYS")):
        return "due_soon"
    return "todo"


# RPT-03: who receives the report, by the kind of the reporting unit. Each row:
# (key, label, default name built from the unit). Staff may correct the names.
def required_recipients(unit) -> list[tuple[str, str, str]]:
    district = getattr(settings, "FAZHI_DISTRICT_NAME", "")
    parent = unit.parent.name if unit.parent_id and unit.parent else f"{district}人民政府"
    if unit.kind == UnitKind.GOVERNMENT:
        return [
            ("party", "同级党委", f"中共{district}委员会"),
            ("congress", "同级人大常委会", f"{district}人民代表大会常务委员会"),
            ("higher_gov", "上一级人民政府", "上一级人民政府"),
        ]
    if unit.kind == UnitKind.TOWN:
        return [
            ("party", "同级党委", f"中共{unit.name.replace('人民政府', '')}委员会"),
            ("congress", "同级人大", f"{unit.name.replace('人民政府', '')}人民代表大会主席团"),
            ("higher_gov", "上一级人民政府", parent),
        ]
    return [
        ("government", "本级人民政府（党委、政府）", parent),
        ("higher_dept", "上级主管部门", "上级主管部门"),
    ]


def copy_to() -> str:
    """RPT-03: departments copy the county rule-of-law coordination office."""
    district = getattr(settings, "FAZHI_DISTRICT_NAME", "")
    return f"中共{district}委全面依法治区委员会办公室"


LOCAL_RULES = local_rules.RuleGroup.declare("FAZHI_ANNUAL_REPORT", "年度报告", sys.modules[__name__], DEFAULTS)
