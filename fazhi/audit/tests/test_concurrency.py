"""Real concurrency on PostgreSQL: writers in their own transactions and
connections take turns on the chain head, so the chain stays linear."""


import pytest
from django.db import transaction

from fazhi.audit.models import AuditEntry
from fazhi.audit.services import record
from fazhi.audit.verify import verify_chain
from fazhi.core.testing import run_in_threads

THREADS, EACH = 8, 10




def append(i):
    for j in range(EACH):
        with transaction.atomic():
            record(None, "test.thing.updated", by=None, object_type="test.thing", object_id=str(i),
                   data={"thread": i, "n": j})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_linear_from_the_very_first_entry():
    # No head row yet: the threads also race to create it.
    run_in_threads(append, THREADS)
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, THREADS * EACH + 1))
    result = verify_chain()
    assert result.ok and result.count == THREADS * EACH


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_verification_while_others_append_does_not_report_false_damage():
    with transaction.atomic():
        record(None, "test.thing.created", by=None, object_type="test.thing", object_id="0")
    results = []

    def job(i):
        if i == 0:
            for _ in range(20):
                results.append(verify_chain(batch=7))
        else:
            append(i)

    run_in_threads(job, 5)
    assert all(r.ok for r in results), [r for r in results if not r.ok][:1]
    assert verify_chain().count == 1 + 4 * EACH
