"""API tokens: stored hashed, expiring, revoked with the password, the
account and "sign out of all sessions"; listed and revoked by their owner."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.accounts import services
from fazhi.accounts.models import ApiToken
from fazhi.accounts.tests.utils import issue_token
from fazhi.audit.models import AuditEntry
from fazhi.org import services as org
from fazhi.org.tests.factories import PersonFactory, admin_user
from fazhi.shell.tests.utils import PASSWORD, saved, user_with_password

pytestmark = pytest.mark.django_db


def me(secret: str):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return c.get(reverse("api:me"))


def sign_in(username="li", password=PASSWORD, **extra):
    return APIClient().post(reverse("api:token"), {"username": username, "password": password, **extra},
                            format="json")


def test_the_secret_is_returned_once_and_only_its_hash_is_stored():
    user_with_password(username="li")
    body = sign_in().json()
    secret = body["token"]
    stored = ApiToken.objects.get()
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {getattr(stored, f.attname) for f in ApiToken._meta.fields if f.attname != "key_hash"}
    assert me(secret).status_code == 200
    assert secret not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_a_token_expires_after_the_configured_days(settings):
    settings.API_TOKEN_DAYS = 7
    user = user_with_password(username="li")
    now = timezone.now()
    token, secret = services.issue_token(user, by=user, now=now)
    assert token.expires_at == now + timedelta(days=7)
    assert services.authenticate_token(secret, now=now + timedelta(days=7) - timedelta(seconds=1)) is not None
    assert services.authenticate_token(secret, now=now + timedelta(days=7)) is None


def test_an_expired_token_gets_401_in_the_error_shape():
    user = user_with_password(username="li")
    secret = issue_token(user, now=timezone.now() - timedelta(days=31))
    resp = me(secret)
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "authentication_failed"


def test_the_default_lifetime_is_30_days():
    from fazhi import settings as configured

    assert configured.API_TOKEN_DAYS == 30


def test_token_sign_in_answers_the_expiry():
    user_with_password(username="li")
    body = sign_in().json()
    assert set(body) == {"token", "expires_at"}


def test_using_a_token_records_when_it_was_last_used():
    user = user_with_password(username="li")
    secret = issue_token(user)
    assert me(secret).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_a_password_change_revokes_every_token():
    user = user_with_password(username="li")
    secret = issue_token(user)
    services.change_own_password(user, old_password=PASSWORD, new_password="Xin-Mima-2026!", now=timezone.now())
    assert not ApiToken.objects.exists() and me(secret).status_code == 401
    assert AuditEntry.objects.filter(action="accounts.token.revoked_all").exists()


def test_deactivation_revokes_every_token():
    person = PersonFactory()
    secret = issue_token(saved(person.user))
    org.deactivate_person(person, by=admin_user(), reason="调离")
    assert not ApiToken.objects.exists() and me(secret).status_code == 401


def test_an_administrator_reset_revokes_every_token():
    person = PersonFactory()
    secret = issue_token(saved(person.user))
    org.reset_password(person, by=admin_user())
    assert me(secret).status_code == 401


def test_sign_out_everywhere_revokes_every_token():
    user = user_with_password(username="li")
    secret = issue_token(user)
    services.sign_out_everywhere(user, password=PASSWORD, now=timezone.now())
    assert me(secret).status_code == 401


def test_no_token_is_issued_while_an_administrator_set_password_must_be_changed():
    person = PersonFactory(user__username="li")
    org.reset_password(person, by=admin_user(), password="Guan-Li-Yuan-9")
    resp = sign_in(password="Guan-Li-Yuan-9")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "password_change_required"
    assert not ApiToken.objects.exists()


def test_owner_lists_tokens_without_secrets():
    user = user_with_password(username="li")
    secret = issue_token(user, name="报表脚本")
    issue_token(user_with_password(username="other"))
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    rows = c.get(reverse("api:tokens")).json()
    assert [r["name"] for r in rows] == ["报表脚本"]
    assert set(rows[0]) == {"id", "name", "prefix", "created_at", "last_used_at", "expires_at"}
    assert secret not in str(rows)


def test_owner_revokes_one_token_through_the_api_but_not_anothers():
    user = user_with_password(username="li")
    secret = issue_token(user)
    other = ApiToken.objects.get(pk=services.issue_token(user_with_password(username="x"), by=None,
                                                         now=timezone.now())[0].pk)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert c.delete(reverse("api:token_detail", args=[other.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=other.pk).exists()
    mine = ApiToken.objects.get(user=user)
    assert c.delete(reverse("api:token_detail", args=[mine.pk])).status_code == 204
    assert not ApiToken.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="accounts.token.revoked").count() == 1


def test_change_password_through_the_api():
    user = user_with_password(username="li")
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    bad = c.post(reverse("api:password"), {"old_password": "nope", "new_password": "Xin-Mima-2026!"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["old_password"] == ["原密码不正确"]
    ok = c.post(reverse("api:password"), {"old_password": PASSWORD, "new_password": "Xin-Mima-2026!"},
                format="json")
    assert ok.status_code == 204
    user.refresh_from_db()
    assert user.check_password("Xin-Mima-2026!")


def test_the_token_endpoint_is_rate_limited_per_address(settings):
    settings.FAZHI_ANON_POSTS_PER_HOUR = 2
    user_with_password(username="li")
    assert sign_in().status_code == 200
    assert sign_in().status_code == 200
    resp = sign_in()
    assert resp.status_code == 429 and "提交过于频繁" in resp.json()["error"]["message"]
    assert resp["Retry-After"]


def test_purge_drops_tokens_expired_over_a_day_ago():
    user = user_with_password(username="li")
    now = timezone.now()
    services.issue_token(user, by=user, now=now - timedelta(days=40))
    services.issue_token(user, by=user, now=now)
    assert services.purge_expired_tokens(now) == 1 and ApiToken.objects.count() == 1


def test_drf_plain_authtoken_is_gone():
    from django.apps import apps
    from django.db import connection

    assert not apps.is_installed("rest_framework.authtoken")
    assert "authtoken_token" not in connection.introspection.table_names()
