"""Bulk import of the object pool: the upload is stored and queued here, the
rows are written by ``fazhi.inspections.importer`` in a job (the one-off
``inspections.import`` deferred to the upload's commit, or the periodic
``inspections.imports``) or in a command.
"""

import hashlib
import os
import uuid
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from fazhi.core import jobs, uploads
from fazhi.core.actors import Actor
from fazhi.core.errors import ValidationError
from fazhi.inspections import jobs as inspection_jobs
from fazhi.inspections import rules
from fazhi.inspections.models import EntityImport, ImportFormat
from fazhi.inspections.services.common import _audit, _require
from fazhi.org.models import Unit


def _detect_format(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return ImportFormat.XLSX
    if b"\x00" in head[:4096]:
        raise ValidationError("文件格式无法识别，只接受 .xlsx 或 .csv 文件", fields={"file": "格式错误"})
    return ImportFormat.CSV


@transaction.atomic
def start_import(upload, *, by: Actor, unit: Unit) -> EntityImport:
    """Store an uploaded .csv/.xlsx (type judged by content) and queue it.

    The file is streamed to MEDIA_ROOT/inspections/imports/ (never held in
    memory whole); an .xlsx whose zip directory betrays a decompression bomb
    is refused at once (``core.uploads.check_archive``); the job ``inspections.imports`` (or ``run_import``) does the work.
    """
    _require(by, "manage_pools", unit)
    max_bytes = int(rules.get("import_max_mb")) * 1024 * 1024
    declared = getattr(upload, "size", None)
    if declared is not None and declared > max_bytes:
        raise ValidationError(f"文件过大（上限{rules.get('import_max_mb')}MB）", fields={"file": "文件过大"})
    rel = os.path.join("inspections", "imports", f"{uuid.uuid4().hex}")
    path = os.path.join(settings.MEDIA_ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b"")
    h, size, head = hashlib.sha256(), 0, b""
    try:
        with open(path, "wb") as out:
            for chunk in chunks:
                if len(head) < 4096:
                    head += chunk[:4096]
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationError(f"文件过大（上限{rules.get('import_max_mb')}MB）",
                                          fields={"file": "文件过大"})
                h.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError("文件为空", fields={"file": "文件为空"})
        fmt = _detect_format(head)
        if fmt == ImportFormat.XLSX:
            # The one upload check, its fast part (the central directory: member
            # count, declared inflated size with the larger SHEET limit for a pool
            # of 1,000,000 rows, ratio); the import job runs the whole check
            # (every member inflated, no DTD) before openpyxl opens the file.
            uploads.check_archive(path, kind=uploads.SHEET, what="导入文件", directory_only=True)
    except BaseException:
        if os.path.exists(path):
            os.remove(path)
        raise
    final_rel = f"{rel}.{fmt}"
    os.replace(path, os.path.join(settings.MEDIA_ROOT, final_rel))
    name = os.path.basename(getattr(upload, "name", "") or "")[:255]
    imp = EntityImport.objects.create(unit=unit, file=final_rel, original_name=name, format=fmt,
                                      sha256=h.hexdigest(), size=size, created_by=by)
    _audit(imp, "import", "created", by=by, data={"file": name, "format": fmt, "size": size})
    from fazhi.inspections.importer import progress_key

    cache.delete(progress_key(imp.pk))  # a stale entry of a rolled-back import with the same id
    if rules.get("start_imports_at_once"):
        # After the commit, in the background; safe beside the periodic job:
        # ``run_import`` claims the row with a lock, so only one runner does it.
        jobs.defer(inspection_jobs.IMPORT, imp.pk)
    return imp


def run_import(import_id: int, *, progress_every: int = 10_000, stdout=None) -> EntityImport:
    """Validate then (only if clean) write one import, all or nothing. Not
    atomic as a whole: the status row is committed as it changes so other
    requests see it; the rows are written in one transaction (importer)."""
    from fazhi.inspections import importer

    return importer.run(import_id, progress_every=progress_every, stdout=stdout)


def run_pending_imports(now: datetime) -> int:
    """The job: run every pending import, oldest first. Returns how many ran."""
    from fazhi.inspections import importer

    return importer.run_pending(now)
