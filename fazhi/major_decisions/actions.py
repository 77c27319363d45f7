"""What may this person do to this decision today, and if not, why (STYLE.md
"What a page may offer").

``available_actions`` is the one answer: the decision page renders its
action forms from it and the API lists it as ``actions``, under the same
names (the API's action names; the page posts to ``.../actions/<name>/``).
The services check everything again; this module only reads.

An action is either a transition of ``workflow.DECISION_WORKFLOW`` (offered
when the table allows it now) or a step inside a state (answer comments,
record an expert opinion, ...), offered when the records say it is open.
A transition whose source state is reached but whose guard refuses is
returned as blocked with the refusal (rule, reason, the step that lifts
it) — unless the refusing guard is a scope guard (``Guard.scope``): the
catalogue does not require that procedure, so there is nothing to do.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fazhi.major_decisions import selectors, workflow
from fazhi.major_decisions.models import Consultation, Decision, ExpertDrawStatus, ExpertReview, Status

SPONSOR = "major_decisions.sponsor"
LEGAL = "major_decisions.legal_review"
DECIDE = "major_decisions.decide"
MANAGE = "major_decisions.manage_catalogue"


@dataclass(frozen=True)
class Facts:
    """The records the in-state steps depend on, read once."""

    procedure: dict  # selectors.procedure_facts
    open_review: ExpertReview | None
    completed_review: bool
    committed_draw: bool  # the open review's random draw is committed, not yet revealed
    signed_opinion: bool  # an expert of the open review has signed
    pending_summary: Consultation | None  # closed, adoption summary not yet published
    pending_comments: bool  # that consultation has comments to answer
    pending_legal: bool
    unpublished_evaluation: bool


def facts_of(d: Decision) -> Facts:
    review = d.expert_reviews.filter(completed_on__isnull=True).order_by("pk").first()
    draw = selectors.current_draw(review) if review is not None and review.method == "random" else None
    summary = next((c for c in d.consultations.all()
                    if c.state == Consultation.State.CLOSED and not c.summary_published_on), None)
    return Facts(
        procedure=selectors.procedure_facts(d),
        open_review=review,
        completed_review=d.expert_reviews.filter(completed_on__isnull=False).exists(),
        committed_draw=draw is not None and draw.status == ExpertDrawStatus.COMMITTED,
        signed_opinion=review is not None and review.opinions.filter(signed=True).exists(),
        pending_summary=summary,
        pending_comments=summary is not None and summary.comments.exists(),
        pending_legal=d.legal_reviews.filter(opinion="").exists(),
        unpublished_evaluation=d.post_evaluations.filter(finished_on__isnull=False,
                                                         published_on__isnull=True).exists(),
    )


def _expert_step(name: str) -> Callable[[Decision, Facts], bool]:
    """The expert-review steps (the services refuse the rest with MDEC-06):
    select while no review is open and none is complete; reveal a committed
    draw; redraw a revealed random draw before any expert has signed;
    opinions and completion once the experts are drawn."""
    def offered(d: Decision, f: Facts) -> bool:
        if d.status != Status.EXPERT_REVIEW:
            return False
        review = f.open_review
        if review is None:
            return name == "select_experts" and not f.completed_review
        if f.committed_draw:
            return name == "reveal_experts"
        if name == "redraw_experts":
            return review.method == "random" and not f.signed_opinion
        return name in ("record_expert_opinion", "complete_expert_review")
    return offered


def _in(*states) -> Callable[[Decision, Facts], bool]:
    return lambda d, f: d.status in states


@dataclass(frozen=True)
class Spec:
    label: str
    permission: str
    transition: str = ""  # the workflow transition this action takes, if any
    offered: Callable[[Decision, Facts], bool] | None = None  # for the steps inside a state


# In the order the page lists them. ``discuss`` takes ``decide`` or
# ``decide_reject`` (the meeting's outcome): offered when the meeting may at
# least send the draft back, blocked with the refusal of ``decide`` otherwise.
SPECS: dict[str, Spec] = {
    "start_drafting": Spec("开始拟订草案", SPONSOR, "start_drafting"),
    "save_draft": Spec("保存决策草案", SPONSOR, offered=_in(*workflow.EDITABLE_STATES)),
    "start_consultation": Spec("公开征求意见", SPONSOR, "start_participation"),
    "close_consultation": Spec("结束征求意见", SPONSOR,
                               offered=lambda d, f: bool(f.procedure["consultation_open"])),
    "answer_comment": Spec("答复公众意见", SPONSOR, offered=lambda d, f: f.pending_comments),
    "publish_consultation_summary": Spec("公布意见采纳情况", SPONSOR,
                                         offered=lambda d, f: f.pending_summary is not None),
    "start_expert_review": Spec("开展专家论证", SPONSOR, "start_expert_review"),
    "select_experts": Spec("选取论证专家", SPONSOR, offered=_expert_step("select_experts")),
    "reveal_experts": Spec("揭示并抽取专家", SPONSOR, offered=_expert_step("reveal_experts")),
    "redraw_experts": Spec("重新抽取专家", SPONSOR, offered=_expert_step("redraw_experts")),
    "record_expert_opinion": Spec("录入专家签名意见", SPONSOR, offered=_expert_step("record_expert_opinion")),
    "complete_expert_review": Spec("完成专家论证", SPONSOR, offered=_expert_step("complete_expert_review")),
    "start_risk_assessment": Spec("开展风险评估", SPONSOR, "start_risk_assessment"),
    "record_risk_assessment": Spec("录入风险评估", SPONSOR, offered=_in(Status.RISK_ASSESSMENT)),
    "record_mitigation": Spec("录入风险化解情况", SPONSOR, offered=lambda d, f: d.status == Status.RISK_ASSESSMENT
                              and bool(f.procedure["risk_blocking"])),
    "submit_legal_review": Spec("送合法性审查", SPONSOR, "submit_legal_review"),
    "legal_review": Spec("出具合法性审查意见", LEGAL,
                         offered=lambda d, f: d.status == Status.LEGAL_REVIEW and f.pending_legal),
    "discuss": Spec("记录集体讨论决定", DECIDE, "decide"),
    "publish": Spec("公布决策", DECIDE, "publish"),
    "start_execution": Spec("组织实施", SPONSOR, "start_execution"),
    "report_execution": Spec("报告执行情况", SPONSOR, offered=_in(Status.EXECUTING, Status.EVALUATING, Status.ADJUSTED)),
    "start_post_evaluation": Spec("启动决策后评估", MANAGE, "start_post_evaluation"),
    "finish_post_evaluation": Spec("完成决策后评估", MANAGE, "finish_post_evaluation"),
    "publish_post_evaluation": Spec("公开决策后评估", MANAGE, offered=lambda d, f: f.unpublished_evaluation),
    "adjust": Spec("调整决策", DECIDE, "adjust"),
    "stop": Spec("停止执行", DECIDE, "stop"),
    "abandon": Spec("终止决策程序", DECIDE, "abandon"),
}


@dataclass(frozen=True)
class Blocked:
    action: str
    label: str
    reason: str  # the refusal, naming what is missing
    rule: str | None
    unlock: str  # the step that lifts it ("" where nothing in the system does)


@dataclass(frozen=True)
class Available:
    offered: tuple[str, ...]  # action names, in SPECS order
    blocked: tuple[Blocked, ...]

    def __contains__(self, action: str) -> bool:
        return action in self.offered


def _not_required(d: Decision, transition: str, ctx: dict) -> bool:
    """A scope guard of the transition fails: the catalogue does not require
    this procedure for the decision (decided from its needs_* fields)."""
    t = workflow.DECISION_WORKFLOW.get(transition)
    return any(g.scope and not g.test(d, ctx) for g in t.guards)


def available_actions(d: Decision, user, today: date) -> Available:
    """The actions ``user`` may take on ``d`` now, and the transitions they
    could take in this state that a legal precondition still blocks.

    ``today`` is the server's date; no step of this workflow is offered by
    date today (the dated limits are refused by the services with a reason),
    but it is part of the contract every module's ``available_actions`` has."""
    f = facts_of(d)
    ctx = f.procedure
    offered: list[str] = []
    blocked: list[Blocked] = []
    for name, spec in SPECS.items():
        if not selectors.can(user, spec.permission, d):
            continue
        if not spec.transition:
            if spec.offered is not None and spec.offered(d, f):
                offered.append(name)
            continue
        t = workflow.DECISION_WORKFLOW.get(spec.transition)
        if d.status not in t.sources:
            continue
        refused = workflow.refusal(d, spec.transition, ctx)
        if refused is not None and name == "discuss" and workflow.refusal(d, "decide_reject", ctx) is None:
            refused = None  # the meeting may still reject the draft
        if refused is None:
            offered.append(name)
        elif not _not_required(d, spec.transition, ctx):
            blocked.append(Blocked(name, spec.label, str(refused), refused.rule, getattr(refused, "unlock", "")))
    return Available(tuple(offered), tuple(blocked))
