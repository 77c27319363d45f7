"""Benchmark: indicators for a 60-unit district and the annual report.

    .venv/bin/python benchmarks/assessment_report.py [--units 60] [--year 2025]

Runs on PostgreSQL in its own database ``fazhi_bench_assess`` (dropped and
re-created each run; set BENCH_DATABASE_URL to point elsewhere). It migrates,
runs ``demo_volume`` (bulk-inserted volume data — see that command), then:

1. times ``fazhi.assessment.selectors.all_units_values(year, units)`` — every
   indicator for every unit, the way the indicator table computes it (goal < 5 s);
2. times ``fazhi.annual_report.services.generate_report(gov, year, by=None,
   today=...)`` for the district government if that function exists (goal < 5 s);
3. a baseline: reading only the keys (pk, unit path, the date placing it in
   the year) of the same records the indicators count.

Prints the figures; the last line is the ratio indicator time / baseline time.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fazhi_bench_assess")


def _recreate(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
                             "TEMPLATE template0").format(sql.Identifier(name)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--year", type=int, default=date.today().year - 1)
    parser.add_argument("--cases", type=int, default=100)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(ROOT))
    _recreate(DB_URL)
    py = sys.executable
    env = dict(os.environ)
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    t0 = time.perf_counter()
    subprocess.run([py, "manage.py", "demo_volume", "--units", str(args.units), "--year", str(args.year),
                    "--cases", str(args.cases), "--i-know-this-is-not-production"], cwd=ROOT, env=env, check=True)
    gen = time.perf_counter() - t0

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from fazhi.assessment import selectors
    from fazhi.enforcement.models import Officer, PenaltyCase, PublicationRecord
    from fazhi.major_decisions.models import Decision
    from fazhi.normative_docs.models import NormDoc
    from fazhi.org.models import Person, Unit

    year = args.year
    gov = Unit.objects.get(name=f"压测区{year}人民政府")
    units = list(Unit.objects.filter(path__startswith=gov.path).order_by("path"))
    print(f"生成数据：{len(units)} 个单位（含区政府），用时 {gen:.2f} s")
    print(f"记录数：规范性文件 {NormDoc.objects.count()}，重大决策 {Decision.objects.count()}，"
          f"处罚案件 {PenaltyCase.objects.count()}，公示 {PublicationRecord.objects.count()}，"
          f"执法人员 {Officer.objects.count()}，人员 {Person.objects.count()}")

    selectors.all_units_values(year, units[:1])  # warm the registry and connection
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        table = selectors.all_units_values(year, units)
        ind_time = time.perf_counter() - t
    print(f"指标计算：{len(units)} 个单位 × {len(table.indicators)} 项指标，{ind_time:.3f} s，"
          f"{len(ctx.captured_queries)} 次查询（目标 < 5 s）：{'达标' if ind_time < 5 else '未达标'}")

    report_time = None
    try:
        from fazhi.annual_report.services import generate_report
    except ImportError:
        print("年度报告：fazhi.annual_report.services.generate_report 尚不存在，未计时")
    else:
        t = time.perf_counter()
        try:
            generate_report(gov, year, by=None, today=date(year + 1, 1, 20))
        except Exception as exc:  # noqa: BLE001 — the report is another module's; say why it was not timed
            print(f"年度报告生成失败（未计时）：{type(exc).__name__}: {str(exc).splitlines()[0]}")
        else:
            report_time = time.perf_counter() - t
            print(f"年度报告生成：{report_time:.3f} s（目标 < 5 s）：{'达标' if report_time < 5 else '未达标'}")

    t = time.perf_counter()
    start, end = date(year, 1, 1), date(year, 12, 31)
    keys = 0
    keys += len(list(NormDoc.objects.filter(filing_due__range=(start, end)).values_list("pk", "unit__path")))
    keys += len(list(NormDoc.objects.filter(published_on__range=(start, end)).values_list("pk", "unit__path")))
    keys += len(list(Decision.objects.filter(decided_on__range=(start, end)).values_list("pk", "sponsor_unit__path")))
    keys += len(list(Officer.objects.filter(is_active=True).values_list("pk", "unit__path")))
    keys += len(list(PenaltyCase.objects.filter(decided_on__range=(start, end)).values_list("pk", "unit__path")))
    keys += len(list(PenaltyCase.objects.filter(closed_on__range=(start, end)).values_list("pk", "unit__path")))
    keys += len(list(PublicationRecord.objects.filter(due__range=(start, end)).values_list("pk", "unit__path")))
    keys += len(list(Person.objects.filter(unit__path__startswith=gov.path).values_list("pk", "unit__path")))
    base = time.perf_counter() - t
    print(f"基线（只读取同一批记录的键，{keys} 行）：{base:.3f} s")
    print(f"ratio indicators/baseline = {ind_time / base:.2f}"
          + (f"; report {report_time:.3f} s" if report_time is not None else "; report not timed"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
