"""Benchmarks, evidence, records, publication, certificates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from fazhi.core.errors import PermissionDenied, TransitionRefused, ValidationError
from fazhi.enforcement import rules, selectors, services
from fazhi.enforcement.models import EvidenceFile, PublicationStatus
from fazhi.enforcement.tests.factories import JPEG, PDF, attach, make_case, upload

D = date(2026, 3, 2)


def test_benchmark_outside_range_needs_reasons(enf):
    vt = services.create_violation_type(unit=enf.a, by=None, code="ZZ-01", name="销售假种子",
                                        legal_basis="《种子法》第四十八条", penalty_basis="《种子法》第七十四条")
    services.set_benchmark(vt, by=None, severity="general", fine_min="50", fine_max="120")
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], violation_type=vt, severity="general")
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    with pytest.raises(TransitionRefused) as e:
        services.decide(case, by=None, today=case.notice_served_on, penalty_kinds="罚款", fine_amount="150",
                        reasons="理由")
    assert e.value.rule == "ENF-24"
    case.refresh_from_db()
    assert not case.decision_no
    with override_settings(FAZHI_ENFORCEMENT={"outside_range_discussion": 0}):
        services.decide(case, by=None, today=case.notice_served_on, penalty_kinds="罚款", fine_amount="150",
                        outside_range_reason="多次违法，从重", reasons="理由")
    with pytest.raises(ValidationError):
        services.set_benchmark(vt, by=None, severity="grave", fine_min="500", fine_max="100")


def test_evidence_sha256_and_type_checks(enf, actions):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], with_records=False)
    ev = attach(case, "inquiry", kind="photo", data=JPEG, name="a.jpg")
    import hashlib
    assert ev.sha256 == hashlib.sha256(JPEG).hexdigest() and ev.size == len(JPEG)
    assert ev.file.read() == JPEG
    with pytest.raises(ValidationError):  # a PDF is not a photo
        attach(case, "inquiry", kind="photo", data=PDF, name="x.jpg")
    with pytest.raises(ValidationError):  # renamed text is not a PDF
        attach(case, "inquiry", kind="scan", data=b"hello", name="x.pdf")
    assert EvidenceFile.objects.filter(case=case).count() == 1
    assert "enforcement.evidence.attached" in actions()


def test_evidence_too_large(enf, settings):
    settings.UPLOAD_MAX_MB = 1
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], with_records=False)
    with pytest.raises(ValidationError):
        services.attach_evidence(case, by=None, upload=upload(PDF + b"0" * (1024 * 1024), "big.pdf"),
                                 record_type="inquiry", kind="scan", captured_by_name="甲",
                                 captured_at=timezone.now())
    assert not EvidenceFile.objects.filter(case=case).exists()


def test_evidence_other_unit_refused(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], with_records=False)
    with pytest.raises(PermissionDenied):
        services.attach_evidence(case, by=enf.clerk_b, upload=upload(), record_type="inquiry", kind="scan",
                                 captured_by_name="甲", captured_at=timezone.now())


def test_cannot_close_without_required_records(enf):
    case = make_case("executed", unit=enf.a, officers=[enf.o1, enf.o2], with_records=False)
    with pytest.raises(ValidationError) as e:
        services.close_case(case, by=None, today=D + timedelta(days=30), summary="结案")
    assert e.value.rule == "ENF-03" and "立案审批表" in e.value.message
    for rt in ("filing_form", "inquiry", "notice_service", "decision", "decision_service", "payment"):
        attach(case, rt)
    services.close_case(case, by=None, today=D + timedelta(days=30), summary="结案")


def test_cash_only_for_small_summary_fines(enf):
    case = make_case("served", unit=enf.a, officers=[enf.o1, enf.o2])
    with pytest.raises(ValidationError) as e:
        services.record_payment(case, by=None, today=case.served_on, paid_on=case.served_on, amount="150",
                                bank_receipt_no="C1",
                                method="on_spot_cash")
    assert e.value.rule == "ENF-12"
    with pytest.raises(ValidationError):
        services.record_payment(case, by=None, today=case.served_on, paid_on=case.served_on, amount="150",
                                bank_receipt_no="")


def test_publication_masked_and_unmasked_id_refused(enf):
    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2])
    pub = case.publications.get()
    assert pub.due == rules.publication_due(case.decided_on).due
    assert "张三丰" not in pub.content and "110101199003074514" not in pub.content and "幸福路" not in pub.content
    with pytest.raises(ValidationError) as e:
        services.publish(pub, by=None, today=case.decided_on, content=pub.content + " 110101199003074514")
    assert e.value.rule.startswith("ENF-20") and "政府信息公开条例第十五条" in e.value.rule
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PENDING
    services.publish(pub, by=None, today=case.decided_on)
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED and pub.display_until.year == case.decided_on.year + 2
    assert selectors.portal_latest(5, today=case.decided_on)[0].title == pub.title
    services.record_decision_change(case, by=None, today=D + timedelta(days=60), changed_on=D + timedelta(days=60),
                                    reason="复议撤销")
    pub.refresh_from_db()
    assert pub.withdrawal_due == rules.withdrawal_due(D + timedelta(days=60)).due
    services.withdraw_publication(pub, by=None, today=D + timedelta(days=61), reason="复议撤销")
    assert not selectors.public_decisions(D + timedelta(days=61)).exists()


def test_take_down_job(enf):
    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2])
    pub = services.publish(case.publications.get(), by=None, today=case.decided_on)
    from datetime import datetime
    assert services.take_down_expired(timezone.make_aware(datetime(2027, 1, 1))) == 0
    assert services.take_down_expired(timezone.make_aware(datetime(2030, 1, 1))) == 1
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.TAKEN_DOWN
    assert services.take_down_expired(timezone.make_aware(datetime(2030, 1, 1))) == 0


def test_certificate_verification_returns_only_allowed_fields(enf):
    cert = enf.o1.certificates.get()
    check = selectors.verify_certificate(cert.number, today=D)
    assert set(vars(check)) == {"name", "unit", "field", "status"}
    assert check.name == "执法员一" and check.status == "有效"
    assert selectors.verify_certificate("NOPE", today=D) is None
    assert selectors.verify_certificate(cert.number, today=date(2030, 1, 1)).status == "已过期"


def test_certificate_rules(enf):
    cert = enf.o1.certificates.get()
    assert cert.is_valid(D) and not cert.is_valid(date(2030, 1, 1))
    with pytest.raises(PermissionDenied):
        services.set_certificate_status(cert, by=enf.officer_a, status="suspended", reason="x", on=D)
    services.record_annual_check(cert, by=enf.admin_a, year=2025, result="failed", checked_on=D)
    cert.refresh_from_db()
    assert cert.status == "suspended" and not cert.is_valid(D)
    services.set_certificate_status(cert, by=enf.admin_a, status="revoked", reason="调离", on=D)
    with pytest.raises(ValidationError):
        services.set_certificate_status(cert, by=enf.admin_a, status="valid", reason="x", on=D)


def test_dashboard_and_expiring(enf, django_assert_max_num_queries):
    from fazhi.enforcement.tests.factories import make_officer
    make_officer(enf.a, valid_to=D + timedelta(days=30))
    for _ in range(3):
        make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2])
    with django_assert_max_num_queries(12):
        items = selectors.dashboard_items(enf.head_a, D)
    assert any("待公示" in i.title for i in items)
    assert selectors.certificates_expiring(D).count() == 1
    assert Decimal(0) == Decimal(0)
