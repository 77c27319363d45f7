"""Every write of the enforcement module, one function per use case.

Order inside each service (STYLE.md): lock → authorise → check the legal
order (``workflow.CASE_WORKFLOW``) → validate → change → ``audit.record`` in
the same transaction. Refusals raise ``fazhi.core.errors`` with a Chinese
message and, where a legal rule refuses, its ID (docs/rules.md §3, ENF-*).

Actors: ``by`` is the acting user; ``by=None`` is the system (jobs, demo
loader, trusted commands). A person recorded as approving (立案, 延期, 决定,
终止) holds the head role over the case's organ on that day (SYS-02) and is
not one of the case's officers nor the one who registered it (SYS-01); the
legal reviewer holds the reviewer role and did not handle the case.

Dates (SYS-03): ``today`` is always the server's date, passed by the view,
the API or the job — it is the date of every act the system itself records
(立案, 告知, 法制审核, 决定, 公示, 结案, 归档, 撤回, 延期). A date a person
enters (发现日期, 送达日期, 缴款日期, 听证举行日期, 集体讨论日期, 回复日期 …) is
checked by ``fazhi.core.dates.entered_date`` against ``today`` and the steps
it follows; one more than ``FAZHI_BACKDATE_DAYS`` back needs ``late_reason``
and is flagged in the audit entry.

Permissions (apps.PERMISSIONS), checked against the case's unit:
``handle_case`` 执法人员/经办人, ``approve`` 单位负责人 (立案, 决定, 集体讨论,
延期, 终止), ``legal_review`` 法制审核员, ``publish``, ``manage_officers``,
``manage_benchmarks``. ``ACTION_PERMISSIONS`` maps each workflow action to
its permission (the UI uses it to show buttons).

Audit action codes: ``enforcement.<object>.<verb>`` with objects ``officer``,
``certificate``, ``code``, ``violation_type``, ``benchmark``, ``case``,
``evidence``, ``publication``, ``transfer``.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.core import masking, privacy, uploads
from fazhi.core.dates import EnteredDate, entered_date
from fazhi.core.duties import ensure_not_own
from fazhi.core.errors import Conflict, PermissionDenied, ValidationError
from fazhi.core.models import allocate_number
from fazhi.enforcement import organs, rules
from fazhi.enforcement.models import (
    AnnualCheck,
    Benchmark,
    CaseExtension,
    CaseOfficer,
    CaseStatus,
    Certificate,
    CertificateStatus,
    ClockStop,
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
from fazhi.org.capacity import require_capacity
from fazhi.org.models import Person, Role, Unit

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


def _entered(value, *, today: date, label: str, field: str, after=(), reason: str = "") -> EnteredDate:
    """SYS-03: a date a person typed, checked against the server's ``today``
    and the steps it follows; see ``fazhi.core.dates.entered_date``."""
    today = _date(today, "today", "今天")
    return entered_date(value, today=today, label=label, field=field, after=after,
                        reason=_clean(reason, 500, "late_reason", "补录理由"))


def _handler_users(case: PenaltyCase) -> list:
    """The accounts that handle the case (its officers) or registered it (SYS-01)."""
    return [case.created_by_id, *case.case_officers.values_list("officer__person__user_id", flat=True)]


def _as_head(case: PenaltyCase, by, *, on: date, act: str) -> None:
    """An approval in the organ's name (立案, 延期, 决定, 终止): ``by`` did not
    handle or register the case (SYS-01) and holds the head role over the
    case's organ on ``on`` (SYS-02; 处罚法第五十七条: 行政机关负责人)."""
    if by is None:
        return
    ensure_not_own(by, *_handler_users(case), what=f"{act}本人承办或登记的案件")
    require_capacity(access.person_of(by), Role.HEAD, organs.organ_of(case.unit), on=on,
                     what=f"{act}的行政机关负责人")


def _leaders(case: PenaltyCase, members, *, on: date, field: str = "members") -> list[Person]:
    """The leaders at a collective discussion (ENF-05, ENF-08): at least
    ``discussion_min_members``, each holding the head role over the organ on
    ``on`` (SYS-02) and none handling the case (SYS-01)."""
    members = list({p.pk: p for p in members or []}.values())
    need = rules.get("discussion_min_members")
    if len(members) < need:
        raise ValidationError(f"集体讨论须由行政机关负责人{need}人以上参加，请选择参加讨论的负责人", rule="ENF-05",
                              fields={field: f"至少{need}名负责人"})
    organ = organs.organ_of(case.unit)
    handlers = set(_handler_users(case))
    for p in members:
        if p.user_id in handlers:
            raise ValidationError(f"{p.name}承办或登记本案，不能作为集体讨论的负责人（职责分离）", rule="SYS-01",
                                  fields={field: "承办人不得参加决定"})
        require_capacity(p, Role.HEAD, organ, on=on, what="集体讨论的行政机关负责人", field=field)
    return members


def _participants_text(members: list[Person], attendees: str) -> str:
    text = "、".join(f"{p.name}（{p.post}）" if p.post else p.name for p in members)
    return _clean(text + (f"；列席：{attendees}" if attendees else ""), 500, "attendees", "参加人员")


# ------------------------------------------------------ case period (ENF-08)

def case_deadline(case: PenaltyCase, on: date) -> rules.CaseDeadline | None:
    """The decision deadline of a filed case on ``on``, with how it was reached."""
    if not case.filed_on:
        return None
    exts = [(x.days, f"{x.approved_on.isoformat()} {x.approved_by_name}批准" + ("，经集体讨论" if x.discussed_on else ""))
            for x in sorted(case.extensions.all(), key=lambda x: (x.approved_on, x.pk))]
    stops = [(st.starts_on, st.ends_on, st.get_kind_display()) for st in case.clock_stops.all()]
    return rules.decision_deadline(case.filed_on, extensions=exts, stops=stops, on=on)


def _store_deadline(case: PenaltyCase, today: date) -> rules.CaseDeadline:
    """Keep ``decision_due`` (running stops not yet counted) and ``clock_stopped_on``
    in step with the extensions and stops, for lists and dashboards."""
    live = case_deadline(case, today)
    closed = rules.decision_deadline(
        case.filed_on, extensions=[(x.days, "") for x in case.extensions.all()],
        stops=[(st.starts_on, st.ends_on or st.starts_on, "") for st in case.clock_stops.all()], on=today)
    case.decision_due, case.clock_stopped_on = closed.due, live.running_since
    case.decision_rule = closed.rule_text + ("，暂停计算中" if live.running_since else "")
    return live


# ------------------------------------------------ grounds of a decision (ENF-10)

def decision_basis(case: PenaltyCase) -> tuple[str, str]:
    """(违法依据, 处罚依据) the decision rests on: those the legal reviewer stated
    in a passed review, else the violation type's (ENF-10 item 3)."""
    for r in sorted(case.legal_reviews.all(), key=lambda r: (r.reviewed_on, r.pk), reverse=True):
        if r.result == LegalReview.Result.PASSED and r.legal_basis and r.penalty_basis:
            return r.legal_basis, r.penalty_basis
    if case.violation_type_id:
        return case.violation_type.legal_basis, case.violation_type.penalty_basis
    return "", ""


def _reviewer_stated_basis(case: PenaltyCase) -> bool:
    return any(r.result == LegalReview.Result.PASSED and r.legal_basis and r.penalty_basis
               for r in case.legal_reviews.all())


def grounds_missing(case: PenaltyCase, benchmark: Benchmark | None = None) -> list[str]:
    """What a penalty decision still lacks (ENF-10 items 2–3, ENF-03, ENF-24):
    facts, evidence on file, a legal basis and a discretion benchmark — the
    benchmark of the case's violation type and severity, or a basis the legal
    reviewer stated. Leaving the type empty never skips the discretion check."""
    missing = []
    if not (case.facts or "").strip():
        missing.append("违法事实")
    if not case.evidence.filter(record_type__in=rules.EVIDENCE_RECORDS).exists():
        missing.append("证据材料（现场检查笔录、询问笔录或证据材料）")
    stated = _reviewer_stated_basis(case)
    if not stated:
        if not case.violation_type_id:
            missing.append("违法行为及其违法依据、处罚依据（或法制审核员载明的依据）")
        elif (benchmark or benchmark_for(case)) is None:
            missing.append("违法程度及对应的裁量基准（或法制审核员载明的依据）")
    return missing


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
    deadline = case_deadline(case, today) if case.pk else None
    ctx["within_limit"] = bool(deadline and today <= deadline.due)
    ctx["benchmark_ok"] = True
    if case.pk and action in (None, "decide") and case.status in CASE_WORKFLOW.get("decide").sources:
        ctx["grounds_ok"] = not grounds_missing(case)
    ctx["summary_ok"] = True
    if case.pk and case.status == CaseStatus.SERVED:
        ctx["paid_in_full"] = paid_in_full(case)
    if case.pk and case.status == CaseStatus.EXECUTED:
        ctx["records_complete"] = not rules.missing_records(case, present_record_types(case))
    ctx.update(extra)
    return ctx


@dataclass(frozen=True)
class Offer:
    """An action offered now, under the name the API runs it by (the page maps it to its form)."""

    action: str
    label: str
    rule: str | None = None


def _steps_outside_the_table(case: PenaltyCase, user) -> list[Offer]:
    """Steps on the case that are not transitions: extension and clock stops
    (ENF-08), publication and its withdrawal (ENF-19/20, ENF-11), the record of
    a changed decision."""
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
    return out


def available_actions(case: PenaltyCase, user, today: date) -> list[Offer]:
    """What ``user`` may do to ``case`` today: the one answer the page and the
    API render (the services check again). ``summary_decide`` is never
    offered: it creates a case on the spot, it is not a step on one."""
    ctx = case_context(case, today)
    out = [Offer(t.action, t.label, t.rule) for t in CASE_WORKFLOW.available(case, ctx)
           if t.action != "summary_decide" and may(user, ACTION_PERMISSIONS[t.action], case.unit)]
    return out + _steps_outside_the_table(case, user)


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
def set_certificate_status(cert: Certificate, *, by, status: str, reason: str, on: date,
                           today: date | None = None, late_reason: str = "") -> Certificate:
    """暂扣 / 注销 / 恢复有效 (ENF-25: holders out of post or disciplined are cancelled).
    A revoked (注销) certificate cannot be restored. ``on`` is a date a person
    enters: checked against the server's ``today`` (SYS-03) when given."""
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    _require(by, "enforcement.manage_officers", cert.unit, "只有本单位管理员可以变更证件状态")
    status = _choice(status, CertificateStatus, "status", "证件状态")
    reason = _clean(reason, 500, "reason", "变更原因", required=True)
    on = _date(on, "on", "变更日期")
    entered = EnteredDate(on, 0)
    if today is not None:
        entered = _entered(on, today=today, label="变更日期", field="on", after=[(cert.valid_from, "证件有效期起")],
                           reason=late_reason)
    if cert.status == CertificateStatus.REVOKED:
        raise ValidationError("已注销的执法证件不能再变更状态，须重新申领", rule="ENF-25")
    if status == cert.status:
        raise ValidationError(f"证件已是“{cert.get_status_display()}”状态", fields={"status": "状态未变"})
    old = cert.status
    cert.status, cert.status_reason, cert.status_changed_on = status, reason, on
    cert.save(update_fields=["status", "status_reason", "status_changed_on", "updated_at"])
    _act(cert, "certificate", "status_changed", by=by,
         data={"from": old, "to": status, "reason": reason, "on": on, **entered.audit_data()})
    return cert


@transaction.atomic
def record_annual_check(cert: Certificate, *, by, year: int, result: str, checked_on: date,
                        note: str = "", today: date | None = None, late_reason: str = "") -> AnnualCheck:
    """年度审验 (ENF-25). A failed check suspends (暂扣) the certificate.
    ``checked_on`` is checked against the server's ``today`` when given (SYS-03)."""
    cert = Certificate.objects.select_for_update().get(pk=cert.pk)
    _require(by, "enforcement.manage_officers", cert.unit, "只有本单位管理员可以登记年度审验")
    result = _choice(result, AnnualCheck.Result, "result", "审验结果")
    checked_on = _date(checked_on, "checked_on", "审验日期")
    entered = EnteredDate(checked_on, 0)
    if today is not None:
        entered = _entered(checked_on, today=today, label="审验日期", field="checked_on", reason=late_reason)
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
    _act(cert, "certificate", "annual_check", by=by,
         data={"year": year, "result": result, "checked_on": checked_on, **entered.audit_data()})
    return check


# ============================================================ benchmarks

@transaction.atomic
def set_enforcement_code(unit: Unit, *, by, case_prefix: str, decision_prefix: str) -> EnforcementCode:
    """Set a unit's 机关代字 for case and decision numbers."""
    _require(by, "enforcement.manage_officers", unit, "只有本单位管理员可以设置执法文书代字")
    if not organs.is_subject(unit):
        organ = organs.legal_subject(unit)
        raise ValidationError(f"{unit.name}不是行政执法主体，文书以{organ.name if organ else '其所属机关'}的名义作出，"
                              "请为该机关设置代字", rule="ENF-10", fields={"case_prefix": "请为行政执法主体设置"})
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
    """The next case or decision number in the organ's series (ENF-10): the
    代字 belongs to the organ that files and decides (organs.py); a code set
    on the handling unit before that rule existed is still honoured."""
    organ = organs.organ_of(case.unit)
    code = (EnforcementCode.objects.filter(unit=organ).first()
            or EnforcementCode.objects.filter(unit=case.unit).select_related("unit").first())
    if code is None:
        raise ValidationError(f"{organ}尚未设置执法文书代字，不能编号；请单位管理员在“执法文书代字”页面先设置",
                              rule="ENF-10")
    prefix = code.case_prefix if kind == "case" else code.decision_prefix
    purpose = f"{'立案' if kind == 'case' else '处罚决定'} {case.cause}"
    return allocate_number(issuer=code.unit.name, prefix=prefix, year=year, purpose=purpose).text


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


def _publication_content(case: PenaltyCase) -> tuple[str, str]:
    """Title and public text of a decision, natural persons' data masked (ENF-19/20)."""
    person = case.party_kind == PartyKind.PERSON
    party = masking.party_name(case.party_name, natural_person=person)
    names = [case.party_name, case.party_legal_rep] if person else [case.party_legal_rep]
    addresses = [case.party_address] if person and case.party_address else []

    def m(text):
        # Numbers are never needed; any other address is for the person publishing to decide (publish).
        return masking.redact(text, names=names, addresses=addresses, kinds=masking.NUMBERS)

    basis = decision_basis(case)[1]
    organ = organs.display_organ(case.unit)  # the organ, not its 执法大队, publishes (ENF-19)
    lines = [
        f"决定书文号：{case.decision_no}",
        f"当事人：{party}",
        f"案由：{m(case.cause)}",
        f"主要违法事实：{m(case.facts)}",
        f"处罚依据：{m(basis)}" if basis else "",
        f"处罚种类：{case.penalty_kinds}",
        f"处罚内容：罚款{case.fine_amount}元" + (f"；{m(case.other_penalties)}" if case.other_penalties else ""),
        f"执法机关：{organ.name}",
        f"决定日期：{case.decided_on.isoformat()}",
    ]
    return f"{organ.name}行政处罚决定（{case.decision_no}）", "\n".join(x for x in lines if x)


def _create_publication(case: PenaltyCase) -> PublicationRecord:
    due = rules.publication_due(case.decided_on, penalty=True)
    title, content = _publication_content(case)
    return PublicationRecord.objects.create(
        case=case, unit=organs.display_organ(case.unit), kind=PublicationRecord.Kind.PENALTY,
        decision_date=case.decided_on,
        due=due.due, due_provisional=due.provisional, due_rule=due.rule_text, title=title, content=content)


def _decision_values(case, *, penalty_kinds, fine_amount, other_penalties, outside_range_reason, benchmark):
    kinds = _clean(penalty_kinds, 200, "penalty_kinds", "处罚种类", required=True)
    fine = _money(fine_amount, "fine_amount", "罚款金额")
    other = _clean(other_penalties, 500, "other_penalties", "其他处罚内容")
    reasons = _clean(outside_range_reason, 5000, "outside_range_reason", "超出裁量基准的理由")
    if benchmark is not None and benchmark.violation_type.unit_id != case.unit_id:
        raise ValidationError("裁量基准不属于本单位", fields={"benchmark": "请重新选择"})
    if benchmark is not None and benchmark.violation_type_id != case.violation_type_id:
        # The benchmark is the one of the violation the party was told of (ENF-06, ENF-24).
        raise ValidationError("所选裁量基准不是本案违法行为的裁量基准", rule="ENF-24", fields={"benchmark": "请重新选择"})
    return kinds, fine, other, reasons, benchmark or benchmark_for(case)


def _check_discretion(case: PenaltyCase, bm: Benchmark | None, fine: Decimal, reasons: str) -> None:
    """ENF-24: a fine outside the benchmark range needs stated reasons and,
    where ``outside_range_discussion`` is set, the leaders' collective
    discussion (国办发〔2022〕27号: 调整适用裁量基准须经集体讨论)."""
    if bm is None or bm.contains(fine):
        return
    check_fine_against_benchmark(bm, fine, reasons)
    if rules.get("outside_range_discussion") and not case.discussed_on:
        raise ValidationError(
            f"罚款{fine}元超出裁量基准（{bm.fine_min}—{bm.fine_max}元），须经行政机关负责人集体讨论后方可决定",
            rule="ENF-24", fields={"fine_amount": "超出裁量基准，须集体讨论"})


@transaction.atomic
def decide(case: PenaltyCase, *, by, today: date, penalty_kinds: str, fine_amount, reasons: str = "",
           other_penalties: str = "", outside_range_reason: str = "", benchmark: Benchmark | None = None,
           on_spot_service: bool = False) -> PenaltyCase:
    """作出行政处罚决定 (general procedure), on the server's ``today``, in the
    name of the organ (organs.py), by a head of the organ who does not handle
    the case (SYS-01/02).

    Refused unless: 2 certified officers (ENF-01); the statement window is
    over or waived (ENF-06/07); a requested hearing was held (ENF-07); a
    major case passed 法制审核 (ENF-04) and was discussed collectively
    (ENF-05); within 90 days of 立案 plus approved extensions and excluded
    periods (ENF-08); facts, evidence on file, a legal basis and a benchmark
    — the violation type's, or a basis the legal reviewer stated (ENF-10,
    ENF-03, ENF-24; an empty type never skips the discretion check); the
    reasons of the decision stated (ENF-10); the fine inside the benchmark,
    or reasons and (per setting) a collective discussion (ENF-24); no
    heavier fine than notified (ENF-06). Allocates the decision number;
    computes the service deadline (7 WD, ENF-09) unless handed over on the
    spot, and the publication deadline (7 WD, ENF-19).
    """
    case = _lock_case(case)
    today = _date(today, "today", "决定日期")
    kinds, fine, other, range_reason, bm = _decision_values(
        case, penalty_kinds=penalty_kinds, fine_amount=fine_amount, other_penalties=other_penalties,
        outside_range_reason=outside_range_reason, benchmark=benchmark)
    bm_ok = bm is None or bm.contains(fine) or bool(range_reason)
    _check(case, "decide", by, today, major=rules.is_major(case, fine=fine), benchmark_ok=bm_ok, grounds_ok=True)
    _as_head(case, by, on=today, act="作出处罚决定")
    missing = grounds_missing(case, bm)
    if missing:
        raise ValidationError("作出处罚决定还缺少：" + "、".join(missing), rule="ENF-10")
    reasons = _clean(reasons, 20000, "reasons", "处罚理由", required=True)
    _check_discretion(case, bm, fine, range_reason)
    if case.intended_fine is not None and fine > case.intended_fine:
        raise ValidationError(f"决定罚款{fine}元高于告知的{case.intended_fine}元；不得因陈述申辩加重处罚，须重新告知",
                              rule="ENF-06", fields={"fine_amount": "高于告知金额"})
    case.penalty_kinds, case.fine_amount, case.other_penalties = kinds, fine, other
    case.outside_range_reason, case.benchmark, case.decision_reasons = range_reason, bm, reasons
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
        "publication_due": pub.due, "outside_range_reason": range_reason,
        "organ": organs.organ_of(case.unit).name})
    if on_spot_service:
        _serve(case, by=by, served_on=today, method=ServiceMethod.ON_SPOT)
    return case


@transaction.atomic
def summary_decide(*, unit: Unit, by, today: date, officers: list[Officer], cause: str, party_kind: str,
                   party_name: str, penalty_kinds: str, fine_amount, facts: str, place: str,
                   violation_type: ViolationType | None, severity: str, party_id_no: str = "",
                   party_address: str = "", party_phone: str = "", outside_range_reason: str = "") -> PenaltyCase:
    """当场处罚 (summary procedure, ENF-12, 处罚法第五十一、五十二条): a warning or
    a fine up to 200 yuan (natural persons) / 3,000 yuan (organisations),
    decided by the officers on the spot on the server's ``today``; the
    decision is handed over at once, so the case is 已送达. Officers show
    valid certificates (ENF-01). The 当场处罚决定书 states the violation, the
    penalty and its basis, the time and place (``place``) — so the facts and a
    violation type with its benchmark are required (ENF-10, ENF-24)."""
    if violation_type is None or not severity:
        raise ValidationError("当场处罚须选择违法行为和违法程度（处罚依据和裁量基准）", rule="ENF-24",
                              fields={"violation_type": "请选择违法行为", "severity": "请选择违法程度"})
    place = _clean(place, 200, "place", "当场处罚地点", required=True)
    _clean(facts, 20000, "facts", "违法事实", required=True)
    case = create_case(unit=unit, by=by, cause=cause, party_kind=party_kind, party_name=party_name,
                       discovered_on=today, today=today, procedure=Procedure.SUMMARY, facts=facts,
                       party_id_no=party_id_no, party_address=party_address, party_phone=party_phone,
                       violation_type=violation_type, severity=severity)
    assign_officers(case, by=by, officers=officers, today=today)
    case = _lock_case(case)
    kinds, fine, other, reasons, bm = _decision_values(
        case, penalty_kinds=penalty_kinds, fine_amount=fine_amount, other_penalties="",
        outside_range_reason=outside_range_reason, benchmark=None)
    if bm is None:
        raise ValidationError("所选违法行为没有该违法程度的裁量基准", rule="ENF-24", fields={"severity": "无对应裁量基准"})
    ok = fine <= rules.summary_limit(case.party_kind)
    bm_ok = bm.contains(fine) or bool(reasons)
    _check(case, "summary_decide", by, today, summary_ok=ok, benchmark_ok=bm_ok)
    case.penalty_kinds, case.fine_amount, case.outside_range_reason, case.benchmark = kinds, fine, reasons, bm
    case.decided_on = case.served_on = today
    case.decided_by = _name(by)
    case.spot_place = place
    case.service_method = ServiceMethod.ON_SPOT
    case.decision_no = _allocate(case, "decision", today.year)
    pay = rules.payment_due(today)
    case.payment_due, case.payment_provisional, case.payment_rule = pay.due, pay.provisional, pay.rule_text
    CASE_WORKFLOW.apply(case, "summary_decide", case_context(case, today, summary_ok=True, benchmark_ok=True))
    case.save()
    _act(case, "case", "summary_decided", by=by, data={"decision_no": case.decision_no, "fine": fine})
    return case


def _serve(case: PenaltyCase, *, by, served_on: date, method: str, entered: EnteredDate | None = None) -> None:
    CASE_WORKFLOW.apply(case, "serve", case_context(case, served_on))
    case.served_on, case.service_method = served_on, method
    if case.fine_amount:
        pay = rules.payment_due(served_on)
        case.payment_due, case.payment_provisional, case.payment_rule = pay.due, pay.provisional, pay.rule_text
    case.save()
    _act(case, "case", "served", by=by, data={"served_on": served_on, "method": method,
                                              "payment_due": case.payment_due,
                                              "late": bool(case.service_due and served_on > case.service_due),
                                              **(entered.audit_data() if entered else {})})


@transaction.atomic
def serve(case: PenaltyCase, *, by, today: date, served_on: date, method: str, late_reason: str = "") -> PenaltyCase:
    """送达 the decision (ENF-09: within 7 WD when not handed over on the spot;
    electronic service only with the party's written consent). ``served_on``
    is the date on the 送达回证, entered (SYS-03): not before the decision,
    not after today. Starts the 15-day payment period (ENF-14). A late
    service is recorded, not refused."""
    case = _lock_case(case)
    when = _entered(served_on, today=today, label="送达日期", field="served_on",
                    after=[(case.decided_on, "决定日期")], reason=late_reason)
    method = _choice(method, ServiceMethod, "method", "送达方式")
    _check(case, "serve", by, when.value)
    _serve(case, by=by, served_on=when.value, method=method, entered=when)
    return case


def amount_paid(case: PenaltyCase) -> tuple[Decimal, Decimal]:
    agg = case.payments.aggregate(a=Sum("amount"), s=Sum("surcharge"))
    return agg["a"] or Decimal("0.00"), agg["s"] or Decimal("0.00")


def _fine_payments(case: PenaltyCase) -> list[tuple[date, Decimal]]:
    return [(d, a) for d, a in case.payments.values_list("paid_on", "amount")]


def surcharge_owed(case: PenaltyCase, on: date) -> Decimal:
    """ENF-14: the surcharge on the unpaid part if the fine were settled on
    ``on`` (or, once paid in full, as it stood on the last payment)."""
    if not case.payment_due or not case.fine_amount:
        return Decimal("0.00")
    payments = _fine_payments(case)
    paid = sum((a for _, a in payments), Decimal(0))
    settle_on = max(d for d, _ in payments) if payments and paid >= case.fine_amount else on
    return rules.surcharge(case.fine_amount, case.payment_due, settle_on, payments)


def paid_in_full(case: PenaltyCase) -> bool:
    if not case.fine_amount:
        return True
    paid, surcharge = amount_paid(case)
    if paid < case.fine_amount:
        return False
    return surcharge >= surcharge_owed(case, date.max)


@transaction.atomic
def record_payment(case: PenaltyCase, *, by, today: date, paid_on: date, amount, bank_receipt_no: str,
                   surcharge=None, method: str = PaymentMethod.BANK, handed_over_on: date | None = None,
                   late_reason: str = "") -> Payment:
    """Record a payment of the fine (罚缴分离, ENF-12/14): a bank payment with the
    bank's receipt number; cash only under the summary procedure for fines
    up to 100 yuan, with the official receipt number. ``paid_on`` is the date
    on the receipt, entered (SYS-03): not before the decision was served, not
    after today. ``surcharge`` defaults to the late-payment surcharge owed on
    the unpaid part when the fine is settled (ENF-14)."""
    case = _lock_case(case)
    when = _entered(paid_on, today=today, label="缴款日期", field="paid_on",
                    after=[(case.decided_on, "决定日期"), (case.served_on, "送达日期")], reason=late_reason)
    paid_on = when.value
    _check(case, "record_payment", by, paid_on)
    method = _choice(method, PaymentMethod, "method", "缴款方式")
    receipt = _clean(bank_receipt_no, 60, "bank_receipt_no", "银行缴款凭证号", required=True)
    amount = _money(amount, "amount", "缴款金额")
    if method == PaymentMethod.ON_SPOT_CASH:
        if case.procedure != Procedure.SUMMARY or case.fine_amount > rules.get("cash_max"):
            raise ValidationError(f"罚缴分离：只有当场处罚且罚款{rules.get('cash_max')}元以下的可以当场收缴现金，"
                                  "其余须由当事人到银行缴纳", rule="ENF-12", fields={"method": "不得收取现金"})
        if handed_over_on is not None:
            handed_over_on = _entered(handed_over_on, today=today, label="交至行政机关日期", field="handed_over_on",
                                      after=[(paid_on, "缴款日期")], reason=late_reason).value
    else:
        handed_over_on = None
    if Payment.objects.filter(bank_receipt_no=receipt).exists():
        raise ValidationError(f"缴款凭证号“{receipt}”已登记", fields={"bank_receipt_no": "凭证号重复"})
    paid, paid_surcharge = amount_paid(case)
    if paid + amount > case.fine_amount:
        raise ValidationError(f"缴款金额超过应缴罚款（应缴{case.fine_amount}元，已缴{paid}元）",
                              fields={"amount": "金额过大"})
    if surcharge is None:
        surcharge = Decimal(0)
        if case.payment_due and paid + amount >= case.fine_amount:
            owed = rules.surcharge(case.fine_amount, case.payment_due, paid_on,
                                   [*_fine_payments(case), (paid_on, amount)])
            surcharge = max(owed - paid_surcharge, Decimal("0.00"))
    surcharge = _money(surcharge, "surcharge", "加处罚款", required=False)
    if amount == 0 and surcharge == 0:
        raise ValidationError("缴款金额不能为0", fields={"amount": "请填写金额"})
    pay = Payment.objects.create(case=case, method=method, amount=amount, surcharge=surcharge, paid_on=paid_on,
                                 bank_receipt_no=receipt, handed_over_on=handed_over_on, recorded_by=by)
    _act(case, "case", "payment_recorded", by=by, data={"amount": amount, "surcharge": surcharge, "paid_on": paid_on,
                                                        "receipt": receipt, "method": method, **when.audit_data()})
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
                    note: str = "", now: datetime | None = None, late_reason: str = "") -> EvidenceFile:
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
    # SYS-03: collected by the organ after the violation came to its notice; a
    # record uploaded long after it was made needs a reason, flagged in the trail.
    when = _entered(timezone.localtime(captured_at).date(), today=timezone.localtime(now).date(), label="采集日期",
                    field="captured_at", after=[(case.discovered_on, "发现日期")], reason=late_reason)
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
                                                       "sha256": ev.sha256, "size": ev.size, **when.audit_data()})
    except Exception:
        ev.file.storage.delete(stored)
        raise
    return ev


# ================================================================== 公示

@transaction.atomic
def publish(pub: PublicationRecord, *, by, today: date, content: str | None = None,
            title: str | None = None) -> PublicationRecord:
    """Publish a decision on the portal (ENF-19: within 7 WD of a penalty
    decision; late publication is recorded). The text is
    refused while it contains a natural party's full name or address, or an
    ID, card or phone number or an address nobody has decided on
    (ENF-20; ``fazhi.core.privacy``)."""
    pub = PublicationRecord.objects.select_for_update().select_related("case", "unit").get(pk=pub.pk)
    _require(by, "enforcement.publish", pub.unit, "只有本单位有公示权限的人员可以公示")
    today = _date(today, "today", "公示日期")
    if pub.status != PublicationStatus.PENDING:
        raise ValidationError(f"该公示当前为“{pub.get_status_display()}”，不能再公示", rule="ENF-19")
    if today < pub.decision_date:
        raise ValidationError("公示日期不能早于决定日期", fields={"today": "日期有误"})
    text = pub.content if content is None else _clean(content, 50000, "content", "公示内容", required=True)
    title = pub.title if title is None else _clean(title, 300, "title", "公示标题", required=True)
    case = pub.case
    natural = case.party_kind == PartyKind.PERSON
    for label, field, value in (("公示标题", "title", title), ("公示内容", "content", text)):
        if natural and case.party_name and len(case.party_name.strip()) > 1 and case.party_name.strip() in value:
            raise ValidationError(f"{label}含有自然人当事人的完整姓名，须部分隐去", rule="ENF-20",
                                  fields={field: "含完整姓名"})
        if natural and case.party_address and case.party_address.strip() in value:
            raise ValidationError(f"{label}含有自然人当事人的住址，须删除", rule="ENF-20", fields={field: "含住址"})
    # Every ID, card and phone number and every address left in the text is
    # decided by a person before it goes out (privacy.publishable).
    public = privacy.publishable(pub, {"公示标题": title, "公示内容": text}, rule=privacy.rule_for("ENF-20"))
    until, until_rule = rules.display_until(today, natural_person=natural)
    pub.title, pub.content = public["公示标题"], public["公示内容"]
    pub.status, pub.published_on, pub.published_by = PublicationStatus.PUBLISHED, today, by
    pub.display_until, pub.display_rule = until, until_rule
    pub.save()
    _act(pub, "publication", "published", by=by, data={"case": case.pk, "published_on": today,
                                                       "late": today > pub.due, "display_until": until})
    return pub


@transaction.atomic
def record_decision_change(case: PenaltyCase, *, by, today: date, changed_on: date, reason: str,
                           late_reason: str = "") -> PenaltyCase:
    """The decision was changed, revoked, declared unlawful or void (e.g. by
    复议 or a court): a published decision must be withdrawn within 3 WD
    (ENF-11); a pending publication is cancelled. ``changed_on`` (the date
    of the 复议 decision or judgment) is entered (SYS-03)."""
    case = _lock_case(case)
    _require(by, "enforcement.approve", case.unit, "只有单位负责人可以登记决定变更或撤销")
    if not case.decided_on:
        raise ValidationError("案件尚未作出决定", rule="ENF-11")
    when = _entered(changed_on, today=today, label="变更/撤销日期", field="changed_on",
                    after=[(case.decided_on, "决定日期")], reason=late_reason)
    changed_on = when.value
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
    _act(case, "case", "decision_changed", by=by, data={"changed_on": changed_on, "withdrawal_due": due.due,
                                                        **when.audit_data()})
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
def transfer_to_police(case: PenaltyCase, *, by, today: date, transferred_on: date, receiving_organ: str,
                       suspected_crime: str, reason: str, materials: str = "", late_reason: str = "") -> PoliceTransfer:
    """Transfer a case suspected of a crime to the public security organ
    (处罚法 art. 27, 两法衔接). The administrative case is suspended. The date
    of the 移送书 is entered (SYS-03), not before 立案. Recorded in the
    case's own trail as well as the transfer's."""
    case = _lock_case(case)
    when = _entered(transferred_on, today=today, label="移送日期", field="transferred_on",
                    after=[(case.filed_on, "立案日期")], reason=late_reason)
    transferred_on = when.value
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
    data = {"transfer": t.pk, "organ": t.receiving_organ, "suspected_crime": t.suspected_crime,
            "transferred_on": transferred_on, "suspended_from": case.suspended_from, **when.audit_data()}
    _act(t, "transfer", "created", by=by, data={"case": case.pk, **data})
    _act(case, "case", "transferred", by=by, data=data)
    return t


@transaction.atomic
def record_transfer_reply(transfer: PoliceTransfer, *, by, today: date, reply_on: date, accepted: bool, reply: str,
                          outcome: str = "", late_reason: str = "") -> PoliceTransfer:
    """The police's reply (its date entered, SYS-03): 立案 → the administrative
    case ends (terminated on the reply date); 不予立案 → the case resumes in
    the state it was in when transferred. Both in the case's own trail."""
    t = PoliceTransfer.objects.select_for_update().get(pk=transfer.pk)
    case = _lock_case(t.case)
    if t.status != TransferStatus.PENDING:
        raise ValidationError("该移送已登记回复", rule=TRANSFER_RULE)
    when = _entered(reply_on, today=today, label="回复日期", field="reply_on",
                    after=[(t.transferred_on, "移送日期")], reason=late_reason)
    reply_on = when.value
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
    data = {"transfer": t.pk, "accepted": accepted, "reply_on": reply_on, "reply": t.reply,
            "case_status": case.status, **when.audit_data()}
    _act(t, "transfer", "replied", by=by, data={"case": case.pk, **data})
    _act(case, "case", "terminated_by_transfer" if accepted else "transfer_declined", by=by,
         data={**data, **({"reason": case.termination_reason} if accepted else {})})
    return t


@transaction.atomic
def record_transfer_outcome(transfer: PoliceTransfer, *, by, outcome: str) -> PoliceTransfer:
    """The final outcome of a transfer (e.g. 已判决) once known."""
    t = PoliceTransfer.objects.select_for_update().get(pk=transfer.pk)
    _require(by, "enforcement.handle_case", t.unit)
    t.outcome = _clean(outcome, 5000, "outcome", "处理结果", required=True)
    t.save(update_fields=["outcome", "updated_at"])
    _act(t, "transfer", "outcome", by=by, data={"outcome": t.outcome})
    _act(t.case, "case", "transfer_outcome", by=by, data={"transfer": t.pk, "outcome": t.outcome})
    return t
