"""法制审核 (ENF-04) and 集体讨论 (ENF-05).
"""

from datetime import date

from django.db import transaction

from fazhi.core.duties import ensure_not_own
from fazhi.core.errors import ValidationError
from fazhi.enforcement import organs, rules
from fazhi.enforcement.models import LegalReview, PenaltyCase
from fazhi.enforcement.services.common import (
    _act,
    _check,
    _clean,
    _date,
    _entered,
    _handler_users,
    _leaders,
    _lock_case,
    _name,
    _participants_text,
)
from fazhi.enforcement.services.facts import benchmark_for, case_context, latest_review
from fazhi.enforcement.workflow import CASE_WORKFLOW
from fazhi.org import access
from fazhi.org.capacity import require_capacity
from fazhi.org.models import Person, Role


@transaction.atomic
def submit_legal_review(case: PenaltyCase, *, by, today: date) -> PenaltyCase:
    """提交法制审核 (ENF-04) after the statement window (ENF-06/07)."""
    case = _lock_case(case)
    today = _date(today, "today", "日期")
    _check(case, "submit_legal_review", by, today)
    case.legal_review_required = True
    CASE_WORKFLOW.apply(case, "submit_legal_review", case_context(case, today))
    case.save()
    _act(case, "case", "legal_review_submitted", by=by, data={"major_reasons": rules.major_reasons(case)})
    return case


@transaction.atomic
def legal_review(case: PenaltyCase, *, by, today: date, passed: bool, opinion: str, legal_basis: str = "",
                 penalty_basis: str = "") -> LegalReview:
    """法制审核 (ENF-04, 处罚法第五十八条), signed on the server's ``today``:
    同意 → 法制审核通过; 不同意 → back to investigation, no decision.

    The reviewer holds the reviewer role over the case's organ today (SYS-02)
    and is not one of the case's officers nor who registered it (SYS-01:
    审核 by others than the investigators). Where the case has no violation
    type with a benchmark, a passing review states the 违法依据 and 处罚依据
    the decision will rest on (ENF-10). A reviewer without the
    legal-profession qualification is recorded as such."""
    case = _lock_case(case)
    today = _date(today, "today", "审核日期")
    action = "legal_review_pass" if passed else "legal_review_fail"
    _check(case, action, by, today)
    person = access.person_of(by) if by is not None else None
    if by is not None:
        ensure_not_own(by, *_handler_users(case), what="审核本人承办或登记的案件")
        require_capacity(person, Role.REVIEWER, organs.organ_of(case.unit), on=today, what="法制审核人员")
    opinion = _clean(opinion, 20000, "opinion", "审核意见", required=True)
    legal_basis = _clean(legal_basis, 5000, "legal_basis", "违法依据")
    penalty_basis = _clean(penalty_basis, 5000, "penalty_basis", "处罚依据")
    if bool(legal_basis) != bool(penalty_basis):
        raise ValidationError("审核认定依据须同时载明违法依据和处罚依据", rule="ENF-10",
                              fields={"legal_basis" if not legal_basis else "penalty_basis": "请填写"})
    if passed and not legal_basis and (case.violation_type_id is None or benchmark_for(case) is None):
        raise ValidationError("本案未选择违法行为或没有对应的裁量基准，审核同意的须载明违法依据和处罚依据",
                              rule="ENF-10", fields={"legal_basis": "请载明违法依据", "penalty_basis": "请载明处罚依据"})
    officer = getattr(person, "enforcement_officer", None) if person is not None else None
    review = LegalReview.objects.create(
        case=case, result=LegalReview.Result.PASSED if passed else LegalReview.Result.FAILED, opinion=opinion,
        reviewed_on=today, reviewer=by, reviewer_name=_name(by), legal_basis=legal_basis,
        penalty_basis=penalty_basis, reviewer_qualified=bool(officer and officer.has_legal_qualification))
    CASE_WORKFLOW.apply(case, action, case_context(case, today))
    case.save()
    _act(case, "case", "legal_reviewed", by=by, data={"result": review.result, "review": review.pk,
                                                      "stated_basis": bool(legal_basis)})
    return review


@transaction.atomic
def submit_discussion(case: PenaltyCase, *, by, today: date) -> PenaltyCase:
    """提请集体讨论 (ENF-05); a major case only after a passed legal review (ENF-04)."""
    case = _lock_case(case)
    today = _date(today, "today", "日期")
    _check(case, "submit_discussion", by, today)
    CASE_WORKFLOW.apply(case, "submit_discussion", case_context(case, today))
    case.save()
    _act(case, "case", "discussion_submitted", by=by)
    return case


@transaction.atomic
def record_discussion(case: PenaltyCase, *, by, today: date, discussed_on: date, members: list[Person],
                      conclusion: str, attendees: str = "", late_reason: str = "") -> PenaltyCase:
    """集体讨论 by the organ's leaders (ENF-05, 处罚法第五十七条第二款). The
    meeting date is entered (SYS-03): not before the notice, the hearing or
    the legal review it follows. ``members``: the leaders who decided, each
    holding the head role over the organ that day (SYS-02) and none handling
    the case (SYS-01); ``attendees``: others present (列席), as text."""
    case = _lock_case(case)
    review = latest_review(case)
    when = _entered(discussed_on, today=today, label="集体讨论日期", field="discussed_on", after=[
        (case.notice_served_on, "告知日期"), (case.hearing_held_on, "听证举行日期"),
        (review.reviewed_on if review else None, "法制审核日期")], reason=late_reason)
    _check(case, "record_discussion", by, when.value)
    members = _leaders(case, members, on=when.value)
    attendees = _clean(attendees, 300, "attendees", "列席人员")
    case.discussed_on = when.value
    case.discussion_participants = _participants_text(members, attendees)
    case.discussion_conclusion = _clean(conclusion, 20000, "conclusion", "讨论结论", required=True)
    case.save()
    case.discussion_members.set(members)
    _act(case, "case", "discussion_recorded", by=by, data={"discussed_on": when.value,
                                                           "members": [p.pk for p in members], **when.audit_data()})
    return case
