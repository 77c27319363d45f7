"""Safety net for domain errors that escape a page view.

Views should catch ``DomainError`` from services and show a message. One that
escapes would otherwise be a 500; this turns it into the Chinese 403/404 page,
or a 400/409 page that states the refusal and its rule. The API does not need
it (DRF's exception handler already maps them); it skips /api/.
"""

from django.shortcuts import render

from fazhi.core.errors import DomainError, NotFound, PermissionDenied


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        from fazhi.shell.views import error_403, error_404

        if isinstance(exception, PermissionDenied):
            return error_403(request, exception)
        if isinstance(exception, NotFound):
            return error_404(request, exception)
        return render(request, "shell/refused.html", {"error": exception}, status=exception.status)
