"""Periodic work of this module: take down publications whose display period ended (ENF-20/21)."""

from fazhi.core import jobs

TAKE_DOWN_JOB = "enforcement.take_down_expired"


def take_down_expired(now):
    # Imported here: jobs.register runs in AppConfig.ready().
    from fazhi.enforcement.services import take_down_expired as _take_down

    return _take_down(now)


def register() -> None:
    jobs.register(TAKE_DOWN_JOB, take_down_expired, every_seconds=3600)
