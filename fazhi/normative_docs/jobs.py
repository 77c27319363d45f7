"""Periodic work of this module: only the automatic expiry (NDOC-17)."""

from fazhi.core import jobs

EXPIRE_JOB = "normative_docs.expire"


def expire_due(now):
    # Imported here: jobs.register runs in AppConfig.ready().
    from fazhi.normative_docs.services import expire_due as _expire_due

    return _expire_due(now)


def register() -> None:
    jobs.register(EXPIRE_JOB, expire_due, every_seconds=3600)
