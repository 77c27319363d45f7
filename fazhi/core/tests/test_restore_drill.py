"""scripts/restore_drill.sh: back up the database and the files, restore both
into a fresh place, and prove the copy whole (audit_verify, verify_files).
Run on SQLite always and on PostgreSQL with pg_dump/pg_restore (marked
``postgres``). Each drill starts real processes on a real database."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
DRILL = ROOT / "scripts" / "restore_drill.sh"

POPULATE = """
from django.core.files.base import ContentFile
from fazhi.inspections import services
from fazhi.org import services as org
from fazhi.org.models import UnitKind
gov = org.create_unit(None, by=None, name="演练区人民政府", kind=UnitKind.GOVERNMENT)
unit = org.create_unit(gov, by=None, name="演练区市场监督管理局", kind=UnitKind.DEPARTMENT)
csv = "名称,统一社会信用代码\\n演练企业,91500104MA5UXXXX0X\\n".encode()
imp = services.start_import(ContentFile(csv, name="objects.csv"), by=None, unit=unit)
print(imp.file)
"""


def _env(database_url: str, media: Path) -> dict:
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    return {**keep, "FAZHI_ENV": "development", "DATABASE_URL": database_url, "MEDIA_ROOT": str(media),
            "PY": sys.executable, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}


def _manage(env: dict, *args: str) -> str:
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def _source(database_url: str, media: Path) -> tuple[dict, Path]:
    """A migrated database with audited records and one stored file."""
    env = _env(database_url, media)
    _manage(env, "migrate", "--noinput", "-v", "0")
    stored = _manage(env, "shell", "-c", POPULATE).strip().splitlines()[-1]
    return env, media / stored


def _drill(env: dict, work: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(DRILL), str(work)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900)


def _assert_drill_passes_then_catches_a_changed_file(env: dict, stored: Path, tmp: Path) -> None:
    ok = _drill(env, tmp / "drill1")
    assert ok.returncode == 0, ok.stdout[-2000:] + ok.stderr[-3000:]
    lines = ok.stdout.splitlines()
    assert any(line.startswith("OK ") and line.endswith(" entries") for line in lines)  # audit_verify
    assert "OK 1 files" in lines  # verify_files: the import file
    assert (tmp / "drill1" / "backup" / "media.tar.gz").exists()
    # A file changed after it was recorded is caught in the restored copy.
    stored.write_bytes(stored.read_bytes() + b"changed")
    bad = _drill(env, tmp / "drill2")
    assert bad.returncode != 0
    assert "CHANGED 检查对象导入文件" in bad.stdout


@pytest.mark.skipif(shutil.which("tar") is None, reason="需要 tar")
def test_restore_drill_on_sqlite(tmp_path):
    env, stored = _source(f"sqlite:///{tmp_path}/source.sqlite3", tmp_path / "media")
    _assert_drill_passes_then_catches_a_changed_file(env, stored, tmp_path)


@pytest.mark.postgres
@pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
                    reason="需要 pg_dump 和 pg_restore")
def test_restore_drill_on_postgres(tmp_path):
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    server = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    name = f"{db['NAME'].removeprefix('test_')}_drill_src"
    admin = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    subprocess.run(["dropdb", "--if-exists", f"--maintenance-db={server}/postgres", name], env=admin, check=True)
    subprocess.run(["createdb", f"--maintenance-db={server}/postgres", "-T", "template0", "-E", "UTF8",
                    "--lc-collate=C.UTF-8", "--lc-ctype=C.UTF-8", name], env=admin, check=True)
    try:
        env, stored = _source(f"{server}/{name}", tmp_path / "media")
        _assert_drill_passes_then_catches_a_changed_file(env, stored, tmp_path)
    finally:
        subprocess.run(["dropdb", "--if-exists", f"--maintenance-db={server}/postgres", name], env=admin)
