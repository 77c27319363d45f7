"""The legal order of a normative document, as data (no database here).

Two tables:

* ``DOC_WORKFLOW`` on ``NormDoc.status`` — the making procedure and the end
  of the legal life:

  起草 → 征求意见 → (公平竞争审查, only when the document touches market
  entities, NDOC-06) → 合法性审查 (NDOC-07/08) → 集体讨论 (NDOC-09) → 待签发
  → 已签发 → 已登记编号 (NDOC-10) → 已公布 (NDOC-02/10/11) → 已修改 / 废止 /
  失效 (NDOC-17/18). A failed fair-competition review, a legality opinion
  不予通过 and a meeting that rejects the draft send it back to 起草; from
  there it must pass the failed step again before it can go on.

* ``FILING_WORKFLOW`` on ``NormDoc.filing_status`` — 报备 and 备案审查, run
  in parallel with the legal life once the document is published
  (NDOC-12/14/15/19).

Guards read facts the service puts into ``ctx`` (it queries the database;
this module does not):

``consultation_done``     a closed consultation exists, every comment has
                          an adoption answer and the summary is published
``consultation_open``     a consultation is open
``fair_review_passed``    the latest fair-competition review passed
``legal_review_passed``   the latest legality review is 通过/修改后通过
``meeting_type``          the meeting type of the discussion being recorded
``has_text``              the document has a current version
``amendment_target_in_force``  (publish of an amendment) the amended document is still in force
"""

from fazhi.core.workflow import Guard, Transition, Workflow, fact, nothing
from fazhi.normative_docs.models import FilingStatus, IssuerLevel, MeetingType, Status

S = Status
F = FilingStatus

STATE_LABELS = {s.value: s.label for s in Status}
FILING_STATE_LABELS = {s.value: s.label for s in FilingStatus}

# NDOC-09: which meeting may adopt a document of which issuer.
ALLOWED_MEETINGS = {
    IssuerLevel.GOVERNMENT: (MeetingType.STANDING, MeetingType.PLENARY),
    IssuerLevel.GOV_OFFICE: (MeetingType.STANDING, MeetingType.PLENARY, MeetingType.OFFICE),
    IssuerLevel.DEPARTMENT: (MeetingType.OFFICE,),
    IssuerLevel.TOWN: (MeetingType.TOWN,),
}


def meeting_allowed(issuer_level: str, meeting_type: str) -> bool:
    return meeting_type in ALLOWED_MEETINGS.get(issuer_level, ())


# ------------------------------------------------------------------ guards

HAS_TEXT = Guard("NDOC-10", "文件尚无正文，请先提交文本", fact("has_text"),
                 unlock="保存正文")
CONSULTATION_DONE = Guard(
    "NDOC-04",
    "尚未完成公开征求意见：须征求意见期满结束、逐条答复全部意见并公布意见采纳情况",
    lambda d, c: bool(c.get("consultation_done")),
    unlock="公开征求意见，期满后结束征求意见、逐条答复并公布意见采纳情况",
)
NO_OPEN_CONSULTATION = Guard(
    "NDOC-04", "征求意见尚未结束", nothing("consultation_open"),
    unlock="征求意见期满后结束征求意见")
MARKET_ONLY = Guard(
    "NDOC-06", "文件不涉及市场主体经济活动，无需公平竞争审查", lambda d, c: bool(d.touches_market))
FAIR_REVIEW_PASSED_IF_MARKET = Guard(
    "NDOC-06",
    "涉及市场主体经济活动的文件须经公平竞争审查并通过后方可送合法性审查；未通过审查的不得出台",
    lambda d, c: not d.touches_market or bool(c.get("fair_review_passed")),
    unlock="送公平竞争审查并记录审查通过",
)
LEGAL_REVIEW_PASSED = Guard(
    "NDOC-07",
    "未经合法性审核或审核未通过的文件不得提交集体讨论",
    lambda d, c: bool(c.get("legal_review_passed")),
    unlock="送合法性审核并经审核通过",
)
MEETING_MATCHES_ISSUER = Guard(
    "NDOC-09",
    "会议类型与制定机关不符：政府文件须经常务会议或全体会议，部门文件须经办公会议，乡镇（街道）文件须经乡镇长办公会议",
    lambda d, c: "meeting_type" not in c or meeting_allowed(d.issuer_level, c["meeting_type"]),
)


DOC_WORKFLOW = Workflow(
    "normative_docs.doc",
    [
        Transition("start_consultation", "公开征求意见", (S.DRAFTING, S.CONSULTING), S.CONSULTING,
                   (HAS_TEXT, NO_OPEN_CONSULTATION), rule="NDOC-04"),
        Transition("submit_fair_review", "送公平竞争审查", (S.DRAFTING, S.CONSULTING), S.FAIR_REVIEW,
                   (MARKET_ONLY, NO_OPEN_CONSULTATION, CONSULTATION_DONE), rule="NDOC-06"),
        Transition("fair_review_pass", "公平竞争审查通过", (S.FAIR_REVIEW,), S.FAIR_REVIEW, rule="NDOC-06"),
        Transition("fair_review_fail", "公平竞争审查不通过", (S.FAIR_REVIEW,), S.DRAFTING, rule="NDOC-06"),
        Transition("submit_legal_review", "送合法性审核", (S.DRAFTING, S.CONSULTING, S.FAIR_REVIEW),
                   S.LEGAL_REVIEW, (NO_OPEN_CONSULTATION, CONSULTATION_DONE, FAIR_REVIEW_PASSED_IF_MARKET),
                   rule="NDOC-07"),
        Transition("legal_review_pass", "合法性审核通过", (S.LEGAL_REVIEW,), S.DISCUSSION, rule="NDOC-07"),
        Transition("legal_review_reject", "合法性审核不予通过", (S.LEGAL_REVIEW,), S.DRAFTING, rule="NDOC-07"),
        Transition("discussion_adopt", "集体讨论通过", (S.DISCUSSION,), S.TO_SIGN,
                   (LEGAL_REVIEW_PASSED, MEETING_MATCHES_ISSUER), rule="NDOC-07"),
        Transition("discussion_reject", "集体讨论不通过", (S.DISCUSSION,), S.DRAFTING,
                   (LEGAL_REVIEW_PASSED, MEETING_MATCHES_ISSUER), rule="NDOC-07"),
        Transition("sign", "签发", (S.TO_SIGN,), S.SIGNED, rule="NDOC-09"),
        Transition("register", "统一登记、编号", (S.SIGNED,), S.REGISTERED, rule="NDOC-10"),
        Transition("publish", "统一公布", (S.REGISTERED,), S.PUBLISHED, rule="NDOC-10"),
        Transition("amend", "修改（新文件公布后原文件）", (S.PUBLISHED,), S.AMENDED, rule="NDOC-17"),
        Transition("repeal", "废止", (S.PUBLISHED,), S.REPEALED, rule="NDOC-18"),
        Transition("expire", "失效", (S.PUBLISHED,), S.EXPIRED, rule="NDOC-17"),
        Transition("renew", "评估后延续有效期", (S.PUBLISHED,), S.PUBLISHED, rule="NDOC-17"),
        Transition("abandon", "终止制定", (S.DRAFTING, S.CONSULTING, S.FAIR_REVIEW, S.DISCUSSION, S.TO_SIGN),
                   S.ABANDONED, (NO_OPEN_CONSULTATION,), rule="NDOC-01"),
    ],
    state_labels=STATE_LABELS,
)

# States in which the drafting unit may change the text (a new DocVersion).
EDITABLE_STATES = (S.DRAFTING, S.CONSULTING, S.FAIR_REVIEW, S.DISCUSSION)


FILING_WORKFLOW = Workflow(
    "normative_docs.filing",
    [
        Transition("file", "报备", (F.NOT_FILED, F.RETURNED), F.FILED, rule="NDOC-12"),
        Transition("return_filing", "退回补正", (F.FILED,), F.RETURNED, rule="NDOC-14"),
        Transition("accept_filing", "受理（开始备案审查）", (F.FILED,), F.ACCEPTED, rule="NDOC-15"),
        Transition("review_lawful", "审查完毕（合法）", (F.ACCEPTED,), F.REVIEWED, rule="NDOC-15"),
        Transition("review_correct", "审查完毕（责令纠正）", (F.ACCEPTED,), F.CORRECTING, rule="NDOC-15"),
        Transition("report_correction", "报告纠正情况", (F.CORRECTING,), F.CORRECTED, rule="NDOC-19"),
    ],
    state_field="filing_status",
    state_labels=FILING_STATE_LABELS,
)


def check_filing_allowed(doc) -> None:
    """Filing comes after publication (NDOC-12: the period runs from publication)."""
    from fazhi.core.errors import TransitionRefused

    if doc.status not in (S.PUBLISHED, S.AMENDED, S.REPEALED, S.EXPIRED):
        raise TransitionRefused(
            f"文件尚未公布（当前状态：{STATE_LABELS.get(doc.status, doc.status)}），不能报备；报备期限自公布之日起计算",
            rule="NDOC-12",
        )
