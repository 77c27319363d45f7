"""Writing to the audit chain. ``record`` is the only way in."""

import json
import math
from typing import TYPE_CHECKING, TypeAlias, cast

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from fazhi.audit.models import GENESIS, AuditEntry, AuditHead

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

__all__ = ["GENESIS", "record"]

# The audit trail depends on no module (.importlinter), so not on
# fazhi.core.actors either; an anonymous request is recorded as the system.
AuditActor: TypeAlias = "User | AnonymousUser | None"

# Above this, a float prints in exponent form ("1e+16"), which PostgreSQL's
# jsonb gives back as a plain integer; such floats are integral anyway.
_FLOAT_AS_INT = 1e16


def _fix_numbers(value):
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("留痕内容不能包含 NaN 或无穷大")
        if value == 0:
            return 0.0  # jsonb has no negative zero
        if abs(value) >= _FLOAT_AS_INT:
            return int(value)
        return value
    if isinstance(value, dict):
        return {k: _fix_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fix_numbers(v) for v in value]
    return value


def _normalise(data: dict | None) -> dict:
    """Make ``data`` exactly what the database will give back, so what is
    stored is what was hashed: dates, decimals and UUIDs become strings, keys
    become strings, and floats survive a PostgreSQL jsonb round trip."""
    if data is not None and not isinstance(data, dict):
        raise TypeError("audit data must be a dict")
    return _fix_numbers(json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False)))


def _actor_snapshot(by: AuditActor) -> tuple["User | None", str, str, str]:
    if by is None or not getattr(by, "is_authenticated", False):
        return None, "系统", "", ""
    by = cast("User", by)  # signed in: an account
    name, post, unit = by.get_username(), "", ""
    try:
        person = by.person
    except ObjectDoesNotExist:  # a bare superuser account has no Person
        person = None
    if person is not None:
        name, post, unit = person.name, person.post, person.unit.name
    return by, name, post, unit


def _lock_head() -> AuditHead:
    try:
        return AuditHead.objects.select_for_update().get(id=1)
    except AuditHead.DoesNotExist:
        # First entry ever (or a freshly flushed test database). A concurrent
        # creator makes this insert a no-op; then everyone locks the one row.
        AuditHead.objects.bulk_create([AuditHead(id=1)], ignore_conflicts=True)
        return AuditHead.objects.select_for_update().get(id=1)


def record(obj: models.Model | None, action: str, *, by: AuditActor, data: dict | None = None,
           object_type: str | None = None, object_id: str | None = None, object_repr: str | None = None,
           unit=None, now=None) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it records.

    ``action`` is ``<app>.<object>.<verb>`` (e.g. ``org.unit.created``).
    ``by`` is the acting user, or None for the system (scheduled jobs).
    ``unit`` is the unit the record belongs to; by default ``obj.unit`` if the
    object has one, or the object itself when it is a Unit.
    ``now`` (timezone-aware) pins the time; by default the time the chain
    lock is taken, so times follow the order of ``seq``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction of the change it records")
    if action.count(".") < 2 or any(not part for part in action.split(".")):
        raise ValueError(f"audit action must be <app>.<object>.<verb>, got {action!r}")
    if now is not None and timezone.is_naive(now):
        raise ValueError("audit.record needs a timezone-aware `now`")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = str(obj.pk) if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    if not object_type:
        raise ValueError("audit.record needs an object or an object_type")
    if unit is None and obj is not None:
        unit_id = obj.pk if obj._meta.label_lower == "org.unit" else getattr(obj, "unit_id", None)
    else:
        unit_id = getattr(unit, "pk", unit)
    actor, name, post, actor_unit = _actor_snapshot(by)
    payload = _normalise(data)
    head = _lock_head()
    entry = AuditEntry(
        seq=head.seq + 1,
        at=now or timezone.now(),
        actor=actor,
        actor_name=name[:100],
        actor_post=post[:100],
        actor_unit=actor_unit[:100],
        action=action,
        object_type=object_type,
        object_id=str(object_id if object_id is not None else "")[:64],
        object_repr=(object_repr or "")[:200],
        unit_id=unit_id,
        data=payload,
        prev_hash=head.hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry
