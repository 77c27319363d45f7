"""The decision period (ENF-08): extensions and the periods not counted.
"""

from datetime import date, timedelta

from django.db import transaction

from fazhi.core.errors import Conflict, ValidationError
from fazhi.enforcement import rules
from fazhi.enforcement.models import CaseExtension, ClockStop, PenaltyCase
from fazhi.enforcement.services.common import (
    _act,
    _as_head,
    _choice,
    _clean,
    _date,
    _entered,
    _leaders,
    _lock_case,
    _name,
    _participants_text,
    _require,
)
from fazhi.enforcement.services.facts import _store_deadline, case_deadline
from fazhi.enforcement.workflow import EXTENSION_STATES


@transaction.atomic
def extend_deadline(case: PenaltyCase, *, by, today: date, days: int, reason: str, basis: str,
                    discussed_on: date | None = None, members=(), attendees: str = "", conclusion: str = "",
                    late_reason: str = "") -> CaseExtension:
    """Extend the decision deadline (ENF-08: only where a law, regulation or
    规章 provides — the sector procedure rules allow an extension approved by
    the organ's head, a further one only by the leaders collectively).

    Approved on the server's ``today`` by a head of the organ who does not
    handle the case (SYS-01/02), and only **before** the period has run out
    (a lapsed period cannot be revived). At most ``extension_max_days`` for
    the case's sector (``rules.extension_max_days``). A second or later
    extension records the collective discussion: its (entered) date, the
    leaders who took part and the conclusion."""
    case = _lock_case(case)
    _require(by, "enforcement.approve", case.unit, "只有单位负责人可以批准延长办案期限")
    today = _date(today, "today", "批准日期")
    if case.status not in EXTENSION_STATES:
        raise ValidationError(f"案件当前为“{case.get_status_display()}”，不能延长办案期限", rule="ENF-08")
    _as_head(case, by, on=today, act="批准延长办案期限")
    current = case_deadline(case, today)
    if today > current.due:
        raise ValidationError(f"办案期限已于{current.due.isoformat()}届满，期限届满后不能再批准延长", rule="ENF-08")
    field = case.violation_type.field if case.violation_type_id else ""
    most = rules.extension_max_days(field)
    if isinstance(days, bool) or not isinstance(days, int) or not (1 <= days <= most):
        raise ValidationError(f"每次延长不得超过{most}日（{field or '本领域'}）", rule="ENF-08",
                              fields={"days": f"1至{most}日"})
    reason = _clean(reason, 5000, "reason", "延长理由", required=True)
    basis = _clean(basis, 300, "basis", "延长依据", required=True)
    discussion: dict = {}
    if case.extensions.exists():
        if discussed_on is None:
            raise ValidationError("再次延长办案期限须经行政机关负责人集体讨论决定，请登记集体讨论情况", rule="ENF-08",
                                  fields={"discussed_on": "请填写集体讨论日期"})
        when = _entered(discussed_on, today=today, label="集体讨论日期", field="discussed_on",
                        after=[(case.filed_on, "立案日期")], reason=late_reason)
        leaders = _leaders(case, members, on=when.value)
        attendees = _clean(attendees, 300, "attendees", "列席人员")
        discussion = {"discussed_on": when.value, "discussion_participants": _participants_text(leaders, attendees),
                      "discussion_conclusion": _clean(conclusion, 5000, "conclusion", "讨论结论", required=True)}
    old = current.due
    ext = CaseExtension.objects.create(case=case, days=days, reason=reason, basis=basis, approved_on=today,
                                       approved_by=by, approved_by_name=_name(by), old_due=old,
                                       new_due=old + timedelta(days=days), **discussion)
    if discussion:
        ext.discussion_members.set(leaders)
    _store_deadline(case, today)
    case.extension_requested_on, case.extension_request_days = None, None
    case.extension_request_reason = case.extension_requested_by = ""
    case.save(update_fields=["decision_due", "decision_rule", "clock_stopped_on", "extension_requested_on",
                             "extension_request_days", "extension_request_reason", "extension_requested_by",
                             "updated_at"])
    _act(case, "case", "deadline_extended", by=by, data={
        "days": days, "old_due": old, "new_due": ext.new_due, "basis": basis,
        **({"discussed_on": discussion["discussed_on"], "members": [p.pk for p in leaders], **when.audit_data()}
           if discussion else {})})
    return ext


@transaction.atomic
def request_extension(case: PenaltyCase, *, by, today: date, days: int, reason: str) -> PenaltyCase:
    """An officer asks the head to extend the decision deadline (ENF-08), dated
    by the server; the request waits on the head's 我的待办 until an extension is
    approved (``extend_deadline`` clears it). Only before the period has run out."""
    case = _lock_case(case)
    _require(by, "enforcement.handle_case", case.unit, "只有本单位执法人员可以申请延长办案期限")
    today = _date(today, "today", "申请日期")
    if case.status not in EXTENSION_STATES:
        raise ValidationError(f"案件当前为“{case.get_status_display()}”，不能申请延长办案期限", rule="ENF-08")
    if case.extension_requested_on:
        raise Conflict(f"已于{case.extension_requested_on.isoformat()}申请延期，待负责人审批", rule="ENF-08")
    current = case_deadline(case, today)
    if today > current.due:
        raise ValidationError(f"办案期限已于{current.due.isoformat()}届满，期限届满后不能再申请延长", rule="ENF-08")
    field = case.violation_type.field if case.violation_type_id else ""
    most = rules.extension_max_days(field)
    if isinstance(days, bool) or not isinstance(days, int) or not (1 <= days <= most):
        raise ValidationError(f"每次延长不得超过{most}日（{field or '本领域'}）", rule="ENF-08",
                              fields={"days": f"1至{most}日"})
    case.extension_requested_on = today
    case.extension_request_days = days
    case.extension_request_reason = _clean(reason, 5000, "reason", "延长理由", required=True)
    case.extension_requested_by = _name(by)
    case.save(update_fields=["extension_requested_on", "extension_request_days", "extension_request_reason",
                             "extension_requested_by", "updated_at"])
    _act(case, "case", "extension_requested", by=by, data={"days": days, "due": current.due})
    return case


STOP_KINDS_BY_HAND = (ClockStop.Kind.TESTING, ClockStop.Kind.NOTICE)


@transaction.atomic
def start_clock_stop(case: PenaltyCase, *, by, today: date, kind: str, starts_on: date, reason: str, basis: str,
                     late_reason: str = "") -> ClockStop:
    """A period the law excludes from the case period begins (ENF-08): 检测、
    检验、检疫、鉴定 or 公告 (the hearing period is recorded by the hearing
    steps themselves). ``starts_on`` is entered (SYS-03), not before 立案 and
    not after the deadline as it stood that day (a lapsed period stays lapsed)."""
    case = _lock_case(case)
    _require(by, "enforcement.handle_case", case.unit, "只有本单位执法人员可以登记不计入办案期限的期间")
    if case.status not in EXTENSION_STATES:
        raise ValidationError(f"案件当前为“{case.get_status_display()}”，不能登记不计入办案期限的期间", rule="ENF-08")
    kind = _choice(kind, ClockStop.Kind, "kind", "期间类别")
    if kind not in STOP_KINDS_BY_HAND:
        raise ValidationError("听证期间由申请听证、举行听证两个步骤自动登记", rule="ENF-08", fields={"kind": "请选择其他类别"})
    when = _entered(starts_on, today=today, label="起始日期", field="starts_on", after=[(case.filed_on, "立案日期")],
                    reason=late_reason)
    then = case_deadline(case, when.value)
    if when.value > then.due:
        raise ValidationError(f"办案期限已于{then.due.isoformat()}届满，此后开始的期间不能使期限恢复", rule="ENF-08",
                              fields={"starts_on": "晚于办案期限"})
    stop = ClockStop.objects.create(case=case, kind=kind, starts_on=when.value, recorded_by=by,
                                    reason=_clean(reason, 500, "reason", "事由", required=True),
                                    basis=_clean(basis, 300, "basis", "依据", required=True))
    _store_deadline(case, today)
    case.save(update_fields=["decision_due", "decision_rule", "clock_stopped_on", "updated_at"])
    _act(case, "case", "clock_stopped", by=by, data={"stop": stop.pk, "kind": kind, "starts_on": when.value,
                                                     "reason": stop.reason, **when.audit_data()})
    return stop


@transaction.atomic
def end_clock_stop(stop: ClockStop, *, by, today: date, ends_on: date, late_reason: str = "") -> ClockStop:
    """The excluded period ends (检测报告 received, 公告期满); the case clock runs
    again and the deadline moves by the days it stood still (ENF-08)."""
    stop = ClockStop.objects.select_for_update().get(pk=stop.pk)
    case = _lock_case(stop.case)
    _require(by, "enforcement.handle_case", case.unit, "只有本单位执法人员可以登记不计入办案期限的期间")
    if stop.ends_on is not None:
        raise ValidationError("该期间已登记结束", rule="ENF-08")
    when = _entered(ends_on, today=today, label="结束日期", field="ends_on", after=[(stop.starts_on, "起始日期")],
                    reason=late_reason)
    stop.ends_on = when.value
    stop.save(update_fields=["ends_on"])
    live = _store_deadline(case, today)
    case.save(update_fields=["decision_due", "decision_rule", "clock_stopped_on", "updated_at"])
    _act(case, "case", "clock_resumed", by=by, data={"stop": stop.pk, "ends_on": when.value,
                                                     "days": (when.value - stop.starts_on).days,
                                                     "decision_due": live.due, **when.audit_data()})
    return stop
