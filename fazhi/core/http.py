"""Turning domain errors into HTTP answers in page views."""

from functools import wraps

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404

from fazhi.core.errors import NotFound, PermissionDenied


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
