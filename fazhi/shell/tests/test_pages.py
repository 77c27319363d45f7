import json
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse

from fazhi.org.tests.factories import PersonFactory
from fazhi.shell.tests.utils import login

pytestmark = pytest.mark.django_db


def test_healthz_is_public_json_and_checks_the_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/json"
    assert json.loads(resp.content) == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_is_away(client):
    with mock.patch("fazhi.shell.views.connection.cursor", side_effect=RuntimeError("down")):
        resp = client.get("/healthz")
    assert resp.status_code == 503
    assert json.loads(resp.content)["status"] == "error"


@override_settings(DEBUG=False)
def test_404_page_is_in_chinese(client):
    login(client)
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    assert "页面不存在" in resp.content.decode()


@override_settings(DEBUG=False)
def test_404_for_anonymous_points_to_the_portal_and_sign_in(client):
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    html = resp.content.decode()
    assert "政务公开门户" in html and "工作人员登录" in html


def test_403_page_is_in_chinese(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from fazhi.shell.views import error_403

    request = rf.get("/org/")
    request.user = AnonymousUser()
    resp = error_403(request, PermissionDenied())
    assert resp.status_code == 403
    html = resp.content.decode()
    assert "无权访问" in html and "您没有执行此操作的权限" in html


def test_403_page_shows_the_domain_message_escaped(rf):
    from django.contrib.auth.models import AnonymousUser

    from fazhi.core.errors import PermissionDenied
    from fazhi.shell.views import error_403

    request = rf.get("/org/")
    request.user = AnonymousUser()
    resp = error_403(request, PermissionDenied("只能修改本单位的<b>记录</b>"))
    assert "只能修改本单位的&lt;b&gt;记录&lt;/b&gt;" in resp.content.decode()


def test_404_under_api_is_the_json_error_shape(rf):
    from fazhi.shell.views import error_404

    resp = error_404(rf.get("/api/v1/nothing/"))
    assert resp.status_code == 404
    assert json.loads(resp.content)["error"]["message"] == "记录不存在或无权查看"


def test_csrf_failure_page_is_in_chinese(client, settings):
    from django.test import Client

    settings.CSRF_FAILURE_VIEW = "fazhi.shell.views.csrf_failure"
    resp = Client(enforce_csrf_checks=True).post(reverse("shell:login"), {"username": "a", "password": "b"})
    assert resp.status_code == 403
    assert "页面已过期" in resp.content.decode()


def test_topbar_shows_name_unit_post_and_logout(client):
    person = PersonFactory(name="王经办", post="法制科科长", unit__name="区农业农村委员会", unit__short_name="区农业农村委")
    login(client, person)
    html = client.get(reverse("shell:home")).content.decode()
    assert "王经办" in html and "区农业农村委" in html and "法制科科长" in html
    assert 'action="/accounts/logout/"' in html and "退出" in html
    assert "csrfmiddlewaretoken" in html
    assert "法治政府建设平台" in html


def test_the_menu_marks_one_current_entry_the_longest_that_the_page_is_under(client):
    from fazhi.shell.tests.utils import user_with_password

    client.force_login(user_with_password(username="root-menu", is_superuser=True))
    html = client.get("/decisions/catalogues/").content.decode()
    assert html.count('aria-current="page"') == 1
    assert '<a href="/decisions/catalogues/" class="active" aria-current="page">' in html
    assert '<a href="/decisions/" class="active"' not in html


def test_on_a_phone_the_menu_button_controls_the_side_menu(client):
    login(client)
    html = client.get("/").content.decode()
    assert 'class="menu-toggle" aria-expanded="false" aria-controls="side-nav"' in html
    assert '<nav class="side" id="side-nav"' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
