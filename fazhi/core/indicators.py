"""The shape of an assessment indicator, declared by the module that owns the records.

Each domain module that feeds the 考核评价 declares ``INDICATORS`` in its own
``fazhi/<app>/indicators.py``; ``fazhi.assessment.registry`` lists those modules
by hand and shows an indicator only when its module is installed. The formula
lives beside the records it reads, so the assessment app never queries another
app's models, and every figure can be drilled down to the records behind it.

Conventions every ``count``/``records`` pair keeps:

- *year* is a calendar year; each indicator's docstring/``description`` says which
  date of a record places it in a year (e.g. the publication date).
- A unit's figure covers the unit **and its sub-units** (``Unit.path`` prefix), so
  the government's figure is the whole district's and a department's includes its
  internal units.
- ``records(unit, year)`` returns exactly the records ``count`` counted for that unit:
  ``len(records) == denominator`` and ``sum(r.counted) == numerator``. Tests hold
  each module to this.
- The value is ``numerator / denominator``; a unit with no records (denominator 0)
  has no value ("无数据"), which is not the same as 0 %.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Count:
    numerator: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class RecordRef:
    """One record behind a figure, as the drill-down page lists it."""

    title: str  # e.g. "关于……的通知（区农业农村局）"
    url: str  # the staff page of the record ("" if it has none)
    counted: bool  # True when it counts towards the numerator
    note: str = ""  # why it does or does not count, e.g. "逾期 3 个工作日报备"
    date: object = None  # the date that placed it in the year


@dataclass(frozen=True)
class IndicatorSource:
    code: str  # stable, upper-case: "NDOC_FILED_ON_TIME"
    name: str  # 规范性文件按期报备率
    module: str  # app label of the module owning the records
    description: str  # the formula in words: numerator / denominator, which date counts
    rule: str = ""  # rule IDs from ../shared/docs/rules.md, e.g. "NDOC-16"
    default_target: float = 1.0  # 0..1
    # (year, units) -> {unit.pk: Count} for every unit passed (Count(0, 0) when none).
    # Must run a fixed number of queries whatever the number of units.
    # (A module's count/records may also take ``today=`` as a keyword; hence "...".)
    count: Callable[..., dict[int, Count]] | None = None
    # (unit, year) -> the records counted for that unit.
    records: Callable[..., list[RecordRef]] | None = None


# ---------------------------------------------------------------- helpers
# The modules' count() functions share one shape: a single grouped query over
# the units' subtrees, then a roll-up along Unit.path in Python. Kept here so
# every module counts "a unit and its sub-units" the same way.

def subtree_q(units: Sequence, field: str = "unit"):
    """Records whose ``field`` (a FK to org.Unit) lies in any of the units' subtrees."""
    from django.db.models import Q

    paths = sorted({u.path for u in units})
    tops = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    q = Q(pk__in=[])
    for p in tops:
        q |= Q(**{f"{field}__path__startswith": p})
    return q


def rollup(rows, units: Sequence) -> dict[int, Count]:
    """``rows``: (unit path, numerator, denominator) per unit with records; each of
    ``units`` gets the sum over its subtree (Count(0, 0) when it has none)."""
    rows = list(rows)
    out = {}
    for u in units:
        num = den = 0
        for path, n, d in rows:
            if path.startswith(u.path):
                num, den = num + n, den + d
        out[u.pk] = Count(num, den)
    return out


def count_by_unit(qs, units: Sequence, ok, field: str = "unit") -> dict[int, Count]:
    """One grouped query: the records of ``qs`` per unit (denominator) and those
    matching the Q ``ok`` (numerator), rolled up over each unit's subtree."""
    from django.db.models import Count as N

    if not units:
        return {}
    rows = (qs.filter(subtree_q(units, field)).order_by().values(f"{field}__path")
            .annotate(den=N("pk"), num=N("pk", filter=ok)))
    return rollup(((r[f"{field}__path"], r["num"], r["den"]) for r in rows), units)
