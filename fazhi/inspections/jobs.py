"""Background jobs of the inspections module (registered in apps.ready).

``inspections.import`` (one-off) runs one object-pool import as soon as its
upload is committed (``services.start_import`` defers it), so the clerk sees
progress at once. ``inspections.imports`` (periodic) runs whatever is still
pending — an upload with ``start_imports_at_once`` off, or one whose process
died before it started. Both are idempotent: an import is claimed under a row
lock and only pending ones run, so the two never run the same import.
"""

from fazhi.core import jobs

IMPORT = "inspections.import"
IMPORT_INTERVAL_SECONDS = 15


def run_import(import_id: int) -> None:
    from fazhi.inspections import services

    services.run_import(import_id)


def run_imports(now) -> int:
    from fazhi.inspections import services

    return services.run_pending_imports(now)


def register() -> None:
    jobs.register("inspections.imports", run_imports, every_seconds=IMPORT_INTERVAL_SECONDS)
    jobs.register_once(IMPORT, run_import)
