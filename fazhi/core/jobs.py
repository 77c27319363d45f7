"""Background jobs, periodic and one-off: a tiny, explicit registry.

Modules register their periodic work (reminders, automatic expiry,
publication deadlines) in their ``AppConfig.ready()``::

    from fazhi.core import jobs
    jobs.register("normative_docs.expire", services.expire_due_documents, every_seconds=3600)

``func(now)`` receives the time it runs for (no hidden clock) and must be
idempotent: a job may run again after a restart, and "due" is remembered per
process only. Each run happens in its own transaction, so a failing job rolls
back alone, is logged, and is tried again when it is next due.

Who runs them:
- embedded mode: ``manage.py runserver_with_jobs`` (``make run``) runs the
  loop in a daemon thread next to the web server;
- production: one ``manage.py run_worker`` process.
On PostgreSQL a session advisory lock makes sure that two workers (a second
worker started by mistake, or a rolling deploy) never run jobs at the same
time; on SQLite there is only ever one process, so it just runs.

One-off jobs (work a request starts but should not wait for, such as an
object-pool import) are registered the same way and deferred by name::

    jobs.register_once("inspections.import", services.run_import)
    jobs.defer("inspections.import", imp.pk)   # inside the request's transaction

``defer`` starts ``func(*args)`` once the current transaction commits (never
for a rolled-back one), at once, in this process, in a daemon thread named
after the job; a failure is logged. Unlike a periodic job it runs outside any
transaction: it commits as it goes, so other requests can follow it (the
import's status row and heartbeat). A process may die with it, so one-off
work must be recorded first (a pending row) and picked up again by a periodic
job: the one-off run is the fast path, the periodic job the guarantee.
Background work goes through here, not through ``threading.Thread`` in a
module.
"""

import logging
import threading
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

log = logging.getLogger("fazhi.jobs")

# Same number in every process: the key of the PostgreSQL advisory lock.
ADVISORY_LOCK_KEY = zlib.crc32(b"fazhi.core.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[datetime], object]
    every: timedelta


@dataclass(frozen=True)
class OneOff:
    name: str
    func: Callable[..., object]


class Registry:
    """Jobs and when each last ran (in this process). Tests make their own."""

    def __init__(self):
        self._jobs: dict[str, Job] = {}
        self._once: dict[str, OneOff] = {}
        self._last: dict[str, datetime] = {}
        self._mutex = threading.Lock()

    def register(self, name: str, func: Callable[[datetime], object], every_seconds: int) -> Job:
        if not name:
            raise ValueError("a job needs a name")
        if every_seconds <= 0:
            raise ValueError(f"job {name!r}: every_seconds must be positive")
        existing = self._jobs.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"job {name!r} registered twice with different functions")
        job = Job(name, func, timedelta(seconds=every_seconds))
        self._jobs[name] = job
        return job

    def register_once(self, name: str, func: Callable[..., object]) -> OneOff:
        if not name:
            raise ValueError("a job needs a name")
        existing = self._once.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"job {name!r} registered twice with different functions")
        job = OneOff(name, func)
        self._once[name] = job
        return job

    def one_offs(self) -> tuple[OneOff, ...]:
        return tuple(sorted(self._once.values(), key=lambda j: j.name))

    def defer(self, name: str, *args) -> None:
        """Start the one-off job ``name`` with ``args`` once the current
        transaction commits (at once outside a transaction)."""
        if name not in self._once:  # fail in the request, not later in a thread
            raise KeyError(f"no one-off job {name!r} is registered")
        transaction.on_commit(lambda: self.start(name, *args))

    def start(self, name: str, *args) -> threading.Thread:
        """Run the one-off job now, in the background of this process."""
        job = self._once[name]
        thread = threading.Thread(target=self._run_once, args=(job, args), name=f"fazhi-job-{name}", daemon=True)
        thread.start()
        return thread

    @staticmethod
    def _run_once(job: OneOff, args: tuple) -> None:
        try:
            job.func(*args)
        except Exception:  # the thread has no caller to tell; its work is picked up again later
            log.exception("jobs: %s%r failed", job.name, args)
        finally:
            connection.close()  # this thread's own connection

    def jobs(self) -> tuple[Job, ...]:
        return tuple(sorted(self._jobs.values(), key=lambda j: j.name))

    def is_due(self, job: Job, now: datetime) -> bool:
        last = self._last.get(job.name)
        return last is None or now - last >= job.every

    def run_due(self, now: datetime | None = None) -> dict[str, str]:
        """Run every job that is due at ``now``; return {name: "ok" | "failed"}.

        Returns {} without running anything when another process holds the
        job lock.
        """
        now = now or timezone.now()
        results: dict[str, str] = {}
        with self._mutex, _exclusive() as got_lock:
            if not got_lock:
                log.info("jobs: another process is running jobs; skipping this round")
                return results
            for job in self.jobs():
                if not self.is_due(job, now):
                    continue
                # Remember the attempt even if it fails: a broken job is retried
                # at its interval, not hammered on every tick.
                self._last[job.name] = now
                try:
                    with transaction.atomic():
                        job.func(now)
                except Exception:
                    log.exception("jobs: %s failed", job.name)
                    results[job.name] = "failed"
                else:
                    results[job.name] = "ok"
        return results

    def run_forever(self, *, interval_seconds: int, stop: threading.Event | None = None) -> None:
        """Wake every ``interval_seconds`` and run what is due, until ``stop`` is set."""
        stop = stop or threading.Event()
        log.info("jobs: loop started (%d jobs, every %ss)", len(self._jobs), interval_seconds)
        while not stop.is_set():
            _refresh_connection()
            try:
                self.run_due(timezone.now())
            except Exception:  # e.g. the database is away; try again next tick
                log.exception("jobs: round failed")
            finally:
                _refresh_connection()
            stop.wait(interval_seconds)
        log.info("jobs: loop stopped")


def _refresh_connection() -> None:
    """A long-lived thread must not keep a broken or expired connection
    (CONN_MAX_AGE). Never inside a transaction: that one belongs to the caller
    (a test's wrapping transaction, for instance)."""
    if not connection.in_atomic_block:
        close_old_connections()


@contextmanager
def _exclusive():
    """Hold the cluster-wide job lock on PostgreSQL; elsewhere always granted."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        got = cur.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


# The process-wide registry used by the application.
registry = Registry()


def register(name: str, func: Callable[[datetime], object], every_seconds: int) -> Job:
    return registry.register(name, func, every_seconds)


def run_due(now: datetime | None = None) -> dict[str, str]:
    return registry.run_due(now)


def register_once(name: str, func: Callable[..., object]) -> OneOff:
    return registry.register_once(name, func)


def defer(name: str, *args) -> None:
    registry.defer(name, *args)


def run_forever(*, interval_seconds: int, stop: threading.Event | None = None) -> None:
    registry.run_forever(interval_seconds=interval_seconds, stop=stop)
