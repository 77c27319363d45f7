"""Officers and their certificates (ENF-01): registration, certificate
issue and status, the annual check.
"""

from datetime import date

from django.db import transaction

from fazhi.core.dates import EnteredDate
from fazhi.core.errors import ValidationError
from fazhi.enforcement.models import AnnualCheck, Certificate, CertificateStatus, Officer
from fazhi.enforcement.services.common import UNSET, _act, _choice, _clean, _date, _entered, _require
from fazhi.org.models import Person

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
