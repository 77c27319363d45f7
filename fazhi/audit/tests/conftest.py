"""Helpers for audit tests.

Tampering with stored entries is exactly what the PostgreSQL trigger forbids,
so ``tamper`` switches it off around the raw SQL, deliberately and visibly
(the ALTER TABLE is rolled back with the test's transaction anyway).
"""

from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.services import record

TRIGGER = "audit_entry_append_only"


@contextmanager
def triggers_off():
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if pg:
            # ALTER TABLE waits for no one but refuses while deferred FK checks
            # of this transaction are pending: run them now.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
        try:
            yield cur
        finally:
            if pg:
                cur.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")
                cur.execute("SET CONSTRAINTS ALL DEFERRED")


def tamper(sql: str, params=()) -> None:
    with triggers_off() as cur:
        cur.execute(sql, params)


def db_value(field: str, value):
    """``value`` as the database stores ``field`` (for raw UPDATEs)."""
    return AuditEntry._meta.get_field(field).get_db_prep_value(value, connection)


def make_chain(n: int, **kw) -> list[AuditEntry]:
    with transaction.atomic():
        return [
            record(None, "test.thing.updated", by=None, object_type="test.thing", object_id=str(i % 3),
                   object_repr=f"事项{i}", data={"i": i, "note": f"第{i}次"}, **kw)
            for i in range(1, n + 1)
        ]


@pytest.fixture
def chain(db):
    return make_chain(5)
