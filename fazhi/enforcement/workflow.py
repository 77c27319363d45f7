"""The legal order of a penalty case, as data (no database here).

``CASE_WORKFLOW`` on ``PenaltyCase.status``:

General procedure (处罚法 chapter 5 section 3)::

    待立案审批 --file_case--> 调查取证 --notify--> 已告知
        已告知 --record_statement / waive_rights--> 已告知            (ENF-06)
        已告知 --request_hearing--> 听证 --schedule_hearing / hold_hearing--> 听证 (ENF-07)
        已告知 | 听证 --submit_legal_review--> 法制审核
              法制审核 --legal_review_pass--> 法制审核通过           (ENF-04)
              法制审核 --legal_review_fail--> 调查取证              (no decision, ENF-04)
        已告知 | 听证 | 法制审核通过 --submit_discussion--> 集体讨论 --record_discussion--> 集体讨论 (ENF-05)
        已告知 | 听证 | 法制审核通过 | 集体讨论 --decide--> 已决定     (ENF-04/05/06/07/08, benchmark)
    已决定 --serve--> 已送达 --record_payment--> 已送达 --complete_execution--> 执行完毕
    执行完毕 --close--> 已结案 --archive--> 已归档                     (ENF-03)

Summary procedure (当场处罚, ENF-12): 待立案审批 --summary_decide--> 已送达 (the
decision is handed over on the spot), then as above.

两法衔接: any open filed state --transfer--> 已移送公安 (the case is suspended);
``resume`` (公安不予立案, back to the state it was in — the service restores
``suspended_from``) or ``end_by_transfer`` (公安立案: the case ends).
``terminate`` (撤销立案/不予处罚) and ``reject_filing`` (不予立案) end a case.

Guards read facts the service puts into ``ctx`` (it queries the database;
this module does not; ``services.case_context`` states every one). A fact
missing from ``ctx`` refuses the step — fail closed (issue 14): a caller that
forgets a fact cannot let a step through:

``officers_ok``        ≥ 2 assigned officers with a certificate valid today (ENF-01)
``limitation_ok``      discovered within the limitation period (ENF-15)
``window_over``        the statement/hearing window has passed or the party waived (ENF-06/07)
``request_in_time``    a hearing request within 5 WD of the notice (ENF-07)
``hearing_notice_ok``  the hearing date is ≥ 7 WD after its notice (ENF-07)
``hearing_due``        the scheduled hearing date has come (ENF-07)
``major``              the case (with the proposed penalty) is major (ENF-04)
``review_passed``      the latest 法制审核 passed (ENF-04)
``within_limit``       today ≤ the decision due date incl. approved extensions and clock stops (ENF-08)
``grounds_ok``         facts, evidence, legal basis and benchmark (or the reviewer's basis) (ENF-10)
``benchmark_ok``       fine inside the benchmark range, or reasons recorded (ENF-24)
``summary_ok``         within the summary-procedure limits (ENF-12)
``paid_in_full``       fine and surcharge paid, or no fine (ENF-14)
``records_complete``   every record the case's steps require is attached (ENF-03)
"""

from fazhi.core.workflow import Guard, Transition, Workflow, fact
from fazhi.enforcement.models import CaseStatus, Procedure

S = CaseStatus

STATE_LABELS = {s.value: s.label for s in CaseStatus}

# The 两法衔接 rule: 行政处罚法 art. 27 and 国务院《行政执法机关移送涉嫌犯罪案件的规定》;
# rules.md §3 has no row for it yet (reported to the lead), so the source is named directly.
TRANSFER_RULE = "处罚法第27条"

# States of a filed, undecided case (the 90-day clock runs; officers can be changed).
FILED_OPEN = (S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.REVIEWED, S.DISCUSSION)


def _major(c, ctx) -> bool:
    """The case needs 法制审核 and 集体讨论 (ENF-04/05). An unknown ``major`` fact
    counts as major: a caller that forgot it cannot skip the review."""
    return bool(ctx.get("major", True)) or bool(c.legal_review_required)


# ------------------------------------------------------------------ guards

GENERAL_ONLY = Guard("ENF-12", "简易程序案件不适用普通程序的此项操作",
                     lambda c, ctx: c.procedure == Procedure.GENERAL)
SUMMARY_ONLY = Guard("ENF-12", "只有简易程序（当场处罚）案件可以当场作出决定",
                     lambda c, ctx: c.procedure == Procedure.SUMMARY)
OFFICERS_OK = Guard("ENF-01", "执法人员不得少于两人，且须持有当日有效的行政执法证件", fact("officers_ok"),
                    unlock="指派两名以上持有效执法证件的承办人员")
LIMITATION_OK = Guard("ENF-15", "违法行为在追责期限内未被发现的，不再给予行政处罚", fact("limitation_ok"))
# The notice's content (拟处罚内容, 事实、理由、依据) is typed into the notice form
# itself, so it is checked by ``services.notify`` and not by a guard: a guard on
# fields only the step's own form fills would keep the step off the page.
WINDOW_OVER = Guard(
    "ENF-07", "陈述申辩、听证申请期限（告知后5个工作日）尚未届满，当事人也未明确放弃，不能进入下一步",
    fact("window_over"), unlock="等待告知后5个工作日期满，或记录当事人放弃陈述申辩和听证",
)
HEARING_OFFERED = Guard("ENF-07", "本案拟作出的处罚不属于应当告知听证权利的情形", lambda c, ctx: c.hearing_offered)
REQUEST_IN_TIME = Guard("ENF-07", "听证申请须在告知书送达后5个工作日内提出", fact("request_in_time"))
HEARING_NOTICE_OK = Guard("ENF-07", "应当在举行听证的7个工作日前通知当事人听证的时间、地点", fact("hearing_notice_ok"),
                          unlock="将听证日期定在通知之日起7个工作日以后")
HEARING_SCHEDULED = Guard("ENF-07", "尚未通知听证时间、地点", lambda c, ctx: bool(c.hearing_date), unlock="通知听证")
HEARING_DUE = Guard("ENF-07", "听证日期尚未到", fact("hearing_due"), unlock="等待通知的听证日期到来")
HEARING_DONE = Guard(
    "ENF-07", "当事人已要求听证，听证尚未举行，不能作出决定",
    lambda c, ctx: not c.hearing_requested_on or bool(c.hearing_held_on), unlock="举行听证",
)
REVIEW_IF_MAJOR = Guard(
    "ENF-04", "本案属于重大执法决定，须经法制审核且审核通过后方可作出决定（不得跳过）",
    lambda c, ctx: not _major(c, ctx) or bool(ctx.get("review_passed")),
    unlock="提交法制审核并审核通过",
)
DISCUSSION_IF_MAJOR = Guard(
    "ENF-05", "情节复杂或重大违法行为给予行政处罚，须经行政机关负责人集体讨论决定",
    lambda c, ctx: not _major(c, ctx) or bool(c.discussed_on),
    unlock="提请集体讨论并记录集体讨论",
)
DISCUSSION_RECORDED = Guard("ENF-05", "尚未记录集体讨论情况", lambda c, ctx: bool(c.discussed_on), unlock="记录集体讨论")
WITHIN_LIMIT = Guard(
    "ENF-08", "已超过自立案之日起90日的办案期限，且无经批准的延期，不能作出决定", fact("within_limit"),
    unlock="期限届满前由负责人批准延长办案期限")
BENCHMARK_OK = Guard(
    "ENF-24", "拟罚款金额超出裁量基准的幅度，须记录理由", fact("benchmark_ok"),
    unlock="在决定中填写超出裁量基准的理由（并经集体讨论）")
GROUNDS_OK = Guard(
    "ENF-10", "作出处罚决定须有违法事实、证据材料，以及违法行为的违法依据、处罚依据和裁量基准"
    "（无裁量基准的，须由法制审核员在审核意见中载明依据）", fact("grounds_ok"),
    unlock="在案件中选择违法行为和违法程度，或由法制审核员在审核意见中载明依据")
SUMMARY_OK = Guard(
    "ENF-12", "当场处罚仅限警告或对公民处200元以下、对法人或其他组织处3000元以下罚款", fact("summary_ok"))
PAID_IN_FULL = Guard("ENF-14", "罚款（含加处罚款）尚未缴清", fact("paid_in_full"), unlock="登记缴款，缴清罚款及加处罚款")
RECORDS_COMPLETE = Guard("ENF-03", "全过程记录不完整，不能结案", fact("records_complete"),
                         unlock="在“全过程记录”中上传缺少的证据、文书")


CASE_WORKFLOW = Workflow(
    "enforcement.case",
    [
        Transition("file_case", "立案", (S.PENDING,), S.INVESTIGATING,
                   (GENERAL_ONLY, LIMITATION_OK, OFFICERS_OK), rule="ENF-01"),
        Transition("reject_filing", "不予立案", (S.PENDING,), S.TERMINATED, rule="ENF-03"),
        Transition("notify", "告知（送达事先告知书）", (S.INVESTIGATING,), S.NOTIFIED,
                   (OFFICERS_OK,), rule="ENF-06"),
        Transition("record_statement", "记录陈述申辩", (S.NOTIFIED, S.HEARING), S.NOTIFIED, rule="ENF-06"),
        Transition("waive_rights", "当事人放弃陈述申辩和听证", (S.NOTIFIED,), S.NOTIFIED, rule="ENF-06"),
        Transition("request_hearing", "当事人申请听证", (S.NOTIFIED,), S.HEARING,
                   (HEARING_OFFERED, REQUEST_IN_TIME), rule="ENF-07"),
        Transition("schedule_hearing", "通知听证", (S.HEARING,), S.HEARING, (HEARING_NOTICE_OK,), rule="ENF-07"),
        Transition("hold_hearing", "举行听证", (S.HEARING,), S.HEARING, (HEARING_SCHEDULED, HEARING_DUE),
                   rule="ENF-07"),
        Transition("submit_legal_review", "提交法制审核", (S.NOTIFIED, S.HEARING), S.LEGAL_REVIEW,
                   (WINDOW_OVER, HEARING_DONE), rule="ENF-04"),
        Transition("legal_review_pass", "法制审核通过", (S.LEGAL_REVIEW,), S.REVIEWED, rule="ENF-04"),
        Transition("legal_review_fail", "法制审核不通过（退回）", (S.LEGAL_REVIEW,), S.INVESTIGATING, rule="ENF-04"),
        Transition("submit_discussion", "提请集体讨论", (S.NOTIFIED, S.HEARING, S.REVIEWED), S.DISCUSSION,
                   (WINDOW_OVER, HEARING_DONE, REVIEW_IF_MAJOR), rule="ENF-05"),
        Transition("record_discussion", "记录集体讨论", (S.DISCUSSION,), S.DISCUSSION, rule="ENF-05"),
        Transition("decide", "作出处罚决定", (S.NOTIFIED, S.HEARING, S.REVIEWED, S.DISCUSSION), S.DECIDED,
                   (GENERAL_ONLY, OFFICERS_OK, WINDOW_OVER, HEARING_DONE, REVIEW_IF_MAJOR, DISCUSSION_IF_MAJOR,
                    WITHIN_LIMIT, GROUNDS_OK, BENCHMARK_OK), rule="ENF-06"),
        Transition("summary_decide", "当场作出处罚决定", (S.PENDING,), S.SERVED,
                   (SUMMARY_ONLY, OFFICERS_OK, SUMMARY_OK, BENCHMARK_OK), rule="ENF-12"),
        Transition("serve", "送达决定书", (S.DECIDED,), S.SERVED, rule="ENF-09"),
        Transition("record_payment", "登记缴款", (S.SERVED,), S.SERVED, rule="ENF-14"),
        Transition("complete_execution", "执行完毕", (S.SERVED,), S.EXECUTED, (PAID_IN_FULL,), rule="ENF-14"),
        Transition("close", "结案", (S.EXECUTED,), S.CLOSED, (RECORDS_COMPLETE,), rule="ENF-03"),
        Transition("archive", "归档", (S.CLOSED,), S.ARCHIVED, rule="ENF-03"),
        Transition("transfer", "移送公安机关", FILED_OPEN, S.TRANSFERRED, rule=TRANSFER_RULE),
        Transition("resume", "公安不予立案，恢复办理", (S.TRANSFERRED,), S.INVESTIGATING, rule=TRANSFER_RULE),
        Transition("end_by_transfer", "公安已立案，行政案件终止", (S.TRANSFERRED,), S.TERMINATED, rule=TRANSFER_RULE),
        Transition("terminate", "撤销立案/终止调查", FILED_OPEN, S.TERMINATED, rule="ENF-03"),
    ],
    state_labels=STATE_LABELS,
)

# States in which officers may be assigned or replaced, and the 90-day limit extended.
OFFICER_STATES = (S.PENDING, *FILED_OPEN)
EXTENSION_STATES = FILED_OPEN
