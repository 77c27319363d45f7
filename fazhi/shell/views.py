from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET


def home(request):
    return render(request, "shell/home.html", {})


@login_not_required
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        return JsonResponse({"status": "ok", "database": "ok"})
    except Exception as exc:  # the point of /healthz is to say so, not to crash
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "shell/login.html"
    redirect_authenticated_user = True


def error_403(request, exception=None):
    return render(request, "shell/403.html", {"message": str(exception or "")}, status=403)


def error_404(request, exception=None):
    return render(request, "shell/404.html", {}, status=404)
