"""Own password, administrator-set passwords (changed at next sign-in, never
shown), the one-time set-password link, sign out of all sessions, the
password policy, the idle timeout and the lock-out screen."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model, password_validation
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from fazhi.accounts import services
from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.org import services as org
from fazhi.org.tests.factories import PersonFactory, admin_user
from fazhi.shell.tests.utils import PASSWORD, saved, user_with_password

pytestmark = pytest.mark.django_db
NEW = "Xin-Mima-2026!"


def signed_in(username: str, password: str = PASSWORD) -> Client:
    c = Client()
    resp = c.post(reverse("shell:login"), {"username": username, "password": password})
    assert resp.status_code == 302, resp.content.decode()[:500]
    return c


# ------------------------------------------------------------ own password

def test_a_user_changes_their_own_password_and_stays_signed_in():
    user = user_with_password(username="li")
    c = signed_in("li")
    resp = c.post(reverse("accounts:password_change"),
                  {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert c.get(reverse("shell:home")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.password.changed").exists()


def test_a_password_change_ends_the_other_sessions():
    user_with_password(username="li")
    other = signed_in("li")
    c = signed_in("li")
    c.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert other.get(reverse("shell:home")).status_code == 302  # back to sign-in


@pytest.mark.parametrize("old, new1, new2, message", [
    ("wrong", NEW, NEW, "原密码不正确"),
    (PASSWORD, NEW, NEW + "x", "两次输入的新密码不一致"),
    (PASSWORD, "12345678", "12345678", "密码"),  # numeric, common, too simple
    (PASSWORD, PASSWORD, PASSWORD, "新密码不能与原密码相同"),
])
def test_a_bad_password_change_is_refused_in_chinese_and_changes_nothing(old, new1, new2, message):
    user = user_with_password(username="li")
    c = signed_in("li")
    resp = c.post(reverse("accounts:password_change"), {"old_password": old, "new_password1": new1,
                                                         "new_password2": new2})
    assert resp.status_code == 200 and message in resp.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# ------------------------------------------------- administrator-set passwords

def test_an_administrator_set_password_must_be_changed_before_anything_else():
    person = PersonFactory(user__username="li")
    org.reset_password(person, by=admin_user(), password="Guan-Li-Yuan-9")
    c = signed_in("li", "Guan-Li-Yuan-9")
    resp = c.get(reverse("shell:home"))
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:password_change")
    assert c.get(reverse("org:person_list")).status_code == 302
    api = c.get(reverse("api:me"))
    assert api.status_code == 403 and api.json()["error"]["code"] == "password_change_required"
    assert c.get(reverse("accounts:password_change")).status_code == 200
    c.post(reverse("accounts:password_change"),
           {"old_password": "Guan-Li-Yuan-9", "new_password1": NEW, "new_password2": NEW})
    assert c.get(reverse("shell:home")).status_code == 200
    assert not get_user_model().objects.get(pk=person.user_id).fazhi_account.must_change_password


def test_sign_out_works_while_the_password_must_be_changed():
    person = PersonFactory(user__username="li")
    org.reset_password(person, by=admin_user(), password="Guan-Li-Yuan-9")
    c = signed_in("li", "Guan-Li-Yuan-9")
    assert c.post(reverse("shell:logout")).status_code == 302
    assert "_auth_user_id" not in c.session


# ------------------------------------------------------ the one-time link

def _link(person) -> str:
    return org.reset_password(person, by=admin_user()).path


def test_the_owner_sets_a_password_through_the_link_once():
    person = PersonFactory(user__username="li")
    path = _link(person)
    c = Client()
    assert c.get(path).status_code == 200
    resp = c.post(path, {"new_password1": NEW, "new_password2": NEW})
    assert resp.status_code == 302 and resp["Location"] == reverse("shell:login")
    signed_in("li", NEW)  # and no change is required: the owner chose it
    assert c.get(path).status_code == 400  # single use
    assert Client().post(path, {"new_password1": "Zai-Lai-2026!", "new_password2": "Zai-Lai-2026!"}).status_code == 400
    assert AuditEntry.objects.filter(action="accounts.password.set_by_link").count() == 1


def test_the_link_expires(settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    person = PersonFactory()
    path = _link(person)
    from datetime import datetime
    from unittest import mock

    later = datetime.now() + timedelta(hours=2)  # the generator's own (naive, local) clock
    with mock.patch("fazhi.accounts.services.link_tokens._now", return_value=later):
        assert Client().get(path).status_code == 400


def test_a_new_link_kills_the_previous_one():
    person = PersonFactory()
    first = _link(person)
    _link(person)
    assert Client().get(first).status_code == 400


def test_a_tampered_link_is_refused():
    person = PersonFactory()
    path = _link(person)
    assert Client().get(re.sub(r"/[^/]+/$", "/bad-token/", path)).status_code == 400


def test_the_link_refuses_a_weak_password_and_stays_usable():
    person = PersonFactory(user__username="li")
    path = _link(person)
    resp = Client().post(path, {"new_password1": "password", "new_password2": "password"})
    assert resp.status_code == 200 and "密码" in resp.content.decode()
    assert Client().get(path).status_code == 200


def test_posts_to_the_link_are_rate_limited_per_address(settings):
    settings.FAZHI_ANON_POSTS_PER_HOUR = 2
    path = _link(PersonFactory())
    for _ in range(2):
        Client().post(path, {"new_password1": "password", "new_password2": "password"})
    assert Client().post(path, {"new_password1": NEW, "new_password2": NEW}).status_code == 429


# --------------------------------------------------- sign out everywhere

def test_sign_out_of_all_sessions_ends_every_session_of_the_account():
    user_with_password(username="li")
    other = signed_in("li")
    c = signed_in("li")
    assert other.get(reverse("shell:home")).status_code == 200
    resp = c.post(reverse("accounts:sign_out_all"), {"password": PASSWORD})
    assert resp.status_code == 302 and resp["Location"] == reverse("shell:login")
    assert other.get(reverse("shell:home")).status_code == 302
    assert c.get(reverse("shell:home")).status_code == 302
    signed_in("li")  # the password itself still works
    assert AuditEntry.objects.filter(action="accounts.sessions.ended").exists()


def test_sign_out_of_all_sessions_needs_the_password():
    user_with_password(username="li")
    other = signed_in("li")
    c = signed_in("li")
    c.post(reverse("accounts:sign_out_all"), {"password": "wrong"})
    assert other.get(reverse("shell:home")).status_code == 200


def test_the_account_page_lists_tokens_and_shows_a_new_secret_once():
    user_with_password(username="li")
    c = signed_in("li")
    resp = c.post(reverse("accounts:token_create"), {"name": "报表脚本"})
    secret = resp.context["secret"]
    assert secret.startswith("fz_") and secret in resp.content.decode()
    page = c.get(reverse("accounts:account")).content.decode()
    assert "报表脚本" in page and secret not in page


def test_a_user_revokes_their_token_on_the_page_but_not_anothers():
    from fazhi.accounts.models import ApiToken

    user = user_with_password(username="li")
    mine, _ = services.issue_token(user, by=user, now=timezone.now())
    other_user = user_with_password(username="wang")
    theirs, _ = services.issue_token(other_user, by=other_user, now=timezone.now())
    c = signed_in("li")
    assert c.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    assert c.post(reverse("accounts:token_revoke", args=[mine.pk])).status_code == 302
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [theirs.pk]


# --------------------------------------------------------- password policy

def test_every_password_validator_is_active():
    names = {type(v).__name__ for v in password_validation.get_default_password_validators()}
    assert names == {"UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                     "NumericPasswordValidator", "CharacterClassValidator"}


@pytest.mark.parametrize("password, reason", [
    ("Ab1-xyz", "太短"),
    ("Password1!", "太常见"),
    ("83749261537", "全是数字"),
    ("zhangsanfeng-1", "与用户名相近"),
    ("abcdefgh-xyz", "只有两类字符"),
])
def test_the_policy_refuses(password, reason):
    user = get_user_model()(username="zhangsanfeng", first_name="张三丰")
    assert services.password_errors(password, user), reason


def test_the_policy_accepts_three_classes():
    assert services.password_errors("Hu-po-qiao-88", get_user_model()(username="li")) is None


def test_the_character_class_message_is_chinese():
    assert "至少3类" in services.password_errors("abcdefgh-xyz", get_user_model()(username="li"))


# ----------------------------------------------------------- idle timeout

def test_idle_timeout_in_minutes_with_hours_still_read(monkeypatch):
    import importlib

    import fazhi.settings as s

    monkeypatch.setenv("SESSION_IDLE_MINUTES", "30")
    assert importlib.reload(s).SESSION_COOKIE_AGE == 1800
    monkeypatch.delenv("SESSION_IDLE_MINUTES")
    monkeypatch.setenv("SESSION_HOURS", "2")
    assert importlib.reload(s).SESSION_COOKIE_AGE == 7200
    monkeypatch.delenv("SESSION_HOURS")
    assert importlib.reload(s).SESSION_COOKIE_AGE == 8 * 3600


# ---------------------------------------------------------- lock-out screen

@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_system_administrator_unlocks_an_account():
    user_with_password(username="li")
    for _ in range(2):
        Client().post(reverse("shell:login"), {"username": "li", "password": "wrong"})
    assert Client().post(reverse("shell:login"), {"username": "li", "password": PASSWORD}).status_code == 429
    admin = saved(admin_user())
    c = Client()
    c.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    page = c.get(reverse("accounts:lockouts"))
    assert page.status_code == 200 and "li" in page.content.decode()
    assert c.post(reverse("accounts:lockouts"), {"username": "li", "ip_address": "127.0.0.1"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    signed_in("li")
    entry = AuditEntry.objects.get(action="accounts.lockout.reset")
    assert entry.data["username"] == "li" and entry.actor_id == admin.pk


def test_the_lockout_screen_is_for_the_system_administrator_only():
    unit_admin = PersonFactory(roles=[("unit_admin", None, True)]).user
    c = Client()
    c.force_login(saved(unit_admin), backend="django.contrib.auth.backends.ModelBackend")
    assert c.get(reverse("accounts:lockouts")).status_code == 403
    assert c.post(reverse("accounts:lockouts"), {"username": "li"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.reset_lockout(by=unit_admin, username="li")


def test_a_lockout_reset_needs_a_name_or_address():
    with pytest.raises(ValidationError):
        services.reset_lockout(by=admin_user())


def test_the_lockout_page_sends_people_to_the_administrator_who_has_the_screen():
    """The lock-out message names the system administrator; their menu has the screen."""
    admin = saved(admin_user())
    c = Client()
    c.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert reverse("accounts:lockouts") in c.get(reverse("shell:home")).content.decode()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_django_admin_sign_in_is_locked_like_the_sign_in_page():
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    for _ in range(2):
        Client().post(reverse("admin:login"), {"username": "root", "password": "wrong"})
    resp = Client().post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert resp.status_code == 429
