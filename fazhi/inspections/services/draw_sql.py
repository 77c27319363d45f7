"""The draw's database machinery, kept apart from the services: raw SQL and a
fetching thread that stream the freeze on PostgreSQL, the reading of what
changed since the freeze, and the bulk writes (COPY on PostgreSQL,
``bulk_create`` elsewhere) and lookups of the reveal.
"""

import os
from datetime import datetime

from django.db import connection
from django.db.models.functions import Collate
from django.utils import timezone

from fazhi.core import draw as algo
from fazhi.inspections.models import (
    Draw,
    DrawSelection,
    Entity,
    Inspection,
    InspectionKind,
    Inspector,
    Task,
    TeamMember,
)
from fazhi.inspections.services.draw_pools import DIMENSION_LABELS, RISK_LABELS, pool_queryset


def _stratum_sql(dims: list[str]) -> tuple[str, list]:
    """SQL for ``stratum_key`` of a row (PostgreSQL), with its parameters: the
    same text, character for character (``draw._clean_field`` — TAB, LF, CR
    to spaces — applied to each value; the labels have none)."""
    if not dims:
        return "%s", [algo.ALL]

    def clean(sql: str) -> str:
        return f"translate({sql}, chr(9) || chr(10) || chr(13), '   ')"

    parts: list[str] = []
    params: list = []
    for n, d in enumerate(dims):
        col = {"industry": "industry", "region": "region", "risk_level": "risk_level"}[d]
        if n:
            parts.append("%s")
            params.append("；")
        parts.append("%s")
        params.append(f"{DIMENSION_LABELS[d]}=")
        value = clean(f"COALESCE(NULLIF({col}, ''), %s)")
        if d == "risk_level":
            whens = []
            for key, label in RISK_LABELS.items():
                whens.append("WHEN %s THEN %s")
                params += [key, str(label)]
            value = f"(CASE {col} {' '.join(whens)} ELSE {value} END)"
        parts.append(value)
        params.append("（空）")
    return " || ".join(parts), params


def _raw_key_sql(dims: list[str]) -> str:
    """A cheap key per stratum (the raw values): rows with equal raw keys share a stratum."""
    cols = {"industry": "industry", "region": "region", "risk_level": "risk_level"}
    return " || chr(31) || ".join(f"COALESCE({cols[d]}, '')" for d in dims) if dims else "''"


def _prefetched(cursor, size: int):
    """The row blocks of a server-side ``cursor`` (psycopg), the next one fetched by a thread while
    the caller works on the current one (psycopg waits for the server without holding the GIL).
    Only the thread touches the cursor until the blocks are exhausted or the caller stops."""
    import queue
    import threading

    blocks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def fetch():
        try:
            while not stop.is_set():
                rows = cursor.fetchmany(size)
                blocks.put(rows)
                if not rows:
                    return
        except BaseException as exc:  # handed to the caller
            blocks.put(exc)

    worker = threading.Thread(target=fetch, name="fazhi-freeze-fetch", daemon=True)
    worker.start()
    try:
        while True:
            rows = blocks.get()
            if isinstance(rows, BaseException):
                with connection.wrap_database_errors:
                    raise rows
            if not rows:
                return
            yield rows
    finally:
        stop.set()
        while worker.is_alive():
            try:
                blocks.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()


def _freeze_objects_pg(task: Task, folder: str, watch_codes: set[str], watch_units: set[str],
                       chunk_size: int = 50_000) -> tuple[str, str, dict[str, int], list[algo.PoolObject]]:
    """PostgreSQL: stream the eligible objects' canonical lines (built by the
    database, in canonical order) into the object file and its hash, and
    write ``STRATA_FILE`` (each stratum's line offsets, for the reveal).

    Returns (sha256 of the object file, sha256 of the index — "" when none
    was written —, stratum sizes, the objects of ``watch_codes`` or with an
    org unit in ``watch_units``: the only ones a recusal can touch). One
    statement, so one snapshot: the sizes and the files agree."""
    from array import array
    from itertools import compress
    from operator import itemgetter

    from django.db.models.expressions import RawSQL

    dims = list(task.stratify_by or [])
    stratum, s_params = _stratum_sql(dims)
    line = f"credit_code || chr(9) || {stratum} || chr(9) || COALESCE(org_unit_id::text, '') || chr(10)"
    check = bool(watch_codes or watch_units)
    flag = (RawSQL("(credit_code = ANY(%s) OR org_unit_id::text = ANY(%s))", [sorted(watch_codes), sorted(watch_units)])
            if check else RawSQL("FALSE", []))
    qs = (pool_queryset(task).order_by(Collate("credit_code", "C"))
          .annotate(_line=RawSQL(line, s_params), _k=RawSQL(_raw_key_sql(dims), []), _w=flag)
          .values_list("_line", "_k", "_w"))
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    offsets: dict[str, array] = {}  # raw key -> byte offsets of its lines in the object file
    extra: dict[str, int] = {}  # raw key -> UTF-8 bytes beyond one per character (the stratum text)
    text_of: dict[str, str] = {}  # raw key -> stratum key
    watched: list[algo.PoolObject] = []
    first, third = itemgetter(0), itemgetter(2)
    pos = 0
    ascii_ok = True  # credit codes and unit ids are ASCII: a line's bytes = characters + extra[key]

    def blocks():
        nonlocal pos, ascii_ok
        with connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")  # compiling the expressions costs more than it saves
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            for rows in _prefetched(cursor.cursor, chunk_size):
                local: dict[str, tuple[list[int], int]] = {}
                get = local.get
                at = pos
                for text, key, _w in rows:
                    slot = get(key)
                    if slot is None:
                        if key not in extra:
                            text_of[key] = text.split("\t")[1]
                            extra[key] = len(text_of[key].encode("utf-8")) - len(text_of[key])
                        slot = local[key] = ([], extra[key])
                    slot[0].append(at)
                    at += len(text) + slot[1]
                block = "".join(map(first, rows)).encode("utf-8")
                if pos + len(block) != at:
                    ascii_ok = False  # not as expected: no index (the reveal then reads the file itself)
                for key, (starts, _extra) in local.items():
                    offsets.setdefault(key, array("Q")).extend(starts)
                if check:
                    for text, _key, _w in compress(rows, map(third, rows)):
                        code, key, org = text[:-1].split("\t")
                        watched.append(algo.PoolObject(code, key, org))
                pos += len(block)
                yield block
        finally:
            cursor.close()

    digest = algo.write_file(os.path.join(folder, algo.plain_name(algo.OBJECTS_FILE)), blocks())
    raw_keys: dict[str, list[str]] = {}
    for key, text in text_of.items():
        raw_keys.setdefault(text, []).append(key)
    sizes = {text: sum(len(offsets[k]) for k in keys) for text, keys in raw_keys.items()}
    if not ascii_ok:
        return digest, "", sizes, watched

    def index():
        for text in sorted(raw_keys):
            keys = raw_keys[text]
            if len(keys) == 1:
                yield offsets.pop(keys[0]).tobytes()
            else:  # raw values that give the same stratum (NULL and "", …): merge in canonical order
                yield array("Q", sorted(o for k in keys for o in offsets.pop(k))).tobytes()

    strata_digest = algo.write_file(os.path.join(folder, algo.STRATA_FILE), index())
    return digest, strata_digest, sizes, watched


def _changes_since() -> datetime:
    """From when on an object's ``updated_at`` may belong to a change the
    freeze did not see: the start of the oldest transaction still writing
    (PostgreSQL) or now, less a minute for clock differences."""
    from datetime import timedelta

    since = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT now(), (SELECT min(xact_start) FROM pg_stat_activity "
                        "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database())")
            db_now, oldest = cur.fetchone()
        since = min(x for x in (since, db_now, oldest) if x is not None)
    return since - timedelta(minutes=1)


def _allocate_ids(model, n: int) -> list[int]:
    """``n`` new primary keys from the table's sequence (PostgreSQL)."""
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, model._meta.pk.column, n])
        return sorted(r[0] for r in cur.fetchall())


def _copy_insert(model, template: dict, varying: tuple[str, ...], rows) -> None:
    """Insert rows with PostgreSQL COPY: every column takes the value of a
    ``model(**template)`` instance (defaults, auto_now), except the ``varying``
    attnames, given per row in that order (the primary key only if listed)."""
    obj = model(**template)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in varying]
    const = [None if f.attname in varying else f.get_db_prep_save(f.pre_save(obj, True), connection)
             for f in fields]
    where = [next(i for i, f in enumerate(fields) if f.attname == name) for name in varying]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = const.copy()
                for i, v in zip(where, row, strict=True):
                    values[i] = v
                copy.write_row(values)


def _write_selection(draw: Draw, task: Task, selected: list, entity_ids: dict[str, int],
                     inspector_ids: dict[str, int]) -> None:
    """The selections, their teams, one pending inspection per object and its officers."""
    year = task.planned_start.year
    if connection.vendor == "postgresql":  # COPY: ~30,000 objects in a second or two
        sel_ids = _allocate_ids(DrawSelection, len(selected))
        ins_ids = _allocate_ids(Inspection, len(selected))
        _copy_insert(DrawSelection, {"draw": draw}, ("id", "entity_id", "credit_code", "stratum", "position"),
                     ((sid, entity_ids[s.code], s.code, s.stratum, s.position)
                      for sid, s in zip(sel_ids, selected, strict=True)))
        _copy_insert(TeamMember, {"selection_id": 0, "inspector_id": 0, "position": 1},
                     ("selection_id", "inspector_id", "certificate_number", "position"),
                     ((sid, inspector_ids[c], c, i + 1)
                      for sid, s in zip(sel_ids, selected, strict=True) for i, c in enumerate(s.team)))
        _copy_insert(Inspection, {"unit": task.unit, "kind": InspectionKind.RANDOM, "task": task, "year": year,
                                  "entity_id": 0},
                     ("id", "selection_id", "entity_id"),
                     ((iid, sid, entity_ids[s.code])
                      for iid, sid, s in zip(ins_ids, sel_ids, selected, strict=True)))
        _copy_insert(Inspection.officers.through, {"inspection_id": 0, "inspector_id": 0},
                     ("inspection_id", "inspector_id"),
                     ((iid, inspector_ids[c]) for iid, s in zip(ins_ids, selected, strict=True) for c in s.team))
        return
    sels = DrawSelection.objects.bulk_create(
        [DrawSelection(draw=draw, entity_id=entity_ids[s.code], credit_code=s.code, stratum=s.stratum,
                       position=s.position) for s in selected], batch_size=2000)
    if any(sel.pk is None for sel in sels):  # backends that do not return ids
        by_pos = dict(DrawSelection.objects.filter(draw=draw).values_list("position", "pk"))
        for sel in sels:
            sel.pk = by_pos[sel.position]
    TeamMember.objects.bulk_create(
        [TeamMember(selection_id=sel.pk, inspector_id=inspector_ids[c], certificate_number=c, position=i + 1)
         for sel, s in zip(sels, selected, strict=True) for i, c in enumerate(s.team)], batch_size=5000)
    inspections = Inspection.objects.bulk_create(
        [Inspection(unit=task.unit, kind=InspectionKind.RANDOM, task=task, selection_id=sel.pk,
                    entity_id=sel.entity_id, year=year) for sel in sels], batch_size=2000)
    if any(i.pk is None for i in inspections):
        by_sel: dict[int | None, int] = dict(Inspection.objects.filter(task=task).values_list("selection_id", "pk"))
        for i in inspections:
            i.pk = by_sel[i.selection_id]
    Through = Inspection.officers.through
    Through.objects.bulk_create(
        [Through(inspection_id=ins.pk, inspector_id=inspector_ids[c])
         for ins, s in zip(inspections, selected, strict=True) for c in s.team], batch_size=5000)


def _lookup_entities(codes: list[str]) -> dict[str, int]:
    if connection.vendor == "postgresql":  # one query, the codes as one array parameter
        table = connection.ops.quote_name(Entity._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(f"SELECT credit_code, id FROM {table} WHERE credit_code = ANY(%s)", [list(codes)])
            return dict(cur.fetchall())
    out: dict[str, int] = {}
    for i in range(0, len(codes), 5000):
        out.update(Entity.objects.filter(credit_code__in=codes[i:i + 5000]).values_list("credit_code", "pk"))
    return out


def _lookup_inspectors(certs: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(certs), 2000):
        out.update(Inspector.objects.filter(officer__certificates__number__in=certs[i:i + 2000])
                   .values_list("officer__certificates__number", "pk"))
    return out
