from datetime import UTC, datetime

import pytest

from fazhi.audit.models import AuditEntry, AuditHead
from fazhi.audit.tests.conftest import db_value, make_chain, tamper
from fazhi.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_an_empty_chain_verifies():
    assert verify_chain().ok


def test_an_intact_chain_verifies_and_counts_its_entries(chain):
    result = verify_chain()
    assert result.ok and result.count == 5
    assert result.head_hash == chain[-1].hash


def test_it_verifies_across_batch_boundaries(chain):
    assert verify_chain(batch=2).ok
    assert verify_chain(batch=2).count == 5


@pytest.mark.parametrize("column, value", [
    ("data", '{"i": 3, "note": "改过的内容"}'),
    ("action", "test.thing.deleted"),
    ("actor_name", "冒名者"),
    ("object_repr", "别的事项"),
    ("prev_hash", "f" * 64),
    ("hash", "e" * 64),
])
def test_a_changed_entry_is_named(chain, column, value):
    tamper(f"UPDATE audit_auditentry SET {column} = %s WHERE seq = 3", [value])
    result = verify_chain()
    assert not result.ok
    assert (result.bad_seq, result.bad_id) == (3, chain[2].pk)
    assert result.count == 2


def test_a_changed_time_is_caught(chain):
    when = db_value("at", datetime(2020, 1, 1, tzinfo=UTC))
    tamper("UPDATE audit_auditentry SET at = %s WHERE seq = 2", [when])
    result = verify_chain()
    assert (result.ok, result.bad_seq) == (False, 2)
    assert "修改" in result.reason


def test_a_time_changed_by_one_microsecond_is_caught(chain):
    when = db_value("at", chain[1].at.replace(microsecond=(chain[1].at.microsecond + 1) % 1_000_000))
    tamper("UPDATE audit_auditentry SET at = %s WHERE seq = 2", [when])
    assert verify_chain().bad_seq == 2


def test_a_deleted_entry_in_the_middle_is_named(chain):
    tamper("DELETE FROM audit_auditentry WHERE seq = 3")
    result = verify_chain()
    assert not result.ok
    assert result.bad_seq == 4 and result.bad_id == chain[3].pk
    assert "缺少第 3 号" in result.reason


def test_a_deleted_first_entry_is_named(chain):
    tamper("DELETE FROM audit_auditentry WHERE seq = 1")
    result = verify_chain()
    assert (result.ok, result.bad_seq, result.count) == (False, 2, 0)


def test_a_deleted_last_entry_is_caught_through_the_head(chain):
    tamper("DELETE FROM audit_auditentry WHERE seq = 5")
    result = verify_chain()
    assert not result.ok
    assert result.bad_seq == 5 and result.bad_id is None
    assert "链尾缺失" in result.reason


def test_a_deleted_tail_with_a_rewound_head_still_fails_on_the_hash(chain):
    tamper("DELETE FROM audit_auditentry WHERE seq = 5")
    AuditHead.objects.filter(id=1).update(seq=4)  # the head is not append-only; its hash still points at #5
    result = verify_chain()
    assert not result.ok and result.bad_seq == 4


def test_an_entry_slipped_in_after_the_head_is_caught(chain):
    AuditHead.objects.filter(id=1).update(seq=4, hash=chain[3].hash)
    result = verify_chain()
    assert not result.ok and result.bad_seq == 5 and result.bad_id == chain[4].pk


def test_a_reordered_pair_is_named(chain):
    # Swap #2 and #3 (through a free number: seq is unique).
    tamper("UPDATE audit_auditentry SET seq = 999999 WHERE seq = 2")
    tamper("UPDATE audit_auditentry SET seq = 2 WHERE seq = 3")
    tamper("UPDATE audit_auditentry SET seq = 3 WHERE seq = 999999")
    result = verify_chain()
    assert not result.ok
    assert (result.bad_seq, result.bad_id) == (2, chain[2].pk)
    assert result.count == 1


def test_a_reordered_pair_with_recomputed_links_is_still_caught(chain):
    # Even swapping seq and prev_hash together fails: seq is part of the hashed content.
    a, b = chain[1], chain[2]
    tamper("UPDATE audit_auditentry SET seq = 999999, prev_hash = %s WHERE id = %s", [b.prev_hash, a.pk])
    tamper("UPDATE audit_auditentry SET seq = 2, prev_hash = %s WHERE id = %s", [a.prev_hash, b.pk])
    tamper("UPDATE audit_auditentry SET seq = 3 WHERE id = %s", [a.pk])
    assert verify_chain().bad_seq == 2


def test_the_first_bad_entry_is_named_when_several_are_bad(chain):
    tamper("UPDATE audit_auditentry SET actor_name = 'x' WHERE seq IN (2, 4)")
    assert verify_chain().bad_seq == 2


def test_entries_appended_after_a_verification_verify_too(chain):
    assert verify_chain().ok
    make_chain(3)
    result = verify_chain()
    assert result.ok and result.count == 8
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 9))
