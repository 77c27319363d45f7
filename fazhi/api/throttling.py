"""API throttling: rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
from API_RATE_ANON / API_RATE_USER / API_RATE_TOKEN), read per request.

DRF's own classes copy the rates once, when the module is imported, so a
changed setting (a test, a reloaded configuration) would not count. A client
over its rate gets 429 in the one error shape with a Chinese message and
``Retry-After`` (fazhi/core/rest/errors.py). Counts live in the default cache: with
REDIS_URL shared by every app server, otherwise per process.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RateFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    """Anonymous requests, per client address."""


class UserThrottle(_RateFromSettings, UserRateThrottle):
    """Signed-in requests, per user (anonymous ones per address)."""


class TokenSignInThrottle(_RateFromSettings, AnonRateThrottle):
    """Token sign-in, per client address: stricter than any other endpoint
    (django-axes locks an account after repeated failures; this bounds the
    guessing across accounts)."""

    scope = "token"
