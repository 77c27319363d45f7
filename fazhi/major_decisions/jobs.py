"""Periodic work of this module: close consultations whose period has ended (MDEC-04)."""

from fazhi.core import jobs

CLOSE_JOB = "major_decisions.close_consultations"


def close_consultations(now):
    # Imported here: jobs.register runs in AppConfig.ready().
    from django.utils import timezone

    from fazhi.major_decisions.services import close_due_consultations

    return close_due_consultations(timezone.localdate(now))


def register() -> None:
    jobs.register(CLOSE_JOB, close_consultations, every_seconds=3600)
