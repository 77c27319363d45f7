"""Holds an account whose password was set by an administrator
(``Account.must_change_password``) to the change-password page and sign-out
until the owner changes it (等保2.0 8.1.4.1: 初始口令须修改).

The flag is read once, at sign-in, into the session (sessions are stored on
the server): a request costs no query. An administrator setting the password
changes the password hash, which ends every session of the account (Django's
session hash check), so a session never carries a stale "no".

API requests with a token are held by the token itself: setting a password
revokes every token, and none is issued until the password is changed
(``api.views.TokenView``).
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from fazhi.accounts.models import Account

MUST_CHANGE_KEY = "_fazhi_must_change_password"


def stamp_session(sender, request, user, **kwargs):
    """``user_logged_in``: remember in the new session whether the password must be changed."""
    if request is None or not hasattr(request, "session"):
        return
    if Account.objects.filter(user_id=user.pk, must_change_password=True).exists():
        request.session[MUST_CHANGE_KEY] = True
    else:
        request.session.pop(MUST_CHANGE_KEY, None)


def password_changed(request) -> None:
    """The owner changed the password in this session: let it go on."""
    request.session.pop(MUST_CHANGE_KEY, None)


class AccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(MUST_CHANGE_KEY) and request.user.is_authenticated \
                and request.path not in self._allowed():
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _allowed() -> set[str]:
        return {reverse("accounts:password_change"), reverse("shell:logout"), reverse("shell:healthz")}

    @staticmethod
    def _refuse(request):
        message = "管理员为您设置的密码须先修改，修改后才能继续使用"
        if request.path.startswith("/api/"):
            body = {"error": {"code": "password_change_required", "message": message, "rule": None, "fields": {}}}
            return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
        if request.method == "GET":
            messages.warning(request, message)
        return redirect("accounts:password_change")
