"""Factories and state helpers for enforcement tests.

``make_case(state, ...)`` drives a case through the real services (as the
system, ``by=None``) so every record a state implies exists. Text fields of
public records contain ``<script>`` so portal tests also check escaping.

    case = make_case("notified", unit=unit)
    case = make_case("closed", today=date(2026, 3, 2))
"""

from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from fazhi.enforcement import organs, rules, services
from fazhi.enforcement.models import EnforcementCode, Officer, ViolationType
from fazhi.org.models import Person
from fazhi.org.tests.factories import PersonFactory, UnitFactory

SCRIPT = "<script>alert('x')</script>"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64

STATES = ["pending", "investigating", "notified", "hearing", "legal_review", "reviewed", "discussion", "decided",
          "served", "executed", "closed", "archived"]


def enforcement_code(unit) -> EnforcementCode:
    code, _ = EnforcementCode.objects.get_or_create(
        unit=unit, defaults={"case_prefix": f"测{unit.pk}罚立", "decision_prefix": f"测{unit.pk}罚决"})
    return code


def make_officer(unit, *, name=None, valid_from=date(2024, 1, 1), valid_to=date(2029, 12, 31), number=None,
                 status="valid") -> Officer:
    person = PersonFactory(unit=unit, **({"name": name} if name else {}))
    officer = services.register_officer(person, by=None, category="综合执法")
    cert = services.issue_certificate(officer, by=None, number=number or f"EN{person.pk:08d}",
                                      issuing_authority="示范省人民政府", field="农业", valid_from=valid_from,
                                      valid_to=valid_to)
    if status != "valid":
        services.set_certificate_status(cert, by=None, status=status, reason="测试", on=valid_from)
    return officer


def default_type(unit) -> ViolationType:
    """A violation type of ``unit`` with a wide 一般 benchmark, so the factory's
    decisions have a legal basis and a discretion benchmark (ENF-10, ENF-24)."""
    vt = ViolationType.objects.filter(unit=unit, code="TEST-01").first()
    if vt is None:
        vt = services.create_violation_type(unit=unit, by=None, code="TEST-01", name="销售假种子",
                                            legal_basis="《中华人民共和国种子法》第四十八条第一款",
                                            penalty_basis="《中华人民共和国种子法》第七十四条", field="种子")
        services.set_benchmark(vt, by=None, severity="general", fine_min="0", fine_max="1000000")
    return vt


def heads(unit, n=2) -> list[Person]:
    """``n`` people holding the head role over ``unit`` (for collective discussions, SYS-02)."""
    have = list(Person.objects.filter(roles__role="head", roles__unit=unit).order_by("pk")[:n])
    while len(have) < n:
        have.append(PersonFactory(unit=unit, post="副局长" if have else "局长", roles=[("head", unit, True)]))
    return have


def upload(data=PDF, name="record.pdf"):
    return ContentFile(data, name=name)


def attach(case, record_type, *, kind="scan", data=PDF, name="record.pdf", on=None):
    """A record captured on ``on`` (default: the discovery date) and uploaded that evening."""
    on = on or case.discovered_on
    return services.attach_evidence(case, by=None, upload=upload(data, name), record_type=record_type, kind=kind,
                                    captured_by_name="测试员", captured_at=timezone.make_aware(datetime(
                                        on.year, on.month, on.day, 9)),
                                    now=timezone.make_aware(datetime(on.year, on.month, on.day, 20)))


def make_case(state="pending", **kw):
    """A case in ``state`` (see STATES), re-read from the database; see ``_make_case``."""
    case = _make_case(state, **kw)
    case.refresh_from_db()
    return case


def _make_case(state="pending", *, unit=None, today=date(2026, 3, 2), party_kind="person", major=False,
              hearing=False, officers=None, fine="150.00", with_records=True, **kw):
    """A case in ``state`` (see STATES). Dates: discovered and filed ``today``,
    notice served ``today+1``, later steps follow the windows; each step is
    taken "on" its own date (the services' ``today``). Without an explicit
    ``violation_type`` the case gets ``default_type(unit)``, severity 一般."""
    unit = unit or UnitFactory()
    enforcement_code(unit)
    if officers is None:
        officers = [make_officer(unit), make_officer(unit)]
    defaults = dict(cause=f"销售假种子{SCRIPT}", party_kind=party_kind, party_name="张三丰",
                    party_id_no="110101199003074514", party_address="示范区幸福路8号",
                    party_phone="13812345678", facts=f"张三丰在示范区幸福路8号销售假种子{SCRIPT}",
                    is_complex=major)
    if "violation_type" not in kw:
        defaults.update(violation_type=default_type(unit), severity="general")
    defaults.update(kw)
    case = services.create_case(unit=unit, by=None, discovered_on=today, today=today, **defaults)
    services.assign_officers(case, by=None, officers=officers, today=today)
    if state == "pending":
        return case
    services.file_case(case, by=None, today=today)
    if with_records:
        attach(case, "filing_form")
        attach(case, "inquiry")
    if state == "investigating":
        return case
    day = today + timedelta(days=1)
    fine_amount = "20000.00" if hearing else fine
    services.notify(case, by=None, today=day, intended_penalty=f"罚款{fine_amount}元",
                    notice_reasons="违反《种子法》第四十九条", intended_fine=fine_amount)
    if with_records:
        attach(case, "notice_service", on=day)
    case.refresh_from_db()
    if state == "notified":
        return case
    after_window = case.statement_due + timedelta(days=1)
    if hearing:
        services.request_hearing(case, by=None, today=day, requested_on=day)
        notified = day + timedelta(days=1)
        hearing_on = rules.earliest_hearing_date(notified) + timedelta(days=1)
        services.schedule_hearing(case, by=None, today=notified, notified_on=notified, hearing_date=hearing_on,
                                  place="会议室", presider="主持人甲")
        if state == "hearing":
            return case
        services.hold_hearing(case, by=None, today=hearing_on, held_on=hearing_on, summary="听证笔录")
        if with_records:
            attach(case, "hearing_record", on=hearing_on)
        after_window = max(after_window, hearing_on)
    elif state == "hearing":
        raise ValueError("use hearing=True for the hearing state")
    needs_review = major or hearing
    if needs_review or state in ("legal_review", "reviewed"):
        services.submit_legal_review(case, by=None, today=after_window)
        if state == "legal_review":
            return case
        services.legal_review(case, by=None, today=after_window, passed=True, opinion="同意")
        if with_records:
            attach(case, "legal_review", on=after_window)
        if state == "reviewed":
            return case
    if needs_review or state == "discussion":
        services.submit_discussion(case, by=None, today=after_window)
        services.record_discussion(case, by=None, today=after_window, discussed_on=after_window,
                                   members=heads(organs.display_organ(case.unit)), conclusion="同意处罚")
        if with_records:
            attach(case, "discussion", on=after_window)
        if state == "discussion":
            return case
    decided_on = after_window
    if not with_records:  # a decision needs evidence on file (ENF-10)
        attach(case, "evidence", on=decided_on)
    services.decide(case, by=None, today=decided_on, penalty_kinds="罚款", fine_amount=fine_amount,
                    reasons="事实清楚，证据确凿，按裁量基准一般情形处罚。")
    if with_records:
        attach(case, "decision", on=decided_on)
    if state == "decided":
        return case
    served = decided_on + timedelta(days=1)
    services.serve(case, by=None, today=served, served_on=served, method="direct")
    if with_records:
        attach(case, "decision_service", on=served)
    if state == "served":
        return case
    paid = decided_on + timedelta(days=2)
    services.record_payment(case, by=None, today=paid, paid_on=paid, amount=fine_amount,
                            bank_receipt_no=f"BANK{case.pk:06d}")
    if with_records:
        attach(case, "payment", on=paid)
    services.complete_execution(case, by=None, today=decided_on + timedelta(days=2))
    if state == "executed":
        return case
    services.close_case(case, by=None, today=decided_on + timedelta(days=3), summary="结案")
    if state == "closed":
        return case
    services.archive_case(case, by=None, today=decided_on + timedelta(days=4), archive_no=f"A{case.pk}")
    return case
