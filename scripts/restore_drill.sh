#!/usr/bin/env bash
# 恢复演练 (restore drill): back up the database and the files exactly as
# docs/deploy.md §8 says, restore both into a fresh place, and prove the copy
# is whole: migrations complete, `audit_verify` (the hash chain) and
# `verify_files` (every stored file against its recorded SHA-256).
#
#   scripts/restore_drill.sh [WORKDIR]
#
# Reads the same environment as the application (DATABASE_URL, MEDIA_ROOT,
# SECRET_KEY or FAZHI_ENV …). SQLite: an online copy with SQLite's backup API.
# PostgreSQL: pg_dump -Fc, then pg_restore into a new database
# <name>_drill_<pid> on the same server (dropped at the end unless KEEP=1; the
# role needs CREATEDB, and CREATE EXTENSION pg_trgm needs a superuser or a
# template that has it). Files: a tar of MEDIA_ROOT (with S3 storage, sync the
# bucket to a folder first and point MEDIA_ROOT at it; see deploy.md).
# Exit 0 only when every check passes. Touches nothing of the source.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
WORK="${1:-$(mktemp -d "${TMPDIR:-/tmp}/fazhi-drill.XXXXXX")}"
SRC_URL="${DATABASE_URL:-sqlite:///var/fazhi.sqlite3}"
SRC_MEDIA="${MEDIA_ROOT:-$PWD/var/media}"
mkdir -p "$WORK/backup" "$WORK/restore/media"
say() { printf '== %s\n' "$*"; }

dbname() {  # the database part of a URL, through the application's own parser
  "$PY" -c 'import sys; from pathlib import Path; from fazhi.envconf import parse_database_url as p
print(p(sys.argv[1], Path(".").resolve())["NAME"])' "$1"
}

DRILL_URL=""
cleanup() {
  if [[ "$SRC_URL" == postgres* && -n "$DRILL_URL" && "${KEEP:-0}" != 1 ]]; then
    dropdb --if-exists --maintenance-db="$SRC_URL" "$(dbname "$DRILL_URL")" || true
  fi
}
trap cleanup EXIT

say "1. 备份数据库（$(echo "$SRC_URL" | sed -E 's#://[^@/]*@#://***@#')）"
case "$SRC_URL" in
  sqlite:*)
    SRC_DB="$(dbname "$SRC_URL")"
    "$PY" -c 'import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)' "$SRC_DB" "$WORK/backup/fazhi.sqlite3"
    ;;
  postgres*)
    pg_dump -Fc --no-owner -f "$WORK/backup/fazhi.dump" "$SRC_URL"
    ;;
  *) echo "不支持的 DATABASE_URL：$SRC_URL" >&2; exit 2 ;;
esac

say "2. 备份文件（$SRC_MEDIA）"
if [[ -d "$SRC_MEDIA" ]]; then
  tar -C "$SRC_MEDIA" -czf "$WORK/backup/media.tar.gz" .
else
  tar -czf "$WORK/backup/media.tar.gz" --files-from /dev/null
fi
( cd "$WORK/backup" && sha256sum ./* > SHA256SUMS )

say "3. 在新位置恢复"
( cd "$WORK/backup" && sha256sum -c --quiet SHA256SUMS )
case "$SRC_URL" in
  sqlite:*)
    cp "$WORK/backup/fazhi.sqlite3" "$WORK/restore/fazhi.sqlite3"
    DRILL_URL="sqlite:///$WORK/restore/fazhi.sqlite3"
    ;;
  postgres*)
    DRILL_DB="$(dbname "$SRC_URL")_drill_$$"
    DRILL_URL="${SRC_URL%/*}/$DRILL_DB"
    createdb --maintenance-db="$SRC_URL" -T template0 -E UTF8 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 "$DRILL_DB"
    pg_restore --no-owner --exit-on-error -d "$DRILL_URL" "$WORK/backup/fazhi.dump"
    ;;
esac
tar -C "$WORK/restore/media" -xzf "$WORK/backup/media.tar.gz"

say "4. 校验恢复的副本"
export DATABASE_URL="$DRILL_URL" MEDIA_ROOT="$WORK/restore/media"
"$PY" manage.py migrate --check --noinput || {
  echo "恢复的数据库缺少迁移（备份早于当前代码？）：先 manage.py showmigrations 查看" >&2; exit 1; }
"$PY" manage.py audit_verify
"$PY" manage.py verify_files
say "恢复演练通过：数据库与文件完整（备份在 $WORK/backup）"
