"""DRF authentication with fazhi's own API tokens (``accounts.ApiToken``).

``Authorization: Token <secret>`` (the header DRF's ``authtoken`` used, so
clients keep working) or ``Authorization: Bearer <secret>``. A token that is
unknown, expired, revoked or of an inactive account fails with 401 in the
project's error shape (``fazhi/core/rest/errors.py``).
"""

from django.utils import timezone
from rest_framework import authentication, exceptions

from fazhi.accounts import services

KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("令牌格式错误")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌格式错误")
        token = services.authenticate_token(secret, now=timezone.now())
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已注销")
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'
