"""Prepare the database a test run will use (called by `make test`).

On PostgreSQL, the test database is created here from template0 with a
UTF-8 locale (C.UTF-8): pg_trgm finds no trigrams in Chinese text under the
`C` locale, and Django's own test-database creation cannot set the locale.
pytest then runs with --reuse-db and migrates it. On SQLite nothing to do.
"""

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        print("数据库：SQLite（测试使用内存数据库）")
        return 0
    import psycopg
    from psycopg import sql

    test_name = db.get("TEST", {}).get("NAME") or f"test_{db['NAME']}"
    params = {k: v for k, v in {
        "host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"), "password": db.get("PASSWORD"),
    }.items() if v}
    try:
        conn = psycopg.connect(dbname="postgres", autocommit=True, **params)
    except psycopg.Error as exc:
        print(f"无法连接 PostgreSQL：{exc}", file=sys.stderr)
        return 2
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(test_name)))
        conn.execute(sql.SQL(
            "CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        ).format(sql.Identifier(test_name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            conn.execute(sql.SQL(
                "CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            ).format(sql.Identifier(db["NAME"])))
    print(f"数据库：PostgreSQL，测试库 {test_name}（UTF-8，C.UTF-8）已重建")
    return 0


if __name__ == "__main__":
    sys.exit(main())
