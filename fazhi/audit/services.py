"""Writing to the audit chain. ``record`` is the only way in."""

import json

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from fazhi.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _normalise(data: dict | None) -> dict:
    # Dates, decimals and UUIDs become strings now, so what is stored is
    # exactly what was hashed (a JSON round trip is the identity afterwards).
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def _actor_snapshot(by) -> tuple[object, str, str, str]:
    if by is None or not getattr(by, "is_authenticated", False):
        return None, "系统", "", ""
    name, post, unit = by.get_username(), "", ""
    try:
        person = by.person
    except ObjectDoesNotExist:  # a bare superuser account has no Person
        person = None
    if person is not None:
        name, post, unit = person.name, person.post, person.unit.name
    return by, name, post, unit


def record(obj: models.Model | None, action: str, *, by, data: dict | None = None,
           object_type: str | None = None, object_id: str | None = None, object_repr: str | None = None,
           unit=None, now=None) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it records.

    ``action`` is ``<app>.<object>.<verb>`` (e.g. ``org.unit.created``).
    ``by`` is the acting user, or None for the system (scheduled jobs).
    ``unit`` is the unit the record belongs to; by default ``obj.unit`` if the
    object has one, or the object itself when it is a Unit.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the change it records")
    if action.count(".") < 2:
        raise ValueError(f"audit action must be <app>.<object>.<verb>, got {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = str(obj.pk) if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    if unit is None and obj is not None:
        unit_id = obj.pk if obj._meta.label_lower == "org.unit" else getattr(obj, "unit_id", None)
    else:
        unit_id = getattr(unit, "pk", unit)
    actor, name, post, actor_unit = _actor_snapshot(by)
    AuditHead.objects.bulk_create([AuditHead(id=1)], ignore_conflicts=True)
    head = AuditHead.objects.select_for_update().get(id=1)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=now or timezone.now(),
        actor=actor,
        actor_name=name[:100],
        actor_post=post[:100],
        actor_unit=actor_unit[:100],
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_repr=(object_repr or "")[:200],
        unit_id=unit_id,
        data=_normalise(data),
        prev_hash=head.hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry
