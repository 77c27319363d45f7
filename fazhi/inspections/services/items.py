"""The inspection item list (一单, RAND-02/04, ENF-28): drafts, versions and
their publication; a published item changes only through a new version.
"""

from datetime import datetime

from django.db import transaction

from fazhi.core.actors import Actor
from fazhi.core.errors import ValidationError
from fazhi.inspections import rules
from fazhi.inspections.models import InspectionItem, ItemKind, ItemStatus
from fazhi.inspections.services.common import _audit, _choice, _clean, _lock, _now, _require
from fazhi.inspections.workflow import ITEM_WORKFLOW
from fazhi.org.models import Unit

ITEM_FIELDS = {
    # name: (max length, label, required)
    "name": (200, "抽查事项", True),
    "sub_item": (200, "抽查子项", False),
    "inspecting_body": (200, "检查主体", True),
    "basis": (5000, "检查依据", True),
    "method": (200, "检查方式", False),
    "content": (5000, "检查内容", False),
    "object_scope": (300, "检查对象范围", False),
    "frequency": (200, "抽查比例和频次", False),
    "field": (100, "执法领域", False),
    "remarks": (5000, "备注", False),
}


def _item_values(fields: dict, *, partial: bool) -> dict:
    unknown = set(fields) - set(ITEM_FIELDS) - {"kind"}
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    values = {}
    for name, (max_length, label, required) in ITEM_FIELDS.items():
        if name in fields or not partial:
            values[name] = _clean(fields.get(name, ""), max_length, name, label, required=required)
    if "kind" in fields or not partial:
        values["kind"] = _choice(fields.get("kind", ItemKind.GENERAL), ItemKind, "kind", "事项类别")
    return values


@transaction.atomic
def create_item(*, unit: Unit, by: Actor, number: str, **fields) -> InspectionItem:
    """A new item of ``unit``'s list (draft, version 1) (RAND-04)."""
    _require(by, "manage_items", unit)
    number = _clean(number, 40, "number", "事项编号", required=True)
    if InspectionItem.objects.filter(unit=unit, number=number).exists():
        raise ValidationError(f"事项编号“{number}”已存在，修改已公布的事项请使用“修订”",
                              fields={"number": "编号已存在"}, rule=rules.RULE_ITEMS)
    item = InspectionItem.objects.create(unit=unit, number=number, created_by=by,
                                         **_item_values(fields, partial=False))
    _audit(item, "item", "created", by=by, data={"number": number, "version": 1})
    return item


@transaction.atomic
def update_item(item: InspectionItem, *, by: Actor, **fields) -> InspectionItem:
    """Change a draft item; a published one is changed only by ``revise_item`` (RAND-04)."""
    item = _lock(InspectionItem, item)
    _require(by, "manage_items", item.unit)
    ITEM_WORKFLOW.check(item, "update")
    values = _item_values(fields, partial=True)
    for k, v in values.items():
        setattr(item, k, v)
    item.save()
    _audit(item, "item", "updated", by=by, data={"fields": sorted(values)})
    return item


@transaction.atomic
def revise_item(item: InspectionItem, *, by: Actor, **fields) -> InspectionItem:
    """A new draft version of a published item (linked by ``supersedes``); the
    published version stays public until the new one is published (RAND-04)."""
    item = _lock(InspectionItem, item)
    _require(by, "manage_items", item.unit)
    pending = InspectionItem.objects.filter(supersedes=item).exists()
    ITEM_WORKFLOW.check(item, "revise", {"no_pending_revision": not pending})
    base = {name: getattr(item, name) for name in ITEM_FIELDS}
    base["kind"] = item.kind
    base.update(fields)
    new = InspectionItem.objects.create(unit=item.unit, number=item.number, version=item.version + 1,
                                        supersedes=item, created_by=by, **_item_values(base, partial=False))
    _audit(new, "item", "revised", by=by, data={"number": new.number, "version": new.version,
                                                "supersedes": item.pk})
    return new


@transaction.atomic
def publish_item(item: InspectionItem, *, by: Actor, now: datetime | None = None) -> InspectionItem:
    """Publish a draft item (RAND-02: the list is public; ENF-28: only published
    items may be inspected). A new version retires the one it supersedes."""
    item = _lock(InspectionItem, item)
    _require(by, "manage_items", item.unit)
    ITEM_WORKFLOW.check(item, "publish")
    now = _now(now)
    if item.supersedes_id:
        old = InspectionItem.objects.select_for_update().get(pk=item.supersedes_id)
        if old.status == ItemStatus.PUBLISHED:
            old.status, old.retired_at = ItemStatus.RETIRED, now
            old.save(update_fields=["status", "retired_at", "updated_at"])
            _audit(old, "item", "retired", by=by, data={"superseded_by": item.pk})
    item.status, item.published_at = ItemStatus.PUBLISHED, now
    item.save(update_fields=["status", "published_at", "updated_at"])
    _audit(item, "item", "published", by=by, data={"number": item.number, "version": item.version})
    return item


@transaction.atomic
def retire_item(item: InspectionItem, *, by: Actor, reason: str = "", now: datetime | None = None) -> InspectionItem:
    """Take a published item off the list (it can no longer be used by new draws)."""
    item = _lock(InspectionItem, item)
    _require(by, "manage_items", item.unit)
    ITEM_WORKFLOW.check(item, "retire")
    item.status, item.retired_at = ItemStatus.RETIRED, _now(now)
    item.save(update_fields=["status", "retired_at", "updated_at"])
    _audit(item, "item", "retired", by=by, data={"reason": _clean(reason, 500, "reason", "原因")})
    return item
