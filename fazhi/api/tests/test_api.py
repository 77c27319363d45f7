import json

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.accounts.models import ApiToken as Token
from fazhi.accounts.tests.utils import issue_token
from fazhi.org.tests.factories import UnitFactory, person_with_role
from fazhi.shell.tests.utils import PASSWORD, login, saved, user_with_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _error(resp) -> dict:
    body = json.loads(resp.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "rule", "fields"}
    return body["error"]


# ---------------------------------------------------------------- token


def test_token_is_issued_for_right_credentials(api):
    user = user_with_password(username="li")
    resp = api.post(reverse("api:token"), {"username": "li", "password": PASSWORD}, format="json")
    assert resp.status_code == 200
    stored = Token.objects.get(user=user)
    assert resp.json()["token"].startswith(stored.prefix) and resp.json()["token"] not in stored.key_hash


def test_each_sign_in_makes_a_new_token(api):
    user_with_password(username="li")
    first = api.post(reverse("api:token"), {"username": "li", "password": PASSWORD}, format="json").json()
    second = api.post(reverse("api:token"), {"username": "li", "password": PASSWORD}, format="json").json()
    assert first["token"] != second["token"] and Token.objects.count() == 2


def test_token_is_refused_for_a_wrong_password_in_chinese(api):
    user_with_password(username="li")
    resp = api.post(reverse("api:token"), {"username": "li", "password": "nope"}, format="json")
    assert resp.status_code == 400
    err = _error(resp)
    assert err["code"] == "invalid_credentials"
    assert err["message"] == "用户名或密码错误"
    assert not Token.objects.exists()


def test_token_request_without_fields_names_them(api):
    resp = api.post(reverse("api:token"), {}, format="json")
    assert resp.status_code == 400
    err = _error(resp)
    assert err["fields"] == {"username": ["请输入用户名"], "password": ["请输入密码"]}


@override_settings(AXES_FAILURE_LIMIT=3)
def test_token_requests_are_locked_out_after_repeated_failures(api):
    user_with_password(username="li")
    for _ in range(3):
        resp = api.post(reverse("api:token"), {"username": "li", "password": "nope"}, format="json")
    assert resp.status_code == 429
    resp = api.post(reverse("api:token"), {"username": "li", "password": PASSWORD}, format="json")
    assert resp.status_code == 429
    err = _error(resp)
    assert err["code"] == "locked_out" and "锁定 30 分钟" in err["message"]
    assert not Token.objects.exists()


def test_token_can_be_revoked(api):
    user = user_with_password(username="li")
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    assert api.delete(reverse("api:token")).status_code == 204
    assert not Token.objects.exists()


def test_token_endpoint_refuses_get(api):
    resp = api.get(reverse("api:token"))
    assert resp.status_code == 405
    assert _error(resp)["message"] == "不支持该请求方法：GET"


# ---------------------------------------------------------------- me


def test_me_describes_user_person_unit_and_roles(api):
    unit = UnitFactory(name="区市场监督管理局", short_name="市场监管局")
    person = person_with_role("clerk", unit, name="赵经办", post="科员")
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(person.user)}")
    resp = api.get(reverse("api:me"))
    assert resp.status_code == 200
    body = resp.json()
    assert body["username"] == person.user.username
    assert body["is_admin"] is False
    assert body["person"]["name"] == "赵经办"
    assert body["person"]["unit"]["name"] == "区市场监督管理局"
    assert body["roles"] == [{
        "role": "clerk", "title": "经办人", "include_subunits": False,
        "unit": {"id": unit.pk, "name": "区市场监督管理局", "short_name": "市场监管局"},
    }]


def test_me_works_with_the_browser_session(api):
    person = person_with_role("head")
    api.force_login(saved(person.user))
    assert api.get(reverse("api:me")).json()["roles"][0]["title"] == "单位负责人"


def test_me_of_an_account_without_person(api, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-pass-12345")
    api.force_authenticate(admin)
    body = api.get(reverse("api:me")).json()
    assert body["person"] is None and body["roles"] == [] and body["is_admin"] is True


# ---------------------------------------------------------------- error shape


def test_anonymous_gets_401_in_the_one_error_shape(api):
    resp = api.get(reverse("api:me"))
    assert resp.status_code == 401
    assert resp["WWW-Authenticate"].startswith("Token")
    err = _error(resp)
    assert err["code"] == "not_authenticated"
    assert err["message"].startswith("身份未认证")


def test_a_bad_token_gets_401_in_chinese(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    resp = api.get(reverse("api:me"))
    assert resp.status_code == 401
    assert _error(resp)["code"] == "authentication_failed"


def test_api_root_lists_endpoint_groups(api):
    api.force_authenticate(saved(person_with_role("clerk").user))
    resp = api.get(reverse("api:root"))
    assert resp.status_code == 200
    names = [g["name"] for g in resp.json()["groups"]]
    assert {"auth", "me", "org", "audit", "workdays"} <= set(names)


def test_api_root_needs_authentication(api):
    assert api.get(reverse("api:root")).status_code == 401


def test_unknown_api_url_is_a_json_404(client, settings):
    settings.DEBUG = False
    resp = client.get("/api/v1/does-not-exist/")
    assert resp.status_code == 404
    assert _error(resp)["message"] == "记录不存在或无权查看"


def test_schema_is_served_to_signed_in_users(api):
    api.force_authenticate(saved(person_with_role("clerk").user))
    resp = api.get(reverse("api:schema") + "?format=json")
    assert resp.status_code == 200
    schema = json.loads(resp.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"] and "/api/v1/auth/token/" in schema["paths"]


def test_schema_needs_authentication(api):
    assert api.get(reverse("api:schema")).status_code == 401


def test_docs_page_lists_endpoints_without_cdn(client):
    login(client)
    resp = client.get(reverse("api:docs"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "/api/v1/me/" in html and "接口文档" in html
    assert "cdn" not in html.lower() and "swagger-ui" not in html.lower()
