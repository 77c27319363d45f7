"""One-off jobs (``jobs.register_once`` / ``jobs.defer``): work a request starts
but does not wait for. The periodic side is tested in shell/tests/test_jobs.py."""

import logging
import threading

import pytest
from django.db import transaction

from fazhi.core import jobs


@pytest.fixture
def registry():
    return jobs.Registry()


def test_a_deferred_job_starts_only_after_the_commit_in_a_named_thread(registry, db,
                                                                      django_capture_on_commit_callbacks):
    ran, done = [], threading.Event()

    def work(a, b):
        ran.append((a, b, threading.current_thread().name))
        done.set()

    registry.register_once("t.work", work)
    with django_capture_on_commit_callbacks(execute=True):
        registry.defer("t.work", 1, "x")
        assert ran == []  # not before the commit
    assert done.wait(5)
    assert ran == [(1, "x", "fazhi-job-t.work")]


def test_a_job_deferred_in_a_rolled_back_transaction_never_starts(registry, db, django_capture_on_commit_callbacks):
    registry.register_once("t.work", lambda: None)
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                registry.defer("t.work")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []


def test_a_failing_one_off_job_is_logged(registry, caplog):
    def broken(n):
        raise RuntimeError("one-off exploded")

    registry.register_once("t.broken", broken)
    with caplog.at_level(logging.ERROR, logger="fazhi.jobs"):
        registry.start("t.broken", 7).join(5)
    assert "t.broken(7,) failed" in caplog.text and "one-off exploded" in caplog.text


def test_deferring_an_unknown_job_fails_in_the_caller(registry, db):
    with pytest.raises(KeyError):
        registry.defer("t.nobody")


def test_a_name_cannot_be_registered_twice_with_different_functions(registry):
    registry.register_once("t.work", print)
    registry.register_once("t.work", print)  # the same again (apps.ready may run twice): fine
    with pytest.raises(ValueError):
        registry.register_once("t.work", repr)

