"""API: public decisions and certificate verification (masked, on display only);
staff cases, actions through the services, officers and benchmarks."""

import json
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.enforcement import services
from fazhi.enforcement.models import CaseStatus
from fazhi.enforcement.tests.factories import make_case, make_officer
from fazhi.org.tests.factories import UnitFactory, person_with_role

pytestmark = pytest.mark.django_db

FULL_NAME, ID_NO, ADDRESS, PHONE = "张三丰", "110101199003074514", "示范区幸福路8号", "13812345678"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def server_today(monkeypatch):
    """The server's date as the API reads it (SYS-03)."""
    def pin(day):
        monkeypatch.setattr("fazhi.enforcement.api._today", lambda: day)
    return pin


def as_user(api, user):
    api.force_authenticate(user)
    return api


def u(name, *args):
    return reverse(f"api:enforcement:{name}", args=args)


def published(**kw):
    case = make_case("decided", **kw)
    return services.publish(case.publications.get(), by=None, today=case.decided_on + timedelta(days=1))


def assert_no_personal_data(resp):
    text = json.dumps(resp.json(), ensure_ascii=False)
    for secret in (FULL_NAME, ID_NO, ADDRESS, PHONE):
        assert secret not in text, secret


# ================================================================= public


def test_public_decisions_list_only_what_is_on_display_masked(api):
    shown = published()
    withdrawn = published()
    services.withdraw_publication(withdrawn, by=None, today=withdrawn.published_on, reason="决定已撤销")
    pending = make_case("decided").publications.get()
    resp = api.get(u("decision_list"))
    assert resp.status_code == 200
    rows = resp.json()["results"]
    assert [r["id"] for r in rows] == [shown.pk]
    assert rows[0]["party"] == "张**" and rows[0]["decision_no"] == shown.case.decision_no
    assert_no_personal_data(resp)
    for pub in (withdrawn, pending):
        resp = api.get(u("decision_detail", pub.pk))
        assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"


def test_public_decision_detail_is_masked_and_complete(api):
    pub = published()
    resp = api.get(u("decision_detail", pub.pk))
    assert resp.status_code == 200
    body = resp.json()
    assert body["party"] == "张**" and body["facts"] and "罚款" in body["penalty"]
    assert body["published_on"] == pub.published_on.isoformat()
    assert_no_personal_data(resp)


def test_personal_data_inside_the_facts_never_reaches_the_json(api):
    pub = published(facts=f"{FULL_NAME}（公民身份号码{ID_NO}，电话{PHONE}）在{ADDRESS}销售假种子")
    assert_no_personal_data(api.get(u("decision_detail", pub.pk)))
    assert_no_personal_data(api.get(u("decision_list")))


def test_taken_down_decision_is_absent_from_the_api(api):
    pub = published()
    type(pub).objects.filter(pk=pub.pk).update(status="taken_down")
    assert api.get(u("decision_list")).json()["results"] == []
    assert api.get(u("decision_detail", pub.pk)).status_code == 404


def test_certificate_verification_returns_only_the_allowed_fields(api):
    officer = make_officer(UnitFactory(name="示范区农业农村局"), name="周核验", number="NY-API-01")
    officer.person.phone = "13600003333"
    officer.person.save()
    resp = api.get(u("certificate_verify"), {"no": "NY-API-01"})
    assert resp.status_code == 200
    assert resp.json() == {"number": "NY-API-01", "name": "周核验", "unit": "示范区农业农村局", "field": "农业",
                           "status": "有效"}


def test_unknown_certificate_is_404_in_chinese_and_missing_number_400(api):
    resp = api.get(u("certificate_verify"), {"no": "NOPE"})
    assert resp.status_code == 404 and "未查询到该执法证" in resp.json()["error"]["message"]
    resp = api.get(u("certificate_verify"))
    assert resp.status_code == 400 and resp.json()["error"]["fields"]["no"]


def test_certificate_verification_is_throttled(api, monkeypatch):
    from fazhi.enforcement.api import CertificateThrottle

    monkeypatch.setattr(CertificateThrottle, "rate", "2/min")
    for _ in range(2):
        api.get(u("certificate_verify"), {"no": "X1"})
    resp = api.get(u("certificate_verify"), {"no": "X1"})
    assert resp.status_code == 429 and resp.json()["error"]["code"] == "throttled"


# ================================================================== staff


def test_staff_endpoints_need_authentication(api):
    case = make_case("pending")
    for resp in (api.get(u("case_list")), api.get(u("officer_list")), api.get(u("benchmark_list")),
                 api.post(u("case_action", case.pk, "file_case"), {}, format="json")):
        assert resp.status_code == 401
        assert resp.json()["error"]["code"] == "not_authenticated"


def test_cases_are_scoped_to_the_users_unit(api):
    case = make_case("pending")
    other = make_case("pending")
    as_user(api, person_with_role("officer", case.unit).user)
    ids = [r["id"] for r in api.get(u("case_list")).json()["results"]]
    assert ids == [case.pk]
    resp = api.get(u("case_detail", case.pk))
    assert resp.status_code == 200 and len(resp.json()["officers"]) == 2
    assert api.get(u("case_detail", other.pk)).status_code == 404
    assert api.post(u("case_action", other.pk, "terminate"), {"reason": "x"}, format="json").status_code == 404


def test_case_detail_lists_the_available_actions(api):
    case = make_case("pending")
    as_user(api, person_with_role("head", case.unit).user)
    actions = {a["action"]: a for a in api.get(u("case_detail", case.pk)).json()["actions"]}
    assert "file_case" in actions and actions["file_case"]["label"] == "立案"


def test_an_action_through_the_api_calls_the_service_and_writes_an_audit_entry(api, server_today):
    case = make_case("pending")
    server_today(date(2026, 3, 2))
    as_user(api, person_with_role("head", case.unit).user)
    before = AuditEntry.objects.filter(action="enforcement.case.filed").count()
    resp = api.post(u("case_action", case.pk, "file_case"), {}, format="json")
    assert resp.status_code == 200, resp.json()
    body = resp.json()
    assert body["status"] == CaseStatus.INVESTIGATING and body["case_no"]
    assert AuditEntry.objects.filter(action="enforcement.case.filed").count() == before + 1


def test_action_out_of_legal_order_is_409_with_the_rule(api):
    case = make_case("investigating")
    as_user(api, person_with_role("head", case.unit).user)
    resp = api.post(u("case_action", case.pk, "decide"),
                    {"penalty_kinds": "罚款", "fine_amount": "100", "reasons": "理由"}, format="json")
    assert resp.status_code == 409
    err = resp.json()["error"]
    assert err["code"] == "transition_refused" and err["rule"].startswith("ENF-")
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and not case.decision_no


def test_action_without_permission_is_403(api):
    case = make_case("pending")
    as_user(api, person_with_role("officer", case.unit).user)  # 立案 is the head's
    resp = api.post(u("case_action", case.pk, "file_case"), {}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden"
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING


def test_action_with_bad_input_is_400_in_chinese(api):
    case = make_case("investigating")
    as_user(api, person_with_role("officer", case.unit).user)
    resp = api.post(u("case_action", case.pk, "record_statement"), {"received_on": "昨天"}, format="json")
    assert resp.status_code == 400
    assert resp.json()["error"]["fields"]["received_on"] == ["日期格式错误，应为 YYYY-MM-DD"]
    resp = api.post(u("case_action", case.pk, "notify"), {"intended_fine": "-5"}, format="json")
    assert resp.status_code == 400
    fields = resp.json()["error"]["fields"]
    assert fields["intended_penalty"] == ["此项为必填项"]
    assert fields["intended_fine"] == ["金额不能为负数"]
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING


def test_unknown_action_is_404_and_get_is_405(api):
    case = make_case("pending")
    as_user(api, person_with_role("head", case.unit).user)
    resp = api.post(u("case_action", case.pk, "fly"), {}, format="json")
    assert resp.status_code == 404 and "不支持的操作" in resp.json()["error"]["message"]
    assert api.get(u("case_action", case.pk, "file_case")).status_code == 405


def test_officers_list_shows_certificate_status_scoped(api):
    unit = UnitFactory()
    make_officer(unit, name="有效证人员", number="OK-1")
    make_officer(unit, name="注销证人员", number="RV-1", status="revoked")
    make_officer(UnitFactory(), name="外单位人员")
    as_user(api, person_with_role("officer", unit).user)
    rows = {r["name"]: r for r in api.get(u("officer_list")).json()["results"]}
    assert set(rows) == {"有效证人员", "注销证人员"}
    assert rows["有效证人员"]["certified"] is True
    assert rows["注销证人员"]["certified"] is False
    assert rows["注销证人员"]["certificates"][0]["current_status"] == "注销"


def test_benchmarks_list_has_legal_basis_and_ranges(api):
    unit = UnitFactory()
    vt = services.create_violation_type(unit=unit, by=None, code="NY-9", name="无证经营",
                                        legal_basis="《种子法》第三十二条", penalty_basis="《种子法》第七十七条")
    services.set_benchmark(vt, by=None, severity="general", fine_min="1000", fine_max="5000")
    as_user(api, person_with_role("officer", unit).user)
    rows = api.get(u("benchmark_list")).json()["results"]
    assert rows[0]["legal_basis"] == "《种子法》第三十二条"
    assert rows[0]["benchmarks"][0]["fine_min"] == "1000.00"


def test_public_matters_list_active_types_of_every_unit_without_sign_in(api):
    shown = services.create_violation_type(unit=UnitFactory(), by=None, code="NY-1", name="经营假种子",
                                           legal_basis="《种子法》第四十九条", penalty_basis="《种子法》第七十四条")
    services.set_benchmark(shown, by=None, severity="general", fine_min="1000", fine_max="5000")
    other = services.create_violation_type(unit=UnitFactory(), by=None, code="SC-1", name="无照经营",
                                           legal_basis="a", penalty_basis="b")
    hidden = services.create_violation_type(unit=UnitFactory(), by=None, code="OLD-1", name="已停用",
                                            legal_basis="a", penalty_basis="b")
    services.update_violation_type(hidden, by=None, name=hidden.name, legal_basis="a", penalty_basis="b",
                                   is_active=False)
    resp = api.get(u("matter_list"))
    assert resp.status_code == 200
    rows = resp.json()["results"]
    assert {r["id"] for r in rows} == {shown.pk, other.pk}
    row = next(r for r in rows if r["id"] == shown.pk)
    assert row["legal_basis"] == "《种子法》第四十九条" and row["benchmarks"][0]["fine_max"] == "5000.00"


def test_list_endpoints_run_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    unit = UnitFactory()
    for _ in range(3):
        make_case("pending", unit=unit, today=date(2026, 3, 2))
        published()
    as_user(api, person_with_role("officer", unit).user)
    with django_assert_max_num_queries(8):
        assert api.get(u("case_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get(u("officer_list")).status_code == 200
    api.force_authenticate(None)
    with django_assert_max_num_queries(6):
        assert api.get(u("decision_list")).status_code == 200


def test_enforcement_endpoints_are_in_the_schema(api):
    as_user(api, person_with_role("officer", UnitFactory()).user)
    resp = api.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert resp.status_code == 200
    paths = resp.json()["paths"] if resp["Content-Type"].startswith("application/json") else resp.content.decode()
    for p in ("/api/v1/enforcement/decisions/", "/api/v1/enforcement/certificates/verify/",
              "/api/v1/enforcement/cases/{id}/actions/{action}/", "/api/v1/enforcement/benchmarks/"):
        assert p in paths


def test_publish_and_withdraw_through_the_api_drive_the_public_list(api, server_today):
    case = make_case("decided")
    server_today(case.decided_on + timedelta(days=1))
    as_user(api, person_with_role("clerk", case.unit).user)
    resp = api.post(u("case_action", case.pk, "publish"), {}, format="json")
    assert resp.status_code == 200, resp.json()
    pub = case.publications.get()
    api.force_authenticate(None)
    assert [r["id"] for r in api.get(u("decision_list")).json()["results"]] == [pub.pk]
    as_user(api, person_with_role("clerk", case.unit).user)
    resp = api.post(u("case_action", case.pk, "withdraw_publication"), {"reason": "决定已撤销"}, format="json")
    assert resp.status_code == 200
    api.force_authenticate(None)
    assert api.get(u("decision_detail", pub.pk)).status_code == 404
    assert AuditEntry.objects.filter(action="enforcement.publication.withdrawn").count() == 1


def test_publish_without_a_pending_publication_is_409_with_the_rule(api):
    case = make_case("investigating")
    as_user(api, person_with_role("clerk", case.unit).user)
    resp = api.post(u("case_action", case.pk, "publish"), {}, format="json")
    assert resp.status_code == 409 and resp.json()["error"]["rule"] == "ENF-19"


def test_assigning_an_uncertified_officer_is_refused_naming_enf_01(api):
    case = make_case("pending")
    good = case.case_officers.first().officer
    bad = make_officer(case.unit, name="无证人员", status="revoked")
    as_user(api, person_with_role("officer", case.unit).user)
    resp = api.post(u("case_action", case.pk, "assign_officers"), {"officers": [good.pk, bad.pk]}, format="json")
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["rule"] == "ENF-01" and "无证人员" in err["message"]
    assert case.case_officers.count() == 2
    resp = api.post(u("case_action", case.pk, "assign_officers"), {"officers": [good.pk]}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "ENF-01"
