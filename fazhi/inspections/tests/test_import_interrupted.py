"""An import whose process died does not stay "导入中" for ever (issue 11 §1):
the job fails it once its heartbeat is stale, and removes its temporary file."""

import os
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.inspections import importer, jobs, selectors, services
from fazhi.inspections.models import Entity, EntityImport, ImportStatus
from fazhi.inspections.tests.test_import import HEADER, row, upload


def dead_import(ins, *, minutes_ago: int) -> EntityImport:
    """An import claimed by a process that then died ``minutes_ago`` after its
    last heartbeat, leaving its half-written temporary file behind."""
    imp = services.start_import(upload(HEADER + row(1) + row(2)), by=ins.clerk_a, unit=ins.a)
    claimed = importer._claim(imp.pk)
    last = timezone.now() - timedelta(minutes=minutes_ago)
    EntityImport.objects.filter(pk=imp.pk).update(heartbeat_at=last, started_at=last)
    clean = importer._clean_path(claimed)
    with open(clean, "w", encoding="utf-8") as f:
        f.write("半个文件\t")
    old = time.time() - minutes_ago * 60
    os.utime(clean, (old, old))
    return EntityImport.objects.get(pk=imp.pk)


def test_the_job_fails_an_import_whose_heartbeat_stopped(ins):
    imp = dead_import(ins, minutes_ago=11)
    assert imp.status == ImportStatus.RUNNING
    jobs.run_imports(timezone.now())
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED and imp.finished_at is not None
    assert "导入中断" in imp.message and "未导入任何数据" in imp.message
    assert not os.path.exists(importer._clean_path(imp))
    assert Entity.objects.count() == 0
    entry = AuditEntry.objects.filter(action="inspections.import.interrupted").get()
    assert entry.object_id == str(imp.pk) and entry.data["stale_minutes"] == 10
    progress = selectors.import_progress(imp.pk)
    assert progress["status"] == "failed" and progress["percent"] == 100


def test_a_live_import_is_left_alone(ins):
    imp = dead_import(ins, minutes_ago=2)
    assert importer.fail_stale(timezone.now()) == 0
    imp.refresh_from_db()
    assert imp.status == ImportStatus.RUNNING
    assert os.path.exists(importer._clean_path(imp))


def test_the_stale_limit_is_a_setting(ins, settings):
    settings.FAZHI_INSPECTIONS = {"import_stale_minutes": 1}
    dead_import(ins, minutes_ago=2)
    assert importer.fail_stale(timezone.now()) == 1


def test_after_the_failure_the_file_can_be_imported_again(ins):
    dead_import(ins, minutes_ago=30)
    jobs.run_imports(timezone.now())
    again = services.start_import(upload(HEADER + row(1) + row(2)), by=ins.clerk_a, unit=ins.a)
    assert services.run_import(again.pk).status == ImportStatus.SUCCEEDED
    assert Entity.objects.count() == 2


def test_an_orphaned_temporary_file_is_removed(ins):
    imp = services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
    services.run_import(imp.pk)
    orphan = os.path.join(settings.MEDIA_ROOT, "inspections", "imports", "deadbeef" + importer.CLEAN_SUFFIX)
    with open(orphan, "w") as f:
        f.write("x")
    old = time.time() - 3600
    os.utime(orphan, (old, old))
    importer.fail_stale(timezone.now())
    assert not os.path.exists(orphan)


def test_a_claim_stamps_the_first_heartbeat(ins):
    imp = services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
    claimed = importer._claim(imp.pk)
    assert claimed.heartbeat_at is not None and claimed.heartbeat_at == claimed.started_at


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_keeps_a_running_import_alive(ins, monkeypatch):
    monkeypatch.setattr(importer, "HEARTBEAT_SECONDS", 0.05)
    imp = dead_import(ins, minutes_ago=30)
    with importer._Heartbeat(imp.pk) as beat:
        assert beat.thread is not None  # outside a transaction: the row is visible to others
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            imp.refresh_from_db()
            if imp.heartbeat_at > timezone.now() - timedelta(minutes=1):
                break
            time.sleep(0.05)
    assert imp.heartbeat_at > timezone.now() - timedelta(minutes=1)
    assert importer.fail_stale(timezone.now()) == 0
