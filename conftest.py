import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL features (row locks, trigram
    search, real concurrency); on SQLite they are skipped with a reason."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="需要 PostgreSQL（设置 DATABASE_URL=postgres://…）")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 costs ~0.2 s a hash; tests that are not about hashing use MD5.
    Production hashing (Argon2) is asserted in fazhi/shell/tests."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttles (fazhi/api/throttling.py) and the per-address limits on
    anonymous posts (fazhi.core.ratelimit) count in the cache: every test
    starts with none counted."""
    from fazhi.core.testing import fresh_cache

    fresh_cache()
