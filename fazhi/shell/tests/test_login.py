import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse

from fazhi.shell.tests.utils import PASSWORD, login, user_with_password

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_chinese_without_navigation(client):
    resp = client.get(reverse("shell:login"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "用户名" in html and "密码" in html and "登录" in html
    assert 'class="side"' not in html


def test_login_with_right_password_goes_to_the_dashboard(client):
    user = user_with_password(username="zhang")
    resp = client.post(reverse("shell:login"), {"username": "zhang", "password": PASSWORD})
    assert resp.status_code == 302
    assert resp["Location"] == reverse("shell:home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_wrong_password_says_so_in_chinese(client):
    user_with_password(username="zhang")
    resp = client.post(reverse("shell:login"), {"username": "zhang", "password": "wrong"})
    assert resp.status_code == 200
    assert "用户名或密码错误" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_empty_fields_asks_for_them(client):
    resp = client.post(reverse("shell:login"), {"username": "", "password": ""})
    html = resp.content.decode()
    assert "请输入用户名" in html and "请输入密码" in html


def test_login_of_inactive_account_is_refused(client):
    user_with_password(username="gone", is_active=False)
    resp = client.post(reverse("shell:login"), {"username": "gone", "password": PASSWORD})
    assert resp.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_account_is_locked_after_repeated_failures(client):
    user_with_password(username="zhang")
    for _ in range(3):
        resp = client.post(reverse("shell:login"), {"username": "zhang", "password": "wrong"})
    assert resp.status_code == 429
    assert AccessAttempt.objects.filter(username="zhang").exists()
    # Even the right password is refused while locked.
    resp = client.post(reverse("shell:login"), {"username": "zhang", "password": PASSWORD})
    assert resp.status_code == 429
    html = resp.content.decode()
    assert "账号已被暂时锁定" in html
    assert "30 分钟" in html
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_returns_to_login(client):
    login(client)
    resp = client.post(reverse("shell:logout"))
    assert resp.status_code == 302
    assert resp["Location"] == reverse("shell:login")
    assert "_auth_user_id" not in client.session


def test_signed_in_user_visiting_login_is_sent_home(client):
    login(client)
    resp = client.get(reverse("shell:login"))
    assert resp.status_code == 302
    assert resp["Location"] == reverse("shell:home")


def test_anonymous_home_redirects_to_login(client):
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp["Location"].startswith(reverse("shell:login") + "?next=/")
