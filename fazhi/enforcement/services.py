"""Every write of the enforcement module, one function per use case.

Order inside each service (STYLE.md): lock → authorise → check the legal
order (``workflow.CASE_WORKFLOW``) → validate → change → ``audit.record`` in
the same transaction. Refusals raise ``fazhi.core.errors`` with a Chinese
message and, where a legal rule refuses, its ID (docs/rules.md §3, ENF-*).

Actors: ``by`` is the acting user; ``by=None`` is the system (jobs, demo
loader, trusted commands). Dates: every service that computes or checks a
deadline takes ``today`` (or the date of the act) explicitly; no deadline
code reads the clock.

Permissions (apps.PERMISSIONS), checked against the case's unit:
``handle_case`` 执法人员/经办人, ``approve`` 单位负责人 (立案, 决定, 集体讨论,
延期, 终止), ``legal_review`` 法制审核员, ``publish``, ``manage_officers``,
``manage_benchmarks``. ``ACTION_PERMISSIONS`` maps each workflow action to
its permission (the UI uses it to show buttons).

Audit action codes: ``enforcement.<object>.<verb>`` with objects ``officer``,
``certificate``, ``code``, ``violation_type``, ``benchmark``, ``case``,
``evidence``, ``publication``, ``transfer``.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.core import uploads
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.core.models import allocate_number
from fazhi.enforcement import masking, rules
from fazhi.enforcement.models import (
    AnnualCheck,
    Benchmark,
    CaseExtension,
    CaseOfficer,
    CaseStatus,
    Certificate,
    CertificateStatus,
    EnforcementCode,
    EvidenceFile,
    EvidenceKind,
    LegalReview,
    Officer,
    PartyKind,
    Payment,
    PaymentMethod,
    PenaltyCase,
    PoliceTransfer,
    Procedure,
    PublicationRecord,
    PublicationStatus,
    RecordType,
    ServiceMethod,
    Severity,
    TransferStatus,
    ViolationType,
)
from fazhi.enforcement.workflow import CASE_WORKFLOW, EXTENSION_STATES, OFFICER_STATES, TRANSFER_RULE
from fazhi.org import access
from fazhi.org.models import Person, Unit

ACTION = "enforcement.{}.{}"

# Which permission each workflow action needs (on the case's unit).
ACTION_PERMISSIONS = {
    "file_case": "enforcement.approve",
    "reject_filing": "enforcement.approve",
    "notify": "enforcement.handle_case",
    "record_statement": "enforcement.handle_case",
    "waive_rights": "enforcement.handle_case",
    "request_hearing": "enforcement.handle_case",
    "schedule_hearing": "enforcement.handle_case",
    "hold_hearing": "enforcement.handle_case",
    "submit_legal_review": "enforcement.handle_case",
    "legal_review_pass": "enforcement.legal_review",
    "legal_review_fail": "enforcement.legal_review",
    "submit_discussion": "enforcement.handle_case",
    "record_discussion": "enforcement.approve",
    "decide": "enforcement.approve",
    "summary_decide": "enforcement.handle_case",
    "serve": "enforcement.handle_case",
    "record_payment": "enforcement.handle_case",
    "complete_execution": "enforcement.handle_case",
    "close": "enforcement.handle_case",
    "archive": "enforcement.handle_case",
    "transfer": "enforcement.handle_case",
    "resume": "enforcement.handle_case",
    "end_by_transfer": "enforcement.handle_case",
    "terminate": "enforcement.approve",
}


class _Unset:
    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()


# ------------------------------------------------------------------ helpers

def _act(obj, what: str, verb: str, *, by, data: dict | None = None, unit=None):
    return record(obj, ACTION.format(what, verb), by=by, data=data or {}, unit=unit)


def may(user, permission: str, unit: Unit | None) -> bool:
    """``by=None`` (the system) may do everything."""
    if user is None:
        return True
    return access.allowed(user, permission, unit)


def _require(by, permission: str, unit: Unit | None, message: str = "您没有执行此操作的权限") -> None:
    if not may(by, permission, unit):
        raise PermissionDenied(message)


def _name(by) -> str:
    if by is None:
        return "系统"
    p = access.person_of(by)
    return p.name if p is not None else by.get_username()


def _clean(value, max_length: int, field: str, label: str, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise ValidationError(f"{label}不能为空", fields={field: f"请填写{label}"})
    if len(text) > max_length:
        raise ValidationError(f"{label}过长（最多{max_length}字）", fields={field: f"最多{max_length}字"})
    return text


def _date(value, field: str, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label}无效", fields={field: "请填写日期"})
    return value


def _money(value, field: str, label: str, *, required: bool = True) -> Decimal:
    if value in (None, "") and not required:
        return Decimal("0.00")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}不是有效的金额", fields={field: "请填写金额（元）"})
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError(f"{label}不是有效的金额", fields={field: "金额须为0或正数"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}最多保留两位小数", fields={field: "最多两位小数"})
    return amount.quantize(Decimal("0.01"))


def _choice(value, choices, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationError(f"{label}无效", fields={field: f"请选择{label}"})
    return value


def _lock_case(case: PenaltyCase) -> PenaltyCase:
    return PenaltyCase.objects.select_for_update().select_related("unit").get(pk=case.pk)


def _check(case: PenaltyCase, action: str, by, today: date | None, **extra) -> None:
    """Authorise and check the legal order of ``action`` on ``case``."""
    _require(by, ACTION_PERMISSIONS[action], case.unit)
    ctx = case_context(case, today or date.min, action=action, **extra)
    CASE_WORKFLOW.check(case, action, ctx)


# ----------------------------------------------------------- case context

def valid_case_officers(case: PenaltyCase, on: date) -> list[CaseOfficer]:
    """Assigned officers whose certificate is valid on ``on`` and who are in post (ENF-01)."""
    rows = case.case_officers.select_related("officer", "certificate").all()
    return [r for r in rows if r.officer.is_active and r.certificate.is_valid(on)]


def present_record_types(case: PenaltyCase) -> set[str]:
    return set(case.evidence.values_list("record_type", flat=True))


def latest_review(case: PenaltyCase) -> LegalReview | None:
    return case.legal_reviews.order_by("-reviewed_on", "-pk").first()


def case_context(case: PenaltyCase, today: date, *, action: str | None = None, **extra) -> dict:
    """The facts the workflow guards read (see workflow.py), computed for ``today``.

    ``extra`` overrides/adds facts for the action being checked (e.g. the
    proposed fine for ``decide``).
    """
    ctx: dict = {}
    ctx["officers_ok"] = len(valid_case_officers(case, today)) >= rules.get("min_officers") if case.pk else False
    ctx["limitation_ok"] = not rules.limitation_expired(case.violation_ended_on, case.discovered_on,
                                                        harm=case.harm_to_life_or_finance)
    ctx["window_over"] = bool(case.rights_waived_on) or bool(case.statement_due and today > case.statement_due)
    ctx["request_in_time"] = True
    ctx["hearing_due"] = bool(case.hearing_date and today >= case.hearing_date)
    ctx["hearing_notice_ok"] = True
    review = latest_review(case) if case.pk else None
    ctx["review_passed"] = bool(review and review.result == LegalReview.Result.PASSED)
    ctx["major"] = rules.is_major(case)
    ctx["within_limit"] = bool(case.decision_due and today <= case.decision_due)
    ctx["benchmark_ok"] = True
    ctx["summary_ok"] = True
    if case.pk and case.status == CaseStatus.SERVED:
        ctx["paid_in_full"] = paid_in_full(case)
    if case.pk and case.status == CaseStatus.EXECUTED:
        ctx["records_complete"] = not rules.missing_records(case, present_record_types(case))
    ctx.update(extra)
    return ctx


def available_actions(case: PenaltyCase, user, today: date) -> list:
    """The transitions ``user`` may take on ``case`` today (for buttons and the API)."""
    ctx = case_context(case, today)
    return [t for t in CASE_WORKFLOW.available(case, ctx)
            if may(user, ACTION_PERMISSIONS[t.action], case.unit)]


# ============================================================== officers

@transaction.atomic
def register_officer(person: Person, *, by, category: str = "", has_legal_qualification: bool = False,
                     note: str = "") -> Officer:
    """Register a person of an enforcing unit as an enforcement officer (ENF-01)."""
    person = Person.objects.select_related("unit").get(pk=person.pk)
    _require(by, "enforcement.manage_officers", person.unit, "只有本单位管理员可以登记执法人员")
    if Officer.objects.filter(person=person).exists():
        raise ValidationError(f"{person.name}已登记为执法人员", fields={"person": "已登记"})
    officer = Officer.objects.create(
        person=person, unit=person.unit, category=_clean(category, 100, "category", "执法类别"),
        has_legal_qualification=bool(has_legal_qualification), note=_clean(note, 500, "note", "备注"))
    _act(officer, "officer", "registered", by=by, data={"person": person.pk, "category": officer.category})
    return officer


@transaction.atomic
def update_officer(officer: Officer, *, by, category=UNSET, has_legal_qualification=UNSET, is_active=UNSET,
                   note=UNSET) -> Officer:
    """Change an officer's category, qualification or post status; the unit follows the person."""
    officer = Officer.objects.select_for_update().select_related("person__unit").get(pk=officer.pk)
    _require(by, "enforcement.manage_officers", officer.unit, "只有本单位管理员可以修改执法人员")
    changes = {}
    if category is not UNSET:
        officer.category = changes["category"] = _clean(category, 100, "category", "执法类别")
    if has_legal_qualification is not UNSET:
        officer.has_legal_qualification = changes["has_legal_qualification"] = bool(has_legal_qualification)
    if is_active is not UNSET:
        officer.is_active = changes["is_active"] = bool(is_active)
    if note is not UNSET:
        officer.note = changes["note"] = _clean(note, 500, "note", "备注")
    if officer.unit_id != officer.person.unit_id:
        officer.unit = officer.person.unit
        changes["unit"] = officer.unit_id
        Certificate.objects.filter(officer=officer).update(unit=officer.unit)
    officer.save()
    _act(officer, "officer", "updated", by=by, data=changes)
    return officer


@transaction.atomic
def issue_certificate(officer: Officer, *, by, number: str, issuing_authority: str, field: str,
                      valid_from: date, valid_to: date, kind: str = "行政执法证") -> Certificate:
    """Record a 行政执法证 issued by the province (ENF-24/25)."""
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    _require(by, "enforcement.manage_officers", officer.unit, "只有本单位管理员可以登记执法证件")
    number = _clean(number, 40, "number", "证件编号", required=True)
    valid_from = _date(valid_from, "valid_from", "有效期起")
    valid_to = _date(valid_to, "valid_to", "有效期至")
    if valid_to < valid_from:
        raise ValidationError("有效期至不能早于有效期起", fields={"valid_to": "日期有误"})
    if Certificate.objects.filter(number=number).exists():
        raise ValidationError(f"证件编号“{number}”已存在", fields={"number": "编号重复"})
    cert = Certificate.objects.create(
        officer=officer, unit=officer.unit, number=number, kind=_clean(kind, 50, "kind", "证件种类", required=True),
        issuing_authority=_clean(issuing_authority, 100, "issuing_authority", "发证机关", required=True),
        field=_clean(field, 100, "field", "执法领域", required=True), valid_from=valid_from, valid_to=valid_to)
    _act(cert, "certificate", "issued", by=by,
         data={"number": number, "valid_from": valid_from, "valid_to": valid_to, "officer": officer.pk})
    return cert


@transaction.atomic
def set_certificate_status(cert: Certificate, *, by, status: str, reason: str, on: date) -> Certificate:
    """暂扣 / 注销 / 恢复有效 (ENF-25: holders out of post or disciplined are cancelled).
    A revoked (注销) certificate cannot be restored."""
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    _require(by, "enforcement.manage_officers", cert.unit, "只有本单位管理员可以变更证件状态")
    status = _choice(status, CertificateStatus, "status", "证件状态")
    reason = _clean(reason, 500, "reason", "变更原因", required=True)
    on = _date(on, "on", "变更日期")
    if cert.status == CertificateStatus.REVOKED:
        raise ValidationError("已注销的执法证件不能再变更状态，须重新申领", rule="ENF-25")
    if status == cert.status:
        raise ValidationError(f"证件已是“{cert.get_status_display()}”状态", fields={"status": "状态未变"})
    old = cert.status
    cert.status, cert.status_reason, cert.status_changed_on = status, reason, on
    cert.save(update_fields=["status", "status_reason", "status_changed_on", "updated_at"])
    _act(cert, "certificate", "status_changed", by=by, data={"from": old, "to": status, "reason": reason, "on": on})
    return cert


@transaction.atomic
def record_annual_check(cert: Certificate, *, by, year: int, result: str, checked_on: date,
                        note: str = "") -> AnnualCheck:
    """年度审验 (ENF-25). A failed check suspends (暂扣) the certificate."""
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    _require(by, "enforcement.manage_officers", cert.unit, "只有本单位管理员可以登记年度审验")
    result = _choice(result, AnnualCheck.Result, "result", "审验结果")
    checked_on = _date(checked_on, "checked_on", "审验日期")
    if not isinstance(year, int) or not (2000 <= year <= 2100):
        raise ValidationError("审验年度无效", fields={"year": "请填写年度"})
    if cert.annual_checks.filter(year=year).exists():
        raise ValidationError(f"{year}年度审验已登记", fields={"year": "已登记"})
    check = AnnualCheck.objects.create(certificate=cert, year=year, result=result, checked_on=checked_on,
                                       note=_clean(note, 500, "note", "说明"), recorded_by=by)
    if result == AnnualCheck.Result.FAILED and cert.status == CertificateStatus.VALID:
        cert.status, cert.status_reason, cert.status_changed_on = (
            CertificateStatus.SUSPENDED, f"{year}年度审验不合格", checked_on)
        cert.save(update_fields=["status", "status_reason", "status_changed_on", "updated_at"])
    _act(cert, "certificate", "annual_check", by=by, data={"year": year, "result": result})
    return check


# ============================================================ benchmarks

@transaction.atomic
def set_enforcement_code(unit: Unit, *, by, case_prefix: str, decision_prefix: str) -> EnforcementCode:
    """Set a unit's 机关代字 for case and decision numbers."""
    _require(by, "enforcement.manage_officers", unit, "只有本单位管理员可以设置执法文书代字")
    case_prefix = _clean(case_prefix, 40, "case_prefix", "立案号代字", required=True)
    decision_prefix = _clean(decision_prefix, 40, "decision_prefix", "决定书文号代字", required=True)
    if case_prefix == decision_prefix:
        raise ValidationError("立案号与决定书文号的代字不能相同", fields={"decision_prefix": "与立案号代字相同"})
    for f, v in (("case_prefix", case_prefix), ("decision_prefix", decision_prefix)):
        clash = EnforcementCode.objects.exclude(unit=unit).filter(**{f: v}).first()
        if clash:
            raise ValidationError(f"代字“{v}”已由{clash.unit}使用", fields={f: "已被使用"})
    code, _ = EnforcementCode.objects.update_or_create(
        unit=unit, defaults={"case_prefix": case_prefix, "decision_prefix": decision_prefix})
    _act(code, "code", "set", by=by, data={"case_prefix": case_prefix, "decision_prefix": decision_prefix})
    return code


@transaction.atomic
def create_violation_type(*, unit: Unit, by, code: str, name: str, legal_basis: str, penalty_basis: str,
                          field: str = "") -> ViolationType:
    """A violation of the unit's published 裁量基准 (ENF-24)."""
    _require(by, "enforcement.manage_benchmarks", unit, "只有本单位负责人或管理员可以制定裁量基准")
    code = _clean(code, 40, "code", "编码", required=True)
    if ViolationType.objects.filter(unit=unit, code=code).exists():
        raise ValidationError(f"编码“{code}”已存在", fields={"code": "编码重复"})
    vt = ViolationType.objects.create(
        unit=unit, code=code, name=_clean(name, 200, "name", "违法行为", required=True),
        legal_basis=_clean(legal_basis, 5000, "legal_basis", "违法依据", required=True),
        penalty_basis=_clean(penalty_basis, 5000, "penalty_basis", "处罚依据", required=True),
        field=_clean(field, 100, "field", "执法领域"))
    _act(vt, "violation_type", "created", by=by, data={"code": code})
    return vt


@transaction.atomic
def update_violation_type(violation_type: ViolationType, *, by, name: str, legal_basis: str, penalty_basis: str,
                          is_active: bool, field: str | None = None) -> ViolationType:
    """Change a violation type of the 裁量基准 (ENF-24); its unit and code stay.

    The legal and penalty bases cannot change once a party has been notified
    of, or a decision made on, a case of this type: that case's documents are
    generated from them, and what the party was told must not change
    afterwards. Create a new type for the amended law and deactivate this one
    (inactive types are not offered for new cases; existing cases keep theirs).
    """
    vt = ViolationType.objects.select_for_update().get(pk=violation_type.pk)
    _require(by, "enforcement.manage_benchmarks", vt.unit, "只有本单位负责人或管理员可以制定裁量基准")
    new = {
        "name": _clean(name, 200, "name", "违法行为", required=True),
        "legal_basis": _clean(legal_basis, 5000, "legal_basis", "违法依据", required=True),
        "penalty_basis": _clean(penalty_basis, 5000, "penalty_basis", "处罚依据", required=True),
        "is_active": bool(is_active),
    }
    if field is not None:
        new["field"] = _clean(field, 100, "field", "执法领域")
    changed = {k: (getattr(vt, k), v) for k, v in new.items() if getattr(vt, k) != v}
    if not changed:
        return vt
    bases = [k for k in ("legal_basis", "penalty_basis") if k in changed]
    if bases and vt.cases.filter(Q(notice_served_on__isnull=False) | Q(decided_on__isnull=False)).exists():
        raise ValidationError("已有案件依此告知或作出决定，不能修改其违法依据、处罚依据；"
                              "法律修改后请新增违法行为并停用本条", rule="ENF-24",
                              fields={k: "已有案件引用" for k in bases})
    for k, (_, v) in changed.items():
        setattr(vt, k, v)
    vt.save(update_fields=[*changed, "updated_at"])
    _act(vt, "violation_type", "updated", by=by,
         data={"code": vt.code, "changed": {k: {"from": old, "to": v} for k, (old, v) in changed.items()}})
    return vt


@transaction.atomic
def set_benchmark(violation_type: ViolationType, *, by, severity: str, fine_min, fine_max,
                  other_penalties: str = "", circumstances: str = "") -> Benchmark:
    """Set the fine range of one severity (creates or replaces the row)."""
    vt = ViolationType.objects.select_for_update().get(pk=violation_type.pk)
    _require(by, "enforcement.manage_benchmarks", vt.unit, "只有本单位负责人或管理员可以制定裁量基准")
    severity = _choice(severity, Severity, "severity", "违法程度")
    lo, hi = _money(fine_min, "fine_min", "罚款下限"), _money(fine_max, "fine_max", "罚款上限")
    if hi < lo:
        raise ValidationError("罚款上限不能低于下限", fields={"fine_max": "上限低于下限"})
    bm, created = Benchmark.objects.update_or_create(
        violation_type=vt, severity=severity,
        defaults={"fine_min": lo, "fine_max": hi,
                  "other_penalties": _clean(other_penalties, 500, "other_penalties", "其他处罚"),
                  "circumstances": _clean(circumstances, 5000, "circumstances", "适用情形")})
    _act(vt, "benchmark", "set", by=by, data={"severity": severity, "fine_min": lo, "fine_max": hi})
    return bm


def benchmark_for(case: PenaltyCase) -> Benchmark | None:
    if case.benchmark_id:
        return case.benchmark
    if case.violation_type_id and case.severity:
        return Benchmark.objects.filter(violation_type_id=case.violation_type_id, severity=case.severity).first()
    return None


def check_fine_against_benchmark(benchmark: Benchmark | None, fine: Decimal, reasons: str) -> None:
    """ENF-24: a fine outside the benchmark range needs recorded reasons."""
    if benchmark is None or benchmark.contains(fine) or (reasons or "").strip():
        return
    raise ValidationError(
        f"拟罚款{fine}元超出裁量基准（{benchmark.get_severity_display()}：{benchmark.fine_min}—{benchmark.fine_max}元），"
        "须填写超出裁量基准的理由", rule="ENF-24", fields={"outside_range_reason": "请说明理由"})


# ================================================================= cases

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
                violation_ended_on: date | None = None, confiscation_amount=None, **flags) -> PenaltyCase:
    """Register a case (待立案审批, with the 立案审批表 to follow) or a summary case.

    Computes the filing deadline from the discovery date (a setting, default
    15 WD). The limitation (ENF-15) is checked again at 立案.
    """
    _require(by, "enforcement.handle_case", unit, "只有本单位执法人员可以登记案件")
    unknown = set(flags) - set(FLAG_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    procedure = _choice(procedure, Procedure, "procedure", "程序")
    party_kind = _choice(party_kind, PartyKind, "party_kind", "当事人类型")
    discovered_on = _date(discovered_on, "discovered_on", "发现日期")
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
    _act(case, "case", "created", by=by, data={"procedure": procedure, "cause": case.cause})
    return case


@transaction.atomic
def update_case(case: PenaltyCase, *, by, **changes) -> PenaltyCase:
    """Change the facts of an undecided case (cause, party, facts, violation type, flags)."""
    case = _lock_case(case)
    _require(by, "enforcement.handle_case", case.unit, "只有本单位执法人员可以修改案件")
    if case.status not in OFFICER_STATES:
        raise ValidationError(f"案件已{case.get_status_display()}，不能再修改案件信息", rule="ENF-03")
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


def _allocate(case: PenaltyCase, kind: str, year: int) -> str:
    code = EnforcementCode.objects.filter(unit=case.unit).first()
    if code is None:
        raise ValidationError(f"{case.unit}尚未设置执法文书代字，不能编号；请单位管理员在“执法文书代字”页面先设置",
                              rule="ENF-10")
    prefix = code.case_prefix if kind == "case" else code.decision_prefix
    purpose = f"{'立案' if kind == 'case' else '处罚决定'} {case.cause}"
    return allocate_number(issuer=case.unit.name, prefix=prefix, year=year, purpose=purpose).text


@transaction.atomic
def file_case(case: PenaltyCase, *, by, today: date, late_filing_reason: str = "") -> PenaltyCase:
    """立案 (approved by the head): allocates the case number (e.g. 示范农罚立〔2026〕3号)
    and starts the 90-day clock (ENF-08). Needs 2 certified officers (ENF-01)
    and a violation inside the limitation period (ENF-15); filing after the
    filing deadline needs a recorded reason."""
    case = _lock_case(case)
    today = _date(today, "today", "立案日期")
    _check(case, "file_case", by, today)
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
    """不予立案."""
    case = _lock_case(case)
    _check(case, "reject_filing", by, today)
    case.termination_reason = _clean(reason, 500, "reason", "不予立案理由", required=True)
    case.terminated_on = _date(today, "today", "日期")
    CASE_WORKFLOW.apply(case, "reject_filing", case_context(case, today))
    case.save()
    _act(case, "case", "filing_rejected", by=by, data={"reason": case.termination_reason})
    return case


@transaction.atomic
def notify(case: PenaltyCase, *, by, served_on: date, intended_penalty: str, notice_reasons: str,
           intended_fine=None) -> PenaltyCase:
    """告知 (ENF-06): the intended penalty with its facts, reasons and basis and
    the rights to state, defend and (where ENF-07 requires) ask for a hearing.
    Starts the 5-WD window for statements and hearing requests."""
    case = _lock_case(case)
    served_on = _date(served_on, "served_on", "告知书送达日期")
    case.intended_penalty = _clean(intended_penalty, 2000, "intended_penalty", "拟处罚内容", required=True)
    case.notice_reasons = _clean(notice_reasons, 20000, "notice_reasons", "事实、理由及依据", required=True)
    case.intended_fine = _money(intended_fine, "intended_fine", "拟罚款金额", required=False)
    case.notice_served_on = served_on
    _check(case, "notify", by, served_on)
    if case.filed_on and served_on < case.filed_on:
        raise ValidationError("告知日期不能早于立案日期", fields={"served_on": "日期有误"})
    case.hearing_offered = rules.hearing_must_be_offered(case)
    due = rules.statement_due(served_on)
    case.statement_due, case.statement_provisional, case.statement_rule = due.due, due.provisional, due.rule_text
    case.rights_waived_on = case.statement_received_on = case.hearing_requested_on = None
    case.hearing_notified_on = case.hearing_date = case.hearing_held_on = None
    CASE_WORKFLOW.apply(case, "notify", case_context(case, served_on))
    case.save()
    _act(case, "case", "notified", by=by, data={"served_on": served_on, "statement_due": due.due,
                                                "hearing_offered": case.hearing_offered,
                                                "intended_fine": case.intended_fine})
    return case


@transaction.atomic
def record_statement(case: PenaltyCase, *, by, received_on: date, text: str, answer: str = "") -> PenaltyCase:
    """陈述申辩 (ENF-06): recorded and answered (复核)."""
    case = _lock_case(case)
    received_on = _date(received_on, "received_on", "陈述申辩日期")
    _check(case, "record_statement", by, received_on)
    case.statement_text = _clean(text, 20000, "text", "陈述申辩意见", required=True)
    case.statement_answer = _clean(answer, 20000, "answer", "复核意见")
    case.statement_received_on = received_on
    if case.status == CaseStatus.HEARING:
        # Statements during a hearing procedure do not leave it.
        pass
    else:
        CASE_WORKFLOW.apply(case, "record_statement", case_context(case, received_on))
    case.save()
    _act(case, "case", "statement_recorded", by=by, data={"received_on": received_on})
    return case


@transaction.atomic
def waive_rights(case: PenaltyCase, *, by, on: date) -> PenaltyCase:
    """The party waives statement, defence and hearing in writing (ENF-06)."""
    case = _lock_case(case)
    on = _date(on, "on", "放弃日期")
    _check(case, "waive_rights", by, on)
    case.rights_waived_on = on
    case.save()
    _act(case, "case", "rights_waived", by=by, data={"on": on})
    return case


@transaction.atomic
def request_hearing(case: PenaltyCase, *, by, requested_on: date) -> PenaltyCase:
    """The party asks for a hearing within 5 WD of the notice (ENF-07)."""
    case = _lock_case(case)
    requested_on = _date(requested_on, "requested_on", "听证申请日期")
    in_time = bool(case.statement_due and case.notice_served_on
                   and case.notice_served_on <= requested_on <= case.statement_due)
    _check(case, "request_hearing", by, requested_on, request_in_time=in_time)
    case.hearing_requested_on = requested_on
    CASE_WORKFLOW.apply(case, "request_hearing", case_context(case, requested_on, request_in_time=in_time))
    case.save()
    _act(case, "case", "hearing_requested", by=by, data={"requested_on": requested_on})
    return case


@transaction.atomic
def schedule_hearing(case: PenaltyCase, *, by, notified_on: date, hearing_date: date, place: str,
                     presider: str) -> PenaltyCase:
    """Notify the hearing ≥ 7 WD before it; the presider is not an investigator (ENF-07)."""
    case = _lock_case(case)
    notified_on = _date(notified_on, "notified_on", "听证通知日期")
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
    _act(case, "case", "hearing_scheduled", by=by, data={"notified_on": notified_on, "hearing_date": hearing_date})
    return case


@transaction.atomic
def hold_hearing(case: PenaltyCase, *, by, held_on: date, summary: str) -> PenaltyCase:
    """Record the hearing held (ENF-07); the signed record is attached as 听证笔录."""
    case = _lock_case(case)
    held_on = _date(held_on, "held_on", "听证举行日期")
    _check(case, "hold_hearing", by, held_on)
    case.hearing_held_on = held_on
    case.hearing_summary = _clean(summary, 20000, "summary", "听证笔录摘要", required=True)
    case.save()
    _act(case, "case", "hearing_held", by=by, data={"held_on": held_on})
    return case


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
def legal_review(case: PenaltyCase, *, by, today: date, passed: bool, opinion: str) -> LegalReview:
    """法制审核 (ENF-04): 同意 → 法制审核通过; 不同意 → back to investigation, no decision.
    A reviewer without the legal-profession qualification is recorded as such."""
    case = _lock_case(case)
    today = _date(today, "today", "审核日期")
    action = "legal_review_pass" if passed else "legal_review_fail"
    _check(case, action, by, today)
    opinion = _clean(opinion, 20000, "opinion", "审核意见", required=True)
    person = access.person_of(by) if by is not None else None
    officer = getattr(person, "enforcement_officer", None) if person is not None else None
    review = LegalReview.objects.create(
        case=case, result=LegalReview.Result.PASSED if passed else LegalReview.Result.FAILED, opinion=opinion,
        reviewed_on=today, reviewer=by, reviewer_name=_name(by),
        reviewer_qualified=bool(officer and officer.has_legal_qualification))
    CASE_WORKFLOW.apply(case, action, case_context(case, today))
    case.save()
    _act(case, "case", "legal_reviewed", by=by, data={"result": review.result, "review": review.pk})
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
def record_discussion(case: PenaltyCase, *, by, discussed_on: date, participants: str,
                      conclusion: str) -> PenaltyCase:
    """集体讨论 by the agency's leaders (ENF-05)."""
    case = _lock_case(case)
    discussed_on = _date(discussed_on, "discussed_on", "集体讨论日期")
    _check(case, "record_discussion", by, discussed_on)
    case.discussed_on = discussed_on
    case.discussion_participants = _clean(participants, 500, "participants", "参加人员", required=True)
    case.discussion_conclusion = _clean(conclusion, 20000, "conclusion", "讨论结论", required=True)
    case.save()
    _act(case, "case", "discussion_recorded", by=by, data={"discussed_on": discussed_on})
    return case


@transaction.atomic
def extend_deadline(case: PenaltyCase, *, by, today: date, days: int, reason: str, basis: str) -> CaseExtension:
    """Extend the decision deadline (ENF-08: only where a law, regulation or
    规章 provides; the approval and its basis are recorded)."""
    case = _lock_case(case)
    _require(by, "enforcement.approve", case.unit, "只有单位负责人可以批准延长办案期限")
    today = _date(today, "today", "批准日期")
    if case.status not in EXTENSION_STATES:
        raise ValidationError(f"案件当前为“{case.get_status_display()}”，不能延长办案期限", rule="ENF-08")
    if isinstance(days, bool) or not isinstance(days, int) or not (1 <= days <= 365):
        raise ValidationError("延长天数须为1至365之间的整数", fields={"days": "天数无效"})
    reason = _clean(reason, 5000, "reason", "延长理由", required=True)
    basis = _clean(basis, 300, "basis", "延长依据", required=True)
    old = case.decision_due
    new = old + timedelta(days=days)
    ext = CaseExtension.objects.create(case=case, days=days, reason=reason, basis=basis, approved_on=today,
                                       approved_by=by, approved_by_name=_name(by), old_due=old, new_due=new)
    case.decision_due = new
    case.decision_rule = f"ENF-08 90日，经批准延长{sum(case.extensions.values_list('days', flat=True))}日"
    case.save(update_fields=["decision_due", "decision_rule", "updated_at"])
    _act(case, "case", "deadline_extended", by=by, data={"days": days, "old_due": old, "new_due": new,
                                                         "basis": basis})
    return ext


def _publication_content(case: PenaltyCase) -> tuple[str, str]:
    """Title and public text of a decision, natural persons' data masked (ENF-19/20)."""
    person = case.party_kind == PartyKind.PERSON
    party = masking.party_display(case.party_name, natural_person=person)
    names = [case.party_name] + ([case.party_legal_rep] if case.party_legal_rep else [])
    addresses = [case.party_address] if person and case.party_address else []

    def m(text):
        return masking.mask_text(text, names=names if person else [case.party_legal_rep], addresses=addresses)

    basis = case.violation_type.penalty_basis if case.violation_type_id else ""
    lines = [
        f"决定书文号：{case.decision_no}",
        f"当事人：{party}",
        f"案由：{m(case.cause)}",
        f"主要违法事实：{m(case.facts)}",
        f"处罚依据：{m(basis)}" if basis else "",
        f"处罚种类：{case.penalty_kinds}",
        f"处罚内容：罚款{case.fine_amount}元" + (f"；{m(case.other_penalties)}" if case.other_penalties else ""),
        f"执法机关：{case.unit.name}",
        f"决定日期：{case.decided_on.isoformat()}",
    ]
    return f"{case.unit.name}行政处罚决定（{case.decision_no}）", "\n".join(x for x in lines if x)


def _create_publication(case: PenaltyCase) -> PublicationRecord:
    due = rules.publication_due(case.decided_on, penalty=True)
    title, content = _publication_content(case)
    return PublicationRecord.objects.create(
        case=case, unit=case.unit, kind=PublicationRecord.Kind.PENALTY, decision_date=case.decided_on,
        due=due.due, due_provisional=due.provisional, due_rule=due.rule_text, title=title, content=content)


def _decision_values(case, *, penalty_kinds, fine_amount, other_penalties, outside_range_reason, benchmark):
    kinds = _clean(penalty_kinds, 200, "penalty_kinds", "处罚种类", required=True)
    fine = _money(fine_amount, "fine_amount", "罚款金额")
    other = _clean(other_penalties, 500, "other_penalties", "其他处罚内容")
    reasons = _clean(outside_range_reason, 5000, "outside_range_reason", "超出裁量基准的理由")
    if benchmark is not None and benchmark.violation_type.unit_id != case.unit_id:
        raise ValidationError("裁量基准不属于本单位", fields={"benchmark": "请重新选择"})
    return kinds, fine, other, reasons, benchmark or benchmark_for(case)


@transaction.atomic
def decide(case: PenaltyCase, *, by, today: date, penalty_kinds: str, fine_amount, other_penalties: str = "",
           outside_range_reason: str = "", benchmark: Benchmark | None = None,
           on_spot_service: bool = False) -> PenaltyCase:
    """作出行政处罚决定 (general procedure).

    Refused unless: 2 certified officers (ENF-01); the statement window is
    over or waived (ENF-06/07); a requested hearing was held (ENF-07); a
    major case passed 法制审核 (ENF-04) and was discussed collectively
    (ENF-05); within 90 days of 立案 or an approved extension (ENF-08); the
    fine inside the benchmark or reasons recorded (ENF-24); no heavier fine
    than notified (ENF-06). Allocates the decision number; computes the
    service deadline (7 WD, ENF-09) unless handed over on the spot, and the
    publication deadline (7 WD, ENF-19).
    """
    case = _lock_case(case)
    today = _date(today, "today", "决定日期")
    kinds, fine, other, reasons, bm = _decision_values(
        case, penalty_kinds=penalty_kinds, fine_amount=fine_amount, other_penalties=other_penalties,
        outside_range_reason=outside_range_reason, benchmark=benchmark)
    bm_ok = bm is None or bm.contains(fine) or bool(reasons)
    _check(case, "decide", by, today, major=rules.is_major(case, fine=fine), benchmark_ok=bm_ok)
    if case.intended_fine is not None and fine > case.intended_fine:
        raise ValidationError(f"决定罚款{fine}元高于告知的{case.intended_fine}元；不得因陈述申辩加重处罚，须重新告知",
                              rule="ENF-06", fields={"fine_amount": "高于告知金额"})
    case.penalty_kinds, case.fine_amount, case.other_penalties = kinds, fine, other
    case.outside_range_reason, case.benchmark = reasons, bm
    case.decided_on, case.decided_by = today, _name(by)
    case.decision_no = _allocate(case, "decision", today.year)
    if on_spot_service:
        case.service_method = ServiceMethod.ON_SPOT
    else:
        due = rules.service_due(today)
        case.service_due, case.service_provisional, case.service_rule = due.due, due.provisional, due.rule_text
    CASE_WORKFLOW.apply(case, "decide", case_context(case, today, major=rules.is_major(case), benchmark_ok=True))
    case.save()
    pub = _create_publication(case)
    _act(case, "case", "decided", by=by, data={
        "decision_no": case.decision_no, "fine": fine, "service_due": case.service_due,
        "publication_due": pub.due, "outside_range_reason": reasons})
    if on_spot_service:
        _serve(case, by=by, served_on=today, method=ServiceMethod.ON_SPOT)
    return case


@transaction.atomic
def summary_decide(*, unit: Unit, by, today: date, officers: list[Officer], cause: str, party_kind: str,
                   party_name: str, penalty_kinds: str, fine_amount, facts: str = "", party_id_no: str = "",
                   party_address: str = "", party_phone: str = "", violation_type: ViolationType | None = None,
                   severity: str = "", outside_range_reason: str = "") -> PenaltyCase:
    """当场处罚 (summary procedure, ENF-12): a warning or a fine up to 200 yuan
    (natural persons) / 3,000 yuan (organisations); the decision is handed
    over on the spot, so the case is 已送达 at once. Officers show valid
    certificates (ENF-01)."""
    case = create_case(unit=unit, by=by, cause=cause, party_kind=party_kind, party_name=party_name,
                       discovered_on=today, procedure=Procedure.SUMMARY, facts=facts, party_id_no=party_id_no,
                       party_address=party_address, party_phone=party_phone, violation_type=violation_type,
                       severity=severity)
    assign_officers(case, by=by, officers=officers, today=today)
    case = _lock_case(case)
    kinds, fine, other, reasons, bm = _decision_values(
        case, penalty_kinds=penalty_kinds, fine_amount=fine_amount, other_penalties="",
        outside_range_reason=outside_range_reason, benchmark=None)
    ok = fine <= rules.summary_limit(case.party_kind)
    bm_ok = bm is None or bm.contains(fine) or bool(reasons)
    _check(case, "summary_decide", by, today, summary_ok=ok, benchmark_ok=bm_ok)
    case.penalty_kinds, case.fine_amount, case.outside_range_reason, case.benchmark = kinds, fine, reasons, bm
    case.decided_on = case.served_on = today
    case.decided_by = _name(by)
    case.service_method = ServiceMethod.ON_SPOT
    case.decision_no = _allocate(case, "decision", today.year)
    pay = rules.payment_due(today)
    case.payment_due, case.payment_rule = pay.due, pay.rule_text
    CASE_WORKFLOW.apply(case, "summary_decide", case_context(case, today, summary_ok=True, benchmark_ok=True))
    case.save()
    _act(case, "case", "summary_decided", by=by, data={"decision_no": case.decision_no, "fine": fine})
    return case


def _serve(case: PenaltyCase, *, by, served_on: date, method: str) -> None:
    CASE_WORKFLOW.apply(case, "serve", case_context(case, served_on))
    case.served_on, case.service_method = served_on, method
    if case.fine_amount:
        pay = rules.payment_due(served_on)
        case.payment_due, case.payment_rule = pay.due, pay.rule_text
    case.save()
    _act(case, "case", "served", by=by, data={"served_on": served_on, "method": method,
                                              "payment_due": case.payment_due,
                                              "late": bool(case.service_due and served_on > case.service_due)})


@transaction.atomic
def serve(case: PenaltyCase, *, by, served_on: date, method: str) -> PenaltyCase:
    """送达 the decision (ENF-09: within 7 WD when not handed over on the spot;
    electronic service only with the party's written consent). Starts the
    15-day payment period (ENF-14). A late service is recorded, not refused."""
    case = _lock_case(case)
    served_on = _date(served_on, "served_on", "送达日期")
    method = _choice(method, ServiceMethod, "method", "送达方式")
    _check(case, "serve", by, served_on)
    if case.decided_on and served_on < case.decided_on:
        raise ValidationError("送达日期不能早于决定日期", fields={"served_on": "日期有误"})
    _serve(case, by=by, served_on=served_on, method=method)
    return case


def amount_paid(case: PenaltyCase) -> tuple[Decimal, Decimal]:
    agg = case.payments.aggregate(a=Sum("amount"), s=Sum("surcharge"))
    return agg["a"] or Decimal("0.00"), agg["s"] or Decimal("0.00")


def surcharge_owed(case: PenaltyCase, on: date) -> Decimal:
    """ENF-14: the surcharge due if the fine were settled on ``on``."""
    if not case.payment_due or not case.fine_amount:
        return Decimal("0.00")
    last = case.payments.order_by("-paid_on").values_list("paid_on", flat=True).first()
    paid, _ = amount_paid(case)
    settle_on = last if (paid >= case.fine_amount and last) else on
    return rules.surcharge(case.fine_amount, case.payment_due, settle_on)


def paid_in_full(case: PenaltyCase) -> bool:
    if not case.fine_amount:
        return True
    paid, surcharge = amount_paid(case)
    if paid < case.fine_amount:
        return False
    last = case.payments.order_by("-paid_on").values_list("paid_on", flat=True).first()
    return surcharge >= rules.surcharge(case.fine_amount, case.payment_due, last)


@transaction.atomic
def record_payment(case: PenaltyCase, *, by, paid_on: date, amount, bank_receipt_no: str,
                   surcharge=None, method: str = PaymentMethod.BANK, handed_over_on: date | None = None) -> Payment:
    """Record a payment of the fine (罚缴分离, ENF-12/14): a bank payment with the
    bank's receipt number; cash only under the summary procedure for fines
    up to 100 yuan, with the official receipt number. ``surcharge`` defaults
    to the late-payment surcharge owed on ``paid_on`` (ENF-14)."""
    case = _lock_case(case)
    paid_on = _date(paid_on, "paid_on", "缴款日期")
    _check(case, "record_payment", by, paid_on)
    method = _choice(method, PaymentMethod, "method", "缴款方式")
    receipt = _clean(bank_receipt_no, 60, "bank_receipt_no", "银行缴款凭证号", required=True)
    amount = _money(amount, "amount", "缴款金额")
    if method == PaymentMethod.ON_SPOT_CASH:
        if case.procedure != Procedure.SUMMARY or case.fine_amount > rules.get("cash_max"):
            raise ValidationError(f"罚缴分离：只有当场处罚且罚款{rules.get('cash_max')}元以下的可以当场收缴现金，"
                                  "其余须由当事人到银行缴纳", rule="ENF-12", fields={"method": "不得收取现金"})
        if handed_over_on is not None:
            handed_over_on = _date(handed_over_on, "handed_over_on", "交至行政机关日期")
    else:
        handed_over_on = None
    if Payment.objects.filter(bank_receipt_no=receipt).exists():
        raise ValidationError(f"缴款凭证号“{receipt}”已登记", fields={"bank_receipt_no": "凭证号重复"})
    if case.served_on and paid_on < case.served_on:
        raise ValidationError("缴款日期不能早于送达日期", fields={"paid_on": "日期有误"})
    paid, paid_surcharge = amount_paid(case)
    if paid + amount > case.fine_amount:
        raise ValidationError(f"缴款金额超过应缴罚款（应缴{case.fine_amount}元，已缴{paid}元）",
                              fields={"amount": "金额过大"})
    if surcharge is None:
        owed = rules.surcharge(case.fine_amount, case.payment_due, paid_on) if case.payment_due else Decimal(0)
        surcharge = max(owed - paid_surcharge, Decimal("0.00")) if paid + amount >= case.fine_amount else Decimal(0)
    surcharge = _money(surcharge, "surcharge", "加处罚款", required=False)
    if amount == 0 and surcharge == 0:
        raise ValidationError("缴款金额不能为0", fields={"amount": "请填写金额"})
    pay = Payment.objects.create(case=case, method=method, amount=amount, surcharge=surcharge, paid_on=paid_on,
                                 bank_receipt_no=receipt, handed_over_on=handed_over_on, recorded_by=by)
    _act(case, "case", "payment_recorded", by=by, data={"amount": amount, "surcharge": surcharge,
                                                        "receipt": receipt, "method": method})
    return pay


@transaction.atomic
def complete_execution(case: PenaltyCase, *, by, today: date) -> PenaltyCase:
    """执行完毕: the fine and any surcharge are paid (ENF-14)."""
    case = _lock_case(case)
    today = _date(today, "today", "日期")
    _check(case, "complete_execution", by, today)
    case.executed_on = today
    CASE_WORKFLOW.apply(case, "complete_execution", case_context(case, today))
    case.save()
    _act(case, "case", "executed", by=by, data={"on": today})
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
    """撤销立案/终止调查 (e.g. 违法事实不能成立), approved by the head."""
    case = _lock_case(case)
    today = _date(today, "today", "终止日期")
    _check(case, "terminate", by, today)
    case.terminated_on = today
    case.termination_reason = _clean(reason, 500, "reason", "终止原因", required=True)
    CASE_WORKFLOW.apply(case, "terminate", case_context(case, today))
    case.save()
    _act(case, "case", "terminated", by=by, data={"reason": case.termination_reason})
    return case


# ======================================================= 全过程记录 (ENF-03)

# Which file types each carrier accepts.
KIND_TYPES = {
    EvidenceKind.PHOTO: ("jpeg", "png"),
    EvidenceKind.AUDIO: ("mp3", "wav", "m4a"),
    EvidenceKind.VIDEO: ("mp4",),
    EvidenceKind.SCAN: ("pdf", "jpeg", "png"),
    EvidenceKind.MINUTES: ("pdf", "docx", "jpeg", "png"),
}


@transaction.atomic
def attach_evidence(case: PenaltyCase, *, by, upload, record_type: str, kind: str, captured_at: datetime,
                    captured_by: Person | None = None, captured_by_name: str = "", title: str = "",
                    note: str = "", now: datetime | None = None) -> EvidenceFile:
    """Attach a file of the full-process record to a case (ENF-03).

    The type is checked by content signature against the carrier (照片 JPEG/PNG,
    录音 MP3/WAV/M4A, 录像 MP4, 扫描件 PDF/JPEG/PNG, 笔录 PDF/DOCX/JPEG/PNG), the
    size against ``settings.UPLOAD_MAX_MB`` (both by ``fazhi.core.uploads``); the
    SHA-256 and size are stored.
    Refused → nothing saved (no row, no file).
    """
    case = _lock_case(case)
    _require(by, "enforcement.handle_case", case.unit, "只有本单位执法人员可以上传执法记录")
    if case.status == CaseStatus.ARCHIVED:
        raise ValidationError("案件已归档，不能再添加记录", rule="ENF-03")
    record_type = _choice(record_type, RecordType, "record_type", "文书/记录类型")
    kind = _choice(kind, EvidenceKind, "kind", "载体")
    if isinstance(captured_at, datetime) is False:
        raise ValidationError("采集时间无效", fields={"captured_at": "请填写采集时间"})
    if timezone.is_naive(captured_at):
        captured_at = timezone.make_aware(captured_at)
    now = now or timezone.now()
    if captured_at > now + timedelta(minutes=5):
        raise ValidationError("采集时间不能晚于当前时间", fields={"captured_at": "时间有误"})
    if captured_by is not None and captured_by.unit_id != case.unit_id:
        raise ValidationError("采集人须为本单位人员", fields={"captured_by": "非本单位人员"})
    cap_name = captured_by.name if captured_by is not None else _clean(
        captured_by_name, 50, "captured_by_name", "采集人", required=True)
    checked = uploads.read_checked(upload, allowed=KIND_TYPES[kind], max_bytes=settings.UPLOAD_MAX_MB * uploads.MB,
                                   what=EvidenceKind(kind).label)
    ext = checked.ext
    original = _clean(getattr(upload, "name", "") or f"file{ext}", 255, "file", "文件名").rsplit("/", 1)[-1]
    from django.core.files.base import ContentFile

    ev = EvidenceFile(
        case=case, unit=case.unit, record_type=record_type, kind=kind,
        title=_clean(title, 200, "title", "名称"), original_name=original, extension=ext,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        captured_by=captured_by, captured_by_name=cap_name, captured_at=captured_at, uploaded_by=by,
        note=_clean(note, 500, "note", "说明"))
    ev.file.save(f"{ev.sha256}{ext}", ContentFile(checked.data), save=False)
    stored = ev.file.name
    try:
        ev.save()
        _act(ev, "evidence", "attached", by=by, data={"case": case.pk, "record_type": record_type,
                                                       "sha256": ev.sha256, "size": ev.size})
    except Exception:
        ev.file.storage.delete(stored)
        raise
    return ev


# ================================================================== 公示

@transaction.atomic
def publish(pub: PublicationRecord, *, by, today: date, content: str | None = None,
            title: str | None = None) -> PublicationRecord:
    """Publish a decision on the portal (ENF-19: within 7 WD of a penalty
    decision; late publication is recorded). The content is masked again and
    refused if it still contains an 18-digit ID number (ENF-20)."""
    pub = PublicationRecord.objects.select_for_update().select_related("case", "unit").get(pk=pub.pk)
    _require(by, "enforcement.publish", pub.unit, "只有本单位有公示权限的人员可以公示")
    today = _date(today, "today", "公示日期")
    if pub.status != PublicationStatus.PENDING:
        raise ValidationError(f"该公示当前为“{pub.get_status_display()}”，不能再公示", rule="ENF-19")
    if today < pub.decision_date:
        raise ValidationError("公示日期不能早于决定日期", fields={"today": "日期有误"})
    text = pub.content if content is None else _clean(content, 50000, "content", "公示内容", required=True)
    found = masking.find_unmasked_id(text) or masking.find_unmasked_id(title or pub.title)
    if found:
        raise ValidationError("公示内容含有未隐去的身份证号码，不能公示；请删除后再提交", rule="ENF-20",
                              fields={"content": "含未隐去的身份证号码"})
    case = pub.case
    natural = case.party_kind == PartyKind.PERSON
    if natural and case.party_name and len(case.party_name.strip()) > 1 and case.party_name.strip() in text:
        raise ValidationError("公示内容含有自然人当事人的完整姓名，须部分隐去", rule="ENF-20",
                              fields={"content": "含完整姓名"})
    if natural and case.party_address and case.party_address.strip() in text:
        raise ValidationError("公示内容含有自然人当事人的住址，须删除", rule="ENF-20", fields={"content": "含住址"})
    until, until_rule = rules.display_until(today, natural_person=natural)
    pub.content = masking.mask_phone(text)
    if title is not None:
        pub.title = _clean(title, 300, "title", "公示标题", required=True)
    pub.status, pub.published_on, pub.published_by = PublicationStatus.PUBLISHED, today, by
    pub.display_until, pub.display_rule = until, until_rule
    pub.save()
    _act(pub, "publication", "published", by=by, data={"case": case.pk, "published_on": today,
                                                       "late": today > pub.due, "display_until": until})
    return pub


@transaction.atomic
def record_decision_change(case: PenaltyCase, *, by, changed_on: date, reason: str) -> PenaltyCase:
    """The decision was changed, revoked, declared unlawful or void (e.g. by
    复议 or a court): a published decision must be withdrawn within 3 WD
    (ENF-11); a pending publication is cancelled."""
    case = _lock_case(case)
    _require(by, "enforcement.approve", case.unit, "只有单位负责人可以登记决定变更或撤销")
    changed_on = _date(changed_on, "changed_on", "变更/撤销日期")
    if not case.decided_on:
        raise ValidationError("案件尚未作出决定", rule="ENF-11")
    case.decision_changed_on = changed_on
    case.decision_change_reason = _clean(reason, 500, "reason", "变更/撤销原因", required=True)
    case.save(update_fields=["decision_changed_on", "decision_change_reason", "updated_at"])
    due = rules.withdrawal_due(changed_on)
    for pub in PublicationRecord.objects.select_for_update().filter(
            case=case, status__in=[PublicationStatus.PENDING, PublicationStatus.PUBLISHED]):
        pub.changed_on = changed_on
        if pub.status == PublicationStatus.PENDING:
            pub.status, pub.withdrawn_on, pub.withdraw_reason = (
                PublicationStatus.WITHDRAWN, changed_on, "决定已变更或撤销，不再公示")
        else:
            pub.withdrawal_due, pub.withdrawal_provisional = due.due, due.provisional
        pub.save()
    _act(case, "case", "decision_changed", by=by, data={"changed_on": changed_on, "withdrawal_due": due.due})
    return case


@transaction.atomic
def withdraw_publication(pub: PublicationRecord, *, by, today: date, reason: str) -> PublicationRecord:
    """撤回 a published decision with the reason shown (ENF-11)."""
    pub = PublicationRecord.objects.select_for_update().get(pk=pub.pk)
    _require(by, "enforcement.publish", pub.unit, "只有本单位有公示权限的人员可以撤回公示")
    today = _date(today, "today", "撤回日期")
    if pub.status != PublicationStatus.PUBLISHED:
        raise ValidationError(f"该公示当前为“{pub.get_status_display()}”，不能撤回", rule="ENF-11")
    pub.withdraw_reason = _clean(reason, 500, "reason", "撤回说明", required=True)
    pub.status, pub.withdrawn_on = PublicationStatus.WITHDRAWN, today
    pub.save()
    _act(pub, "publication", "withdrawn", by=by, data={"on": today, "reason": pub.withdraw_reason,
                                                       "late": bool(pub.withdrawal_due and today > pub.withdrawal_due)})
    return pub


def take_down_expired(now: datetime) -> int:
    """Job: take down every publication whose display period ended before today
    (ENF-20/21). Recorded by the system; idempotent."""
    today = timezone.localdate(now)
    n = 0
    with transaction.atomic():
        ids = list(PublicationRecord.objects.filter(status=PublicationStatus.PUBLISHED, display_until__lt=today)
                   .values_list("pk", flat=True))
        for pk in ids:
            pub = PublicationRecord.objects.select_for_update().get(pk=pk)
            if pub.status != PublicationStatus.PUBLISHED or not pub.display_until or pub.display_until >= today:
                continue
            pub.status, pub.taken_down_on = PublicationStatus.TAKEN_DOWN, today
            pub.save(update_fields=["status", "taken_down_on", "updated_at"])
            _act(pub, "publication", "taken_down", by=None, data={"display_until": pub.display_until,
                                                                  "rule": pub.display_rule})
            n += 1
    return n


# ============================================================== 两法衔接

@transaction.atomic
def transfer_to_police(case: PenaltyCase, *, by, transferred_on: date, receiving_organ: str, suspected_crime: str,
                       reason: str, materials: str = "") -> PoliceTransfer:
    """Transfer a case suspected of a crime to the public security organ
    (处罚法 art. 27, 两法衔接). The administrative case is suspended."""
    case = _lock_case(case)
    transferred_on = _date(transferred_on, "transferred_on", "移送日期")
    _check(case, "transfer", by, transferred_on)
    t = PoliceTransfer.objects.create(
        case=case, unit=case.unit, transferred_on=transferred_on,
        receiving_organ=_clean(receiving_organ, 200, "receiving_organ", "接收公安机关", required=True),
        suspected_crime=_clean(suspected_crime, 200, "suspected_crime", "涉嫌罪名", required=True),
        reason=_clean(reason, 20000, "reason", "移送理由", required=True),
        materials=_clean(materials, 5000, "materials", "移送材料清单"), transferred_by=by)
    case.suspended_from = case.status
    CASE_WORKFLOW.apply(case, "transfer", case_context(case, transferred_on))
    case.save()
    _act(t, "transfer", "created", by=by, data={"case": case.pk, "organ": t.receiving_organ,
                                                "suspended_from": case.suspended_from})
    return t


@transaction.atomic
def record_transfer_reply(transfer: PoliceTransfer, *, by, reply_on: date, accepted: bool, reply: str,
                          outcome: str = "") -> PoliceTransfer:
    """The police's reply: 立案 → the administrative case ends; 不予立案 →
    the case resumes in the state it was in when transferred."""
    t = PoliceTransfer.objects.select_for_update().get(pk=transfer.pk)
    case = _lock_case(t.case)
    reply_on = _date(reply_on, "reply_on", "回复日期")
    if t.status != TransferStatus.PENDING:
        raise ValidationError("该移送已登记回复", rule=TRANSFER_RULE)
    if reply_on < t.transferred_on:
        raise ValidationError("回复日期不能早于移送日期", fields={"reply_on": "日期有误"})
    action = "end_by_transfer" if accepted else "resume"
    _check(case, action, by, reply_on)
    t.reply = _clean(reply, 5000, "reply", "公安机关回复", required=True)
    t.outcome = _clean(outcome, 5000, "outcome", "处理结果")
    t.reply_on = reply_on
    t.status = TransferStatus.ACCEPTED if accepted else TransferStatus.DECLINED
    t.save()
    CASE_WORKFLOW.apply(case, action, case_context(case, reply_on))
    if accepted:
        case.terminated_on, case.termination_reason = reply_on, f"涉嫌犯罪，已移送{t.receiving_organ}并立案"
    elif case.suspended_from:
        case.status = case.suspended_from  # back to where it was (workflow target is the default)
    case.suspended_from = ""
    case.save()
    _act(t, "transfer", "replied", by=by, data={"case": case.pk, "accepted": accepted, "case_status": case.status})
    return t


@transaction.atomic
def record_transfer_outcome(transfer: PoliceTransfer, *, by, outcome: str) -> PoliceTransfer:
    """The final outcome of a transfer (e.g. 已判决) once known."""
    t = PoliceTransfer.objects.select_for_update().get(pk=transfer.pk)
    _require(by, "enforcement.handle_case", t.unit)
    t.outcome = _clean(outcome, 5000, "outcome", "处理结果", required=True)
    t.save(update_fields=["outcome", "updated_at"])
    _act(t, "transfer", "outcome", by=by, data={"outcome": t.outcome})
    return t
