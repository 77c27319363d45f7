"""How fast is the object-pool import compared with PostgreSQL COPY (issue 6, "Performance")?

Writes a CSV of N rows (default 1,000,000; valid credit codes, the headers
of the import template, UTF-8), then measures in the same run:

* the import with validation — ``services.start_import`` + ``services.run_import``
  (pass 1 streams and checks every row: required fields, lengths, GB 32100
  check digit, risk level, date, duplicates in the file and against the pool;
  pass 2 COPYs the clean rows in one transaction), run in a child process
  so that its peak memory (``ru_maxrss``) is measured on its own;
* the baseline: PostgreSQL ``COPY … FROM STDIN (FORMAT csv, HEADER)`` of the
  same file into a plain table with the same columns (no checks, no indexes).

Prints the figures (rows/s, peak memory of the import process); the last line
is the ratio import speed / COPY speed (goal: at least 0.3; memory under 500 MB).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench_ins .venv/bin/python benchmarks/inspections_import.py
    .venv/bin/python benchmarks/inspections_import.py --rows 100000        # smaller
    .venv/bin/python benchmarks/inspections_import.py --profile            # + cProfile of the import

The benchmark's rows (credit codes 91 990199 …) are deleted before each import,
so the database can be reused (it is created if missing).
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fazhi_bench_ins")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="fazhi-bench-imp-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

DIVISION = "990199"
HEADER = ("名称", "统一社会信用代码", "主体类型", "行业", "区域", "住所", "法定代表人", "联系人", "联系电话",
          "风险等级", "信用等级", "最近检查日期")
INDUSTRIES = ("餐饮服务", "食品销售", "农资经营", "药品零售", "日用百货零售", "建材销售", "美容美发", "电子商务")
REGIONS = ("城关镇", "龙凤镇", "白沙镇", "新华街道", "兴隆街道", "东城街道")
BASELINE_TABLE = "bench_import_copy"


def ensure_database() -> None:
    import psycopg
    from psycopg import sql

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("此基准只在 PostgreSQL 上运行：设置 DATABASE_URL=postgres://…")
    params = {k: v for k, v in {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
                                "password": db.get("PASSWORD")}.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
                                 "TEMPLATE template0").format(sql.Identifier(db["NAME"])))


def write_csv(path: str, n: int) -> None:
    from fazhi.org.credit_code import check_char

    rnd = random.Random(1)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n):
            first17 = f"91{DIVISION}{i:09d}"[:17]
            w.writerow((f"示范基准商贸有限公司{i}", first17 + check_char(first17), "有限责任公司",
                        INDUSTRIES[i % 8], REGIONS[i % 6], f"示范区人民路{i % 900}号", "李四", "王五",
                        f"138{i % 100000000:08d}", ("低", "中", "高")[rnd.randrange(3)], "A",
                        "" if i % 3 else f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"))


def child(file: str, profile: bool) -> None:
    """Run one import in this process; print its timing and peak memory as JSON."""
    from django.core.files import File

    from fazhi.inspections import services
    from fazhi.org import services as org_services
    from fazhi.org.models import Unit, UnitKind

    unit = Unit.objects.filter(name="基准区市场监督管理局").first()
    if unit is None:
        from django.db import transaction

        with transaction.atomic():
            gov = Unit.objects.filter(name="基准区人民政府").first() or org_services.create_unit(
                None, by=None, name="基准区人民政府", kind=UnitKind.GOVERNMENT)
            unit = org_services.create_unit(gov, by=None, name="基准区市场监督管理局", kind=UnitKind.DEPARTMENT)
    t0 = time.perf_counter()
    with open(file, "rb") as f:
        batch = services.start_import(File(f, name=os.path.basename(file)), by=None, unit=unit)
    stored = time.perf_counter() - t0
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    class Clock:
        """Records when the importer reports the end of validation (its stdout)."""

        validated = None

        def write(self, text):
            if text.startswith("校验通过") and self.validated is None:
                self.validated = time.perf_counter()

    clock = Clock()
    t0 = time.perf_counter()
    batch = services.run_import(batch.pk, progress_every=100_000, stdout=clock)
    run = time.perf_counter() - t0
    validate = (clock.validated or t0 + run) - t0
    if prof:
        import pstats

        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"stored": stored, "run": run, "validate": validate, "status": batch.status, "created": batch.created_rows,
                      "errors": batch.error_count, "message": batch.message, "peak_kb": peak_kb}))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--file", help="CSV file to use/keep (default: a temporary file)")
    p.add_argument("--profile", action="store_true")
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        return child(args.child, args.profile)

    from django.core.management import call_command

    ensure_database()
    call_command("migrate", verbosity=0)
    from fazhi.inspections.models import Entity

    path = args.file or os.path.join(tempfile.gettempdir(), f"fazhi-bench-import-{args.rows}.csv")
    if not os.path.exists(path):
        t0 = time.perf_counter()
        write_csv(path, args.rows)
        print(f"CSV written: {args.rows} rows, {os.path.getsize(path) / 1e6:.0f} MB in {time.perf_counter() - t0:.1f}s")
    size_mb = os.path.getsize(path) / 1e6
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {Entity._meta.db_table} WHERE credit_code LIKE %s", [f"91{DIVISION}%"])
        deleted = cur.rowcount
        cur.execute(f"VACUUM ANALYZE {Entity._meta.db_table}")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; removed {deleted} rows of an "
          f"earlier run in {time.perf_counter() - t0:.1f}s; pool now {Entity.objects.count()} objects")

    # The import, in a child process (its own peak memory).
    t0 = time.perf_counter()
    cmd = [sys.executable, __file__, "--child", path] + (["--profile"] if args.profile else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
    wall = time.perf_counter() - t0
    if args.profile:
        print(proc.stderr[-6000:])
    try:
        res = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        sys.exit(f"import process failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    if res["status"] != "succeeded":
        sys.exit(f"import failed: {res}")
    imp = res["run"]
    peak_mb = res["peak_kb"] / 1024
    print(f"import with validation: {res['created']} rows in {imp:.1f}s = {res['created'] / imp:,.0f} rows/s "
          f"(+ {res['stored']:.1f}s to store the upload; process wall time {wall:.1f}s)")
    print(f"  pass 1, validation (stream, check, look up duplicates in the pool): {res['validate']:.1f}s; "
          f"pass 2, write (COPY into the pool table with its indexes) and finish: {imp - res['validate']:.1f}s")
    print(f"peak memory of the import process (ru_maxrss): {peak_mb:.0f} MB (goal < 500 MB)")

    # Baseline: COPY of the same file into a plain table with the same columns.
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        cur.execute(f"CREATE TABLE {BASELINE_TABLE} (" + ", ".join(f"c{i} text" for i in range(len(HEADER))) + ")")
    t0 = time.perf_counter()
    with connection.cursor() as cur, open(path, "rb") as f:
        with cur.cursor.copy(f"COPY {BASELINE_TABLE} FROM STDIN (FORMAT csv, HEADER true)") as copy:
            while block := f.read(1 << 20):
                copy.write(block)
    copy_s = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {BASELINE_TABLE}")
        copied = cur.fetchone()[0]
        cur.execute(f"DROP TABLE {BASELINE_TABLE}")
    print(f"baseline COPY (csv) of the same file ({size_mb:.0f} MB) into a plain table: {copied} rows in "
          f"{copy_s:.1f}s = {copied / copy_s:,.0f} rows/s")
    print(f"ratio import speed / COPY speed ({copy_s:.1f}s / {imp:.1f}s): {copy_s / imp:.2f}")


if __name__ == "__main__":
    main()
