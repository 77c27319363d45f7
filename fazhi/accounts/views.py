"""我的账号 (password, API tokens, sign out everywhere), the one-time
set-password link, and the lock-out screen of the system administrator.

Every change goes through ``fazhi.accounts.services``. Secrets (a new token,
the link) are shown in the response that made them only: no redirect, no
message storage, no session.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.accounts import services
from fazhi.accounts.forms import (
    ConfirmPasswordForm,
    LockoutResetForm,
    NewPasswordForm,
    PasswordChangeForm,
    TokenForm,
)
from fazhi.accounts.middleware import password_changed
from fazhi.accounts.models import ApiToken
from fazhi.core.errors import DomainError
from fazhi.core.http import domain_errors
from fazhi.core.ratelimit import rate_limited
from fazhi.org import access
from fazhi.org.access import require_page
from fazhi.org.forms import apply_domain_error


def _put_error(form, exc: DomainError) -> None:
    """A service's field names (new_password) onto the form's (new_password1)."""
    fields = {("new_password1" if k in ("new_password", "password") else k): v for k, v in (exc.fields or {}).items()}
    apply_domain_error(form, DomainError(exc.message, fields=fields))


def _account_page(request, *, new_token=None, secret: str = "", token_form=None, status: int = 200):
    user = request.user
    account = services.account_of(user)
    return render(request, "accounts/account.html", {
        "account": account,
        "person": access.person_of(user),
        "tokens": list(services.tokens_of(user)),
        "now": timezone.now(),
        "token_days": settings.API_TOKEN_DAYS,
        "token_form": token_form or TokenForm(),
        "new_token": new_token,
        "secret": secret,
    }, status=status)


@never_cache
@require_http_methods(["GET"])
def account(request):
    return _account_page(request)


@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.change_own_password(request.user, old_password=d["old_password"],
                                         new_password=d["new_password1"], now=timezone.now())
        except DomainError as exc:
            _put_error(form, exc)
        else:
            # This session stays; every other session (and every token) has ended.
            update_session_auth_hash(request, request.user)
            password_changed(request)
            messages.success(request, "密码已修改；其他设备上的登录和全部 API 令牌已失效")
            return redirect("accounts:account")
    must_change = services.account_of(request.user).must_change_password
    return render(request, "accounts/password_change.html", {"form": form, "must_change": must_change})


@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, token_form=form, status=400)
    token, secret = services.issue_token(request.user, by=request.user, now=timezone.now(),
                                         name=form.cleaned_data["name"])
    return _account_page(request, new_token=token, secret=secret)


@require_POST
@domain_errors
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another's token: 404
    services.revoke_token(token, by=request.user, now=timezone.now())
    messages.success(request, f"令牌“{token}”已注销")
    return redirect("accounts:account")


@require_POST
def sign_out_all(request):
    form = ConfirmPasswordForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请输入密码以确认")
        services.sign_out_everywhere(request.user, password=form.cleaned_data["password"], now=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:account")
    logout(request)
    messages.success(request, "已退出全部会话，全部 API 令牌已注销；请重新登录")
    return redirect("shell:login")


@login_not_required
@never_cache
@rate_limited("accounts.set_password")  # an anonymous post, like the portal's forms
@require_http_methods(["GET", "POST"])
def set_password(request, uidb64, token):
    """The one-time link an administrator handed over: the owner chooses their password."""
    user = services.user_for_link(uidb64, token)
    if user is None:
        return render(request, "accounts/set_password.html", {"invalid": True}, status=400)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password_with_link(uidb64, token, new_password=form.cleaned_data["new_password1"],
                                            now=timezone.now())
        except DomainError as exc:
            _put_error(form, exc)
        else:
            if request.user.is_authenticated:
                logout(request)
            messages.success(request, "密码已设置，请用新密码登录")
            return redirect("shell:login")
    return render(request, "accounts/set_password.html", {"form": form, "account_user": user})


def _locked_attempts():
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(Q(failures_since_start__gte=settings.AXES_FAILURE_LIMIT),
                                        attempt_time__gte=since).order_by("-attempt_time")


@never_cache
@require_http_methods(["GET", "POST"])
@domain_errors
def lockouts(request):
    """解除登录锁定 (the lock-out page sends people to the administrator)."""
    require_page(request.user, "accounts.manage_lockouts")
    form = LockoutResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        count = services.reset_lockout(by=request.user, username=d["username"], ip=d["ip_address"] or "",
                                       now=timezone.now())
        who = "、".join(x for x in (d["username"], d["ip_address"] or "") if x)
        if count:
            messages.success(request, f"已解除“{who}”的登录锁定")
        else:
            messages.info(request, f"“{who}”没有登录失败记录，无需解除")
        return redirect("accounts:lockouts")
    return render(request, "accounts/lockouts.html", {
        "attempts": list(_locked_attempts()[:200]), "form": form,
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    })
