"""Every write to sign-in accounts: API tokens, passwords, sessions, lock-outs.

Each is audited in the same transaction (on the person's trail when the
account has a person record). No secret — password, token, link — is ever
written to the trail.

Who may act is decided here for the owner's own acts (change password,
tokens, sign out everywhere) and for the lock-out screen (系统管理员 only).
A password set or reset by an administrator is authorised by
``fazhi.org.services.reset_password`` / ``create_person`` (the unit scope and
SYS-04 rules live there), which then call ``admin_set_password`` or
``issue_set_password_link`` below.

Rules (等保2.0 GB/T 22239-2019 8.1.4.1 身份鉴别): passwords follow
``AUTH_PASSWORD_VALIDATORS``; a password an administrator chose is changed by
its owner at the next sign-in; tokens expire after ``API_TOKEN_DAYS``; a
password change, deactivation or "sign out of all sessions" ends every token
and every other session.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from fazhi.accounts.models import Account, ApiToken
from fazhi.audit.services import record
from fazhi.core.actors import Actor
from fazhi.core.errors import PermissionDenied, ValidationError

TOKEN_PREFIX = "fz_"
# Written on a token at most this often: a request is not a database write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


# ------------------------------------------------------------------ helpers

def _subject(user):
    """The record an account event is filed under: the person (so it shows in
    their trail) or, for a bare system account, the user."""
    from fazhi.org.access import person_of

    return person_of(user) or user


def _audit(user, action: str, *, by: Actor, data: dict | None = None, now: datetime | None = None) -> None:
    subject = _subject(user)
    record(subject, f"accounts.{action}", by=by, data={"username": user.get_username(), **(data or {})}, now=now)


def account_of(user, *, lock: bool = False) -> Account:
    """The account row of ``user``, made on first need."""
    # By id: the caller's user object keeps no stale cached account.
    Account.objects.get_or_create(user_id=user.pk)
    qs = Account.objects.select_for_update() if lock else Account.objects
    return qs.get(user_id=user.pk)


def password_errors(password: str, user) -> str | None:
    """Every ``AUTH_PASSWORD_VALIDATORS`` message for ``password``, in Chinese, or None."""
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        return "；".join(exc.messages)
    return None


def _check_password(password: str, user, field: str = "new_password") -> None:
    message = password_errors(password or "", user) if password else "请输入新密码"
    if message:
        raise ValidationError(message, fields={field: [message]})


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ tokens

def token_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_DAYS)


@transaction.atomic
def issue_token(user, *, by: Actor, now: datetime, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret, which is shown
    once and stored only as its SHA-256."""
    if by is not None and by.pk != user.pk:
        raise PermissionDenied("只能为本人申请令牌")
    if not user.is_active:
        raise PermissionDenied("该账号已停用")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=(name or "").strip()[:100], prefix=secret[:10], key_hash=_hash(secret),
        created_at=now, expires_at=now + token_lifetime(),
    )
    _audit(user, "token.issued", by=by, data={"token": token.pk, "name": token.name, "prefix": token.prefix,
                                              "expires_at": token.expires_at})
    return token, secret


def authenticate_token(secret: str, *, now: datetime) -> ApiToken | None:
    """The live token with this secret (of an active account), or None.
    Records when it was last used, at most once a minute."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(secret)).first()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user):
    """The user's tokens, newest first (expired ones too, until revoked or purged)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Actor, now: datetime | None = None) -> None:
    """Revoke one token. Its owner only (or ``by=None``: the system)."""
    locked = ApiToken.objects.select_for_update().select_related("user").filter(pk=token.pk).first()
    if locked is None:
        raise ValidationError("该令牌已注销")
    if by is not None and locked.user_id != by.pk:
        raise PermissionDenied("只能注销本人的令牌")
    locked.delete()
    _audit(locked.user, "token.revoked", by=by, now=now,
           data={"token": token.pk, "name": locked.name, "prefix": locked.prefix})


def revoke_all_tokens(user, *, by: Actor, reason: str) -> int:
    """Revoke every token of ``user`` (inside the caller's transaction); audited once."""
    tokens = list(ApiToken.objects.filter(user=user).values_list("pk", flat=True))
    if tokens:
        ApiToken.objects.filter(pk__in=tokens).delete()
        _audit(user, "token.revoked_all", by=by, data={"tokens": tokens, "reason": reason})
    return len(tokens)


def purge_expired_tokens(now: datetime) -> int:
    """The job: drop tokens expired more than a day ago (they no longer sign anyone in)."""
    count, _ = ApiToken.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return count


# --------------------------------------------------------------- passwords

@transaction.atomic
def change_own_password(user, *, old_password: str, new_password: str, now: datetime) -> None:
    """The owner changes their password. Ends their tokens and (through
    Django's session hash) every other session; the caller keeps the current
    session with ``update_session_auth_hash``."""
    account = account_of(user, lock=True)
    errors = {}
    if not old_password or not user.check_password(old_password):
        errors["old_password"] = ["原密码不正确"]
    if new_password and old_password and new_password == old_password:
        errors["new_password"] = ["新密码不能与原密码相同"]
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], fields=errors)
    _check_password(new_password, user)
    _set_password(user, account, new_password, must_change=False, now=now)
    _audit(user, "password.changed", by=user, now=now, data={"was_required": account.must_change_password})
    revoke_all_tokens(user, by=user, reason="修改密码")


def _set_password(user, account: Account, password: str | None, *, must_change: bool, now: datetime) -> None:
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    account.must_change_password = must_change
    account.password_changed_at = now
    account.save(update_fields=["must_change_password", "password_changed_at"])


def admin_set_password(user, *, by: Actor, password: str, now: datetime) -> None:
    """An administrator sets ``user``'s password (already authorised by the
    caller, inside its transaction). The owner must change it at the next
    sign-in; their tokens end. The password is not returned or shown."""
    account = account_of(user, lock=True)
    _check_password(password, user, field="password")
    # The system itself (demo data, carried-over accounts) sets no obligation.
    _set_password(user, account, password, must_change=by is not None, now=now)
    if by is not None:
        revoke_all_tokens(user, by=by, reason="管理员设置密码")


class _LinkTokens(PasswordResetTokenGenerator):
    """Signed with SECRET_KEY over the account's current password hash and
    last sign-in: valid for ``PASSWORD_RESET_TIMEOUT`` seconds
    (``SET_PASSWORD_LINK_HOURS``) and dead once any password is set (single use)."""

    key_salt = "fazhi.accounts.set_password_link"


link_tokens = _LinkTokens()


@dataclass(frozen=True)
class SetPasswordLink:
    path: str  # /accounts/set-password/<uid>/<token>/ — the caller makes it absolute
    expires_at: datetime


def issue_set_password_link(user, *, by: Actor, now: datetime) -> SetPasswordLink:
    """A one-time link with which the owner sets their own password (already
    authorised by the caller, inside its transaction). The current password
    stops working at once (it may be known to someone else), and so do the
    owner's tokens; no password is ever shown to the administrator."""
    account = account_of(user, lock=True)
    _set_password(user, account, None, must_change=False, now=now)
    if by is not None:
        revoke_all_tokens(user, by=by, reason="管理员重置密码")
    token = link_tokens.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return SetPasswordLink(
        path=reverse("accounts:set_password", args=[uid, token]),
        expires_at=now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    )


def user_for_link(uidb64: str, token: str):
    """The active account a set-password link is for, or None (bad, used or expired link)."""
    from django.contrib.auth import get_user_model

    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        return None
    if not user.is_active or not link_tokens.check_token(user, token):
        return None
    return user


@transaction.atomic
def set_password_with_link(uidb64: str, token: str, *, new_password: str, now: datetime):
    """The owner sets their password through the link. Returns the user."""
    user = user_for_link(uidb64, token)
    if user is None:
        raise ValidationError("链接无效、已使用或已过期，请联系管理员重新生成")
    account = account_of(user, lock=True)
    _check_password(new_password, user)
    _set_password(user, account, new_password, must_change=False, now=now)
    _audit(user, "password.set_by_link", by=user, now=now)
    return user


# ---------------------------------------------------------------- sessions

@transaction.atomic
def sign_out_everywhere(user, *, password: str, now: datetime) -> None:
    """End every session and every API token of ``user`` (their own act,
    confirmed with their password). The password is stored again with a new
    salt: its hash changes, and Django's session check ends every session made
    with the old one. The caller keeps or ends the current session."""
    account_of(user, lock=True)  # one sign-out at a time per account
    if not password or not user.check_password(password):
        raise ValidationError("密码不正确", fields={"password": ["密码不正确"]})
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(user, "sessions.ended", by=user, now=now)
    revoke_all_tokens(user, by=user, reason="退出全部会话")


def end_access(user, *, by: Actor, reason: str) -> None:
    """Deactivation: the account's tokens end (inside the caller's transaction;
    sessions of an inactive account are refused by Django)."""
    revoke_all_tokens(user, by=by, reason=reason)


# ---------------------------------------------------------------- lock-outs

@transaction.atomic
def reset_lockout(*, by: Actor, username: str = "", ip: str = "", now: datetime | None = None) -> int:
    """解除登录锁定 (django-axes) for a user name, an address, or both.
    系统管理员 only; audited. Returns how many lock-out records were removed."""
    from axes.utils import reset

    from fazhi.org.access import is_admin

    if not is_admin(by):
        raise PermissionDenied("只有系统管理员可以解除登录锁定")
    username, ip = (username or "").strip(), (ip or "").strip()
    if not username and not ip:
        raise ValidationError("请指定要解除锁定的用户名或IP地址")
    kwargs = {k: v for k, v in (("username", username), ("ip", ip)) if v}
    count = reset(**kwargs)
    record(None, "accounts.lockout.reset", by=by, object_type="axes.accessattempt",
           object_id=username or ip, object_repr=f"登录锁定 {username or ''} {ip or ''}".strip(),
           data={"username": username, "ip": ip, "removed": count}, now=now)
    return count
