import logging

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from fazhi.org import access
from fazhi.org.models import RoleAssignment
from fazhi.shell import dashboard
from fazhi.shell.forms import LoginForm

log = logging.getLogger(__name__)


@require_GET
def home(request):
    """我的工作台: to-dos, deadlines, quick links and the user's roles."""
    user = request.user
    today = timezone.localdate()
    board = dashboard.collect(user, today)
    me = access.person_of(user)
    roles = (
        list(RoleAssignment.objects.filter(person=me).select_related("unit").order_by("unit__path", "role"))
        if me else []
    )
    return render(request, "shell/home.html", {
        "board": board,
        "today": today,
        "roles": roles,
    })


@login_not_required
@require_GET
def healthz(request):
    """For the load balancer: 200 when this app server can reach its database."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        return JsonResponse({"status": "ok", "database": "ok"})
    except Exception as exc:  # the point of /healthz is to say so, not to crash
        log.exception("healthz: database check failed")
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "shell/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    body = {"error": {"code": code, "message": message, "rule": None, "fields": {}}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def error_403(request, exception=None):
    # Domain PermissionDenied messages are written for users; Django's own
    # bare PermissionDenied has none, so the generic sentence is shown.
    message = str(exception or "").strip() or "您没有执行此操作的权限"
    if _wants_json(request):
        return _api_error("forbidden", message, 403)
    return render(request, "shell/403.html", {"message": message}, status=403)


def error_404(request, exception=None):
    if _wants_json(request):
        return _api_error("not_found", "记录不存在或无权查看", 404)
    return render(request, "shell/404.html", {}, status=404)


@login_not_required
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open past the session's end."""
    if _wants_json(request):
        return _api_error("csrf_failed", "安全校验失败（CSRF），请刷新页面后重试", 403)
    return render(request, "shell/csrf_failure.html", {}, status=403)
