"""What every module's API is built from: the one error shape (``errors``),
path converters and query parameters (``params``), pagination, the schema's
common answers (``schema``) and ``endpoint`` for the URL list.

It lives in the kernel so that a module's ``api.py`` imports only the kernel
and its own code; ``fazhi.api`` is the face that mounts every module's API
(and so imports them all), never the other way round.
"""

from django.contrib.auth.decorators import login_not_required


def endpoint(view):
    """A URL's view for an API class (or an ``as_view()`` function): the API
    authenticates itself (session or token), so the sign-in redirect of
    LoginRequiredMiddleware does not apply."""
    return login_not_required(view.as_view() if isinstance(view, type) else view)  # type: ignore[attr-defined]  # an APIView class
