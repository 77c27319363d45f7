"""The stored due dates of the 任务清单与推进台账 that follow the calendar,
registered with ``fazhi.workdays.deadlines`` (listed in ``fazhi/modules.py``).

A measure's or task's ``due_on`` is its deadline, rolled over to the next
working day when the deadline falls on a day off (``status.effective_due``):
the date set is the start, the roll-over the rule.

A supervision action's answer deadline is stored without saying whether it
was computed or set by hand, so it is not recomputed.
"""

from django.urls import reverse

from fazhi.ledger import status as st
from fazhi.ledger.services import setting
from fazhi.workdays.deadlines import DeadlineKind, Recomputed


def _due(obj, calendar):
    due, provisional = st.effective_due(obj.deadline, calendar, roll_over=setting("LEDGER_DEADLINE_ROLL_OVER", True))
    return Recomputed(due, provisional)


def _kind(key, label, model, unit, url, select_related) -> DeadlineKind:
    return DeadlineKind(
        key=key, label=label, model=model, start="deadline", due="due_on", provisional="due_provisional",
        compute=_due, permission="ledger.view", decide_permission="ledger.manage", unit=unit, url=url,
        select_related=select_related,
    )


KINDS = (
    _kind("ledger.measure", "措施完成时限（考核截止日）", "ledger.Measure", lambda m: m.lead_unit or m.plan.unit,
          lambda m: reverse("ledger:measure_detail", args=[m.pk]), ("lead_unit", "plan__unit")),
    _kind("ledger.task", "分解任务完成时限（考核截止日）", "ledger.Task", lambda t: t.unit,
          lambda t: reverse("ledger:measure_detail", args=[t.measure_id]), ("unit", "measure")),
)
