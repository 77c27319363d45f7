"""Staff screens of 行政执法: each page for the right user, 404 for another
unit's record, 403 for a forbidden step, sign-in and CSRF required,
transitions through POST (state and audit), refusals naming their rule,
escaping, Excel export, bounded query counts, upload checks."""

from datetime import date, datetime, time, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.enforcement import services
from fazhi.enforcement.models import (
    CaseStatus,
    Certificate,
    CertificateStatus,
    EvidenceFile,
    Officer,
    PenaltyCase,
)
from fazhi.enforcement.tests.factories import JPEG, PDF, SCRIPT, default_type, make_case, make_officer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ESCAPED = "&lt;script&gt;"
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _pin_today(monkeypatch):
    """The views read the date once per request; pin it so the demo dates hold."""
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: TODAY)
    monkeypatch.setattr("fazhi.enforcement.views.common.now",
                        lambda: timezone.make_aware(datetime.combine(TODAY, time(18, 0))))


def client_for(user, **kw) -> Client:
    c = Client(**kw)
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def body(response) -> str:
    return response.content.decode()


def detail_url(case) -> str:
    return reverse("enforcement:case_detail", args=[case.pk])


def action_url(case, step) -> str:
    return reverse("enforcement:case_action", args=[case.pk, step])


def case_in(enf, state="pending", **kw):
    return make_case(state, unit=enf.a, officers=[enf.o1, enf.o2], today=TODAY, **kw)


# ---------------------------------------------------------------- sign-in

@pytest.mark.parametrize("name", ["enforcement:case_list", "enforcement:case_create", "enforcement:officer_list",
                                  "enforcement:officer_create", "enforcement:benchmark_list",
                                  "enforcement:transfer_list"])
def test_anonymous_is_sent_to_sign_in(enf, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_cannot_see_a_case(enf):
    case = case_in(enf)
    response = Client().get(detail_url(case))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ------------------------------------------------------------------- lists

@pytest.mark.parametrize("name", ["enforcement:case_list", "enforcement:officer_list",
                                  "enforcement:benchmark_list", "enforcement:transfer_list"])
def test_list_pages_open_for_an_officer(enf, name):
    assert client_for(enf.officer_a).get(reverse(name)).status_code == 200


def test_case_list_shows_only_the_units_cases(enf):
    mine = case_in(enf, cause="本单位案件")
    other = make_case("pending", unit=enf.b, cause="他单位案件")
    text = body(client_for(enf.officer_a).get(reverse("enforcement:case_list")))
    assert detail_url(mine) in text and detail_url(other) not in text


def test_case_list_filters_by_state_and_procedure(enf):
    case_in(enf, "investigating", cause="调查中案件")
    case_in(enf, cause="待立案案件")
    c = client_for(enf.reviewer)
    text = body(c.get(reverse("enforcement:case_list"), {"status": CaseStatus.INVESTIGATING}))
    assert "调查中案件" in text and "待立案案件" not in text
    text = body(c.get(reverse("enforcement:case_list"), {"procedure": "summary"}))
    assert "调查中案件" not in text and "待立案案件" not in text


def test_case_list_overdue_filter(enf, monkeypatch):
    case_in(enf, "investigating", cause="超期案件")
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: TODAY + timedelta(days=120))
    text = body(client_for(enf.reviewer).get(reverse("enforcement:case_list"), {"deadline": "overdue"}))
    assert "超期案件" in text


def test_case_list_filters_by_officer(enf):
    case_in(enf, cause="甲承办")
    o3, o4 = make_officer(enf.a), make_officer(enf.a)
    make_case("pending", unit=enf.a, officers=[o3, o4], today=TODAY, cause="乙承办")
    text = body(client_for(enf.officer_a).get(reverse("enforcement:case_list"), {"officer": o3.pk}))
    assert "乙承办" in text and "甲承办" not in text


def test_case_list_exports_xlsx(enf):
    case_in(enf, "investigating", cause="导出案件")
    response = client_for(enf.officer_a).get(reverse("enforcement:case_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "立案号" and ws.cell(2, 3).value.startswith("导出案件")
    assert ws.max_row == 2


def test_case_list_query_count_is_bounded(enf, django_assert_max_num_queries):
    for i in range(8):
        case_in(enf, cause=f"案件{i}")
    c = client_for(enf.officer_a)
    with django_assert_max_num_queries(20):
        response = c.get(reverse("enforcement:case_list"))
    assert response.status_code == 200 and response.context["total"] == 8


def test_case_list_sorts_by_a_column(enf):
    for t in ("乙案", "甲案", "丙案"):
        case_in(enf, cause=t)
    response = client_for(enf.officer_a).get(reverse("enforcement:case_list"), {"sort": "cause"})
    causes = [obj.cause for obj, _ in response.context["cells"]]
    assert causes == sorted(causes)


def test_officer_list_filters_expiring_certificates(enf):
    make_officer(enf.a, name="快到期", valid_to=TODAY + timedelta(days=20))
    text = body(client_for(enf.officer_a).get(reverse("enforcement:officer_list"), {"cert": "expiring"}))
    assert "快到期" in text and "执法员一" not in text


def test_officer_list_exports_xlsx(enf):
    response = client_for(enf.officer_a).get(reverse("enforcement:officer_list"), {"export": "xlsx"})
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "姓名" and ws.max_row == 3


def test_officer_list_query_count_is_bounded(enf, django_assert_max_num_queries):
    for _ in range(10):
        make_officer(enf.a)
    c = client_for(enf.officer_a)
    with django_assert_max_num_queries(15):
        assert c.get(reverse("enforcement:officer_list")).status_code == 200


# ----------------------------------------------------------------- officers

def test_officer_detail_shows_certificates_and_cases(enf):
    case = case_in(enf)
    text = body(client_for(enf.officer_a).get(reverse("enforcement:officer_detail", args=[enf.o1.pk])))
    cert = enf.o1.certificates.get()
    assert cert.number in text and detail_url(case) in text


def test_officer_of_another_unit_is_404(enf):
    other = make_officer(enf.b)
    response = client_for(enf.officer_a).get(reverse("enforcement:officer_detail", args=[other.pk]))
    assert response.status_code == 404


def test_unit_admin_registers_an_officer_and_a_certificate(enf):
    from fazhi.org.tests.factories import PersonFactory

    person = PersonFactory(unit=enf.a, name="新执法员")
    c = client_for(enf.admin_a)
    response = c.post(reverse("enforcement:officer_create"), {"person": person.pk, "category": "农业执法"})
    officer = Officer.objects.get(person=person)
    assert response.status_code == 302
    response = c.post(reverse("enforcement:officer_action", args=[officer.pk, "certificate"]), {
        "certificate-number": "NEW0001", "certificate-kind": "行政执法证",
        "certificate-issuing_authority": "示范省人民政府", "certificate-field": "农业",
        "certificate-valid_from": "2026-01-01", "certificate-valid_to": "2031-12-31"})
    assert response.status_code == 302 and officer.certificates.filter(number="NEW0001").exists()


def test_unit_admin_suspends_a_certificate(enf):
    cert = enf.o1.certificates.get()
    response = client_for(enf.admin_a).post(reverse("enforcement:officer_action", args=[enf.o1.pk, "status"]), {
        "status-certificate": cert.pk, "status-status": "suspended", "status-on": "2026-03-02",
        "status-reason": "违纪调查"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED
    assert AuditEntry.objects.filter(action="enforcement.certificate.status_changed").exists()


def test_revoked_certificate_cannot_be_restored_and_rule_is_named(enf):
    cert = enf.o1.certificates.get()
    services.set_certificate_status(cert, by=None, status="revoked", reason="调离", on=TODAY)
    response = client_for(enf.admin_a).post(reverse("enforcement:officer_action", args=[enf.o1.pk, "status"]), {
        "status-certificate": cert.pk, "status-status": "valid", "status-on": "2026-03-02", "status-reason": "恢复"})
    assert response.status_code == 400 and '（依据<abbr class="rule" title="ENF-25">' in body(response)
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.REVOKED


def test_officer_cannot_manage_certificates(enf):
    cert = enf.o1.certificates.get()
    response = client_for(enf.officer_a).post(reverse("enforcement:officer_action", args=[enf.o1.pk, "status"]), {
        "status-certificate": cert.pk, "status-status": "suspended", "status-on": "2026-03-02",
        "status-reason": "x"})
    assert response.status_code == 403
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.VALID


def test_annual_check_failed_suspends(enf):
    cert = enf.o1.certificates.get()
    response = client_for(enf.admin_a).post(reverse("enforcement:officer_action", args=[enf.o1.pk, "check"]), {
        "check-certificate": cert.pk, "check-year": 2025, "check-result": "failed", "check-checked_on": "2026-03-02"})
    assert response.status_code == 302
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.SUSPENDED


# --------------------------------------------------------------- benchmarks

def test_head_creates_a_violation_type_with_ranges(enf):
    c = client_for(enf.head_a)
    response = c.post(reverse("enforcement:benchmark_create"), {
        "unit": enf.a.pk, "code": "NY-001", "name": "经营假种子", "field": "农业",
        "legal_basis": "《种子法》第四十九条", "penalty_basis": "《种子法》第七十四条",
        "s-general-fine_min": "1000", "s-general-fine_max": "5000",
        "s-serious-fine_min": "5000", "s-serious-fine_max": "20000"})
    assert response.status_code == 302
    text = body(c.get(reverse("enforcement:benchmark_list")))
    assert "经营假种子" in text and "1000–5000元" in text


def test_benchmark_range_reversed_is_refused(enf):
    response = client_for(enf.head_a).post(reverse("enforcement:benchmark_create"), {
        "unit": enf.a.pk, "code": "NY-002", "name": "x", "legal_basis": "a", "penalty_basis": "b",
        "s-general-fine_min": "5000", "s-general-fine_max": "1000"})
    assert response.status_code == 400 and "上限" in body(response)
    from fazhi.enforcement.models import ViolationType

    assert not ViolationType.objects.filter(code="NY-002").exists()


# ---------------------------------------------------------------- create

def _create_data(enf, **kw):
    data = {"unit": enf.a.pk, "procedure": "general", "cause": "涉嫌经营假农药", "discovered_on": "2026-03-02",
            "party_kind": "person", "party_name": "李四", "officers": [enf.o1.pk, enf.o2.pk]}
    data.update(kw)
    return data


def test_officer_registers_a_case(enf):
    response = client_for(enf.officer_a).post(reverse("enforcement:case_create"), _create_data(enf))
    case = PenaltyCase.objects.get(cause="涉嫌经营假农药")
    assert response.status_code == 302 and case.case_officers.count() == 2


def test_create_offers_only_certified_officers(enf):
    make_officer(enf.a, name="证件暂扣者", status="suspended")
    make_officer(enf.a, name="证件过期者", valid_from=date(2020, 1, 1), valid_to=date(2025, 12, 31))
    text = body(client_for(enf.officer_a).get(reverse("enforcement:case_create")))
    assert "执法员一" in text and "证件暂扣者" not in text and "证件过期者" not in text


def test_single_officer_is_refused_with_the_rule(enf):
    response = client_for(enf.officer_a).post(reverse("enforcement:case_create"),
                                              _create_data(enf, officers=[enf.o1.pk]))
    assert response.status_code == 400 and "执法人员不得少于两人（ENF-01）" in body(response)
    assert not PenaltyCase.objects.exists()


def test_summary_case_over_the_limit_is_refused(enf):
    vt = default_type(enf.a)
    response = client_for(enf.officer_a).post(reverse("enforcement:case_create"), _create_data(
        enf, procedure="summary", penalty_kinds="罚款", fine_amount="500", violation_type=vt.pk, severity="general",
        spot_place="集市", facts="无证销售"))
    assert response.status_code == 400 and '（依据<abbr class="rule" title="ENF-12">' in body(response)
    assert not PenaltyCase.objects.exists()


# ---------------------------------------------------------------- detail

def test_case_detail_shows_progress_parties_and_escapes(enf):
    case = case_in(enf, "notified", party_name=f"王五{SCRIPT}")
    response = client_for(enf.officer_a).get(detail_url(case))
    text = body(response)
    assert response.status_code == 200
    assert ESCAPED in text and SCRIPT not in text
    assert "ENF-06" in text and "已完成" in text and "当前" in text
    assert case.case_no in text


def test_case_detail_shows_provisional_deadline(enf):
    case = case_in(enf, "notified")
    PenaltyCase.objects.filter(pk=case.pk).update(statement_provisional=True)
    assert "暂定" in body(client_for(enf.officer_a).get(detail_url(case)))


def test_case_of_another_unit_is_404(enf):
    case = case_in(enf)
    assert client_for(enf.clerk_b).get(detail_url(case)).status_code == 404
    assert client_for(enf.clerk_b).post(action_url(case, "file_case"), {}).status_code == 404


def test_missing_case_is_404(enf):
    assert client_for(enf.officer_a).get(reverse("enforcement:case_detail", args=[999999])).status_code == 404


def test_wrong_method_is_405(enf):
    case = case_in(enf)
    assert client_for(enf.head_a).get(action_url(case, "file_case")).status_code == 405


def test_reviewer_sees_across_units(enf):
    case = case_in(enf)
    assert client_for(enf.reviewer).get(detail_url(case)).status_code == 200


def test_action_forms_are_the_available_transitions(enf):
    case = case_in(enf)
    text = body(client_for(enf.head_a).get(detail_url(case)))
    assert action_url(case, "file_case") in text and action_url(case, "decide") not in text
    text = body(client_for(enf.officer_a).get(detail_url(case)))
    assert action_url(case, "file_case") not in text  # 立案 is the head's (approve)


# ------------------------------------------------------------ transitions

def test_head_files_a_case_via_post_with_audit(enf):
    case = case_in(enf)
    response = client_for(enf.head_a).post(action_url(case, "file_case"), {})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.case_no
    assert AuditEntry.objects.filter(action__startswith="enforcement.case.", object_id=str(case.pk)).count() >= 2


def test_officer_may_not_file_403(enf):
    case = case_in(enf)
    response = client_for(enf.officer_a).post(action_url(case, "file_case"), {})
    assert response.status_code == 403
    assert PenaltyCase.objects.get(pk=case.pk).status == CaseStatus.PENDING


def test_csrf_is_enforced(enf):
    case = case_in(enf)
    c = client_for(enf.head_a, enforce_csrf_checks=True)
    assert c.post(action_url(case, "file_case"), {}).status_code == 403
    assert PenaltyCase.objects.get(pk=case.pk).status == CaseStatus.PENDING


def test_notify_via_post(enf):
    case = case_in(enf, "investigating")
    response = client_for(enf.officer_a).post(action_url(case, "notify"), {
        "notify-served_on": "2026-03-03", "notify-intended_penalty": "罚款人民币150元",
        "notify-intended_fine": "150", "notify-notice_reasons": "违反《种子法》第四十九条"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.statement_due


def test_refused_transition_names_the_rule_and_changes_nothing(enf):
    case = case_in(enf, "notified")
    before = AuditEntry.objects.count()
    response = client_for(enf.head_a).post(action_url(case, "decide"), {
        "decide-penalty_kinds": "罚款", "decide-fine_amount": "150", "decide-reasons": "按基准处罚"})
    text = body(response)
    assert response.status_code == 400 and '（依据<abbr class="rule" title="ENF-07">' in text
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and not case.decision_no
    assert AuditEntry.objects.count() == before


def test_waiting_steps_say_why_and_which_step_unlocks_them(enf):
    case = case_in(enf, "notified")
    response = client_for(enf.head_a).get(detail_url(case))
    text = body(response)
    waiting = {w["label"]: w for w in response.context["waiting"]}
    assert waiting["作出处罚决定"]["unlock"] == "等待告知后5个工作日期满，或记录当事人放弃陈述申辩和听证"
    assert "陈述申辩、听证申请期限（告知后5个工作日）尚未届满" in waiting["作出处罚决定"]["reason"]
    assert "需先：等待告知后5个工作日期满，或记录当事人放弃陈述申辩和听证" in text
    assert '（依据<abbr class="rule" title="ENF-07">《中华人民共和国行政处罚法》第六十三条' in text
    assert "尚不能办理" not in text
    assert all(w["reason"] and w["unlock"] for w in waiting.values())  # never a bare heading


def test_a_step_nothing_can_unlock_says_so(enf):
    case = case_in(enf, "notified")  # a small fine: no right to a hearing (ENF-07)
    response = client_for(enf.officer_a).get(detail_url(case))
    text = body(response)
    assert "不属于应当告知听证权利的情形" in text and "本案不适用此步骤，没有可补办的前置步骤" in text


def test_the_waiting_list_is_not_shown_to_another_units_clerk(enf):
    case = case_in(enf, "notified")
    assert client_for(enf.clerk_b).get(detail_url(case)).status_code == 404


def test_decision_after_90_days_is_refused(enf, monkeypatch):
    case = case_in(enf, "notified")
    services.waive_rights(case, by=None, today=TODAY + timedelta(days=2), on=TODAY + timedelta(days=2))
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: TODAY + timedelta(days=100))
    response = client_for(enf.head_a).post(action_url(case, "decide"), {
        "decide-penalty_kinds": "罚款", "decide-fine_amount": "150", "decide-reasons": "按基准处罚"})
    assert response.status_code == 400 and '（依据<abbr class="rule" title="ENF-08">' in body(response)
    assert PenaltyCase.objects.get(pk=case.pk).status == CaseStatus.NOTIFIED


def test_record_payment_needs_bank_receipt(enf):
    case = case_in(enf, "served")
    response = client_for(enf.officer_a).post(action_url(case, "record_payment"), {
        "record_payment-method": "bank", "record_payment-paid_on": "2026-03-20", "record_payment-amount": "150"})
    assert response.status_code == 400 and not case.payments.exists()


def test_transfer_to_police_and_reply(enf):
    case = case_in(enf, "investigating")
    c = client_for(enf.officer_a)
    response = c.post(action_url(case, "transfer"), {
        "transfer-transferred_on": "2026-03-02", "transfer-receiving_organ": "示范区公安分局",
        "transfer-suspected_crime": "生产、销售伪劣种子罪", "transfer-reason": "涉案金额巨大"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED
    t = case.transfers.get()
    assert "示范区公安分局" in body(c.get(reverse("enforcement:transfer_list")))
    response = c.post(reverse("enforcement:transfer_detail", args=[t.pk]), {
        "form": "reply", "reply-reply_on": "2026-03-02", "reply-accepted": "0", "reply-reply": "不予立案"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING


def test_transfer_of_another_unit_is_404(enf):
    case = case_in(enf, "investigating")
    t = services.transfer_to_police(case, by=None, today=TODAY, transferred_on=TODAY, receiving_organ="公安",
                                    suspected_crime="罪", reason="理由")
    assert client_for(enf.clerk_b).get(reverse("enforcement:transfer_detail", args=[t.pk])).status_code == 404


# --------------------------------------------------------------- evidence

def _evidence_post(data=PDF, name="笔录.pdf", kind="scan"):
    return {"ev-record_type": "inquiry", "ev-kind": kind, "ev-title": "询问笔录", "ev-captured_by_name": "执法员一",
            "ev-captured_at": "2026-03-02T09:30", "ev-file": SimpleUploadedFile(name, data)}


def test_evidence_upload_stores_hash_and_shows_it(enf):
    case = case_in(enf, "investigating", with_records=False)
    c = client_for(enf.officer_a)
    response = c.post(reverse("enforcement:evidence_upload", args=[case.pk]), _evidence_post())
    assert response.status_code == 302
    ev = EvidenceFile.objects.get(case=case)
    text = body(c.get(detail_url(case)))
    assert ev.sha256 in text
    download = c.get(reverse("enforcement:evidence_download", args=[case.pk, ev.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_evidence_of_wrong_type_is_refused(enf):
    case = case_in(enf, "investigating", with_records=False)
    response = client_for(enf.officer_a).post(reverse("enforcement:evidence_upload", args=[case.pk]),
                                              _evidence_post(data=JPEG, name="x.mp4", kind="video"))
    assert response.status_code == 400 and "文件类型不符" in body(response)
    assert not EvidenceFile.objects.filter(case=case).exists()


def test_evidence_download_of_another_unit_is_404(enf):
    case = case_in(enf, "investigating")
    ev = case.evidence.first()
    response = client_for(enf.clerk_b).get(reverse("enforcement:evidence_download", args=[case.pk, ev.pk]))
    assert response.status_code == 404


# ------------------------------------------------------------------ print

def test_print_page_escapes_user_text(enf):
    case = case_in(enf, "investigating")
    response = client_for(enf.officer_a).get(reverse("enforcement:case_print", args=[case.pk]))
    text = body(response)
    assert response.status_code == 200 and ESCAPED in text and SCRIPT not in text and case.case_no in text


# ------------------------------------------------------------- publication

def test_publication_with_an_id_number_is_refused(enf, monkeypatch):
    case = case_in(enf, "decided")
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: case.decided_on + timedelta(days=1))
    pub = case.publications.get()
    response = client_for(enf.head_a).post(action_url(case, "publish"), {
        "publish-title": pub.title, "publish-content": pub.content + " 身份证110101199003074514"})
    html = body(response)
    assert response.status_code == 400 and "未经确认的个人信息" in html and "身份证号 1101**********4514" in html
    assert '依据<abbr class="rule" title="ENF-20">' in html and "政府信息公开条例第十五条" in html
    pub.refresh_from_db()
    assert pub.status == "pending"


def test_publication_via_post(enf, monkeypatch):
    case = case_in(enf, "decided")
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: case.decided_on + timedelta(days=1))
    pub = case.publications.get()
    response = client_for(enf.head_a).post(action_url(case, "publish"), {
        "publish-title": pub.title, "publish-content": pub.content})
    assert response.status_code == 302
    pub.refresh_from_db()
    assert pub.status == "published" and pub.published_on == case.decided_on + timedelta(days=1)


def test_the_case_page_colours_a_pending_publication_deadline(enf, monkeypatch):
    """Issue 13 §2: the 公示期限 of a decision not yet published, red 逾期N天 once past (ENF-19)."""
    case = case_in(enf, "decided")
    pub = case.publications.get()
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: pub.due + timedelta(days=3))
    html = body(client_for(enf.officer_a).get(detail_url(case)))
    assert 'class="due-cell due-overdue"' in html and "逾期3天" in html
    assert f'<span class="nowrap">{pub.due:%Y-%m-%d}</span> <span class="badge badge-danger">逾期3天</span>' in html


# ------------------------------------------------------------ legal review

def test_reviewer_passes_legal_review_via_post(enf):
    case = case_in(enf, "legal_review")
    c = client_for(enf.reviewer)
    assert action_url(case, "legal_review") in body(c.get(detail_url(case)))
    response = c.post(action_url(case, "legal_review"), {"legal_review-passed": "1",
                                                         "legal_review-opinion": "事实清楚，证据确凿"})
    assert response.status_code == 302
    assert PenaltyCase.objects.get(pk=case.pk).status == CaseStatus.REVIEWED


def test_officer_may_not_do_legal_review(enf):
    case = case_in(enf, "legal_review")
    response = client_for(enf.officer_a).post(action_url(case, "legal_review"), {
        "legal_review-passed": "1", "legal_review-opinion": "同意"})
    assert response.status_code == 403
    assert PenaltyCase.objects.get(pk=case.pk).status == CaseStatus.LEGAL_REVIEW


def test_date_fields_open_with_their_iso_value(enf):
    """A type="date" input shows nothing for "2026/03/02": the browser then
    refuses to submit the required field (issue 13 §2 "Dates")."""
    c = Client()
    c.force_login(enf.officer_a)
    html = c.get(reverse("enforcement:case_create")).content.decode()
    assert 'name="discovered_on" value="2026-03-02"' in html
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=TODAY)
    services.notify(case, by=None, today=TODAY, intended_penalty="罚款100元", notice_reasons="事实", intended_fine=100)
    html = c.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert 'name="waive_rights-on" value="2026-03-02"' in html


def test_case_page_words_the_penalty_as_the_decision_does(enf):
    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2], today=TODAY)
    c = Client()
    c.force_login(enf.officer_a)
    html = c.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert "罚款人民币150元" in html and "罚款，罚款" not in html


def test_the_hearing_date_opens_on_the_earliest_day_the_law_allows(enf):
    """ENF-07: notified at least 7 working days before; the form offers that day (issue 13 §2 "Dates")."""
    from fazhi.enforcement import rules

    case = case_in(enf, "notified", hearing=True)
    services.request_hearing(case, by=None, today=case.notice_served_on, requested_on=case.notice_served_on)
    html = body(client_for(enf.officer_a).get(detail_url(case)))
    earliest = rules.earliest_hearing_date(TODAY)
    assert earliest == date(2026, 3, 11)
    assert f'name="schedule_hearing-hearing_date" value="{earliest:%Y-%m-%d}"' in html


def test_the_case_list_colours_the_decision_limit(enf):
    """Issue 13 §2 "Deadlines in colour": red 逾期N天 / amber 剩余N个工作日, sortable by the limit."""
    late, soon = case_in(enf, "investigating"), case_in(enf, "investigating")
    PenaltyCase.objects.filter(pk=late.pk).update(decision_due=date(2026, 2, 27))
    PenaltyCase.objects.filter(pk=soon.pk).update(decision_due=date(2026, 3, 4))
    html = body(client_for(enf.officer_a).get(reverse("enforcement:case_list"), {"sort": "decision_due"}))
    assert 'class="due-cell due-overdue"' in html and "逾期3天" in html
    assert 'class="due-cell due-soon"' in html and "剩余2个工作日" in html
    assert html.index("逾期3天") < html.index("剩余2个工作日")
