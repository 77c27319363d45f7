"""Indicators of the ledger for 考核评价 (fazhi/core/indicators.py).

LEDGER_ON_TIME 任务按期完成率 = measures and tasks due in the year that were
completed on or before their due date / measures and tasks due in the year.

* A measure counts for its **lead unit**, a split task for its task unit,
  each with its sub-units (``Unit.path`` prefix); only issued (已下达) plans.
* The *deadline* places a record in a year; completion is judged against
  the due date (the deadline, or the next working day when it falls on a
  day off — status.py). Completion is the first counted report of 100 %.
"""

from collections.abc import Sequence

from django.urls import reverse

from fazhi.core.indicators import Count, IndicatorSource, RecordRef
from fazhi.ledger.models import Measure, PlanStatus, Task


def _rows(year: int, prefixes: Sequence[str] | None):
    ms = (Measure.objects.filter(plan__status=PlanStatus.ACTIVE, deadline__year=year, lead_unit__isnull=False)
          .values("pk", "number", "title", "deadline", "due_on", "completed_on", "lead_unit__path",
                  "lead_unit__name"))
    ts = (Task.objects.filter(measure__plan__status=PlanStatus.ACTIVE, deadline__year=year)
          .values("pk", "seq", "title", "deadline", "due_on", "completed_on", "unit__path", "unit__name",
                  "measure_id", "measure__number"))
    out = []
    for m in ms:
        out.append({"path": m["lead_unit__path"], "title": f"措施{m['number']} {m['title']}（{m['lead_unit__name']}牵头）",
                    "url": reverse("ledger:measure_detail", args=[m["pk"]]), "deadline": m["deadline"],
                    "due": m["due_on"], "done": m["completed_on"], "key": (0, m["number"], m["pk"])})
    for t in ts:
        out.append({"path": t["unit__path"],
                    "title": f"分解任务{t['measure__number']}-{t['seq']} {t['title']}（{t['unit__name']}）",
                    "url": reverse("ledger:measure_detail", args=[t["measure_id"]]), "deadline": t["deadline"],
                    "due": t["due_on"], "done": t["completed_on"], "key": (1, t["measure__number"], t["seq"])})
    return out


def _on_time(r) -> bool:
    return r["done"] is not None and r["due"] is not None and r["done"] <= r["due"]


def count(year: int, units: Sequence) -> dict[int, Count]:
    """Two queries whatever the number of units."""
    rows = _rows(year, None)
    out = {}
    for u in units:
        mine = [r for r in rows if r["path"].startswith(u.path)]
        out[u.pk] = Count(sum(1 for r in mine if _on_time(r)), len(mine))
    return out


def _note(r) -> str:
    if r["done"] is None:
        return "未完成"
    if _on_time(r):
        return f"{r['done']:%Y-%m-%d} 完成，按期"
    return f"{r['done']:%Y-%m-%d} 完成，超过期限（{r['due']:%Y-%m-%d}）"


def records(unit, year: int) -> list[RecordRef]:
    rows = sorted((r for r in _rows(year, None) if r["path"].startswith(unit.path)), key=lambda r: r["key"])
    return [RecordRef(r["title"], r["url"], _on_time(r), _note(r), r["deadline"]) for r in rows]


INDICATORS = (
    IndicatorSource(
        code="LEDGER_ON_TIME",
        name="任务按期完成率",
        module="ledger",
        description="当年到期的措施（按牵头单位）和分解任务（按责任单位）中，在期限内报送完成（100%）的数量 / "
                    "当年到期的措施和分解任务数量；以完成时限所在年度归年，期限末日遇节假日顺延至下一工作日",
        rule="",
        default_target=1.0,
        count=count,
        records=records,
    ),
)


# ------------------------------------------------------------ overdue (cockpit)

def _measures_overdue(today):
    # The same rule as the ledger's own 逾期 status (status.py): not completed, past due_on.
    return Measure.objects.filter(plan__status=PlanStatus.ACTIVE, completed_on__isnull=True, due_on__lt=today,
                                  lead_unit__isnull=False)


def _tasks_overdue(today):
    return Task.objects.filter(measure__plan__status=PlanStatus.ACTIVE, completed_on__isnull=True, due_on__lt=today)


# (title, rule, query(today) -> QuerySet, unit field, list URL name), read by the cockpit.
OVERDUE = (
    ("逾期未完成的任务措施（牵头单位）", "", _measures_overdue, "lead_unit", "ledger:overdue"),
    ("逾期未完成的分解任务", "", _tasks_overdue, "unit", "ledger:overdue"),
)
