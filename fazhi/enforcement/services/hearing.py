"""Notice and the party's rights (ENF-06/07): 告知, 陈述申辩, waiver and the
hearing.
"""

from datetime import date

from django.db import transaction

from fazhi.core.errors import ValidationError
from fazhi.enforcement import rules
from fazhi.enforcement.models import CaseStatus, ClockStop, PenaltyCase
from fazhi.enforcement.services.common import _act, _check, _clean, _date, _entered, _lock_case, _money
from fazhi.enforcement.services.facts import _store_deadline, case_context
from fazhi.enforcement.workflow import CASE_WORKFLOW


@transaction.atomic
def notify(case: PenaltyCase, *, by, today: date, intended_penalty: str, notice_reasons: str,
           intended_fine=None) -> PenaltyCase:
    """告知 (ENF-06, 处罚法第四十四条): the intended penalty with its facts,
    reasons and basis and the rights to state, defend and (where ENF-07
    requires) ask for a hearing. The notice is dated and served on the
    server's ``today`` (recorded when handed over), which starts the 5-WD
    window for statements and hearing requests (ENF-07)."""
    case = _lock_case(case)
    today = _date(today, "today", "告知日期")
    _check(case, "notify", by, today)
    case.intended_penalty = _clean(intended_penalty, 2000, "intended_penalty", "拟处罚内容", required=True)
    case.notice_reasons = _clean(notice_reasons, 20000, "notice_reasons", "事实、理由及依据", required=True)
    case.intended_fine = _money(intended_fine, "intended_fine", "拟罚款金额", required=False)
    case.notice_served_on = today
    case.hearing_offered = rules.hearing_must_be_offered(case)
    due = rules.statement_due(today)
    case.statement_due, case.statement_provisional, case.statement_rule = due.due, due.provisional, due.rule_text
    case.rights_waived_on = case.statement_received_on = case.hearing_requested_on = None
    case.hearing_notified_on = case.hearing_date = case.hearing_held_on = None
    CASE_WORKFLOW.apply(case, "notify", case_context(case, today))
    case.save()
    _act(case, "case", "notified", by=by, data={"served_on": today, "statement_due": due.due,
                                                "hearing_offered": case.hearing_offered,
                                                "intended_fine": case.intended_fine})
    return case


@transaction.atomic
def record_statement(case: PenaltyCase, *, by, today: date, received_on: date, text: str, answer: str = "",
                     late_reason: str = "") -> PenaltyCase:
    """陈述申辩 (ENF-06): recorded and answered (复核). ``received_on`` is
    entered (SYS-03): not before the notice, not after today."""
    case = _lock_case(case)
    when = _entered(received_on, today=today, label="陈述申辩日期", field="received_on",
                    after=[(case.notice_served_on, "告知日期")], reason=late_reason)
    _check(case, "record_statement", by, when.value)
    case.statement_text = _clean(text, 20000, "text", "陈述申辩意见", required=True)
    case.statement_answer = _clean(answer, 20000, "answer", "复核意见")
    case.statement_received_on = when.value
    if case.status != CaseStatus.HEARING:  # statements during a hearing procedure do not leave it
        CASE_WORKFLOW.apply(case, "record_statement", case_context(case, when.value))
    case.save()
    _act(case, "case", "statement_recorded", by=by, data={"received_on": when.value, **when.audit_data()})
    return case


@transaction.atomic
def waive_rights(case: PenaltyCase, *, by, today: date, on: date, late_reason: str = "") -> PenaltyCase:
    """The party waives statement, defence and hearing in writing (ENF-06);
    the date of the written waiver is entered (SYS-03)."""
    case = _lock_case(case)
    when = _entered(on, today=today, label="书面放弃日期", field="on", after=[(case.notice_served_on, "告知日期")],
                    reason=late_reason)
    _check(case, "waive_rights", by, when.value)
    case.rights_waived_on = when.value
    case.save()
    _act(case, "case", "rights_waived", by=by, data={"on": when.value, **when.audit_data()})
    return case


HEARING_STOP_BASIS = "听证期间不计入办案期限（市场监督管理行政处罚程序规定、农业行政处罚程序规定关于办案期限的规定）"


@transaction.atomic
def request_hearing(case: PenaltyCase, *, by, today: date, requested_on: date, late_reason: str = "") -> PenaltyCase:
    """The party asks for a hearing within 5 WD of the notice (ENF-07). The
    hearing period stops the case clock from the request until the hearing
    is held (ENF-08, a ``ClockStop`` of kind 听证)."""
    case = _lock_case(case)
    when = _entered(requested_on, today=today, label="听证申请日期", field="requested_on",
                    after=[(case.notice_served_on, "告知日期")], reason=late_reason)
    requested_on = when.value
    in_time = bool(case.statement_due and case.notice_served_on
                   and case.notice_served_on <= requested_on <= case.statement_due)
    _check(case, "request_hearing", by, requested_on, request_in_time=in_time)
    case.hearing_requested_on = requested_on
    CASE_WORKFLOW.apply(case, "request_hearing", case_context(case, requested_on, request_in_time=in_time))
    ClockStop.objects.create(case=case, kind=ClockStop.Kind.HEARING, starts_on=requested_on, recorded_by=by,
                             reason="当事人申请听证", basis=HEARING_STOP_BASIS)
    _store_deadline(case, today)
    case.save()
    _act(case, "case", "hearing_requested", by=by, data={"requested_on": requested_on, **when.audit_data()})
    return case


@transaction.atomic
def schedule_hearing(case: PenaltyCase, *, by, today: date, notified_on: date, hearing_date: date, place: str,
                     presider: str, late_reason: str = "") -> PenaltyCase:
    """Notify the hearing ≥ 7 WD before it; the presider is not an investigator
    (ENF-07). ``notified_on`` is entered (SYS-03), not before the request."""
    case = _lock_case(case)
    when = _entered(notified_on, today=today, label="听证通知日期", field="notified_on",
                    after=[(case.hearing_requested_on, "听证申请日期")], reason=late_reason)
    notified_on = when.value
    hearing_date = _date(hearing_date, "hearing_date", "听证日期")
    ok = hearing_date >= rules.earliest_hearing_date(notified_on)
    _check(case, "schedule_hearing", by, notified_on, hearing_notice_ok=ok)
    presider = _clean(presider, 50, "presider", "听证主持人", required=True)
    investigators = set(case.case_officers.values_list("officer__person__name", flat=True))
    if presider in investigators:
        raise ValidationError("听证由非本案调查人员主持", rule="ENF-07", fields={"presider": "不得为本案调查人员"})
    case.hearing_notified_on, case.hearing_date = notified_on, hearing_date
    case.hearing_place = _clean(place, 200, "place", "听证地点", required=True)
    case.hearing_presider = presider
    case.save()
    _act(case, "case", "hearing_scheduled", by=by, data={"notified_on": notified_on, "hearing_date": hearing_date,
                                                         **when.audit_data()})
    return case


@transaction.atomic
def hold_hearing(case: PenaltyCase, *, by, today: date, held_on: date, summary: str,
                 late_reason: str = "") -> PenaltyCase:
    """Record the hearing held (ENF-07); the signed record is attached as 听证笔录.
    ``held_on`` is entered (SYS-03): not before the notified hearing date.
    Ends the hearing clock stop (ENF-08)."""
    case = _lock_case(case)
    when = _entered(held_on, today=today, label="听证举行日期", field="held_on",
                    after=[(case.hearing_date, "通知的听证日期")], reason=late_reason)
    _check(case, "hold_hearing", by, when.value)
    case.hearing_held_on = when.value
    case.hearing_summary = _clean(summary, 20000, "summary", "听证笔录摘要", required=True)
    case.clock_stops.filter(kind=ClockStop.Kind.HEARING, ends_on__isnull=True).update(ends_on=when.value)
    _store_deadline(case, today)
    case.save()
    _act(case, "case", "hearing_held", by=by, data={"held_on": when.value, **when.audit_data()})
    return case
