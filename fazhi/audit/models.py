"""The audit chain: an append-only, hash-chained record of state changes.

Each entry's ``hash`` is SHA-256 over its canonical content (see
``canonical_content``), which includes the previous entry's hash. Changing,
removing or reordering any stored entry breaks the chain from that point, and
``audit_verify`` names the first bad entry.

Entries are immutable twice over: here (the model and its queryset refuse
update and delete) and, on PostgreSQL, in the database (a trigger added by
migration 0002 refuses UPDATE and DELETE of any row, whatever the client).
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models

GENESIS = "0" * 64


class ImmutableEntry(PermissionError):
    """Raised on any attempt to change or remove an audit entry through the ORM."""


_NO_UPDATE = "留痕记录只能追加，不能修改"
_NO_DELETE = "留痕记录只能追加，不能删除"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEntry(_NO_UPDATE)

    def _update(self, values):
        raise ImmutableEntry(_NO_UPDATE)

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableEntry(_NO_UPDATE)

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise ImmutableEntry(_NO_UPDATE)

    def delete(self):
        raise ImmutableEntry(_NO_DELETE)

    def _raw_delete(self, using):
        raise ImmutableEntry(_NO_DELETE)


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人账号", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # The actor as they were at that moment: accountability survives transfers.
    actor_name = models.CharField("操作人", max_length=100, blank=True)
    actor_post = models.CharField("职务", max_length=100, blank=True)
    actor_unit = models.CharField("单位", max_length=100, blank=True)
    action = models.CharField("操作", max_length=100, db_index=True)  # <app>.<object>.<verb>
    object_type = models.CharField("对象类型", max_length=100)  # "<app_label>.<model>"
    object_id = models.CharField("对象ID", max_length=64)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    # The unit the changed record belongs to, so a unit's staff can read the
    # trails of their own records and nobody else's.
    unit = models.ForeignKey(
        "org.Unit", verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField("内容", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "留痕记录"
        verbose_name_plural = verbose_name
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx")]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntry(_NO_UPDATE)
        kwargs["force_insert"] = True  # never an UPDATE, even with a pk set
        super().save(*args, **kwargs)

    def _do_update(self, *args, **kwargs):
        # Model.save_base goes through here for every UPDATE, whatever path
        # reached it (e.g. ``Model.save(entry)`` skipping our save()).
        raise ImmutableEntry(_NO_UPDATE)

    def delete(self, *args, **kwargs):
        raise ImmutableEntry(_NO_DELETE)

    def canonical_content(self) -> dict:
        return canonical_content(
            seq=self.seq, at=self.at, actor_id=self.actor_id, actor_name=self.actor_name,
            actor_post=self.actor_post, actor_unit=self.actor_unit, action=self.action,
            object_type=self.object_type, object_id=self.object_id, object_repr=self.object_repr,
            unit_id=self.unit_id, data=self.data, prev_hash=self.prev_hash,
        )

    def canonical(self) -> bytes:
        return canonical_json(self.canonical_content())

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class AuditHead(models.Model):
    """Singleton row holding the chain's tip. Locked while appending, so
    concurrent writers take turns and the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton")]

    def __str__(self):
        return f"链头 #{self.seq}"


def format_at(at) -> str:
    """``at`` in UTC with microseconds and a Z, e.g. 2024-03-01T02:03:04.000005Z."""
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(*, seq, at, actor_id, actor_name, actor_post, actor_unit, action,
                      object_type, object_id, object_repr, unit_id, data, prev_hash) -> dict:
    """What is hashed, as a JSON-ready dict. Documented in docs/modules/audit.md
    so a third party can re-verify an export without this code."""
    return {
        "seq": int(seq),
        "at": format_at(at),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "actor_post": actor_post,
        "actor_unit": actor_unit,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "object_repr": object_repr,
        "unit_id": unit_id,
        "data": data,
        "prev_hash": prev_hash,
    }


def canonical_json(content: dict) -> bytes:
    """Sorted keys, no spaces, non-ASCII as is, UTF-8."""
    return json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def canonical_bytes(**fields) -> bytes:
    return canonical_json(canonical_content(**fields))
