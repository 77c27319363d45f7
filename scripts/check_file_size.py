"""List the Python files under fazhi/ longer than 600 lines (STYLE.md: "files stay
small enough to read whole"; a module past that becomes a package split by area).

Migrations and tests are left out. A report only: it always exits 0, because
some big files remain to be split (issue 14) and CI should show them, not fail.

    python scripts/check_file_size.py [--limit N]
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {"migrations", "tests", "e2e", "__pycache__"}


def long_files(base: Path, limit: int) -> list[tuple[int, Path]]:
    """(lines, path) of every .py file under ``base`` with more than ``limit`` lines, longest first."""
    out = []
    for path in base.rglob("*.py"):
        rel = path.relative_to(base)
        if SKIP_DIRS & set(rel.parts[:-1]) or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        with path.open("rb") as f:
            lines = sum(1 for _ in f)
        if lines > limit:
            out.append((lines, path))
    out.sort(key=lambda pair: (-pair[0], str(pair[1])))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=600)
    args = parser.parse_args(argv)
    found = long_files(ROOT / "fazhi", args.limit)
    if not found:
        print(f"文件行数：fazhi/ 下没有超过{args.limit}行的 Python 文件")
        return 0
    print(f"文件行数：fazhi/ 下超过{args.limit}行的 Python 文件（不含迁移和测试；仅提示，不使 CI 失败）")
    for lines, path in found:
        print(f"  {lines:6d}  {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
