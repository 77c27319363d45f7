"""The legal order of a major administrative decision, as data (no database here).

``DECISION_WORKFLOW`` on ``Decision.status``::

  启动 → 草案拟订 → 公众参与 (MDEC-04) → 专家论证 (MDEC-06) → 风险评估 (MDEC-07)
  → 合法性审查 (MDEC-08/09) → 集体讨论决定 (MDEC-10/11) → 已决定待公布
  → 公布 (MDEC-12/13) → 执行 → 决策后评估 (MDEC-15) → 调整/停止 (MDEC-16)

公众参与, 专家论证 and 风险评估 are taken only when the decision requires them
(copied from its catalogue entry at launch); a step that is required and not
done blocks every later step, naming its rule. 合法性审查 and 集体讨论决定 are
always required: 集体讨论 is reachable only through a passed legality review
(MDEC-08), and an unlawful opinion sends the draft back to 草案拟订. A head's
rejection at the meeting also sends it back; it must then pass the legality
review again.

Guards read facts the service puts into ``ctx`` (it queries the database;
this module does not):

``consultation_open``     an open consultation exists
``consultation_done``     a closed consultation with every comment answered
                          and the adoption summary published
``experts_done``          a completed expert review with >= the minimum number
                          of signed opinions (rules.min_experts)
``risk_done``             a risk assessment is recorded
``risk_blocking``         the latest assessment is 高 and not reassessed lower
``legal_review_passed``   the latest legality review is 合法/修改后合法
``package_missing``       list of MDEC-10 package items missing (labels)
"""

from fazhi.core.errors import TransitionRefused
from fazhi.core.workflow import Guard, Transition, Workflow, nothing
from fazhi.major_decisions.models import Status

S = Status
STATE_LABELS = {s.value: s.label for s in Status}

# States in which the sponsor may change the draft text.
EDITABLE_STATES = (S.DRAFTING, S.EXPERT_REVIEW, S.RISK_ASSESSMENT)
# Before legality review: "discuss now" is refused by MDEC-08, not just by order.
BEFORE_LEGAL_REVIEW = (S.LAUNCHED, S.DRAFTING, S.PARTICIPATION, S.EXPERT_REVIEW, S.RISK_ASSESSMENT,
                       S.LEGAL_REVIEW)
# Published and in force (execution, post-evaluation, adjustment).
LIVE_STATES = (S.PUBLISHED, S.EXECUTING, S.EVALUATING, S.ADJUSTED)


# ------------------------------------------------------------------ guards

HAS_DRAFT = Guard("MDEC-03", "尚未拟订决策草案，请先提交草案文本", lambda d, c: bool((d.draft_text or "").strip()),
                  unlock="保存决策草案")
NEEDS_PARTICIPATION = Guard(
    "MDEC-04", "目录未要求本事项公众参与（依法不予公开的事项），无需公开征求意见",
    lambda d, c: bool(d.needs_participation), scope=True)
NEEDS_EXPERTS = Guard("MDEC-06", "目录未要求本事项专家论证", lambda d, c: bool(d.needs_expert_review), scope=True)
NEEDS_RISK = Guard("MDEC-07", "目录未要求本事项风险评估", lambda d, c: bool(d.needs_risk_assessment), scope=True)
NO_OPEN_CONSULTATION = Guard(
    "MDEC-04", "公开征求意见尚未结束，请在征求意见期满并结束后再进行下一程序",
    nothing("consultation_open"), unlock="征求意见期满后结束征求意见")
PARTICIPATION_DONE = Guard(
    "MDEC-04",
    "缺少公众参与程序：本事项须公开征求意见（一般不少于30日），期满后逐条答复并公布意见采纳情况",
    lambda d, c: not d.needs_participation or bool(c.get("consultation_done")),
    unlock="公开征求意见，期满后逐条答复并公布意见采纳情况")
EXPERTS_DONE = Guard(
    "MDEC-06",
    "缺少专家论证程序：本事项须从专家库选取至少3名相关领域专家论证，并取得每位专家签名的书面论证意见",
    lambda d, c: not d.needs_expert_review or bool(c.get("experts_done")),
    unlock="开展专家论证，取得每位专家签名的论证意见")
RISK_DONE = Guard(
    "MDEC-07",
    "缺少风险评估程序：本事项须开展社会稳定风险评估，明确风险点、防范化解措施和应急处置预案",
    lambda d, c: not d.needs_risk_assessment or bool(c.get("risk_done")),
    unlock="开展风险评估并记录评估结论")
RISK_NOT_BLOCKING = Guard(
    "MDEC-07",
    "风险评估等级为“高”：须先记录风险化解措施（调整决策草案）并重新评估为中、低风险后，方可继续决策程序",
    nothing("risk_blocking"), unlock="登记风险防范措施并重新评估为中、低风险")
LEGAL_REVIEW_PASSED = Guard(
    "MDEC-08",
    "未经合法性审查或经审查不合法的决策草案，不得提交集体讨论",
    lambda d, c: bool(c.get("legal_review_passed")), unlock="送合法性审查并经审查合法")
PACKAGE_COMPLETE = Guard(
    "MDEC-10",
    "提交集体讨论的材料不全",
    nothing("package_missing"), unlock="在“附件材料”中上传缺少的材料")
# The Party-report date is entered on the 公布 form itself (issue 13 §2): the
# guard reads the value being submitted (``party_reported_on`` in ctx) and, when
# the step is only being offered (no value yet), does not hide its form.
PARTY_REPORTED = Guard(
    "MDEC-12", "决策出台前须向同级党委请示报告，请填写请示报告日期",
    lambda d, c: bool(c["party_reported_on"]) if "party_reported_on" in c else True)


DECISION_WORKFLOW = Workflow(
    "major_decisions.decision",
    [
        Transition("start_drafting", "开始拟订草案", (S.LAUNCHED,), S.DRAFTING, rule="MDEC-03"),
        Transition("start_participation", "公开征求意见", (S.DRAFTING,), S.PARTICIPATION,
                   (NEEDS_PARTICIPATION, HAS_DRAFT), rule="MDEC-04"),
        Transition("start_expert_review", "开展专家论证", (S.DRAFTING, S.PARTICIPATION), S.EXPERT_REVIEW,
                   (NEEDS_EXPERTS, HAS_DRAFT, NO_OPEN_CONSULTATION, PARTICIPATION_DONE), rule="MDEC-06"),
        Transition("start_risk_assessment", "开展风险评估", (S.DRAFTING, S.PARTICIPATION, S.EXPERT_REVIEW),
                   S.RISK_ASSESSMENT,
                   (NEEDS_RISK, HAS_DRAFT, NO_OPEN_CONSULTATION, PARTICIPATION_DONE, EXPERTS_DONE), rule="MDEC-07"),
        Transition("submit_legal_review", "送合法性审查",
                   (S.DRAFTING, S.PARTICIPATION, S.EXPERT_REVIEW, S.RISK_ASSESSMENT), S.LEGAL_REVIEW,
                   (HAS_DRAFT, NO_OPEN_CONSULTATION, PARTICIPATION_DONE, EXPERTS_DONE, RISK_DONE, RISK_NOT_BLOCKING),
                   rule="MDEC-08"),
        Transition("legal_review_pass", "合法性审查通过（合法/修改后合法）", (S.LEGAL_REVIEW,), S.DISCUSSION,
                   rule="MDEC-09"),
        Transition("legal_review_fail", "合法性审查不合法（退回修改）", (S.LEGAL_REVIEW,), S.DRAFTING,
                   rule="MDEC-08"),
        Transition("decide", "集体讨论决定（通过）", (S.DISCUSSION,), S.DECIDED,
                   (LEGAL_REVIEW_PASSED, RISK_NOT_BLOCKING, PACKAGE_COMPLETE), rule="MDEC-08"),
        Transition("decide_reject", "集体讨论决定（不通过，退回修改）", (S.DISCUSSION,), S.DRAFTING,
                   (LEGAL_REVIEW_PASSED,), rule="MDEC-08"),
        Transition("publish", "公布决策", (S.DECIDED,), S.PUBLISHED, (PARTY_REPORTED,), rule="MDEC-13"),
        Transition("start_execution", "组织实施", (S.PUBLISHED, S.ADJUSTED), S.EXECUTING, rule="MDEC-15"),
        Transition("start_post_evaluation", "启动决策后评估", (S.EXECUTING, S.ADJUSTED), S.EVALUATING,
                   rule="MDEC-15"),
        Transition("finish_post_evaluation", "完成决策后评估", (S.EVALUATING,), S.EXECUTING, rule="MDEC-15"),
        Transition("adjust", "调整决策", (S.PUBLISHED, S.EXECUTING, S.ADJUSTED), S.ADJUSTED, rule="MDEC-16"),
        Transition("stop", "停止执行", (S.PUBLISHED, S.EXECUTING, S.EVALUATING, S.ADJUSTED), S.STOPPED,
                   rule="MDEC-16"),
        Transition("abandon", "终止决策程序",
                   (S.LAUNCHED, S.DRAFTING, S.PARTICIPATION, S.EXPERT_REVIEW, S.RISK_ASSESSMENT,
                    S.LEGAL_REVIEW, S.DISCUSSION, S.DECIDED), S.ABANDONED,
                   (NO_OPEN_CONSULTATION,), rule="MDEC-03"),
    ],
    state_labels=STATE_LABELS,
)


def refusal(decision, action: str, ctx: dict | None = None) -> TransitionRefused | None:
    """Like ``DECISION_WORKFLOW.refusal``, but an attempt to discuss a decision
    that has not passed legality review names MDEC-08 and the missing step."""
    if action in ("decide", "decide_reject") and decision.status in BEFORE_LEGAL_REVIEW:
        here = STATE_LABELS.get(decision.status, decision.status)
        refused = TransitionRefused(
            f"当前处于“{here}”阶段，尚未通过合法性审查：未经合法性审查或经审查不合法的决策草案，不得提交集体讨论",
            rule="MDEC-08")
        refused.unlock = "送合法性审查并经审查合法"
        return refused
    refused = DECISION_WORKFLOW.refusal(decision, action, ctx)
    if refused and refused.rule == "MDEC-10" and ctx and ctx.get("package_missing"):
        missing = TransitionRefused(
            "提交集体讨论的材料不全，缺少：" + "、".join(ctx["package_missing"]), rule="MDEC-10")
        missing.unlock = refused.unlock
        return missing
    return refused


def check(decision, action: str, ctx: dict | None = None) -> Transition:
    refused = refusal(decision, action, ctx)
    if refused:
        raise refused
    return DECISION_WORKFLOW.get(action)


def apply(decision, action: str, ctx: dict | None = None) -> Transition:
    """Check, then set the target state (the caller saves)."""
    t = check(decision, action, ctx)
    decision.status = t.target
    return t


def available(decision, ctx: dict | None = None) -> list[Transition]:
    return [t for t in DECISION_WORKFLOW.transitions if refusal(decision, t.action, ctx) is None]


def skipped_steps(decision) -> list[str]:
    """Optional procedures this decision does not require (shown as 不适用)."""
    out = []
    if not decision.needs_participation:
        out.append(S.PARTICIPATION.label)
    if not decision.needs_expert_review:
        out.append(S.EXPERT_REVIEW.label)
    if not decision.needs_risk_assessment:
        out.append(S.RISK_ASSESSMENT.label)
    return out
