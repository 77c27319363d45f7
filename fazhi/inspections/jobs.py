"""Scheduled jobs of the inspections module (registered in apps.ready).

``inspections.imports`` runs pending object-pool imports (started by
``services.start_import`` from the page or the API). It is idempotent: an
import is claimed under a row lock and only pending ones run.
"""

from fazhi.core import jobs

IMPORT_INTERVAL_SECONDS = 15


def run_imports(now) -> int:
    from fazhi.inspections import services

    return services.run_pending_imports(now)


def register() -> None:
    jobs.register("inspections.imports", run_imports, every_seconds=IMPORT_INTERVAL_SECONDS)
