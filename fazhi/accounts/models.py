"""Sign-in accounts: API tokens (stored hashed, expiring) and the security
state of an account (must change password, sessions ended).

Django's ``auth.User`` stays the account; ``Account`` holds what fazhi adds
to it, one row per user made on first need (``Account.of(user)``).
"""

from django.conf import settings
from django.db import models


class Account(models.Model):
    """What fazhi knows about a sign-in account beyond ``auth.User``.

    ``must_change_password``: the password was set by an administrator; until
    the owner changes it, only the change-password page and sign-out work
    (``accounts.middleware.AccountMiddleware``).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.CASCADE,
                                primary_key=True, related_name="fazhi_account")
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号安全状态"
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.user}"


class ApiToken(models.Model):
    """An API token. Only the SHA-256 of the secret is stored: a copy of the
    database (a backup, a replica) signs nobody in. The secret is shown once,
    when the token is made (``tokens.issue``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField("名称", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=12, help_text="令牌开头几位，用于辨认，不能用于登录")
    key_hash = models.CharField("令牌哈希（SHA-256）", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间")
    expires_at = models.DateTimeField("到期时间", db_index=True)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="accounts_token_expires_after_creation"),
        ]

    def __str__(self):
        return f"{self.name or 'API 令牌'}（{self.prefix}…）"
