"""How fast is the public library search with 100,000 documents (issue 3, "Performance")?

Creates, in its own PostgreSQL database (UTF-8, C.UTF-8, from template0 —
pg_trgm needs it), N published documents with Chinese titles and texts made
from phrases, loaded with COPY before the search indexes are built
(migration 0100_search_indexes runs on the full tables, as it would on an
existing production database). Then measures the median of repeated runs of
the library's first page (search_documents + CappedPaginator: the 20 rows
and the count) for 2-character and 4-character terms, and of a plain
primary-key fetch of one document page as the baseline. The last line is the
ratio search/baseline (the slowest search term).

    .venv/bin/python benchmarks/normdocs_search.py [N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench_nd .venv/bin/python benchmarks/normdocs_search.py

The data stays in the database: a second run reuses it (drop the database to
start over).
"""

import importlib
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fazhi_bench_nd")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

RUNS = 31
TERMS = [("2字（常见）", "许可"), ("2字（约3%）", "渔船"), ("2字（少见）", "殡葬"),
         ("4字（常见）", "行政处罚"), ("4字（约3%）", "扬尘治理"), ("4字（少见）", "农村供水")]
# Topic weights: most topics are equally frequent; 殡葬管理 and 农村供水 are rare (~0.6 %).
RARE_TOPICS = {"殡葬管理": 0.2, "农村供水": 0.2}

TOPICS = ["城市管理", "农村供水", "安全生产", "食品安全", "生态环境", "道路交通", "市场监管", "住房保障", "养老服务",
          "校外培训", "渔船管理", "燃气安全", "殡葬管理", "物业管理", "扬尘治理", "河道管理", "文物保护", "消防安全",
          "农贸市场", "停车收费", "社区治理", "公共资源交易", "政府采购", "行政执法", "信用体系", "营商环境",
          "耕地保护", "森林防火", "防汛抗旱", "中小企业", "人才引进", "就业创业", "医疗保障", "义务教育"]
ACTIONS = ["管理", "实施", "规范", "监督管理", "考核", "奖励", "补助", "登记", "备案", "评估", "整治"]
KINDS = ["办法", "暂行办法", "实施细则", "规定", "实施意见", "若干措施", "管理规定", "工作规则"]
PHRASES = [
    "本办法所称{t}，是指本区行政区域内从事相关活动的单位和个人",
    "区{t}主管部门负责本办法的组织实施和监督检查",
    "各镇人民政府、街道办事处按照职责做好辖区内的{t}工作",
    "发展改革、财政、自然资源、生态环境等部门按照各自职责做好相关工作",
    "违反本办法规定的，由有关部门依照相关法律、法规的规定予以处理",
    "对符合条件的申请人，应当在规定期限内作出决定并书面告知",
    "有关部门应当建立健全投诉举报制度，及时受理并依法处理",
    "鼓励社会资本参与{t}，依法保护其合法权益",
    "行政机关实施监督检查，不得妨碍被检查单位正常的生产经营活动",
    "依法需要取得行政许可的，应当依法办理相关手续",
    "有关单位应当于每年十二月底前报送年度工作情况",
    "对在{t}工作中作出显著成绩的单位和个人，按照有关规定给予表彰",
    "相关信息应当通过政府网站等渠道依法向社会公开",
    "工作人员在{t}工作中滥用职权、玩忽职守、徇私舞弊的，依法给予处分",
    "本办法自公布之日起三十日后施行，有效期五年",
    "涉及行政处罚的，按照《中华人民共和国行政处罚法》的规定执行",
    "建立部门协作机制，加强信息共享和联合执法",
    "区财政每年安排专项资金，用于{t}的补助和奖励",
    "申请补助应当提交申请书、相关证明材料和资金使用计划",
    "{t}相关单位应当按规定办理登记并接受安全检查",
    "{t}工程应当保障质量安全，定期开展检测",
]
NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    return NUMERALS[n // 10 - 1] + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")


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
            conn.execute(sql.SQL(
                "CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            ).format(sql.Identifier(db["NAME"])))


SEARCH_MIGRATION = importlib.import_module("fazhi.normative_docs.migrations.0100_search_indexes")


def run_sql(statements) -> None:
    with connection.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


def row_values(model, values: dict) -> tuple[list[str], list]:
    """All concrete columns of ``model`` with ``values`` or each field's default."""
    columns, row = [], []
    for f in model._meta.concrete_fields:
        if f.attname in values:
            v = values[f.attname]
        elif f.has_default():
            v = f.get_default()
        elif f.null:
            v = None
        else:
            v = ""
        if isinstance(v, (list, dict)):
            v = json.dumps(v, ensure_ascii=False)
        columns.append(f.column)
        row.append(v)
    return columns, row


def load(n: int) -> None:
    from fazhi.normative_docs.models import DocVersion, IssuerLevel, NormDoc, Status
    from fazhi.org.models import Unit, UnitKind

    rnd = random.Random(20260101)
    now = timezone.now()
    units = [Unit(name=f"基准区{name}", short_name=name, kind=UnitKind.DEPARTMENT, path=f"{i:06d}/")
             for i, name in enumerate(["人民政府", "司法局", "市场监管局", "农业农村局", "生态环境局", "住房城乡建设局",
                                       "交通运输局", "应急管理局", "民政局", "教育局", "财政局", "水利局"], start=1)]
    Unit.objects.bulk_create(units)
    unit_ids = list(Unit.objects.filter(name__startswith="基准区").values_list("pk", flat=True))
    start = date(2000, 1, 1)

    with transaction.atomic(), connection.cursor() as cur:
        raw = cur.cursor
        doc_cols = None
        t0 = time.perf_counter()
        versions = []
        docs = []
        weights = [RARE_TOPICS.get(t, 1.0) for t in TOPICS]
        for i in range(1, n + 1):
            topic = rnd.choices(TOPICS, weights)[0]
            title = f"关于{topic}{rnd.choice(ACTIONS)}的{rnd.choice(KINDS)}"
            articles = []
            for a in range(1, rnd.randint(8, 20) + 1):
                parts = rnd.sample(PHRASES, rnd.randint(1, 3))
                text = "；".join(p.format(t=topic) for p in parts) + "。"
                articles.append({"no": f"第{cn_number(a)}条", "chapter": "", "text": text})
            full = "\n".join(f"{a['no']} {a['text']}" for a in articles)
            published = start + timedelta(days=rnd.randrange(9500))
            unit_id = rnd.choice(unit_ids)
            cols, row = row_values(DocVersion, {
                "id": i, "doc_id": i, "number": 1, "text": full, "articles": articles, "created_at": now,
                "created_by_id": None,
            })
            versions.append(row)
            doc_cols, drow = row_values(NormDoc, {
                "id": i, "created_at": now, "updated_at": now, "unit_id": unit_id, "issuer_id": unit_id,
                "issuer_level": IssuerLevel.DEPARTMENT, "title": title,
                "status": rnd.choices([Status.PUBLISHED, Status.AMENDED, Status.REPEALED, Status.EXPIRED],
                                      [85, 5, 5, 5])[0],
                "current_version_id": i, "registration_no": f"JZ-{published.year}-{i:06d}",
                "doc_number": f"基准发〔{published.year}〕{i}号", "published_on": published,
                "effective_on": published + timedelta(days=30), "adopted_on": published - timedelta(days=10),
                "drafter_id": None, "signer_id": None, "amendment_of_id": None,
            })
            docs.append(drow)
        gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        with raw.copy(f"COPY normative_docs_normdoc ({', '.join(doc_cols)}) FROM STDIN") as copy:
            for r in docs:
                copy.write_row(r)
        with raw.copy(f"COPY normative_docs_docversion ({', '.join(cols)}) FROM STDIN") as copy:
            for r in versions:
                copy.write_row(r)
        for table in ("normative_docs_normdoc", "normative_docs_docversion"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        print(f"generated {n} documents in {gen:.1f}s, COPY in {time.perf_counter() - t0:.1f}s")


def median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(n: int) -> None:
    ensure_database()
    from fazhi.normative_docs.models import NormDoc
    from fazhi.normative_docs.search import PAGE_SIZE, CappedPaginator, search_documents

    t_start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '1GB'")
    call_command("migrate", verbosity=0)
    if NormDoc.objects.count() < n:
        # Load without the search indexes, then build them as the migration does
        # on an existing database: much faster than maintaining GIN during COPY.
        run_sql(SEARCH_MIGRATION.BACKWARD)
        load(n)
        t0 = time.perf_counter()
        run_sql(SEARCH_MIGRATION.FORWARD)
        print(f"search indexes (migration 0100) built in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE normative_docs_normdoc")
        cur.execute("VACUUM ANALYZE normative_docs_docversion")
    print(f"vacuum analyze: {time.perf_counter() - t0:.1f}s")

    total = NormDoc.objects.count()
    chars = NormDoc.objects.raw(
        "SELECT 1 AS id, avg(length(text)) AS a FROM normative_docs_docversion")[0].a
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, documents: {total}, "
          f"average text length: {chars:.0f} characters")

    def first_page(term):
        def run():
            page = CappedPaginator(search_documents(term), PAGE_SIZE).page(1)
            rows = list(page.object_list)
            return rows, page.paginator.count
        return run

    results = []
    for label, term in TERMS:
        rows, count = first_page(term)()
        ms = median_ms(first_page(term))
        results.append(ms)
        shown = "1000+" if count > 1000 else str(count)
        print(f"search {label} “{term}”: first page {len(rows)} rows of {shown}, median {ms:.1f} ms")

    ids = list(NormDoc.objects.values_list("pk", flat=True)[:1000])
    rnd = random.Random(7)

    def detail():
        doc = NormDoc.objects.select_related("issuer", "current_version").get(pk=rnd.choice(ids))
        return doc.current_version.articles

    base = median_ms(detail)
    print(f"baseline: primary-key fetch of one document page (document + text), median {base:.2f} ms")
    print(f"total runtime: {time.perf_counter() - t_start:.0f}s")
    worst = max(results)
    print(f"ratio search/baseline (slowest term {worst:.1f} ms / {base:.2f} ms): {worst / base:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
