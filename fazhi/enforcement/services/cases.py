"""A case opened, staffed, filed and ended: registration, information,
officers (ENF-01), 立案 or 不予立案, 结案, 归档, 终止.
"""

from datetime import date

from django.db import transaction

from fazhi.core.dates import EnteredDate
from fazhi.core.errors import ValidationError
from fazhi.enforcement import organs, rules
from fazhi.enforcement.models import (
    CaseOfficer,
    CaseStatus,
    Officer,
    PartyKind,
    PenaltyCase,
    Procedure,
    Severity,
    ViolationType,
)
from fazhi.enforcement.services.common import (
    ACTION_PERMISSIONS,
    _act,
    _allocate,
    _as_head,
    _check,
    _choice,
    _clean,
    _date,
    _entered,
    _lock_case,
    _money,
    _name,
    _require,
)
from fazhi.enforcement.services.facts import case_context, present_record_types
from fazhi.enforcement.workflow import CASE_WORKFLOW, OFFICER_STATES
from fazhi.org.models import Unit

CASE_FIELDS_MAX = {
    "cause": 200, "source": 50, "party_name": 200, "party_id_no": 30, "party_address": 300, "party_phone": 30,
    "party_legal_rep": 50, "facts": 20000,
}
FLAG_FIELDS = ("revoke_licence", "order_stop_business", "is_complex", "major_public_interest",
               "harm_to_life_or_finance")


@transaction.atomic
def create_case(*, unit: Unit, by, cause: str, party_kind: str, party_name: str, discovered_on: date,
                procedure: str = Procedure.GENERAL, source: str = "", party_id_no: str = "",
                party_address: str = "", party_phone: str = "", party_legal_rep: str = "", facts: str = "",
                violation_type: ViolationType | None = None, severity: str = "",
                violation_ended_on: date | None = None, confiscation_amount=None, today: date | None = None,
                late_reason: str = "", **flags) -> PenaltyCase:
    """Register a case (待立案审批, with the 立案审批表 to follow) or a summary case.

    The discovery date is a date a person enters (SYS-03): checked against
    the server's ``today`` (never in the future; more than
    ``FAZHI_BACKDATE_DAYS`` back only with ``late_reason``). ``today=None`` is
    for another module's service that has checked the date itself (the
    inspections hand-over). Computes the filing deadline from the discovery
    date (a setting, default 15 WD). The limitation (ENF-15) is checked again
    at 立案. The unit must belong to an enforcing organ (organs.py, ENF-10).
    """
    _require(by, "enforcement.handle_case", unit, "只有本单位执法人员可以登记案件")
    unknown = set(flags) - set(FLAG_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    organs.organ_of(unit)
    procedure = _choice(procedure, Procedure, "procedure", "程序")
    party_kind = _choice(party_kind, PartyKind, "party_kind", "当事人类型")
    discovered_on = _date(discovered_on, "discovered_on", "发现日期")
    entered = EnteredDate(discovered_on, 0)
    if today is not None:
        entered = _entered(discovered_on, today=today, label="发现日期", field="discovered_on", reason=late_reason)
    if violation_ended_on is not None:
        violation_ended_on = _date(violation_ended_on, "violation_ended_on", "违法行为终了日期")
        if violation_ended_on > discovered_on:
            raise ValidationError("违法行为终了日期不能晚于发现日期", fields={"violation_ended_on": "日期有误"})
    if violation_type is not None and violation_type.unit_id != unit.pk:
        raise ValidationError("违法行为类型不属于本单位的裁量基准", fields={"violation_type": "请重新选择"})
    if severity:
        _choice(severity, Severity, "severity", "违法程度")
    values = {
        "cause": _clean(cause, 200, "cause", "案由", required=True),
        "party_name": _clean(party_name, 200, "party_name", "当事人", required=True),
        **{k: _clean(v, CASE_FIELDS_MAX[k], k, PenaltyCase._meta.get_field(k).verbose_name)
           for k, v in (("source", source), ("party_id_no", party_id_no), ("party_address", party_address),
                        ("party_phone", party_phone), ("party_legal_rep", party_legal_rep), ("facts", facts))},
    }
    due = rules.filing_due(discovered_on)
    case = PenaltyCase.objects.create(
        unit=unit, procedure=procedure, party_kind=party_kind, discovered_on=discovered_on,
        violation_type=violation_type, severity=severity or "", violation_ended_on=violation_ended_on,
        confiscation_amount=_money(confiscation_amount, "confiscation_amount", "没收金额", required=False),
        filing_due=due.due, filing_provisional=due.provisional, filing_rule=due.rule_text,
        created_by=by, **values, **{k: bool(v) for k, v in flags.items()})
    _act(case, "case", "created", by=by, data={"procedure": procedure, "cause": case.cause,
                                               "discovered_on": discovered_on, **entered.audit_data()})
    return case


@transaction.atomic
def update_case(case: PenaltyCase, *, by, **changes) -> PenaltyCase:
    """Change the facts of an undecided case (cause, party, facts, violation type, flags)."""
    case = _lock_case(case)
    _require(by, "enforcement.handle_case", case.unit, "只有本单位执法人员可以修改案件")
    if case.status not in OFFICER_STATES:
        raise ValidationError(f"案件已{case.get_status_display()}，不能再修改案件信息", rule="ENF-03")
    notified = {"facts", "violation_type", "severity"} & set(changes)
    if case.notice_served_on and case.status != CaseStatus.INVESTIGATING and notified:
        # What the party was told (ENF-06) is what the decision may rest on.
        raise ValidationError("已告知当事人，违法事实和违法行为不能再修改；须补充调查后重新告知", rule="ENF-06",
                              fields={k: "已告知，不能修改" for k in notified})
    data = {}
    for k, v in changes.items():
        if k in CASE_FIELDS_MAX:
            v = _clean(v, CASE_FIELDS_MAX[k], k, PenaltyCase._meta.get_field(k).verbose_name,
                       required=k in ("cause", "party_name"))
        elif k in FLAG_FIELDS:
            v = bool(v)
        elif k == "severity":
            v = _choice(v, Severity, k, "违法程度") if v else ""
        elif k == "violation_type":
            if v is not None and v.unit_id != case.unit_id:
                raise ValidationError("违法行为类型不属于本单位的裁量基准", fields={k: "请重新选择"})
        elif k == "confiscation_amount":
            v = _money(v, k, "没收金额", required=False)
        else:
            raise TypeError(f"field {k!r} cannot be changed by update_case")
        setattr(case, k, v)
        data[k] = getattr(v, "pk", v)
    case.save()
    _act(case, "case", "updated", by=by, data=data)
    return case


# What the case page's information form edits (ENF-10); update_case_info changes only these.
INFO_FIELDS = ("cause", "facts", "violation_type", "severity", "is_complex", "major_public_interest",
               "revoke_licence", "order_stop_business")


@transaction.atomic
def register_case(*, unit: Unit, by, officers: list[Officer], today: date, lead: Officer | None = None,
                  **fields) -> PenaltyCase:
    """立案登记 in one step: the case (``create_case``, dated against the
    server's ``today``) and its officers (``assign_officers``, ENF-01) — both
    or neither."""
    case = create_case(unit=unit, by=by, today=today, **fields)
    assign_officers(case, by=by, officers=officers, today=today, lead=lead)
    return case


def update_case_info(case: PenaltyCase, *, by, **fields) -> PenaltyCase:
    """The case information form (page and API): only the fields that differ
    from the record go to ``update_case``, so a notified case can still have
    its flags changed while its facts stay as notified (ENF-06)."""
    unknown = set(fields) - set(INFO_FIELDS)
    if unknown:
        raise TypeError(f"field(s) {sorted(unknown)} are not case information")
    return update_case(case, by=by, **{k: v for k, v in fields.items() if getattr(case, k) != v})


@transaction.atomic
def assign_officers(case: PenaltyCase, *, by, officers: list[Officer], today: date,
                    lead: Officer | None = None) -> list[CaseOfficer]:
    """Set the officers of a case (ENF-01): at least 2, each in post, of the
    case's unit, with a certificate valid ``today``. Replaces the list."""
    case = _lock_case(case)
    _require(by, "enforcement.handle_case", case.unit, "只有本单位执法人员可以指派承办人员")
    today = _date(today, "today", "日期")
    if case.status not in OFFICER_STATES:
        raise ValidationError(f"案件已{case.get_status_display()}，不能再变更承办人员", rule="ENF-01")
    officers = list({o.pk: o for o in officers}.values())
    if len(officers) < rules.get("min_officers"):
        raise ValidationError(f"执法人员不得少于{rules.get('min_officers')}人", rule="ENF-01",
                              fields={"officers": "至少指派两名持证执法人员"})
    rows = []
    for o in Officer.objects.filter(pk__in=[o.pk for o in officers]).select_related("person").prefetch_related(
            "certificates"):
        if o.unit_id != case.unit_id:
            raise ValidationError(f"{o.name}不是本单位执法人员", rule="ENF-01", fields={"officers": "非本单位人员"})
        cert = o.valid_certificate(today) if o.is_active else None
        if cert is None:
            raise ValidationError(f"{o.name}没有{today.isoformat()}有效的行政执法证件，不能承办案件", rule="ENF-01",
                                  fields={"officers": "未持有效执法证件"})
        rows.append((o, cert))
    lead_pk = (lead or officers[0]).pk
    case.case_officers.all().delete()
    created = [CaseOfficer.objects.create(
        case=case, officer=o, certificate=cert, certificate_no=cert.number, assigned_on=today,
        role=CaseOfficer.Role.LEAD if o.pk == lead_pk else CaseOfficer.Role.ASSIST) for o, cert in rows]
    _act(case, "case", "officers_assigned", by=by,
         data={"officers": [o.pk for o, _ in rows], "certificates": [c.number for _, c in rows]})
    return created


@transaction.atomic
def file_case(case: PenaltyCase, *, by, today: date, late_filing_reason: str = "") -> PenaltyCase:
    """立案 (approved by the organ's head on the server's ``today``): allocates
    the case number in the organ's series (e.g. 示范农罚立〔2026〕3号) and starts
    the 90-day clock (ENF-08). Needs 2 certified officers (ENF-01) and a
    violation inside the limitation period (ENF-15); filing after the filing
    deadline needs a recorded reason. The approver holds the head role over
    the organ today and did not handle or register the case (SYS-01/02)."""
    case = _lock_case(case)
    today = _date(today, "today", "立案日期")
    _check(case, "file_case", by, today)
    _as_head(case, by, on=today, act="批准立案")
    if today < case.discovered_on:
        raise ValidationError("立案日期不能早于发现日期", fields={"today": "日期有误"})
    reason = _clean(late_filing_reason, 500, "late_filing_reason", "逾期立案说明")
    if case.filing_due and today > case.filing_due and not reason:
        raise ValidationError(f"已超过立案期限（{case.filing_due}，{case.filing_rule}），须说明逾期立案理由",
                              rule="ENF-15", fields={"late_filing_reason": "请说明理由"})
    due = rules.decision_due(today)
    case.case_no = _allocate(case, "case", today.year)
    case.filed_on, case.late_filing_reason, case.filing_approved_by = today, reason, _name(by)
    case.decision_due, case.decision_rule = due.due, due.rule_text
    CASE_WORKFLOW.apply(case, "file_case", case_context(case, today))
    case.save()
    _act(case, "case", "filed", by=by, data={"case_no": case.case_no, "filed_on": today, "decision_due": due.due})
    return case


@transaction.atomic
def reject_filing(case: PenaltyCase, *, by, today: date, reason: str) -> PenaltyCase:
    """不予立案, by the organ's head (SYS-01/02), dated by the server."""
    case = _lock_case(case)
    today = _date(today, "today", "日期")
    _check(case, "reject_filing", by, today)
    _as_head(case, by, on=today, act="决定不予立案")
    case.termination_reason = _clean(reason, 500, "reason", "不予立案理由", required=True)
    case.terminated_on = today
    CASE_WORKFLOW.apply(case, "reject_filing", case_context(case, today))
    case.save()
    _act(case, "case", "filing_rejected", by=by, data={"reason": case.termination_reason})
    return case


@transaction.atomic
def close_case(case: PenaltyCase, *, by, today: date, summary: str) -> PenaltyCase:
    """结案: only with every record its steps require (ENF-03, rules.REQUIRED_RECORDS)."""
    case = _lock_case(case)
    today = _date(today, "today", "结案日期")
    summary = _clean(summary, 20000, "summary", "结案报告", required=True)
    missing = rules.missing_records(case, present_record_types(case))
    if case.status == CaseStatus.EXECUTED and missing:
        _require(by, ACTION_PERMISSIONS["close"], case.unit)
        raise ValidationError("全过程记录不完整，缺少：" + "、".join(r.label for r in missing) + "；不能结案",
                              rule="ENF-03", fields={"evidence": "请补充记录"})
    _check(case, "close", by, today)
    case.closed_on, case.close_summary = today, summary
    CASE_WORKFLOW.apply(case, "close", case_context(case, today))
    case.save()
    _act(case, "case", "closed", by=by, data={"on": today})
    return case


@transaction.atomic
def archive_case(case: PenaltyCase, *, by, today: date, archive_no: str) -> PenaltyCase:
    """归档 (ENF-03: all records archived)."""
    case = _lock_case(case)
    today = _date(today, "today", "归档日期")
    _check(case, "archive", by, today)
    case.archived_on = today
    case.archive_no = _clean(archive_no, 60, "archive_no", "档案号", required=True)
    CASE_WORKFLOW.apply(case, "archive", case_context(case, today))
    case.save()
    _act(case, "case", "archived", by=by, data={"archive_no": case.archive_no})
    return case


@transaction.atomic
def terminate_case(case: PenaltyCase, *, by, today: date, reason: str) -> PenaltyCase:
    """撤销立案/终止调查 (e.g. 违法事实不能成立), approved by a head of the organ
    who does not handle the case (SYS-01/02), on the server's ``today``."""
    case = _lock_case(case)
    today = _date(today, "today", "终止日期")
    _check(case, "terminate", by, today)
    _as_head(case, by, on=today, act="终止")
    case.terminated_on = today
    case.termination_reason = _clean(reason, 500, "reason", "终止原因", required=True)
    CASE_WORKFLOW.apply(case, "terminate", case_context(case, today))
    case.save()
    _act(case, "case", "terminated", by=by, data={"reason": case.termination_reason})
    return case
