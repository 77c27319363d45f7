"""Import of the object pool (检查对象名录库) from .csv or .xlsx, all or nothing.

Pass 1 streams the file (never loaded whole), checks every row — required
fields, lengths, the GB 32100 check digit, the risk level, the date,
duplicates inside the file and against the pool — and writes the clean rows,
already in PostgreSQL COPY text format, to a temporary file next to the
upload. Only if no row has an error, pass 2 writes them in one transaction:
PostgreSQL ``COPY … FROM STDIN`` (psycopg 3), elsewhere ``bulk_create`` in
batches. A concurrent insert of the same code between the passes makes the
unique constraint fail the whole transaction: nothing is written.

Progress (rows processed, total, phase) is kept in Django's cache under
``progress_key(id)``, so another request sees it while the import runs
(outside its transaction; with several processes the cache must be shared,
e.g. ``REDIS_URL``). Final counts and the first ``max_stored_errors`` rows of
the error report ({row, column, value, message}) are saved on the
``EntityImport`` row; ``error_count`` is exact.

Characters XML cannot carry (C0 controls, U+FFFE/U+FFFF) are removed from the
cells, so no stored entity can break a later .xlsx/.docx export.

While an import runs, a heartbeat thread stamps ``EntityImport.heartbeat_at``
every ``HEARTBEAT_SECONDS`` through its own connection (also during pass 2,
whose transaction only holds a key-share lock on the row). If the process dies
(a web worker killed, a restart), the heartbeat stops: the job
(``run_pending``) marks every import "导入中" whose heartbeat is older than
``import_stale_minutes`` as failed — nothing was written, pass 2 being one
transaction that died with its connection — and removes its temporary file
(``fail_stale``). An import run inside the job's own transaction needs no
heartbeat: a death rolls its claim back and the job runs it again.

Recognised headers (first row, any order; Chinese or the field name):
名称 统一社会信用代码 主体类型 行业 区域 住所 法定代表人 联系人 联系电话 风险等级
信用等级 最近检查日期. 名称 and 统一社会信用代码 are required.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import logging
import os
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from operator import gt, mul

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.audit import services as audit
from fazhi.core.office import cell_str
from fazhi.core.text import NOT_XML, clean
from fazhi.inspections import rules
from fazhi.inspections.models import Entity, EntityImport, ImportFormat, ImportStatus, RiskLevel
from fazhi.org.credit_code import CHARSET, WEIGHTS

HEADERS = {
    "name": ("名称", "企业名称", "主体名称", "对象名称", "检查对象名称", "name"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "credit_code"),
    "entity_type": ("主体类型", "类型", "企业类型", "entity_type"),
    "industry": ("行业", "所属行业", "行业类别", "industry"),
    "region": ("区域", "所属区域", "属地", "乡镇街道", "region"),
    "address": ("住所", "地址", "住所（经营场所）", "住所(经营场所)", "经营场所", "address"),
    "legal_rep": ("法定代表人", "负责人", "法定代表人（负责人）", "法定代表人(负责人)", "legal_rep"),
    "contact": ("联系人", "contact"),
    "phone": ("联系电话", "电话", "phone"),
    "risk_level": ("风险等级", "risk_level"),
    "credit_level": ("信用等级", "credit_level"),
    "last_inspected_on": ("最近检查日期", "最近检查时间", "last_inspected_on"),
}
LABELS = {field: names[0] for field, names in HEADERS.items()}
MAX_LENGTHS = {"name": 200, "credit_code": 18, "entity_type": 50, "industry": 100, "region": 100,
               "address": 300, "legal_rep": 100, "contact": 100, "phone": 40, "credit_level": 20}
REQUIRED = ("name", "credit_code")
RISK = {"低": RiskLevel.LOW, "中": RiskLevel.MEDIUM, "高": RiskLevel.HIGH, "low": RiskLevel.LOW,
        "medium": RiskLevel.MEDIUM, "high": RiskLevel.HIGH, "": RiskLevel.LOW,
        "低风险": RiskLevel.LOW, "中风险": RiskLevel.MEDIUM, "高风险": RiskLevel.HIGH}
# Columns written, in this order, to the COPY file and to the table.
COLUMNS = ("name", "credit_code", "entity_type", "industry", "region", "address", "legal_rep", "contact",
           "phone", "risk_level", "credit_level", "last_inspected_on")
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_LOOKUP_BATCH = 5000
HEARTBEAT_SECONDS = 10
CLEAN_SUFFIX = ".clean.tsv"

log = logging.getLogger(__name__)


def progress_key(import_id: int) -> str:
    return f"inspections:import:{import_id}"


def progress_dict(imp: EntityImport, *, phase: str = "", processed: int | None = None,
                  total: int | None = None, percent: int | None = None) -> dict:
    processed = imp.processed_rows if processed is None else processed
    total = imp.total_rows if total is None else total
    if percent is None:
        percent = 100 if imp.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED) else (
            int(processed * 100 / total) if total else 0)
    return {"id": imp.pk, "status": imp.status, "status_display": imp.get_status_display(), "phase": phase,
            "processed": processed, "total": total, "percent": percent, "error_count": imp.error_count,
            "message": imp.message}


def _publish(imp: EntityImport, **kw) -> None:
    cache.set(progress_key(imp.pk), progress_dict(imp, **kw), timeout=24 * 3600)


class ImportAborted(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------- reading


def _detect_encoding(path: str) -> str:
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read (progress of pass 1)."""

    def __init__(self, f):
        self.f, self.read_bytes = f, 0

    def readable(self):
        return True

    def readinto(self, b):
        n = self.f.readinto(b)
        self.read_bytes += n or 0
        return n


def _rows(path: str, fmt: str, counter: dict) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) — row 1 is the header. ``counter`` receives
    ``bytes``/``size`` (csv) or ``max_row`` (xlsx) for the progress."""
    if fmt == ImportFormat.XLSX:
        from openpyxl import load_workbook

        from fazhi.core import uploads
        from fazhi.core.errors import ValidationError

        try:  # the one upload check, whole (every member inflated, capped; no DTD), before openpyxl
            uploads.check_archive(path, kind=uploads.SHEET, what="导入文件")
        except ValidationError as exc:
            raise ImportAborted(exc.message)
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # a broken or foreign zip
            raise ImportAborted(f"无法读取 Excel 文件：{exc}")
        try:
            ws = wb.worksheets[0]
            counter["max_row"] = ws.max_row or 0
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                yield n, [cell_str(v) for v in row]
        finally:
            wb.close()
        return
    encoding = _detect_encoding(path)
    counter["size"] = os.path.getsize(path)
    with open(path, "rb") as raw:
        counting = _Counting(raw)
        buffered = io.BufferedReader(counting, buffer_size=1 << 20)
        text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
        reader = csv.reader(text)
        n = 0
        try:
            for n, row in enumerate(reader, start=1):
                counter["bytes"] = counting.read_bytes
                yield n, [c.strip() for c in row]
        except UnicodeDecodeError:
            raise ImportAborted(f"文件编码无法识别（第{n + 1}行附近）；请另存为 UTF-8 或 GB18030 编码的 CSV")
        except csv.Error as exc:
            raise ImportAborted(f"CSV 格式错误（第{n + 1}行）：{exc}")


def _header_map(header: list[str]) -> tuple[dict[str, int], list[dict]]:
    lookup = {name.strip().lower(): field for field, names in HEADERS.items() for name in names}
    mapping, errors = {}, []
    for i, h in enumerate(header):
        field = lookup.get(h.strip().lower().replace(" ", ""))
        if field and field not in mapping:
            mapping[field] = i
    for field in REQUIRED:
        if field not in mapping:
            errors.append({"row": 1, "column": LABELS[field], "value": "",
                           "message": f"缺少必填列“{LABELS[field]}”"})
    return mapping, errors


# ------------------------------------------------------------- checking


def _credit_code_message(code: str) -> str | None:
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    total = 0
    try:
        for c, w in zip(code, WEIGHTS, strict=False):
            total += _VALUE[c] * w
        last = _VALUE[code[17]]
    except KeyError:
        bad = "".join(dict.fromkeys(c for c in code if c not in _VALUE))
        return f"统一社会信用代码含有不允许的字符：{bad}（不使用 I、O、S、V、Z）"
    if (31 - total % 31) % 31 != last:
        return "统一社会信用代码校验位不正确"
    return None


_MAXES = tuple(MAX_LENGTHS.get(c, 1 << 30) for c in COLUMNS)
_WEIGHTS = tuple(WEIGHTS)


def _code_ok(code: str) -> bool:
    """An 18-character code of the charset with the right check digit (the fast path)."""
    try:
        digits = list(map(_VALUE.__getitem__, code))
    except KeyError:
        return False
    return (31 - sum(map(mul, digits, _WEIGHTS)) % 31) % 31 == digits[17]


def _check_row(line: int, vals: list[str], seen: dict[str, int], pending: dict[str, int], report) -> bool:
    """Every check of one row (``vals`` in ``COLUMNS`` order), each failure reported."""
    values = dict(zip(COLUMNS, vals, strict=True))
    ok = True
    for field in REQUIRED:
        if not values.get(field):
            report.add(line, field, "", f"{LABELS[field]}不能为空")
            ok = False
    for field, max_length in MAX_LENGTHS.items():
        v = values.get(field, "")
        if len(v) > max_length:
            report.add(line, field, v, f"{LABELS[field]}过长（最多{max_length}字）")
            ok = False
    code = values["credit_code"]
    if code:
        message = _credit_code_message(code)
        if message:
            report.add(line, "credit_code", code, message)
            ok = False
        elif code in seen:
            report.add(line, "credit_code", code, f"与第{seen[code]}行重复（文件内重复的检查对象）")
            ok = False
        else:
            seen[code] = line
            pending[code] = line
    if RISK.get(values["risk_level"].lower()) is None:
        report.add(line, "risk_level", values["risk_level"], "风险等级应为“低”“中”或“高”")
        ok = False
    last = values["last_inspected_on"]
    if last:
        try:
            _parse_date(last)
        except ValueError:
            report.add(line, "last_inspected_on", last, "最近检查日期格式应为 YYYY-MM-DD")
            ok = False
    return ok


def _parse_date(text: str) -> date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    if " " in text:
        text = text.split(" ")[0]
    return date.fromisoformat(text)


def _copy_escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _copy_unescape(value: str) -> str:
    if "\\" not in value:
        return value
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class _Report:
    def __init__(self, limit: int):
        self.limit, self.count, self.rows = limit, 0, []

    def add(self, row: int, field: str, value: str, message: str) -> None:
        self.count += 1
        if len(self.rows) < self.limit:
            self.rows.append({"row": row, "column": LABELS.get(field, field), "value": value[:100],
                              "message": message})


def _check_pool(batch: dict[str, int], report: _Report) -> None:
    """Codes of ``batch`` (code -> row) already in the pool."""
    if not batch:
        return
    if connection.vendor == "postgresql":  # one array parameter, not thousands of placeholders
        with connection.cursor() as cur:
            cur.execute(f"SELECT credit_code FROM {connection.ops.quote_name(Entity._meta.db_table)} "
                        "WHERE credit_code = ANY(%s)", [list(batch)])
            found = [r[0] for r in cur.fetchall()]
    else:
        found = list(Entity.objects.filter(credit_code__in=list(batch)).values_list("credit_code", flat=True))
    for code in sorted(found):  # as before: in credit-code order
        report.add(batch[code], "credit_code", code, "统一社会信用代码已在检查对象名录库中（重复的检查对象）")
    batch.clear()


def validate(imp: EntityImport, path: str, clean_path: str, *, progress_every: int = 10_000,
             stdout=None) -> tuple[int, _Report]:
    """Pass 1: check every row, write clean rows to ``clean_path``; (rows, report)."""
    report = _Report(int(rules.get("max_stored_errors")))
    counter: dict = {}
    rows = _rows(path, imp.format, counter)
    seen: dict[str, int] = {}
    pending: dict[str, int] = {}
    n_rows = 0
    mapping = None
    where: list[int] = []
    width = 0
    buf: list[str] = []
    with open(clean_path, "w", encoding="utf-8", newline="\n") as out:
        for line, cells in rows:
            if mapping is None:
                mapping, header_errors = _header_map(cells)
                for e in header_errors:
                    report.add(e["row"], e["column"], "", e["message"])
                if header_errors:
                    return 0, report
                where = [mapping.get(f, -1) for f in COLUMNS]
                width = max(where) + 1
                continue
            if not any(cells):
                continue
            n_rows += 1
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            vals = [cells[i] if i >= 0 else "" for i in where]  # in COLUMNS order
            code = vals[1] = vals[1].upper()
            risk = RISK.get(vals[9].lower())
            last = vals[11]
            if last:
                try:
                    last = _parse_date(last).isoformat()
                except ValueError:
                    last = None  # reported by _check_row
            # Fast path: every check passes (C-level tests); otherwise the detailed checks below.
            if (vals[0] and code and risk is not None and last is not None
                    and not any(map(gt, map(len, vals), _MAXES))
                    and len(code) == 18 and _code_ok(code) and code not in seen):
                seen[code] = line
                pending[code] = line
                ok = True
            else:
                ok = _check_row(line, vals, seen, pending, report)
            if len(pending) >= _LOOKUP_BATCH:
                _check_pool(pending, report)
            if ok and not report.count:
                vals[9], vals[11] = risk, last
                text = "\t".join(vals)
                if NOT_XML.search(text):  # control characters of the file: removed (they would break exports)
                    vals = [clean(v) for v in vals]
                    text = "\t".join(vals)
                if "\\" in text or "\n" in text or "\r" in text or text.count("\t") != 11:
                    text = "\t".join(map(_copy_escape, vals))
                buf.append(text + ("\n" if last else "\\N\n"))
                if len(buf) >= 10_000:
                    out.writelines(buf)
                    buf.clear()
            if n_rows % progress_every == 0:
                if counter.get("size"):
                    percent = int(counter.get("bytes", 0) * 50 / counter["size"])
                    total = 0
                else:
                    total = max(counter.get("max_row", 0) - 1, n_rows)
                    percent = int(n_rows * 50 / total) if total else 0
                _publish(imp, phase="校验", processed=n_rows, total=total, percent=percent)
                if stdout:
                    stdout.write(f"校验：已处理 {n_rows} 行，发现错误 {report.count} 处\n")
        _check_pool(pending, report)
        if not report.count:
            out.writelines(buf)
    if mapping is None:
        report.add(1, "name", "", "文件为空，没有表头")
    return n_rows, report


# --------------------------------------------------------------- writing


# A load at least this big, and bigger than the pool, drops the secondary indexes and builds them
# again after the COPY (much faster than updating them row by row). Readers of the pool wait meanwhile.
REBUILD_INDEXES_FROM = 100_000


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes that back no constraint."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT x.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
        [table])
    return list(cursor.fetchall())


def _drop_for_rebuild(cursor, table: str, rows: int) -> list[tuple[str, str]]:
    """Drop the secondary indexes for a big load (see REBUILD_INDEXES_FROM); [] when not worth it
    or when the table cannot be locked within a few seconds (then the indexes are updated as usual)."""
    from django.db import DatabaseError

    if rows < REBUILD_INDEXES_FROM:
        return []
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT %s) s",
                   [rows + 1])
    if cursor.fetchone()[0] >= rows:  # the pool is at least as big as the load
        return []
    indexes = _secondary_indexes(cursor, table)
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            for name, _ddl in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            cursor.execute("SET LOCAL lock_timeout = 0")
    except DatabaseError:
        return []
    return indexes


def _write_postgres(clean_path: str, imp: EntityImport, now: datetime, rows: int = 0) -> None:
    table = Entity._meta.db_table
    columns = ", ".join((*COLUMNS, "active", "import_batch_id", "created_at", "updated_at"))
    suffix = f"\tt\t{imp.pk}\t{now.isoformat()}\t{now.isoformat()}\n".encode()
    with connection.cursor() as cursor:
        rebuild = _drop_for_rebuild(cursor, table, rows)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            with open(clean_path, "rb") as f:
                while True:
                    block = f.read(1 << 20)
                    if not block:
                        break
                    # Append the constant columns to each line of the block.
                    if not block.endswith(b"\n"):
                        block += f.readline()
                    copy.write(block.replace(b"\n", suffix))
        if rebuild:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred FK checks, now: CREATE INDEX needs it
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, ddl in rebuild:
                cursor.execute(ddl)


def _write_batches(clean_path: str, imp: EntityImport, now: datetime, *, batch_size: int = 2000,
                   progress=None) -> None:
    batch = []
    done = 0
    with open(clean_path, encoding="utf-8") as f:
        for line in f:
            raw = line.rstrip("\n").split("\t")
            last = raw.pop()
            values = dict(zip(COLUMNS[:-1], (_copy_unescape(p) for p in raw), strict=True))
            batch.append(Entity(**values, last_inspected_on=None if last == "\\N" else date.fromisoformat(last),
                                import_batch_id=imp.pk, created_at=now, updated_at=now))
            if len(batch) >= batch_size:
                Entity.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done)
    if batch:
        Entity.objects.bulk_create(batch)


# ------------------------------------------------------------------ run


def _claim(import_id: int) -> EntityImport | None:
    with transaction.atomic():
        qs = EntityImport.objects.select_for_update(**({"skip_locked": True}
                                                       if connection.features.has_select_for_update_skip_locked
                                                       else {}))
        imp = qs.filter(pk=import_id, status=ImportStatus.PENDING).first()
        if imp is None:
            return None
        now = timezone.now()
        imp.status, imp.started_at, imp.heartbeat_at = ImportStatus.RUNNING, now, now
        imp.save(update_fields=["status", "started_at", "heartbeat_at", "updated_at"])
        audit.record(imp, "inspections.import.started", by=None, data={"file": imp.original_name})
    return imp


class _Heartbeat:
    """Stamps ``heartbeat_at`` every ``HEARTBEAT_SECONDS`` from a thread with its
    own database connection, while the import runs. Not started when the
    import runs inside an outer transaction (the job, tests): its row is not
    visible to others then, and a death rolls the claim back anyway."""

    def __init__(self, import_id: int):
        self.import_id = import_id
        self.stop = threading.Event()
        self.thread = None

    def __enter__(self):
        if not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._run, name=f"import-heartbeat-{self.import_id}", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=HEARTBEAT_SECONDS)

    def _run(self):
        try:
            while not self.stop.wait(HEARTBEAT_SECONDS):
                try:
                    EntityImport.objects.filter(pk=self.import_id, status=ImportStatus.RUNNING).update(
                        heartbeat_at=timezone.now())
                except Exception:  # e.g. SQLite locked by pass 2: the next beat will do
                    log.debug("import %s: heartbeat not written", self.import_id, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()  # this thread's own connection


def _clean_path(imp: EntityImport) -> str:
    return os.path.join(settings.MEDIA_ROOT, imp.file) + CLEAN_SUFFIX


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def fail_stale(now: datetime) -> int:
    """Mark every import "导入中" whose heartbeat stopped more than
    ``import_stale_minutes`` ago as failed (its process died; nothing was
    written), audited; remove temporary files no running import owns.
    Returns how many imports were marked."""
    minutes = int(rules.get("import_stale_minutes"))
    limit = now - timedelta(minutes=minutes)
    stale = EntityImport.objects.filter(status=ImportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit))
    marked = 0
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            imp = stale.select_for_update().filter(pk=pk).first()  # checked again under the lock
            if imp is None:
                continue
            last = imp.heartbeat_at or imp.started_at
            imp.status, imp.finished_at = ImportStatus.FAILED, now
            imp.message = (f"导入中断：处理进程已停止（超过{minutes}分钟没有进展），未导入任何数据；"
                           "请重新上传整个文件")
            imp.save(update_fields=["status", "finished_at", "message", "updated_at"])
            audit.record(imp, "inspections.import.interrupted", by=None, now=now, data={
                "last_heartbeat": last.isoformat() if last else None, "stale_minutes": minutes})
        _publish(imp, phase="完成", percent=100)
        _remove(_clean_path(imp))
        marked += 1
    running = {_clean_path(imp) for imp in EntityImport.objects.filter(status=ImportStatus.RUNNING).only("file")}
    for path in glob.glob(os.path.join(settings.MEDIA_ROOT, "inspections", "imports", "*" + CLEAN_SUFFIX)):
        if path not in running and os.path.getmtime(path) < limit.timestamp():
            _remove(path)
    return marked


def _finish(imp: EntityImport, *, status: str, message: str, report: _Report | None, rows: int,
            created: int) -> EntityImport:
    with transaction.atomic():
        imp.status, imp.message = status, message[:500]
        imp.total_rows, imp.processed_rows, imp.created_rows = rows, rows, created
        if report is not None:
            imp.error_count, imp.errors = report.count, report.rows
        imp.finished_at = timezone.now()
        imp.save()
        audit.record(imp, f"inspections.import.{status}", by=None, data={
            "rows": rows, "created": created, "errors": imp.error_count, "message": imp.message})
    _publish(imp, phase="完成", percent=100)
    return imp


def run(import_id: int, *, progress_every: int = 10_000, stdout=None) -> EntityImport:
    """Run one pending import (see the module docstring). Returns the row;
    a row that is not pending (already run, or taken by another runner) is
    returned unchanged."""
    imp = _claim(import_id)
    if imp is None:
        return EntityImport.objects.get(pk=import_id)
    with _Heartbeat(imp.pk):
        return _run_claimed(imp, progress_every=progress_every, stdout=stdout)


def _run_claimed(imp: EntityImport, *, progress_every: int, stdout) -> EntityImport:
    path = os.path.join(settings.MEDIA_ROOT, imp.file)
    clean_path = _clean_path(imp)
    _publish(imp, phase="校验", processed=0, total=0, percent=0)
    try:
        rows, report = validate(imp, path, clean_path, progress_every=progress_every, stdout=stdout)
        if report.count:
            return _finish(imp, status=ImportStatus.FAILED, rows=rows, created=0, report=report,
                           message=f"共 {rows} 行，发现 {report.count} 处错误，未导入任何数据；请按错误报告修改后重新导入")
        if rows == 0:
            return _finish(imp, status=ImportStatus.FAILED, rows=0, created=0, report=report,
                           message="文件中没有数据行，未导入任何数据")
        if stdout:
            stdout.write(f"校验通过：{rows} 行，开始写入\n")
        _publish(imp, phase="写入", processed=0, total=rows, percent=50)
        now = timezone.now()

        def progress(done):
            _publish(imp, phase="写入", processed=done, total=rows, percent=50 + int(done * 50 / rows))

        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    _write_postgres(clean_path, imp, now, rows)
                else:
                    _write_batches(clean_path, imp, now, progress=progress)
        except Exception as exc:  # e.g. a concurrent insert of the same code: nothing written
            return _finish(imp, status=ImportStatus.FAILED, rows=rows, created=0, report=report,
                           message=f"写入失败，未导入任何数据：{str(exc)[:300]}")
        if stdout:
            stdout.write(f"写入完成：新增 {rows} 个检查对象\n")
        return _finish(imp, status=ImportStatus.SUCCEEDED, rows=rows, created=rows, report=report,
                       message=f"导入成功：新增 {rows} 个检查对象")
    except ImportAborted as exc:
        return _finish(imp, status=ImportStatus.FAILED, rows=0, created=0, report=None, message=exc.message)
    finally:
        _remove(clean_path)


def run_pending(now: datetime | None = None) -> int:
    """The background job: first fail the imports whose process died
    (``fail_stale``), then run every pending import, oldest first."""
    fail_stale(now or timezone.now())
    done = 0
    for pk in list(EntityImport.objects.filter(status=ImportStatus.PENDING).order_by("created_at", "pk")
                   .values_list("pk", flat=True)):
        imp = run(pk)
        done += imp.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
    return done
