"""Helpers shared by tests across apps (no test cases here)."""

import threading

from django.db import connection


def run_in_threads(target, n: int, *, timeout: float = 120) -> None:
    """Run ``target(i)`` for i in range(n) in n threads released at once by a
    barrier, each with its own database connection; re-raise any failure in
    the calling thread. Used for real-concurrency tests on PostgreSQL."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            target(i)
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "threads hung"
    assert not errors, errors
