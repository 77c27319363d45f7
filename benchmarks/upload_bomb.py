"""What does a hostile upload do to a worker (issue 11, "Decompression bombs")?

Builds, in a temporary folder:

* ``bomb.docx`` — a valid Word file whose ``word/document.xml`` expands to
  ``--gb`` GB (default 1.1) of ordinary paragraphs: about 1 MB on disk;
* ``members.docx`` — a valid Word file with ``--members`` (default 100,000)
  empty extra members, under the 10 MB limit of the plan upload;
* ``laughs.xlsx`` — a workbook whose sheet declares nested XML entities
  ("billion laughs", 10^9 expansions of a 3-byte string);

then hands each to the real upload paths, each in its own child process so
that its peak memory (``ru_maxrss``) and time are measured alone:

* ``ledger``   — the plan import (``ledger.views._read_upload`` + ``parser.parse_plan``);
* ``normdocs`` — the normative-document import (``normative_docs.textio.read_text``);
* ``training`` — the attendance/score import (``training.importer.read_sheet``);
* ``pool``     — the object-pool upload's check (``core.uploads.check_archive``
  with the SHEET limits) on a legitimate ``--pool-rows`` sheet, which must pass.

A child is limited to ``--limit-gb`` GB of address space (default 4) so that
today's code fails with MemoryError instead of taking the machine; "killed at
the limit" in the output means the upload would have grown past it. Prints one
line per (file, path): outcome, peak memory, seconds.

    .venv/bin/python benchmarks/upload_bomb.py
    .venv/bin/python benchmarks/upload_bomb.py --gb 0.2 --members 20000   # quicker

Measured on the shared 2-core machine (issue 11), before → after the check:

    bomb.docx (5.5 MB → 1.1 GB)  ledger    4088 MB peak, 58 s, hit the 4 GB limit → 65 MB, 0.6 s, refused
    bomb.docx                    normdocs    58 MB (its old 100 MB declared-size check) → 58 MB, refused
    members.docx (100,003)       ledger     126 MB, 4.7 s, parsed → 61 MB, 0.2 s, refused
    members.docx                 normdocs   181 MB, 4.0 s, accepted → 60 MB, 0.1 s, refused
    laughs.xlsx                  training    expat's amplification limit (a ParseError, a 500 in the
                                             view, without defusedxml) → refused before openpyxl, 61 MB
    pool.xlsx (200,000 rows)     pool        accepted: 174 MB inflated, checked in 4.7 s at 59 MB
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

def pool_xlsx(path: str, rows: int) -> None:
    """A legitimate object-pool sheet of ``rows`` rows (the columns of the
    import template; openpyxl writes inline strings, larger than Excel's
    shared strings, so this is the heavier case)."""
    from openpyxl import Workbook

    from fazhi.org.credit_code import check_char

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("检查对象")
    ws.append(["名称", "统一社会信用代码", "主体类型", "行业", "区域", "住所", "法定代表人", "联系人", "联系电话",
               "风险等级", "信用等级", "最近检查日期"])
    for i in range(rows):
        first17 = f"91990199{i:09d}"[:17]
        ws.append([f"示范基准商贸有限公司{i}", first17 + check_char(first17), "有限责任公司", "餐饮服务",
                   "城关镇", f"示范区人民路{i % 900}号", "李四", "王五", f"138{i % 100000000:08d}",
                   ("低", "中", "高")[i % 3], "A", "" if i % 3 else f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"])
    wb.save(path)


def child(kind: str, file: str) -> None:
    """Run one upload path on ``file``; print outcome, peak MB, seconds."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(Path(file).name, b"" if kind == "pool" else Path(file).read_bytes())
    start = time.perf_counter()
    outcome = "accepted"
    try:
        if kind == "ledger":
            from fazhi.ledger import parser
            from fazhi.ledger.views import _read_upload

            text, _, _ = _read_upload(upload)
            parser.parse_plan(text)
        elif kind == "normdocs":
            from fazhi.normative_docs.textio import read_text

            read_text(upload)
        elif kind == "training":
            from fazhi.training.importer import read_sheet

            read_sheet(upload)
        elif kind == "pool":  # the object-pool upload's check, on the stored file (as start_import runs it)
            from fazhi.core import uploads

            inflated = uploads.check_archive(file, kind=uploads.SHEET, what="导入文件")
            outcome = f"accepted ({inflated / 1024 ** 2:.0f} MB inflated)"
    except MemoryError:
        outcome = "killed at the limit (MemoryError)"
    except Exception as exc:  # the refusal (ValidationError) or a parser's own error
        message = getattr(exc, "message", None) or str(exc)
        outcome = f"refused: {type(exc).__name__}: {message[:90]}"
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{outcome}\t{peak_mb:.0f}\t{seconds:.2f}")


def measure(kind: str, file: str, limit_gb: float) -> tuple[str, str, str]:
    def limit():
        n = int(limit_gb * 1024 ** 3)
        resource.setrlimit(resource.RLIMIT_AS, (n, n))

    proc = subprocess.run([sys.executable, __file__, "--child", kind, file], capture_output=True, text=True,
                          preexec_fn=limit, cwd=ROOT, timeout=1800)
    line = (proc.stdout.strip().splitlines() or [""])[-1]
    if proc.returncode != 0 or "\t" not in line:
        err = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return f"child died (exit {proc.returncode}): {err[:90]}", "-", "-"
    outcome, peak, seconds = line.split("\t")
    return outcome, peak, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gb", type=float, default=1.1, help="expanded size of the bomb's document.xml (GB)")
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--pool-rows", type=int, default=200_000,
                    help="rows of a legitimate object-pool .xlsx that must pass (0: skip)")
    ap.add_argument("--limit-gb", type=float, default=4.0, help="address-space limit of a child (GB)")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    tmp = tempfile.mkdtemp(prefix="fazhi-bomb-")
    bomb, members, laughs = (os.path.join(tmp, n) for n in ("bomb.docx", "members.docx", "laughs.xlsx"))
    from fazhi.core.testing import docx_bomb, docx_with_members, xlsx_laughs

    docx_bomb(bomb, int(args.gb * 1024 ** 3))
    docx_with_members(members, args.members)
    Path(laughs).write_bytes(xlsx_laughs())
    print(f"bomb.docx     {os.path.getsize(bomb) / 1024 ** 2:6.2f} MB on disk, document.xml "
          f"{args.gb:.2f} GB expanded")
    print(f"members.docx  {os.path.getsize(members) / 1024 ** 2:6.2f} MB on disk, {args.members:,} members")
    print(f"laughs.xlsx   {os.path.getsize(laughs) / 1024:6.1f} KB on disk, an entity of 10^9 × 'lol'")
    print(f"(each path in its own process, address space limited to {args.limit_gb:g} GB)")
    print(f"{'file':<14}{'path':<10}{'peak MB':>8}{'s':>8}  outcome")
    runs = [(bomb, ("ledger", "normdocs")), (members, ("ledger", "normdocs")), (laughs, ("training",))]
    if args.pool_rows:
        pool = os.path.join(tmp, "pool.xlsx")
        pool_xlsx(pool, args.pool_rows)
        print(f"pool.xlsx     {os.path.getsize(pool) / 1024 ** 2:6.2f} MB on disk, {args.pool_rows:,} rows "
              "(a legitimate object pool)")
        runs.append((pool, ("pool",)))
    for file, kinds in runs:
        for kind in kinds:
            outcome, peak, seconds = measure(kind, file, args.limit_gb)
            print(f"{Path(file).name:<14}{kind:<10}{peak:>8}{seconds:>8}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
