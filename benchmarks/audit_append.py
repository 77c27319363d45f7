"""How much does the hash chain cost per audited change?

Measures appending N audit entries (each in its own transaction, like real
services do) against a baseline of N plain inserts of an equally sized row
in the same database, in the same run. Prints the figures; the last line is
the ratio chain/baseline.

    .venv/bin/python benchmarks/audit_append.py [N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench .venv/bin/python benchmarks/audit_append.py

It uses its own database (var/bench.sqlite3 by default), never the demo one.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "sqlite:///var/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from fazhi.audit.models import AuditEntry  # noqa: E402
from fazhi.audit.services import record  # noqa: E402
from fazhi.audit.verify import verify_chain  # noqa: E402
from fazhi.core.models import NumberSequence  # noqa: E402


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    start_seq = AuditEntry.objects.count()

    t0 = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            record(None, "bench.entry.appended", by=None, object_type="bench.entry", object_id=str(i),
                   object_repr=f"基准 {i}", data={"i": i, "note": "性能基准"})
    chain = time.perf_counter() - t0

    # Baseline: one plain row insert per transaction, no lock, no hash.
    t0 = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            NumberSequence.objects.create(issuer="基准", prefix=f"基准{start_seq}-{i}", year=2026)
    base = time.perf_counter() - t0
    NumberSequence.objects.filter(issuer="基准").delete()

    t0 = time.perf_counter()
    result = verify_chain()
    verify = time.perf_counter() - t0

    db = django.db.connection.vendor
    print(f"database: {db}")
    print(f"audit appends: {n} in {chain:.3f}s = {n / chain:.0f}/s")
    print(f"baseline inserts: {n} in {base:.3f}s = {n / base:.0f}/s")
    print(f"verify: {result.count} entries in {verify:.3f}s = {result.count / max(verify, 1e-9):.0f}/s, ok={result.ok}")
    print(f"ratio chain/baseline: {chain / base:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
