"""What may this person do to this case today, and if not, why — the one
answer the case page and the API render (STYLE.md "What a page may offer";
``fazhi.major_decisions.actions`` is the same shape). The services check
everything again; this module only reads.

An action is named as the API runs it. It is either a transition of
``workflow.CASE_WORKFLOW`` (offered when the table allows it now, listed as
blocked with the refusing rule and the step that lifts it when the case is
in a source state but a guard refuses) or a step outside the table, offered
when the records say it is open: the case information and its officers
(ENF-01), extension and clock stops (ENF-08), publication and its
withdrawal (ENF-19/20, ENF-11), the record of a changed decision.
"""

from dataclasses import dataclass
from datetime import date

from fazhi.enforcement.models import ClockStop, PenaltyCase, PublicationStatus
from fazhi.enforcement.services.common import ACTION_PERMISSIONS, may
from fazhi.enforcement.services.facts import case_context
from fazhi.enforcement.workflow import CASE_WORKFLOW, EXTENSION_STATES, OFFICER_STATES

# It creates a case on the spot: not a step on an existing one.
NEVER_OFFERED = ("summary_decide",)


@dataclass(frozen=True)
class Offer:
    """An action offered now, under the name the API runs it by (the page maps it to its form)."""

    action: str
    label: str
    rule: str | None = None


@dataclass(frozen=True)
class Blocked:
    """A transition the case has reached the state for, refused by a guard now."""

    action: str
    label: str
    reason: str  # the refusal, naming what is missing
    rule: str | None
    unlock: str  # the step that lifts it ("" where nothing in the system does)


@dataclass(frozen=True)
class Available:
    offered: tuple[Offer, ...]
    blocked: tuple[Blocked, ...]

    def __contains__(self, action: str) -> bool:
        return any(o.action == action for o in self.offered)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(o.action for o in self.offered)


def _steps_outside_the_table(case: PenaltyCase, user) -> list[Offer]:
    out = []
    handle = may(user, "enforcement.handle_case", case.unit)
    approve = may(user, "enforcement.approve", case.unit)
    if case.status in EXTENSION_STATES:
        if handle and not case.extension_requested_on:
            out.append(Offer("request_extension", "申请延长办案期限", "ENF-08"))
        if approve:
            out.append(Offer("extend_deadline", "批准延长办案期限", "ENF-08"))
        if handle:
            out.append(Offer("start_clock_stop", "登记不计入办案期限的期间", "ENF-08"))
            if any(st.ends_on is None and st.kind != ClockStop.Kind.HEARING for st in case.clock_stops.all()):
                out.append(Offer("end_clock_stop", "登记期间结束", "ENF-08"))
    pubs = list(case.publications.all())
    may_publish = may(user, "enforcement.publish", case.unit)
    if may_publish and any(p.status == PublicationStatus.PENDING for p in pubs):
        out.append(Offer("publish", "公示处罚决定", "ENF-19"))
    if case.decided_on and approve and not case.decision_changed_on:
        out.append(Offer("record_decision_change", "登记决定变更/撤销", "ENF-11"))
    if may_publish and any(p.status == PublicationStatus.PUBLISHED for p in pubs):
        out.append(Offer("withdraw_publication", "撤回公示", "ENF-11"))
    if case.status in OFFICER_STATES and handle:
        # services.update_case and services.assign_officers accept exactly these states.
        out.append(Offer("update_case", "修改案件信息"))
        out.append(Offer("assign_officers", "变更承办执法人员", "ENF-01"))
    return out


def available_actions(case: PenaltyCase, user, today: date) -> Available:
    """The actions ``user`` may take on ``case`` on ``today`` (the server's
    date), and the transitions of this state a legal precondition still blocks."""
    ctx = case_context(case, today)
    offered: list[Offer] = []
    blocked: list[Blocked] = []
    for t in CASE_WORKFLOW.transitions:
        if t.action in NEVER_OFFERED or case.status not in t.sources:
            continue
        if not may(user, ACTION_PERMISSIONS[t.action], case.unit):
            continue
        refused = CASE_WORKFLOW.refusal(case, t.action, ctx)
        if refused is None:
            offered.append(Offer(t.action, t.label, t.rule))
        else:
            blocked.append(Blocked(t.action, t.label, str(refused), refused.rule, getattr(refused, "unlock", "")))
    return Available(tuple(offered + _steps_outside_the_table(case, user)), tuple(blocked))
