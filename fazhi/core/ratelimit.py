"""Per-address limits on anonymous posts (public comments, proposals, the
set-password link, token sign-in), kept in Django's cache.

A fixed one-hour window per (scope, address): the first post starts it, and
once ``ANON_POSTS_PER_HOUR`` posts have been counted the next ones get 429 with
a Chinese message until the window ends. With several app servers the cache
must be shared (``REDIS_URL``), as for the import progress.

    @rate_limited("portal.comment")
    def consultation(request, pk): ...

The address is the one django-axes uses for sign-in lock-outs, so both see the
same client behind the same proxy settings.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

WINDOW_SECONDS = 3600


def client_ip(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(request, scope: str, *, limit: int | None = None) -> int | None:
    """Count one post of ``request`` under ``scope``. Returns None when it is
    allowed, otherwise the seconds until the window ends."""
    limit = settings.FAZHI_ANON_POSTS_PER_HOUR if limit is None else limit
    now = int(time.time())
    key = f"ratelimit:{scope}:{client_ip(request)}"
    start_key = f"{key}:start"
    if cache.add(key, 0, timeout=WINDOW_SECONDS):
        cache.set(start_key, now, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        cache.set(start_key, now, timeout=WINDOW_SECONDS)
        count = 1
    if count <= limit:
        return None
    started = cache.get(start_key) or now
    return max(1, started + WINDOW_SECONDS - now)


def too_many_message(retry_after: int) -> str:
    minutes = max(1, (retry_after + 59) // 60)
    return f"提交过于频繁，请 {minutes} 分钟后再试"


def rate_limited(scope: str):
    """Limit the POSTs of a page view per address; GETs are not counted."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                retry_after = hit(request, scope)
                if retry_after is not None:
                    response = render(request, "shell/too_many.html",
                                      {"message": too_many_message(retry_after)}, status=429)
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
