from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.audit.services import record
from fazhi.audit.verify import verify_chain
from fazhi.org.tests.factories import PersonFactory, UnitFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(None, "test.thing.created", by=None, object_type="test.thing", object_id="1")
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_entry_and_no_gap():
    with transaction.atomic():
        record(None, "test.thing.created", by=None, object_type="test.thing", object_id="1")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(None, "test.thing.updated", by=None, object_type="test.thing", object_id="1")
        raise ZeroDivisionError
    assert AuditEntry.objects.count() == 1
    with transaction.atomic():
        second = record(None, "test.thing.updated", by=None, object_type="test.thing", object_id="1")
    assert second.seq == 2
    assert verify_chain().ok and verify_chain().count == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_first_entry_leaves_an_empty_chain_that_verifies():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(None, "test.thing.created", by=None, object_type="test.thing", object_id="1")
        raise ZeroDivisionError
    assert AuditEntry.objects.count() == 0
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_actor_is_recorded_as_they_were_after_they_move_unit():
    old_unit, new_unit = UnitFactory(name="区农业农村局"), UnitFactory(name="区司法局")
    person = PersonFactory(name="李明", post="科长", unit=old_unit)
    entry = record(old_unit, "org.unit.updated", by=person.user)

    person.unit, person.post, person.name = new_unit, "副局长", "李明明"
    person.save()

    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor_name, entry.actor_post, entry.actor_unit) == ("李明", "科长", "区农业农村局")
    assert entry.actor_id == person.user_id
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_user_without_a_person_is_recorded_by_username():
    user = UserFactory(username="root")
    entry = record(None, "test.thing.created", by=user, object_type="test.thing", object_id="1")
    assert (entry.actor_name, entry.actor_unit) == ("root", "")


@pytest.mark.django_db
def test_the_system_is_recorded_when_there_is_no_user():
    entry = record(None, "test.thing.expired", by=None, object_type="test.thing", object_id="1")
    assert entry.actor is None and entry.actor_name == "系统"


@pytest.mark.django_db
def test_the_unit_defaults_to_the_object_unit_or_the_unit_itself():
    unit = UnitFactory()
    person = PersonFactory(unit=unit)
    assert record(unit, "org.unit.updated", by=None).unit_id == unit.pk
    assert record(person, "org.person.updated", by=None).unit_id == unit.pk
    other = UnitFactory()
    assert record(person, "org.person.updated", by=None, unit=other).unit_id == other.pk


@pytest.mark.django_db
def test_the_object_is_identified_by_label_pk_and_str():
    unit = UnitFactory(name="区财政局")
    entry = record(unit, "org.unit.created", by=None)
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("org.unit", str(unit.pk), "区财政局")


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["created", "org.created", "org..created", ".unit.created"])
def test_an_action_code_must_be_app_object_verb(action):
    with pytest.raises(ValueError):
        record(None, action, by=None, object_type="test.thing", object_id="1")


@pytest.mark.django_db
def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        record(None, "test.thing.created", by=None, object_type="test.thing", object_id="1",
               now=datetime(2024, 1, 1, 9, 0))


@pytest.mark.django_db
def test_data_is_stored_exactly_as_hashed():
    data = {
        "day": date(2024, 10, 8), "amount": Decimal("12.50"), "score": 92.5, "big": 1e20, "tiny": 1.5e-7,
        "zero": -0.0, "text": "中文 \u2028 \"引号\" <b>", "nested": {"b": [1, 2.0, None, True]}, 3: "整数键",
    }
    entry = record(None, "test.thing.updated", by=None, object_type="test.thing", object_id="1", data=data)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.data == entry.data
    assert stored.data["day"] == "2024-10-08" and stored.data["3"] == "整数键"
    assert stored.compute_hash() == entry.hash
    assert verify_chain().ok


@pytest.mark.django_db
def test_nan_is_refused():
    with pytest.raises(ValueError):
        record(None, "test.thing.updated", by=None, object_type="test.thing", object_id="1",
               data={"x": float("nan")})


@pytest.mark.django_db
def test_seq_and_links_follow_each_other(chain):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))


@pytest.mark.django_db
def test_a_pinned_time_is_kept():
    when = timezone.make_aware(datetime(2024, 2, 9, 23, 59, 59, 123456))
    entry = record(None, "test.thing.created", by=None, object_type="test.thing", object_id="1", now=when)
    assert AuditEntry.objects.get(pk=entry.pk).at == when
    assert verify_chain().ok
