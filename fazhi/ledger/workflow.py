"""The task ledger's states, as data (no database here).

Plans (``PLAN_WORKFLOW``; document 5, measure 41: the plan is issued, then
carried out)::

    待下达 --activate--> 已下达     (every measure with its lead unit and deadline: checked by the service)

Progress reports (``REPORT_WORKFLOW``): a report counts toward progress only
once the reporting unit's head has confirmed it::

    待确认 --confirm--> 已审核
    待确认 --return--> 已退回

Supervision (``SUPERVISION_WORKFLOW``: 督办, 约谈, 责令整改, 通报批评)::

    待回复 | 已回复 --respond--> 已回复     (the unit may correct its answer until closed)
    待回复 | 已回复 --close--> 已办结      (guard: answered, except 通报批评, which needs no answer)
"""

from fazhi.core.workflow import Guard, Transition, Workflow, fact
from fazhi.ledger.models import PlanStatus, ReportStatus, SupervisionStatus

PLAN_WORKFLOW = Workflow(
    "ledger_plan",
    [Transition("activate", "下达", (PlanStatus.DRAFT,), PlanStatus.ACTIVE)],
    state_labels={s.value: s.label for s in PlanStatus},
)

REPORT_WORKFLOW = Workflow(
    "ledger_report",
    [
        Transition("confirm", "审核确认", (ReportStatus.SUBMITTED,), ReportStatus.CONFIRMED),
        Transition("return", "退回", (ReportStatus.SUBMITTED,), ReportStatus.RETURNED),
    ],
    state_labels={s.value: s.label for s in ReportStatus},
)

_OPEN = (SupervisionStatus.OPEN, SupervisionStatus.RESPONDED)

SUPERVISION_WORKFLOW = Workflow(
    "ledger_supervision",
    [
        Transition("respond", "回复", _OPEN, SupervisionStatus.RESPONDED),
        Transition("close", "办结", _OPEN, SupervisionStatus.CLOSED,
                   guards=(Guard("", "被督办单位尚未回复，不能办结", fact("answered_or_not_needed"),
                                 unlock="被督办单位回复"),)),
    ],
    state_labels={s.value: s.label for s in SupervisionStatus},
)


def supervision_facts(action) -> dict:
    """The facts the supervision guards read (fail closed: every key given)."""
    from fazhi.ledger.models import SupervisionKind

    return {"answered_or_not_needed": action.status == SupervisionStatus.RESPONDED
            or action.kind == SupervisionKind.CRITICISE}
