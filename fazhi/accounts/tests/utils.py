"""Test helpers for API tokens (other apps' API tests use them too)."""

from django.utils import timezone

from fazhi.accounts import services


def issue_token(user, *, now=None, name: str = "测试") -> str:
    """A live token of ``user``; returns its secret (for ``Authorization: Token …``)."""
    _token, secret = services.issue_token(user, by=user, now=now or timezone.now(), name=name)
    return secret
