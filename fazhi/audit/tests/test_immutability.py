import pytest
from django.db import DatabaseError, connection, models, transaction

from fazhi.audit.models import AuditEntry, ImmutableEntry
from fazhi.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_the_orm_refuses_queryset_update(chain):
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.filter(seq=1).update(action="x.y.z")


def test_the_orm_refuses_queryset_delete(chain):
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.filter(seq=1).delete()
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.all().delete()


def test_the_orm_refuses_saving_an_existing_entry(chain):
    entry = AuditEntry.objects.get(seq=2)
    entry.data = {"note": "改"}
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        models.Model.save(entry)  # even past our save()


def test_the_orm_refuses_deleting_an_entry(chain):
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.get(seq=2).delete()


def test_the_orm_refuses_bulk_update_and_update_or_create(chain):
    entry = AuditEntry.objects.get(seq=2)
    entry.action = "x.y.z"
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.bulk_update([entry], ["action"])
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.update_or_create(seq=2, defaults={"action": "x.y.z"})


def test_refusals_change_nothing(chain):
    for attempt in (lambda: AuditEntry.objects.update(action="x.y.z"), lambda: AuditEntry.objects.all().delete()):
        with pytest.raises(ImmutableEntry):
            attempt()
    assert verify_chain().ok and AuditEntry.objects.count() == 5


def test_the_error_is_a_permission_error_in_chinese(chain):
    with pytest.raises(PermissionError, match="只能追加"):
        AuditEntry.objects.update(action="x.y.z")


@pytest.mark.postgres
@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditentry SET actor_name = 'x' WHERE seq = 1",
    "DELETE FROM audit_auditentry WHERE seq = 1",
    "DELETE FROM audit_auditentry",
])
def test_postgresql_refuses_raw_update_and_delete(chain, sql):
    with pytest.raises(DatabaseError, match="只能追加"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert verify_chain().ok and AuditEntry.objects.count() == 5


@pytest.mark.postgres
def test_postgresql_still_accepts_inserts(chain):
    from fazhi.audit.tests.conftest import make_chain

    make_chain(1)
    assert AuditEntry.objects.count() == 6
