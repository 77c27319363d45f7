"""SYS-03 in enforcement: the server's clock is the only "today", and every
date a person enters is checked against it and the steps it follows.

Each test here failed on main before issue 12: the API took a client's
``today``, the notice form took its own date, and entered dates were only
checked against one earlier step (if any)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import ValidationError
from fazhi.enforcement import services
from fazhi.enforcement.models import CaseStatus, EvidenceFile, PenaltyCase
from fazhi.enforcement.tests.factories import PDF, make_case, upload

D = date(2026, 3, 2)


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def action(case, name) -> str:
    return reverse("api:enforcement:case_action", args=[case.pk, name])


@pytest.fixture
def server_today(monkeypatch):
    def pin(day):
        monkeypatch.setattr("fazhi.enforcement.api._today", lambda: day)
        monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: day)
        monkeypatch.setattr("fazhi.enforcement.views.common.now", lambda: timezone.make_aware(datetime.combine(day, time(18))))
    return pin


# ------------------------------------------------------------ the server's date

def test_api_refuses_a_client_chosen_today_and_changes_nothing(enf, server_today):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    server_today(D)
    before = AuditEntry.objects.count()
    resp = api_as(enf.head_a).post(action(case, "file_case"), {"today": "2026-05-01"}, format="json")
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["rule"] == "SYS-03" and "服务器" in err["message"] and err["fields"]["today"]
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING and AuditEntry.objects.count() == before


def test_api_acts_are_dated_by_the_server(enf, server_today):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    server_today(D + timedelta(days=1))
    resp = api_as(enf.head_a).post(action(case, "file_case"), {}, format="json")
    assert resp.status_code == 200, resp.json()
    case.refresh_from_db()
    assert case.filed_on == D + timedelta(days=1)


def test_api_notice_date_is_the_servers_not_the_clients(enf, server_today):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    server_today(D + timedelta(days=2))
    body = {"intended_penalty": "罚款150元", "notice_reasons": "违反《种子法》", "intended_fine": "150"}
    resp = api_as(enf.officer_a).post(action(case, "notify"), {**body, "served_on": "2026-05-01"}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    resp = api_as(enf.officer_a).post(action(case, "notify"), body, format="json")
    assert resp.status_code == 200, resp.json()
    case.refresh_from_db()
    assert case.notice_served_on == D + timedelta(days=2)


def test_the_notice_form_has_no_date_of_its_own(enf, server_today):
    """A clerk posting a date two months ahead must not move the 5-WD window."""
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    server_today(D + timedelta(days=1))
    c = Client()
    c.force_login(enf.officer_a, backend="django.contrib.auth.backends.ModelBackend")
    resp = c.post(reverse("enforcement:case_action", args=[case.pk, "notify"]), {
        "notify-served_on": "2026-05-04", "notify-intended_penalty": "罚款人民币150元",
        "notify-intended_fine": "150", "notify-notice_reasons": "违反《种子法》第四十九条"})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.notice_served_on == D + timedelta(days=1)
    assert case.statement_due == date(2026, 3, 10)


# ------------------------------------------------------------ dates people enter

def test_a_service_date_in_the_future_is_refused(enf):
    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    with pytest.raises(ValidationError) as e:
        services.serve(case, by=None, today=case.decided_on, served_on=case.decided_on + timedelta(days=1),
                       method="direct")
    assert e.value.rule == "SYS-03" and "不能晚于今天" in e.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.served_on is None


def test_a_service_date_before_the_decision_is_refused(enf):
    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    with pytest.raises(ValidationError) as e:
        services.serve(case, by=None, today=case.decided_on + timedelta(days=3),
                       served_on=case.decided_on - timedelta(days=1), method="direct")
    assert e.value.rule == "SYS-03" and "决定日期" in e.value.message


def test_a_late_entry_needs_a_reason_and_is_flagged_in_the_trail(enf, settings):
    settings.FAZHI_BACKDATE_DAYS = 15
    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    served = case.decided_on + timedelta(days=1)
    recorded = served + timedelta(days=20)
    with pytest.raises(ValidationError) as e:
        services.serve(case, by=None, today=recorded, served_on=served, method="post")
    assert e.value.rule == "SYS-03" and "补录" in e.value.message
    services.serve(case, by=None, today=recorded, served_on=served, method="post",
                   late_reason="邮寄送达回执迟到")
    entry = AuditEntry.objects.filter(action="enforcement.case.served").last()
    assert entry.data["backdated_days"] == 20 and entry.data["backdate_reason"] == "邮寄送达回执迟到"


def test_a_payment_before_the_decision_or_in_the_future_is_refused(enf):
    case = make_case("served", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    for paid_on, today in ((case.decided_on - timedelta(days=1), case.served_on),
                           (case.served_on + timedelta(days=1), case.served_on)):
        with pytest.raises(ValidationError) as e:
            services.record_payment(case, by=None, today=today, paid_on=paid_on, amount="150",
                                    bank_receipt_no="R-X")
        assert e.value.rule == "SYS-03"
    assert not case.payments.exists()


def test_a_discovery_date_in_the_future_is_refused(enf):
    with pytest.raises(ValidationError) as e:
        services.create_case(unit=enf.a, by=None, cause="案", party_kind="person", party_name="甲",
                             discovered_on=D + timedelta(days=1), today=D)
    assert e.value.rule == "SYS-03"
    assert not PenaltyCase.objects.exists()


def test_a_discussion_before_the_legal_review_is_refused(enf):
    case = make_case("reviewed", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    services.submit_discussion(case, by=None, today=case.statement_due + timedelta(days=2))
    review = case.legal_reviews.get()
    from fazhi.enforcement.tests.factories import heads
    with pytest.raises(ValidationError) as e:
        services.record_discussion(case, by=None, today=review.reviewed_on + timedelta(days=3),
                                   discussed_on=review.reviewed_on - timedelta(days=1), members=heads(enf.a),
                                   conclusion="同意")
    assert e.value.rule == "SYS-03" and "法制审核日期" in e.value.message


def test_a_transfer_and_a_reply_cannot_be_dated_ahead(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    kw = dict(receiving_organ="公安分局", suspected_crime="罪", reason="涉嫌犯罪")
    with pytest.raises(ValidationError):
        services.transfer_to_police(case, by=None, today=D, transferred_on=D + timedelta(days=1), **kw)
    with pytest.raises(ValidationError):  # before 立案
        services.transfer_to_police(case, by=None, today=D, transferred_on=D - timedelta(days=1), **kw)
    t = services.transfer_to_police(case, by=None, today=D, transferred_on=D, **kw)
    with pytest.raises(ValidationError) as e:
        services.record_transfer_reply(t, by=None, today=D, reply_on=D + timedelta(days=5), accepted=False,
                                       reply="x")
    assert e.value.rule == "SYS-03"


def test_evidence_captured_before_the_discovery_is_refused_and_a_late_upload_needs_a_reason(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D, with_records=False)

    def attach(captured: date, now: date, **kw):
        return services.attach_evidence(
            case, by=None, upload=upload(PDF), record_type="inquiry", kind="scan", captured_by_name="甲",
            captured_at=timezone.make_aware(datetime.combine(captured, time(9))),
            now=timezone.make_aware(datetime.combine(now, time(18))), **kw)

    with pytest.raises(ValidationError) as e:
        attach(D - timedelta(days=1), D)
    assert "发现日期" in e.value.message
    with pytest.raises(ValidationError):
        attach(D, D + timedelta(days=20))
    assert not EvidenceFile.objects.filter(case=case).exists()
    ev = attach(D, D + timedelta(days=20), late_reason="录像自执法记录仪导出延迟")
    entry = AuditEntry.objects.get(action="enforcement.evidence.attached", object_id=str(ev.pk))
    assert entry.data["backdate_reason"] == "录像自执法记录仪导出延迟"


def test_a_certificate_status_change_cannot_be_dated_ahead_on_the_page(enf, server_today):
    server_today(D)
    cert = enf.o1.certificates.get()
    c = Client()
    c.force_login(enf.admin_a, backend="django.contrib.auth.backends.ModelBackend")
    resp = c.post(reverse("enforcement:officer_action", args=[enf.o1.pk, "status"]), {
        "status-certificate": cert.pk, "status-status": "suspended", "status-on": "2026-04-01",
        "status-reason": "违纪"})
    assert resp.status_code == 400 and "SYS-03" in resp.content.decode()
    cert.refresh_from_db()
    assert cert.status == "valid"
