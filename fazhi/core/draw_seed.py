"""The server's secret seed of a ``fazhi-draw/2`` draw: derived, never stored.

``seed = HMAC-SHA256(SECRET_KEY, "<purpose>:<id>:<salt>")`` (Django's
``salted_hmac`` with its own key salt), where ``purpose`` names the kind of
draw (``inspections.draw``, ``major_decisions.expert_draw``), ``id`` the
draw's row and ``salt`` 128 random bits stored on the row. Only
``sha256(seed)`` is stored and published before the reveal.

Why derived rather than stored encrypted: the database then holds nothing
that yields the seed — not the admin site, a database dump, a backup, the
audit log or a staff member with SQL access (they see the salt, the id and
the commitment; without ``SECRET_KEY``, which lives in the environment, the
seed cannot be computed). No ciphertext, no second key to manage, no extra
library. ``SECRET_KEY`` may be rotated: a key moved to
``SECRET_KEY_FALLBACKS`` still reveals the draws frozen under it (the right
key is the one whose seed matches the commitment); a key thrown away makes
the draws still frozen under it impossible to reveal, which is refused with
a message (never a different seed). Whoever holds ``SECRET_KEY`` (the
server's operator) could compute a seed early — the witnesses' secrets,
committed before the freeze and unknown to the server, are what keeps them
from knowing or choosing the outcome.
"""

import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

from fazhi.core import draw as algo

KEY_SALT = "fazhi.draw.server-seed"


def new_salt() -> str:
    return secrets.token_hex(16)


def _derive(purpose: str, ident, salt: str, key: str) -> str:
    return salted_hmac(KEY_SALT, f"{purpose}:{ident}:{salt}", secret=key, algorithm="sha256").hexdigest()


def server_seed(purpose: str, ident, salt: str) -> str:
    """The seed under the current ``SECRET_KEY`` (at the freeze: only its hash is kept)."""
    return _derive(purpose, ident, salt, settings.SECRET_KEY)


def server_commitment(purpose: str, ident, salt: str) -> str:
    return algo.commitment(server_seed(purpose, ident, salt))


def recover(purpose: str, ident, salt: str, commitment: str) -> str | None:
    """The seed whose SHA-256 is ``commitment``, under ``SECRET_KEY`` or one of
    ``SECRET_KEY_FALLBACKS``; None when no key gives it (the key was discarded)."""
    for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        seed = _derive(purpose, ident, salt, key)
        if algo.commitment(seed) == commitment:
            return seed
    return None
