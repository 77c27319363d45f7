"""How long does a verifiable stratified draw take on a province-sized pool (issue 6, "Performance")?

Creates, in its own PostgreSQL database, N objects (default 3,000,000) in the
object pool, loaded with COPY (valid credit codes, 12 industries x 8 regions
x 3 risk levels), 200 inspectors with valid certificates (through the
enforcement and inspections services) and some recusals. Then runs, for a
new task stratified by region and risk level (24 strata, proportional
allocation) of K objects (default 30,000) with teams of 2:

* the baseline: merely reading the eligible pool's keys (credit codes of the
  task's filter, in canonical order: ``ORDER BY credit_code COLLATE "C"``)
  from the database into Python, in the same run;
* ``services.commit_draw`` (freeze: stream the pool, write and hash the
  canonical files and params.json, quotas, commitment) and
  ``services.reveal_draw`` (check the files and params.json against the
  commitment, derive the server seed, read the frozen files, compare with
  the live pool, select per stratum, draw the teams with recusal, write
  selections, teams and one pending inspection per object, the receipt).
  The one witness is added, commits and reveals outside the timed steps.

Prints the figures; the last line is the ratio (commit + reveal) / baseline
(goal: at most 3x).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench_ins .venv/bin/python benchmarks/inspections_draw.py
    .venv/bin/python benchmarks/inspections_draw.py --objects 100000 --sample 1000     # smaller
    .venv/bin/python benchmarks/inspections_draw.py --phases                            # + time per step
    .venv/bin/python benchmarks/inspections_draw.py --profile                           # + cProfile of the draw

The database (created if missing, from template0, UTF-8) keeps its data: a
second run reuses the objects (drop it to start over). Media files go to a
temporary directory.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fazhi_bench_ins")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="fazhi-bench-ins-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models.functions import Collate  # noqa: E402
from django.utils import timezone  # noqa: E402

INDUSTRIES = ("餐饮服务", "食品销售", "农资经营", "药品零售", "日用百货零售", "建材销售", "美容美发", "电子商务",
              "种植养殖", "机动车维修", "特种设备使用", "加油站")
REGIONS = ("城关镇", "龙凤镇", "白沙镇", "新华街道", "兴隆街道", "东城街道", "西城街道", "高新区")
RISKS = (("low", 70), ("medium", 22), ("high", 8))
DIVISION = "990198"  # the draw benchmark's objects: 91 990198 XXXXXXXX C
NOW = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


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


def code(i: int) -> str:
    from fazhi.org.credit_code import check_char

    first17 = f"91{DIVISION}{i:09d}"[:17]
    return first17 + check_char(first17)


def load_objects(n: int) -> None:
    """COPY ``n`` objects into the pool (only those missing)."""
    from fazhi.inspections.models import Entity

    have = Entity.objects.filter(credit_code__startswith=f"91{DIVISION}").count()
    if have >= n:
        return
    rnd = random.Random(6)
    risk_values = [r for r, _ in RISKS]
    risk_weights = [w for _, w in RISKS]
    now = timezone.now().isoformat()
    table = Entity._meta.db_table
    cols = ("name", "credit_code", "entity_type", "industry", "region", "address", "legal_rep", "contact", "phone",
            "risk_level", "credit_level", "last_inspected_on", "active", "created_at", "updated_at")
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            buf = []
            for i in range(have, n):
                risks = rnd.choices(risk_values, risk_weights, k=1)[0]
                last = "\\N" if i % 4 else f"202{i % 6}-0{1 + i % 9}-1{i % 10}"
                buf.append(f"基准商贸有限公司{i}\t{code(i)}\t有限责任公司\t{INDUSTRIES[i % 12]}\t"
                           f"{REGIONS[(i // 12) % 8]}\t示范区人民路{i % 500}号\t李四\t王五\t13800000000\t"
                           f"{risks}\tA\t{last}\tt\t{now}\t{now}\n")
                if len(buf) >= 20_000:
                    copy.write("".join(buf))
                    buf = []
            copy.write("".join(buf))
    print(f"COPY of {n - have} objects: {time.perf_counter() - t0:.1f}s")
    with connection.cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {table}")


def setup_people(n_inspectors: int):
    """Units, an approved plan with a published item, inspectors with certificates, recusals."""
    from fazhi.enforcement import services as enforcement
    from fazhi.enforcement.models import Officer
    from fazhi.inspections import services
    from fazhi.inspections.models import Entity, InspectionItem, Inspector, Plan
    from fazhi.org import services as org_services
    from fazhi.org.models import Unit, UnitKind

    unit = Unit.objects.filter(name="基准区市场监督管理局").first()
    if unit is None:
        gov = org_services.create_unit(None, by=None, name="基准区人民政府", kind=UnitKind.GOVERNMENT)
        unit = org_services.create_unit(gov, by=None, name="基准区市场监督管理局", kind=UnitKind.DEPARTMENT)
    have = Officer.objects.filter(unit=unit).count()
    with transaction.atomic():
        for k in range(have, n_inspectors):
            person, _ = org_services.create_person(unit, by=None, username=f"bench_ins_{k}", name=f"检查员{k}",
                                                   password="bench-Fazhi-2026")
            officer = enforcement.register_officer(person, by=None, category="市场监管")
            enforcement.issue_certificate(officer, by=None, number=f"BENCH{k:06d}", issuing_authority="基准省",
                                          field="市场监管", valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31))
            inspector = services.add_inspector(officer, by=None, fields="市场监管")
            if k % 10 == 0:  # every tenth inspector recused from 50 objects
                for e in Entity.objects.filter(credit_code__startswith=f"91{DIVISION}")[k * 50:k * 50 + 50]:
                    services.add_recusal(inspector, by=None, entity=e, reason="近亲属任职")
    item = InspectionItem.objects.filter(unit=unit, number="BENCH-1").first()
    if item is None:
        with transaction.atomic():
            item = services.create_item(unit=unit, by=None, number="BENCH-1", name="企业公示信息检查",
                                        inspecting_body=unit.name, basis="《企业信息公示暂行条例》第十四条",
                                        field="市场监管")
            item = services.publish_item(item, by=None, now=NOW)
    plan = Plan.objects.filter(unit=unit, title="基准抽查计划").first()
    if plan is None:
        with transaction.atomic():
            plan = services.create_plan(unit=unit, by=None, year=2026, title="基准抽查计划")
            services.create_task(plan, by=None, title="基准任务（批准用）", items=[item],
                                 planned_start=date(2026, 4, 1), planned_end=date(2026, 6, 30), sample_size=1)
            plan = services.approve_plan(plan, by=None, now=NOW)
    return unit, item, plan, Inspector.objects.filter(unit=unit).count()


def time_phases() -> dict:
    """Wrap the main steps of the draw with timers (wall time, per step)."""

    from fazhi.core import draw as algo
    from fazhi.inspections import services

    spent: dict[str, list] = {}

    def wrap(owner, name, label):
        fn = getattr(owner, name)

        def timed(*a, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                entry = spent.setdefault(label, [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - t0

        setattr(owner, name, timed)

    for owner, name, label in (
        (services, "_freeze_objects_pg", "commit: COPY the pool out, write + hash the canonical file (PostgreSQL)"),
        (algo, "write_file", "commit: write + hash the inspector/recusal files (and the pool on SQLite)"),
        (services, "eligible_inspectors", "eligible inspectors"),
        (services, "compute_quotas", "commit: quotas"),
        (algo, "load_frozen", "reveal: hash the frozen files, read the selected strata"),
        (services, "_live_changes", "reveal: objects changed since the freeze"),
        (algo, "run_frozen", "reveal: select objects and teams"),
        (services, "_lookup_entities", "reveal: look up selected entities"),
        (services, "_lookup_inspectors", "reveal: look up team inspectors"),
        (services, "_write_selection", "reveal: COPY selections, teams, inspections"),
    ):
        wrap(owner, name, label)
    return spent


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--objects", type=int, default=3_000_000)
    p.add_argument("--sample", type=int, default=30_000)
    p.add_argument("--inspectors", type=int, default=200)
    p.add_argument("--profile", action="store_true", help="cProfile the draw and print the top functions")
    p.add_argument("--phases", action="store_true", help="time the main steps of commit and reveal")
    args = p.parse_args()

    ensure_database()
    # The benchmark's people never sign in: skip the slow password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from fazhi.inspections import services
    from fazhi.inspections.models import Entity

    t_start = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_objects(args.objects)
    unit, item, plan, n_insp = setup_people(args.inspectors)
    total = Entity.objects.count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; objects in the pool: {total}; "
          f"inspectors: {n_insp}; media: {settings.MEDIA_ROOT}")

    with transaction.atomic():
        task = services.create_task(
            plan, by=None, title=f"基准分层抽取 {timezone.now().isoformat()}", items=[item],
            planned_start=date(2026, 4, 1), planned_end=date(2026, 6, 30), sample_size=args.sample,
            stratify_by=["region", "risk_level"], team_size=2, exclude_recent_months=12)

    # Baseline: the eligible pool's keys, in canonical order, into Python.
    t0 = time.perf_counter()
    with transaction.atomic():
        qs = services.pool_queryset(task).order_by(Collate("credit_code", "C")).values_list("credit_code", flat=True)
        n_keys = sum(1 for _ in qs.iterator(chunk_size=20_000))
    base = time.perf_counter() - t0
    print(f"baseline: read {n_keys} eligible keys in canonical order: {base:.2f}s")

    # The ceremony's witnesses (fazhi-draw/2): one secret committed before the freeze, revealed after it.
    witness = services.add_witness(task, by=None, name="基准监督人", capacity="基准纪检组", kind="secret")
    services.commit_witness(witness, by=None, secret="基准监督人秘密 20260302", now=NOW)

    phases = time_phases() if args.phases else None
    prof = cProfile.Profile() if args.profile else None
    if prof:
        prof.enable()
    t0 = time.perf_counter()
    draw = services.commit_draw(task, by=None, now=NOW)
    commit = time.perf_counter() - t0
    services.reveal_witness(witness, by=None, value="基准监督人秘密 20260302", now=NOW)
    t0 = time.perf_counter()
    draw = services.reveal_draw(draw, by=None, now=NOW)
    reveal = time.perf_counter() - t0
    if prof:
        prof.disable()
    selected = draw.selections.count()
    strata = len(draw.strata)
    print(f"commit (freeze {draw.object_count} objects, {draw.inspector_count} inspectors, "
          f"{strata} strata, hashes, commitment): {commit:.2f}s")
    print(f"reveal (select {selected} objects with teams of 2, write selections/teams/inspections, receipt): "
          f"{reveal:.2f}s")
    print(f"draw total: {commit + reveal:.2f}s; live pool changed: {draw.live_pool_changed}")
    if phases is not None:
        for name, (calls, secs) in sorted(phases.items(), key=lambda kv: -kv[1][1]):
            print(f"  step {name}: {secs:.2f}s ({calls} calls)")
    if prof:
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(25)
    print(f"total runtime: {time.perf_counter() - t_start:.0f}s")
    print(f"ratio draw/baseline ({commit + reveal:.2f}s / {base:.2f}s): {(commit + reveal) / base:.2f}")


if __name__ == "__main__":
    main()
