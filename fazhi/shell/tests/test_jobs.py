from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from fazhi.core import jobs
from fazhi.org.models import Unit

T0 = datetime(2024, 10, 8, 9, 0, tzinfo=UTC)


@pytest.fixture
def registry():
    return jobs.Registry()


@pytest.mark.django_db
def test_a_registered_job_runs_when_first_due(registry):
    calls = []
    registry.register("t.remind", calls.append, every_seconds=60)
    assert registry.run_due(T0) == {"t.remind": "ok"}
    assert calls == [T0]


@pytest.mark.django_db
def test_a_job_runs_again_only_after_its_interval(registry):
    calls = []
    registry.register("t.remind", calls.append, every_seconds=3600)
    registry.run_due(T0)
    assert registry.run_due(T0 + timedelta(minutes=59)) == {}
    assert registry.run_due(T0 + timedelta(hours=1)) == {"t.remind": "ok"}
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_does_not_stop_the_others(registry, caplog):
    ran = []

    def broken(now):
        raise RuntimeError("job exploded")

    registry.register("a.broken", broken, every_seconds=60)
    registry.register("b.fine", ran.append, every_seconds=60)
    assert registry.run_due(T0) == {"a.broken": "failed", "b.fine": "ok"}
    assert ran == [T0]
    assert "job exploded" in caplog.text


@pytest.mark.django_db
def test_each_job_runs_in_its_own_transaction(registry):
    from fazhi.org.tests.factories import UnitFactory

    unit = UnitFactory(name="原名称")

    def rename_then_fail(now):
        Unit.objects.filter(pk=unit.pk).update(name="改了一半")
        raise RuntimeError("half done")

    registry.register("t.half", rename_then_fail, every_seconds=60)
    registry.run_due(T0)
    unit.refresh_from_db()
    assert unit.name == "原名称"


def test_registering_a_name_twice_with_another_function_is_refused(registry):
    registry.register("t.x", print, every_seconds=60)
    registry.register("t.x", print, every_seconds=60)  # same function: harmless
    with pytest.raises(ValueError):
        registry.register("t.x", repr, every_seconds=60)


def test_interval_must_be_positive(registry):
    with pytest.raises(ValueError):
        registry.register("t.x", print, every_seconds=0)


@pytest.mark.django_db
def test_jobs_are_listed_by_name(registry):
    registry.register("b", print, every_seconds=60)
    registry.register("a", print, every_seconds=60)
    assert [j.name for j in registry.jobs()] == ["a", "b"]


@pytest.mark.django_db
def test_run_forever_stops_when_asked(registry):
    import threading

    stop = threading.Event()
    calls = []

    def once(now):
        calls.append(now)
        stop.set()

    registry.register("t.once", once, every_seconds=60)
    registry.run_forever(interval_seconds=1, stop=stop)
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_second_worker_skips_while_the_lock_is_held(registry):
    import psycopg
    from django.db import connection

    calls = []
    registry.register("t.locked", calls.append, every_seconds=60)
    s = connection.settings_dict
    params = {k: v for k, v in {"host": s["HOST"], "port": s["PORT"], "user": s["USER"],
                                "password": s["PASSWORD"]}.items() if v}
    with psycopg.connect(dbname=s["NAME"], autocommit=True, **params) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [jobs.ADVISORY_LOCK_KEY])
        assert registry.run_due(T0) == {}
        other.execute("SELECT pg_advisory_unlock(%s)", [jobs.ADVISORY_LOCK_KEY])
    assert registry.run_due(T0) == {"t.locked": "ok"}
    assert calls == [T0]


@pytest.mark.django_db
def test_run_worker_once_runs_due_jobs(monkeypatch, capsys):
    reg = jobs.Registry()
    calls = []
    reg.register("t.cmd", calls.append, every_seconds=60)
    monkeypatch.setattr(jobs, "registry", reg)
    call_command("run_worker", "--once")
    assert len(calls) == 1
    assert "t.cmd" in capsys.readouterr().out


def test_runserver_with_jobs_starts_the_loop_once_without_reloader(monkeypatch):
    from django.contrib.staticfiles.management.commands.runserver import Command as Runserver

    from fazhi.shell.management.commands import runserver_with_jobs

    served = {}
    started = []
    monkeypatch.setattr(Runserver, "handle", lambda self, *a, **kw: served.update(kw))
    monkeypatch.setattr(runserver_with_jobs.threading.Thread, "start", lambda self: started.append(self))
    call_command("runserver_with_jobs", "127.0.0.1:8099")
    assert served["use_reloader"] is False
    assert len(started) == 1 and started[0].daemon
