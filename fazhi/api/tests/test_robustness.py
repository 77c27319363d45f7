"""No request may produce a 500 or an HTML error from the API (issue 11).

Each class of input a schema-driven fuzzer found breaking the API — ids and
years the database or Python cannot hold, date ranges that tie a worker up,
NUL characters, errors Django answers outside any API view — is answered in
the one JSON error shape with a Chinese message and a 4xx status.
"""

import json
import time

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from fazhi.org.models import Role
from fazhi.org.tests.factories import admin_user, person_with_role

pytestmark = pytest.mark.django_db

HUGE = 2**70


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(admin_user())
    return client


def error_of(resp, status: int) -> dict:
    assert resp.status_code == status, resp.content[:300]
    assert resp["Content-Type"].startswith("application/json")
    body = json.loads(resp.content)
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"code", "message", "rule", "fields"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message"]), err["message"]
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in err["fields"].values())
    return err


# ---------------------------------------------------------------- ids in the path


@pytest.mark.parametrize("path", [
    f"/api/v1/org/units/{HUGE}/",
    f"/api/v1/org/people/{2**63}/",
    f"/api/v1/normdocs/docs/{HUGE}/",
    f"/api/v1/enforcement/cases/{HUGE}/",
    f"/api/v1/inspections/tasks/{HUGE}/",
    f"/api/v1/decisions/people/{HUGE}/history/",
    f"/api/v1/assessment/values/{HUGE}/lawful_docs/records/",
    "/api/v1/org/units/0/",
])
def test_an_id_the_database_cannot_hold_is_404(api, path):
    assert error_of(api.get(path), 404)["code"] == "not_found"


def test_a_nul_in_an_audit_trail_key_is_404(api):
    error_of(api.get("/api/v1/audit/trail/normative_docs.normdoc/1%00/"), 404)


# ---------------------------------------------------------------- the query string


@pytest.mark.parametrize("path, params, field", [
    ("/api/v1/ledger/measures/", {"year": "-277"}, "year"),
    ("/api/v1/ledger/measures/", {"plan": str(HUGE)}, "plan"),
    ("/api/v1/inspections/public/items/", {"unit": str(HUGE)}, "unit"),
    ("/api/v1/inspections/public/results/", {"unit": str(HUGE)}, "unit"),
    ("/api/v1/inspections/inspections/", {"task": str(HUGE)}, "task"),
    ("/api/v1/inspections/statistics/", {"year": "99999999999"}, "year"),
    ("/api/v1/enforcement/decisions/", {"unit": str(HUGE)}, "unit"),
    ("/api/v1/decisions/experts/", {"pool": str(HUGE)}, "pool"),
    ("/api/v1/training/sessions/", {"unit": "1" * 30}, "unit"),
    ("/api/v1/reports/", {"year": "99999999999"}, "year"),
    ("/api/v1/assessment/values/", {"year": "2026", "unit": str(HUGE)}, "unit"),
    ("/api/v1/workdays/calendar/", {"year": "99999999999"}, "year"),
])
def test_an_out_of_range_integer_parameter_is_400(api, path, params, field):
    err = error_of(api.get(path, params), 400)
    assert field in err["fields"]


@pytest.mark.parametrize("path, param", [
    ("/api/v1/inspections/public/results/", "q"),
    ("/api/v1/inspections/entities/", "industry"),
    ("/api/v1/enforcement/decisions/", "q"),
    ("/api/v1/normdocs/library/", "q"),
    ("/api/v1/decisions/experts/", "field"),
])
def test_a_nul_character_in_a_text_parameter_is_400(api, path, param):
    # PostgreSQL refuses NUL in a query (a 500 there); refused before the query everywhere.
    error_of(api.get(path, {param: "abc\x00"}), 400)


# ---------------------------------------------------------------- dates


def test_a_working_day_count_over_ten_thousand_years_is_refused_at_once(api):
    started = time.monotonic()
    err = error_of(api.get("/api/v1/workdays/count/", {"a": "0001-01-01", "b": "9999-12-31"}), 400)
    assert time.monotonic() - started < 2
    assert "a" in err["fields"]


def test_a_working_day_count_over_more_than_fifty_years_names_the_cap(api):
    err = error_of(api.get("/api/v1/workdays/count/", {"a": "2000-01-01", "b": "2060-01-01"}), 400)
    assert err["message"] == "日期范围不能超过 50 年"


def test_a_deadline_from_the_last_day_python_knows_is_400(api):
    err = error_of(api.get("/api/v1/workdays/add/", {"start": "9999-12-30", "n": "5"}), 400)
    assert "start" in err["fields"]


def test_a_date_in_a_body_outside_the_window_is_400(api):
    from fazhi.enforcement.tests.factories import make_case

    case = make_case()
    resp = api.post(f"/api/v1/enforcement/cases/{case.pk}/actions/waive_rights/", {"on": "9999-12-31"},
                    format="json")
    err = error_of(resp, 400)
    assert err["fields"] == {"on": ["日期应在 1949-01-01 至 2099-12-31 之间"]}


# ---------------------------------------------------------------- bodies


def test_a_huge_id_in_a_body_list_is_400(api):
    resp = api.post("/api/v1/normdocs/cleanup/1/actions/add/", {"docs": [HUGE]}, format="json")
    # No campaign 1: 404 first is fine too; what matters is "never 500".
    assert resp.status_code in (400, 404)
    error_of(resp, resp.status_code)


def test_a_huge_id_in_a_relation_field_is_400(api):
    from fazhi.major_decisions.tests.factories import DecisionFactory

    d = DecisionFactory()
    resp = api.post(f"/api/v1/decisions/decisions/{d.pk}/actions/select_experts/",
                    {"pool": HUGE, "method": "random"}, format="json")
    err = error_of(resp, 400)
    assert err["fields"]["pool"] == ["所选记录不存在"]


def test_malformed_json_is_400_in_chinese(api):
    resp = api.post("/api/v1/org/units/", data='{"name": ', content_type="application/json")
    assert error_of(resp, 400)["code"] == "parse_error"


def test_a_wrong_content_type_is_415_in_chinese(api):
    resp = api.post("/api/v1/org/units/", data="<unit/>", content_type="application/xml")
    assert error_of(resp, 415)["code"] == "unsupported_media_type"


def test_an_array_where_an_object_is_expected_is_400(api):
    resp = api.post("/api/v1/org/units/", data="[1, 2]", content_type="application/json")
    error_of(resp, 400)


def test_a_service_field_message_is_always_a_list(api):
    err = error_of(api.get("/api/v1/workdays/add/", {"n": "3"}), 400)
    assert err["fields"] == {"start": ["必填"]}


# ---------------------------------------------------------------- Django's own errors under /api/


def test_an_unknown_api_path_is_json_404(api):
    assert error_of(api.get("/api/v1/no-such-thing/"), 404)["code"] == "not_found"


def test_a_wrong_method_on_a_plain_django_view_under_api_is_json_405():
    from django.test import Client

    from fazhi.shell.tests.utils import login

    client = Client()
    login(client)
    err = error_of(client.post("/api/docs/"), 405)
    assert err["code"] == "method_not_allowed"


def test_a_bug_under_api_is_a_json_500_not_the_html_page(api, monkeypatch):
    from fazhi.api import views

    def boom(self, request):
        raise RuntimeError("bug")

    monkeypatch.setattr(views.MeView, "get", boom)
    api.raise_request_exception = False
    err = error_of(api.get("/api/v1/me/"), 500)
    assert err["code"] == "server_error"


def test_pages_outside_the_api_keep_their_html_404(client):
    from fazhi.shell.tests.utils import login

    login(client)
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404 and resp["Content-Type"].startswith("text/html")


# ---------------------------------------------------------------- throttling

RATES = {"anon": "3/min", "user": "4/min", "token": "2/min"}


def _rest_framework(rates):
    from django.conf import settings

    return {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_anonymous_requests_over_the_rate_get_429_in_chinese():
    client = APIClient()
    with override_settings(REST_FRAMEWORK=_rest_framework(RATES)):
        for _ in range(3):
            assert client.get("/api/v1/normdocs/library/").status_code == 200
        resp = client.get("/api/v1/normdocs/library/")
    err = error_of(resp, 429)
    assert err["code"] == "throttled" and "请求过于频繁" in err["message"]
    assert int(resp["Retry-After"]) > 0


def test_a_forged_forwarded_for_header_does_not_reset_the_count():
    client = APIClient()
    with override_settings(REST_FRAMEWORK=_rest_framework(RATES)):
        for i in range(3):
            client.get("/api/v1/normdocs/library/", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        resp = client.get("/api/v1/normdocs/library/", HTTP_X_FORWARDED_FOR="10.0.0.99")
    error_of(resp, 429)


def test_signed_in_requests_are_counted_per_user():
    first, second = APIClient(), APIClient()
    first.force_authenticate(person_with_role(Role.CLERK).user)
    second.force_authenticate(person_with_role(Role.CLERK).user)
    with override_settings(REST_FRAMEWORK=_rest_framework(RATES)):
        for _ in range(4):
            assert first.get("/api/v1/me/").status_code == 200
        error_of(first.get("/api/v1/me/"), 429)
        assert second.get("/api/v1/me/").status_code == 200


def test_token_sign_in_is_throttled_more_strictly():
    client = APIClient()
    with override_settings(REST_FRAMEWORK=_rest_framework(RATES)):
        for _ in range(2):
            client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
        resp = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert error_of(resp, 429)["code"] == "throttled"


def test_a_bad_rate_in_the_environment_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from fazhi.envconf import env_rate

    monkeypatch.setenv("API_RATE_USER", "lots")
    with pytest.raises(ImproperlyConfigured, match="API_RATE_USER"):
        env_rate("API_RATE_USER", "60/min")
    monkeypatch.setenv("API_RATE_USER", "30/hour")
    assert env_rate("API_RATE_USER", "60/min") == "30/hour"
