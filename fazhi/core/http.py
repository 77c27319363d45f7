"""Turning domain errors into HTTP answers in page views."""

from functools import wraps
from urllib.parse import quote

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponse

from fazhi.core.errors import DomainError, NotFound, PermissionDenied


def domain_errors(view):
    """NotFound or a missing row -> 404 (existence is private),
    PermissionDenied -> 403 with the service's message. Other domain errors
    are the view's to show."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (NotFound, ObjectDoesNotExist):
            raise Http404()
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message)

    return wrapper


def safe_next(request, fallback: str) -> str:
    """The ``next`` the request names (POST, then GET) when it points into this
    site, else ``fallback``: a crafted link cannot send a signed-in user to
    another host after an action (open redirect)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def place_error(form, exc: DomainError) -> None:
    """A service's refusal onto the form: field errors where they belong, the
    message with its rule on top."""
    for name, msg in (exc.fields or {}).items():
        if name in form.fields:
            form.add_error(name, msg)
    form.add_error(None, str(exc))


class refused_onto:  # noqa: N801 (a context manager, read as a phrase)
    """Run a service for a bound form; a refusal lands on the form instead of
    escaping, and ``ok`` says whether the service went through::

        with refused_onto(form) as outcome:
            services.add_task(...)
        if outcome.ok:
            return redirect(...)
        return render(..., status=400)

    PermissionDenied is not a refusal to show on the form: it passes on to
    ``domain_errors`` (403).
    """

    def __init__(self, form, place=place_error):
        self.form, self.place, self.ok = form, place, False
        self.error: DomainError | None = None  # the refusal, for a page that shows it elsewhere too

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.ok = True
            return False
        if issubclass(exc_type, DomainError) and not issubclass(exc_type, PermissionDenied):
            self.error = exc
            self.place(self.form, exc)
            return True
        return False


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download; the file name may be Chinese (RFC 6266 ``filename*``)."""
    resp = HttpResponse(content, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp
