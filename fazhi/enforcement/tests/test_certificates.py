"""行政执法证 (ENF-01, ENF-19, ENF-25): status, expiry, assignment and the public check."""

import dataclasses
from datetime import date, timedelta

import pytest

from fazhi.core.errors import PermissionDenied, TransitionRefused, ValidationError
from fazhi.enforcement import selectors, services
from fazhi.enforcement.models import AnnualCheck, CaseOfficer, Certificate, CertificateStatus
from fazhi.enforcement.tests.factories import make_case, make_officer
from fazhi.org.tests.factories import PersonFactory

D = date(2026, 3, 2)


def cert_of(officer) -> Certificate:
    return officer.certificates.get()


def test_valid_certificate_is_valid_within_its_period(enf):
    cert = cert_of(enf.o1)
    assert cert.is_valid(D) and cert.display_status(D) == "有效"
    assert not cert.is_valid(date(2030, 1, 1)) and cert.display_status(date(2030, 1, 1)) == "已过期"
    assert cert.display_status(date(2023, 1, 1)) == "尚未生效"


def test_certificate_expiring_within_the_warning_window_is_listed(enf):
    soon = make_officer(enf.a, name="将到期", valid_to=D + timedelta(days=60))
    later = make_officer(enf.a, name="未到期", valid_to=D + timedelta(days=61))
    expiring = set(selectors.certificates_expiring(D))
    assert cert_of(soon) in expiring and cert_of(later) not in expiring


def test_expiring_certificate_is_on_the_unit_admins_dashboard(enf):
    make_officer(enf.a, name="将到期", valid_to=D + timedelta(days=30))
    items = [i for i in selectors.dashboard_items(enf.admin_a, D) if "执法证件即将到期" in i.title]
    assert len(items) == 1 and "将到期" in items[0].title
    assert not [i for i in selectors.dashboard_items(enf.clerk_b, D) if "执法证件" in i.title]


def test_suspended_certificate_is_not_valid_and_can_be_restored(enf, actions):
    cert = services.set_certificate_status(cert_of(enf.o1), by=enf.admin_a, status="suspended", reason="违纪",
                                           on=D)
    assert not cert.is_valid(D) and cert.display_status(D) == "暂扣"
    cert = services.set_certificate_status(cert, by=enf.admin_a, status="valid", reason="处分期满", on=D)
    assert cert.is_valid(D)
    assert actions("enforcement.certificate.status_changed") == ["enforcement.certificate.status_changed"] * 2


def test_cancelled_certificate_cannot_be_restored(enf):
    cert = services.set_certificate_status(cert_of(enf.o1), by=None, status="revoked", reason="调离执法岗位", on=D)
    assert cert.display_status(D) == "注销"
    with pytest.raises(ValidationError) as e:
        services.set_certificate_status(cert, by=None, status="valid", reason="恢复", on=D)
    assert e.value.rule == "ENF-25"
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED


def test_failed_annual_check_suspends_the_certificate(enf):
    services.record_annual_check(cert_of(enf.o1), by=enf.admin_a, year=2026, result="failed", checked_on=D)
    cert = cert_of(enf.o1)
    assert cert.status == CertificateStatus.SUSPENDED and "审验不合格" in cert.status_reason
    assert AnnualCheck.objects.get(certificate=cert).result == "failed"


def test_only_the_unit_admin_changes_certificates(enf):
    with pytest.raises(PermissionDenied):
        services.set_certificate_status(cert_of(enf.o1), by=enf.officer_a, status="suspended", reason="x", on=D)
    assert cert_of(enf.o1).status == CertificateStatus.VALID


def test_duplicate_certificate_number_refused(enf):
    with pytest.raises(ValidationError, match="已存在"):
        services.issue_certificate(enf.o2, by=None, number=cert_of(enf.o1).number, issuing_authority="省政府",
                                   field="农业", valid_from=D, valid_to=D + timedelta(days=1))


def test_assignment_refused_for_an_officer_without_certificate(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    person = PersonFactory(unit=enf.a, name="无证人员")
    uncertified = services.register_officer(person, by=None)
    with pytest.raises(ValidationError) as e:
        services.assign_officers(case, by=None, officers=[enf.o1, uncertified], today=D)
    assert e.value.rule == "ENF-01" and "无证人员" in e.value.message and "有效的行政执法证件" in e.value.message
    assert set(CaseOfficer.objects.filter(case=case).values_list("officer", flat=True)) == {enf.o1.pk, enf.o2.pk}


def test_assignment_refused_for_a_suspended_or_expired_certificate(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    suspended = make_officer(enf.a, name="暂扣人员", status="suspended")
    expired = make_officer(enf.a, name="过期人员", valid_from=date(2020, 1, 1), valid_to=D - timedelta(days=1))
    for o in (suspended, expired):
        with pytest.raises(ValidationError) as e:
            services.assign_officers(case, by=None, officers=[enf.o1, o], today=D)
        assert e.value.rule == "ENF-01"


def test_assignment_refused_for_a_single_officer(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    with pytest.raises(ValidationError) as e:
        services.assign_officers(case, by=None, officers=[enf.o1, enf.o1], today=D)
    assert e.value.rule == "ENF-01" and "不得少于2人" in e.value.message
    assert CaseOfficer.objects.filter(case=case).count() == 2


def test_assignment_refused_for_an_officer_of_another_unit(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    other = make_officer(enf.b, name="外单位人员")
    with pytest.raises(ValidationError, match="不是本单位执法人员"):
        services.assign_officers(case, by=None, officers=[enf.o1, other], today=D)


def test_filing_refused_when_a_certificate_is_suspended_after_assignment(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    services.set_certificate_status(cert_of(enf.o2), by=None, status="suspended", reason="违纪", on=D)
    with pytest.raises(TransitionRefused) as e:
        services.file_case(case, by=None, today=D)
    assert e.value.rule == "ENF-01"
    case.refresh_from_db()
    assert case.status == "pending" and not case.case_no


def test_verify_certificate_returns_only_the_public_fields(enf):
    cert = cert_of(enf.o1)
    found = selectors.verify_certificate(cert.number, today=D)
    assert {f.name for f in dataclasses.fields(found)} == {"name", "unit", "field", "status"}
    assert (found.name, found.unit, found.field, found.status) == ("执法员一", enf.a.name, "农业", "有效")
    assert cert.number not in repr(found) and "2029" not in repr(found)


def test_verify_certificate_shows_suspension_and_ignores_unknown_numbers(enf):
    cert = services.set_certificate_status(cert_of(enf.o1), by=None, status="suspended", reason="违纪", on=D)
    assert selectors.verify_certificate(f"  {cert.number} ", today=D).status == "暂扣"
    assert selectors.verify_certificate("NOPE", today=D) is None
    assert selectors.verify_certificate("", today=D) is None
    assert selectors.verify_certificate("9" * 41, today=D) is None
    assert selectors.verify_certificate(cert.number[:-1], today=D) is None  # exact numbers only
