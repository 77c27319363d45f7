"""The object pool (RAND-03) and the inspector pool with absences and recusals
(RAND-03, RAND-05), one record at a time. Bulk loading of the object pool is
``pool_import`` (and ``importer``).
"""

from datetime import date

from django.db import transaction

from fazhi.core.actors import Actor
from fazhi.core.errors import ValidationError
from fazhi.inspections import rules
from fazhi.inspections.models import Entity, Inspector, InspectorAbsence, Recusal, RiskLevel
from fazhi.inspections.services.common import (
    UNSET,
    _audit,
    _choice,
    _clean,
    _date,
    _lock,
    _require,
    check_credit_code,
)
from fazhi.org.models import Unit

# ================================================================ object pool

ENTITY_FIELDS = {
    "name": (200, "名称", True),
    "entity_type": (50, "主体类型", False),
    "industry": (100, "行业", False),
    "region": (100, "区域", False),
    "address": (300, "住所（经营场所）", False),
    "legal_rep": (100, "法定代表人（负责人）", False),
    "contact": (100, "联系人", False),
    "phone": (40, "联系电话", False),
    "credit_level": (20, "信用等级", False),
}


def _entity_values(fields: dict, *, partial: bool) -> dict:
    allowed = set(ENTITY_FIELDS) | {"risk_level", "last_inspected_on", "org_unit", "active", "credit_code"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown entity fields: {sorted(unknown)}")
    values: dict[str, object] = {}
    for name, (max_length, label, required) in ENTITY_FIELDS.items():
        if name in fields or not partial:
            values[name] = _clean(fields.get(name, ""), max_length, name, label, required=required)
    if "risk_level" in fields or not partial:
        values["risk_level"] = _choice(fields.get("risk_level", RiskLevel.LOW), RiskLevel, "risk_level", "风险等级")
    if fields.get("last_inspected_on") is not None:
        values["last_inspected_on"] = _date(fields["last_inspected_on"], "last_inspected_on", "最近检查日期")
    elif "last_inspected_on" in fields:
        values["last_inspected_on"] = None
    if "org_unit" in fields:
        values["org_unit"] = fields["org_unit"]
    if "active" in fields:
        values["active"] = bool(fields["active"])
    return values


@transaction.atomic
def create_entity(*, by: Actor, credit_code: str, **fields) -> Entity:
    """Add an object to the district-wide pool (RAND-03). The credit code must
    pass the GB 32100 check digit and be new to the pool."""
    _require(by, "manage_pools", None)
    code = check_credit_code(credit_code)
    if Entity.objects.filter(credit_code=code).exists():
        raise ValidationError(f"统一社会信用代码{code}已在检查对象名录库中，不能重复登记",
                              fields={"credit_code": "重复的检查对象"}, rule=rules.RULE_POOLS)
    entity = Entity.objects.create(credit_code=code, **_entity_values(fields, partial=False))
    _audit(entity, "entity", "created", by=by, data={"credit_code": code}, unit=None)
    return entity


@transaction.atomic
def update_entity(entity: Entity, *, by: Actor, **fields) -> Entity:
    """Change an object of the pool (a changed credit code is checked again)."""
    _require(by, "manage_pools", None)
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    values = _entity_values(fields, partial=True)
    if "credit_code" in fields:
        code = check_credit_code(fields["credit_code"])
        if Entity.objects.filter(credit_code=code).exclude(pk=entity.pk).exists():
            raise ValidationError(f"统一社会信用代码{code}已在检查对象名录库中，不能重复登记",
                                  fields={"credit_code": "重复的检查对象"}, rule=rules.RULE_POOLS)
        values["credit_code"] = code
    for k, v in values.items():
        setattr(entity, k, v)
    entity.save()
    _audit(entity, "entity", "updated", by=by, data={"fields": sorted(values)}, unit=None)
    return entity


# ============================================================= inspector pool


@transaction.atomic
def add_inspector(officer, *, by: Actor, fields: str = "", note: str = "") -> Inspector:
    """Put an enforcement officer into the inspector pool (RAND-03). Whether
    the certificate is valid is checked at each draw, for the task's window."""
    _require(by, "manage_pools", officer.unit)
    if Inspector.objects.filter(officer=officer).exists():
        raise ValidationError(f"{officer}已在检查人员名录库中", fields={"officer": "已在库中"},
                              rule=rules.RULE_POOLS)
    inspector = Inspector.objects.create(officer=officer, unit=officer.unit,
                                         fields=_clean(fields, 300, "fields", "执法领域"),
                                         note=_clean(note, 300, "note", "备注"))
    _audit(inspector, "inspector", "added", by=by, data={"officer": officer.pk, "fields": inspector.fields})
    return inspector


@transaction.atomic
def update_inspector(inspector: Inspector, *, by: Actor, fields=UNSET, active=UNSET, note=UNSET) -> Inspector:
    """Change an inspector's fields, note, or take them out of (or back into) the pool."""
    inspector = _lock(Inspector, inspector)
    _require(by, "manage_pools", inspector.unit)
    changed: dict[str, object] = {}
    if fields is not UNSET:
        inspector.fields = changed["fields"] = _clean(fields, 300, "fields", "执法领域")
    if note is not UNSET:
        inspector.note = changed["note"] = _clean(note, 300, "note", "备注")
    if active is not UNSET:
        inspector.active = changed["active"] = bool(active)
    inspector.save()
    _audit(inspector, "inspector", "updated", by=by, data=changed)
    return inspector


@transaction.atomic
def add_absence(inspector: Inspector, *, by: Actor, start: date, end: date, reason: str) -> InspectorAbsence:
    """An unavailable period: the inspector is not drawn for tasks whose window overlaps it."""
    _require(by, "manage_pools", inspector.unit)
    start, end = _date(start, "start", "起始日期"), _date(end, "end", "结束日期")
    if end < start:
        raise ValidationError("结束日期不能早于起始日期", fields={"end": "日期有误"})
    absence = InspectorAbsence.objects.create(inspector=inspector, unit=inspector.unit, start=start, end=end,
                                              reason=_clean(reason, 200, "reason", "原因", required=True))
    _audit(absence, "absence", "added", by=by, data={"inspector": inspector.pk, "start": start, "end": end})
    return absence


@transaction.atomic
def remove_absence(absence: InspectorAbsence, *, by: Actor) -> None:
    _require(by, "manage_pools", absence.unit)
    _audit(absence, "absence", "removed", by=by, data={"inspector": absence.inspector_id,
                                                      "start": absence.start, "end": absence.end})
    absence.delete()


@transaction.atomic
def add_recusal(inspector: Inspector, *, by: Actor, reason: str, entity: Entity | None = None,
                org_unit: Unit | None = None) -> Recusal:
    """回避 (RAND-05): the inspector is never drawn for ``entity``, or for any
    object whose 属地单位 is ``org_unit``. Exactly one of the two."""
    _require(by, "manage_pools", inspector.unit)
    if (entity is None) == (org_unit is None):
        raise ValidationError("请选择回避的检查对象或回避的单位（二选一）", fields={"entity": "二选一"},
                              rule=rules.RULE_DRAW)
    reason = _clean(reason, 300, "reason", "回避原因", required=True)
    dup = Recusal.objects.filter(inspector=inspector, entity=entity, org_unit=org_unit).exists()
    if dup:
        raise ValidationError("该回避关系已登记", fields={"entity": "已登记"})
    recusal = Recusal.objects.create(inspector=inspector, unit=inspector.unit, entity=entity, org_unit=org_unit,
                                     reason=reason)
    _audit(recusal, "recusal", "added", by=by, data={"inspector": inspector.pk,
                                                    "entity": getattr(entity, "credit_code", None),
                                                    "org_unit": getattr(org_unit, "pk", None)})
    return recusal


@transaction.atomic
def remove_recusal(recusal: Recusal, *, by: Actor) -> None:
    _require(by, "manage_pools", recusal.unit)
    _audit(recusal, "recusal", "removed", by=by, data={"inspector": recusal.inspector_id,
                                                      "entity": recusal.entity_id, "org_unit": recusal.org_unit_id})
    recusal.delete()
