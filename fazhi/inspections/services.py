"""Every write of the inspections module (双随机、一公开), one function per use case.

Order inside each: lock -> authorise (org.access) -> legal order (workflow,
refusals name the rule) -> change -> audit.record in the same transaction.
``by=None`` means the system (jobs) and may do everything.

Public API (names are stable; the UI, API, admin and commands call these):

Items (一单, RAND-02/04, ENF-28)
    create_item(*, unit, by, **fields) -> InspectionItem
    update_item(item, *, by, **fields) -> InspectionItem            draft only
    revise_item(item, *, by, **fields) -> InspectionItem            new draft version of a published item
    publish_item(item, *, by, now=None) -> InspectionItem           retires the version it supersedes
    retire_item(item, *, by, reason="", now=None) -> InspectionItem
Object pool (RAND-03)
    create_entity(*, by, **fields) -> Entity
    update_entity(entity, *, by, **fields) -> Entity
    start_import(upload, *, by, unit) -> EntityImport               stores the file, pending row
    run_import(import_id) -> EntityImport                           the work (job, command, tests)
    run_pending_imports(now) -> int                                 the job
Inspector pool (RAND-03, RAND-05)
    add_inspector(officer, *, by, fields="", note="") -> Inspector
    update_inspector(inspector, *, by, fields=UNSET, active=UNSET, note=UNSET) -> Inspector
    add_absence(inspector, *, by, start, end, reason) -> InspectorAbsence
    remove_absence(absence, *, by) -> None
    add_recusal(inspector, *, by, reason, entity=None, org_unit=None) -> Recusal
    remove_recusal(recusal, *, by) -> None
Plans and tasks (RAND-09, RAND-01)
    create_plan(*, unit, by, year, title, kind="annual", participating_units=(), random_target=None,
                description="") -> Plan
    update_plan(plan, *, by, **fields) -> Plan                      draft only
    approve_plan(plan, *, by, now=None) -> Plan                     a head (SYS-02), not the drafter (SYS-01)
    create_task(plan, *, by, title, items, planned_start, planned_end, sample_size=None, sample_ratio=None,
                industries=(), regions=(), risk_levels=(), stratify_by=(), quotas=None, team_size=2,
                exclude_recent_months=0) -> Task
    update_task(task, *, by, **fields) -> Task                      before the draw only
    close_task(task, *, by) -> Task                                 all results recorded
Draws (RAND-05; docs/draw-algorithm.md)
    add_witness(task, *, by, name, capacity, kind, source="") -> DrawWitness      before the freeze
    remove_witness(witness, *, by) -> None                                       before the freeze
    commit_witness(witness, *, by, secret="", commitment="", now=None) -> DrawWitness   before the freeze
    commit_draw(task, *, by, now=None) -> Draw                      freeze pools + params + commitment
    reveal_witness(witness, *, by, value, now=None) -> DrawWitness  after the freeze; must match
    reveal_draw(draw, *, by, now=None) -> Draw                      server seed + witnesses -> objects + teams
                                                                    (fazhi-draw/1 draws: witness_input=…)
    publish_draw(draw, *, by, now=None) -> Draw                     receipt on the portal
Results (一公开, RAND-07)
    record_result(inspection, *, by, result, inspected_on, today, findings="", officers=None,
                  late_reason="") -> Inspection                     dates/team: duties.py (SYS-03, RAND-05)
    attach_record(inspection, *, by, upload, title="") -> InspectionAttachment
    publish_result(inspection, *, by, now=None, content=None) -> Inspection   not by the recorder (SYS-01)
    hand_over(inspection, *, by, receiving_unit, handed_over_on, today, note="", register_case=False,
              late_reason="") -> Inspection
    record_non_random(*, unit, by, entity, reason, inspected_on, result, today, findings="", reason_note="",
                      officers=None, late_reason="") -> Inspection  投诉举报、转办交办、专项检查… (RAND-01 share)
"""

import hashlib
import json
import logging
import os
import shutil
import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Collate
from django.utils import timezone

from fazhi.audit import services as audit
from fazhi.core import draw as algo
from fazhi.core import draw_seed, uploads
from fazhi.core.dates import entered_date
from fazhi.core.errors import Conflict, PermissionDenied, TransitionRefused, ValidationError
from fazhi.inspections import duties, rules
from fazhi.inspections.models import (
    STRATIFY_DIMENSIONS,
    Draw,
    DrawSelection,
    DrawStatus,
    DrawWitness,
    Entity,
    EntityImport,
    HandoverStatus,
    ImportFormat,
    Inspection,
    InspectionAttachment,
    InspectionItem,
    InspectionKind,
    InspectionStatus,
    Inspector,
    InspectorAbsence,
    ItemKind,
    ItemStatus,
    NonRandomReason,
    Plan,
    PlanKind,
    PlanStatus,
    Recusal,
    Result,
    RiskLevel,
    Task,
    TaskStatus,
    TeamMember,
    WitnessKind,
)
from fazhi.inspections.workflow import (
    DRAW_WORKFLOW,
    INSPECTION_WORKFLOW,
    ITEM_WORKFLOW,
    PLAN_WORKFLOW,
    TASK_WORKFLOW,
)
from fazhi.org import access
from fazhi.org.credit_code import credit_code_error
from fazhi.org.models import Unit

log = logging.getLogger("fazhi.inspections")


class _Unset:
    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()

DIMENSION_LABELS = {"industry": "行业", "region": "区域", "risk_level": "风险等级"}
RISK_LABELS = dict(RiskLevel.choices)


# ------------------------------------------------------------------ helpers


def _audit(obj, what: str, verb: str, *, by, data: dict | None = None, unit=UNSET):
    kw = {} if unit is UNSET else {"unit": unit}
    return audit.record(obj, f"inspections.{what}.{verb}", by=by, data=data or {}, **kw)


def may(user, permission: str, unit: Unit | None = None) -> bool:
    """``by=None`` (the system) may do everything. ``permission`` without the app prefix."""
    if user is None:
        return True
    return access.allowed(user, f"inspections.{permission}", unit)


def _require(by, permission: str, unit: Unit | None, message: str = "您没有执行此操作的权限") -> None:
    if not may(by, permission, unit):
        raise PermissionDenied(message)


def _clean(value, max_length: int, field: str, label: str, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError(f"{label}不能为空", fields={field: f"请填写{label}"})
    if len(text) > max_length:
        raise ValidationError(f"{label}过长（最多{max_length}字）", fields={field: f"最多{max_length}字"})
    return text


def _date(value, field: str, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label}无效", fields={field: "请填写日期"})
    return value


def _choice(value, choices, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationError(f"{label}无效", fields={field: f"请选择{label}"})
    return value


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _str_list(values, field: str, label: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").replace("、", ",").split(",")]
    out = []
    for v in values:
        text = str(v).strip()
        if text and text not in out:
            if len(text) > 100:
                raise ValidationError(f"{label}“{text[:20]}…”过长", fields={field: "最多100字"})
            out.append(text)
    return out


def _lock(model, obj):
    return model.objects.select_for_update(of=("self",)).select_related("unit").get(pk=obj.pk)


def _normalise_code(code) -> str:
    return (code or "").strip().upper()


def check_credit_code(code: str, field: str = "credit_code") -> str:
    """A normalised credit code, or ValidationError naming what is wrong (RAND-03, GB 32100)."""
    code = _normalise_code(code)
    if not code:
        raise ValidationError("统一社会信用代码不能为空", fields={field: "请填写统一社会信用代码"},
                              rule=rules.RULE_POOLS)
    message = credit_code_error(code)
    if message:
        raise ValidationError(f"{message}：{code}", fields={field: message}, rule=rules.RULE_POOLS)
    return code


# ====================================================================== items

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
def create_item(*, unit: Unit, by, number: str, **fields) -> InspectionItem:
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
def update_item(item: InspectionItem, *, by, **fields) -> InspectionItem:
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
def revise_item(item: InspectionItem, *, by, **fields) -> InspectionItem:
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
def publish_item(item: InspectionItem, *, by, now: datetime | None = None) -> InspectionItem:
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
def retire_item(item: InspectionItem, *, by, reason: str = "", now: datetime | None = None) -> InspectionItem:
    """Take a published item off the list (it can no longer be used by new draws)."""
    item = _lock(InspectionItem, item)
    _require(by, "manage_items", item.unit)
    ITEM_WORKFLOW.check(item, "retire")
    item.status, item.retired_at = ItemStatus.RETIRED, _now(now)
    item.save(update_fields=["status", "retired_at", "updated_at"])
    _audit(item, "item", "retired", by=by, data={"reason": _clean(reason, 500, "reason", "原因")})
    return item


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
    values = {}
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
def create_entity(*, by, credit_code: str, **fields) -> Entity:
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
def update_entity(entity: Entity, *, by, **fields) -> Entity:
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


def _detect_format(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return ImportFormat.XLSX
    if b"\x00" in head[:4096]:
        raise ValidationError("文件格式无法识别，只接受 .xlsx 或 .csv 文件", fields={"file": "格式错误"})
    return ImportFormat.CSV


@transaction.atomic
def start_import(upload, *, by, unit: Unit) -> EntityImport:
    """Store an uploaded .csv/.xlsx (type judged by content) and queue it.

    The file is streamed to MEDIA_ROOT/inspections/imports/ (never held in
    memory whole); an .xlsx whose zip directory betrays a decompression bomb
    is refused at once (``core.uploads.check_archive``); the job ``inspections.imports`` (or ``run_import``) does the work.
    """
    _require(by, "manage_pools", unit)
    max_bytes = int(rules.get("import_max_mb")) * 1024 * 1024
    declared = getattr(upload, "size", None)
    if declared is not None and declared > max_bytes:
        raise ValidationError(f"文件过大（上限{rules.get('import_max_mb')}MB）", fields={"file": "文件过大"})
    rel = os.path.join("inspections", "imports", f"{uuid.uuid4().hex}")
    path = os.path.join(settings.MEDIA_ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b"")
    h, size, head = hashlib.sha256(), 0, b""
    try:
        with open(path, "wb") as out:
            for chunk in chunks:
                if len(head) < 4096:
                    head += chunk[:4096]
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationError(f"文件过大（上限{rules.get('import_max_mb')}MB）",
                                          fields={"file": "文件过大"})
                h.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError("文件为空", fields={"file": "文件为空"})
        fmt = _detect_format(head)
        if fmt == ImportFormat.XLSX:
            # The one upload check, its fast part (the central directory: member
            # count, declared inflated size with the larger SHEET limit for a pool
            # of 1,000,000 rows, ratio); the import job runs the whole check
            # (every member inflated, no DTD) before openpyxl opens the file.
            uploads.check_archive(path, kind=uploads.SHEET, what="导入文件", directory_only=True)
    except BaseException:
        if os.path.exists(path):
            os.remove(path)
        raise
    final_rel = f"{rel}.{fmt}"
    os.replace(path, os.path.join(settings.MEDIA_ROOT, final_rel))
    name = os.path.basename(getattr(upload, "name", "") or "")[:255]
    imp = EntityImport.objects.create(unit=unit, file=final_rel, original_name=name, format=fmt,
                                      sha256=h.hexdigest(), size=size, created_by=by)
    _audit(imp, "import", "created", by=by, data={"file": name, "format": fmt, "size": size})
    from fazhi.inspections.importer import progress_key

    cache.delete(progress_key(imp.pk))  # a stale entry of a rolled-back import with the same id
    if rules.get("start_imports_at_once"):
        transaction.on_commit(lambda pk=imp.pk: start_import_thread(pk))
    return imp


def start_import_thread(import_id: int) -> None:
    """Run an import in a daemon thread (after the upload's commit). Safe beside the
    job: ``run_import`` claims the row with a lock, so only one runner does it."""
    import threading

    def work():
        try:
            run_import(import_id)
        except Exception:  # the row records failures; anything else is logged, the job retries
            log.exception("import %s failed in its thread", import_id)
        finally:
            connection.close()

    threading.Thread(target=work, name=f"inspections-import-{import_id}", daemon=True).start()


def run_import(import_id: int, *, progress_every: int = 10_000, stdout=None) -> EntityImport:
    """Validate then (only if clean) write one import, all or nothing. Not
    atomic as a whole: the status row is committed as it changes so other
    requests see it; the rows are written in one transaction (importer)."""
    from fazhi.inspections import importer

    return importer.run(import_id, progress_every=progress_every, stdout=stdout)


def run_pending_imports(now: datetime) -> int:
    """The job: run every pending import, oldest first. Returns how many ran."""
    from fazhi.inspections import importer

    return importer.run_pending(now)


# ============================================================= inspector pool


@transaction.atomic
def add_inspector(officer, *, by, fields: str = "", note: str = "") -> Inspector:
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
def update_inspector(inspector: Inspector, *, by, fields=UNSET, active=UNSET, note=UNSET) -> Inspector:
    """Change an inspector's fields, note, or take them out of (or back into) the pool."""
    inspector = _lock(Inspector, inspector)
    _require(by, "manage_pools", inspector.unit)
    changed = {}
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
def add_absence(inspector: Inspector, *, by, start: date, end: date, reason: str) -> InspectorAbsence:
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
def remove_absence(absence: InspectorAbsence, *, by) -> None:
    _require(by, "manage_pools", absence.unit)
    _audit(absence, "absence", "removed", by=by, data={"inspector": absence.inspector_id,
                                                      "start": absence.start, "end": absence.end})
    absence.delete()


@transaction.atomic
def add_recusal(inspector: Inspector, *, by, reason: str, entity: Entity | None = None,
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
def remove_recusal(recusal: Recusal, *, by) -> None:
    _require(by, "manage_pools", recusal.unit)
    _audit(recusal, "recusal", "removed", by=by, data={"inspector": recusal.inspector_id,
                                                      "entity": recusal.entity_id, "org_unit": recusal.org_unit_id})
    recusal.delete()


# ============================================================ plans and tasks


def _target(value) -> Decimal:
    if value is None or value == "":
        return rules.random_share_target()
    try:
        d = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        raise ValidationError("双随机抽查占比目标无效", fields={"random_target": "请填写0–1之间的小数"})
    if str(value).strip().endswith("%"):
        d = d / 100
    if not d.is_finite() or not (0 <= d <= 1):
        raise ValidationError("双随机抽查占比目标应在0到1之间", fields={"random_target": "0–1"},
                              rule=rules.RULE_RANDOM)
    return d.quantize(Decimal("0.001"))


@transaction.atomic
def create_plan(*, unit: Unit, by, year: int, title: str, kind: str = PlanKind.ANNUAL,
                participating_units=(), random_target=None, description: str = "") -> Plan:
    """An annual plan of ``unit``, or a joint plan led by it (综合查一次, RAND-01/09)."""
    _require(by, "plan", unit)
    kind = _choice(kind, PlanKind, "kind", "计划类型")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError("年度无效", fields={"year": "请填写年度"})
    if not 2000 <= year <= 2999:
        raise ValidationError("年度无效", fields={"year": "请填写年度"})
    others = [u for u in participating_units if u.pk != unit.pk]
    if kind == PlanKind.JOINT and not others:
        raise ValidationError("联合抽查计划至少应有一个参与部门", fields={"participating_units": "请选择参与部门"},
                              rule=rules.RULE_RANDOM)
    plan = Plan.objects.create(unit=unit, year=year, title=_clean(title, 200, "title", "计划名称", required=True),
                               kind=kind, random_target=_target(random_target),
                               description=_clean(description, 5000, "description", "计划说明"), created_by=by)
    if kind == PlanKind.JOINT:
        plan.participating_units.set(others)
    _audit(plan, "plan", "created", by=by, data={"year": year, "kind": kind,
                                                "participating_units": [u.pk for u in others]})
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, by, title=UNSET, description=UNSET, random_target=UNSET,
                participating_units=UNSET) -> Plan:
    """Change a draft plan."""
    plan = _lock(Plan, plan)
    _require(by, "plan", plan.unit)
    PLAN_WORKFLOW.check(plan, "update")
    changed = []
    if title is not UNSET:
        plan.title = _clean(title, 200, "title", "计划名称", required=True)
        changed.append("title")
    if description is not UNSET:
        plan.description = _clean(description, 5000, "description", "计划说明")
        changed.append("description")
    if random_target is not UNSET:
        plan.random_target = _target(random_target)
        changed.append("random_target")
    plan.save()
    if participating_units is not UNSET and plan.kind == PlanKind.JOINT:
        others = [u for u in participating_units if u.pk != plan.unit_id]
        if not others:
            raise ValidationError("联合抽查计划至少应有一个参与部门", fields={"participating_units": "请选择"},
                                  rule=rules.RULE_RANDOM)
        plan.participating_units.set(others)
        changed.append("participating_units")
    _audit(plan, "plan", "updated", by=by, data={"fields": changed})
    return plan


@transaction.atomic
def approve_plan(plan: Plan, *, by, now: datetime | None = None) -> Plan:
    """The head approves the plan (RAND-09); its tasks can then be drawn. The
    approver holds the head role over the lead unit on that day (SYS-02) and
    drafted neither the plan nor its tasks (SYS-01)."""
    plan = _lock(Plan, plan)
    _require(by, "approve", plan.unit, "只有本部门负责人可以批准抽查计划")
    now = _now(now)
    PLAN_WORKFLOW.check(plan, "approve", {"has_tasks": plan.tasks.exists()})
    duties.approver(plan, by, on=timezone.localdate(now))  # SYS-01, SYS-02
    PLAN_WORKFLOW.apply(plan, "approve", {"has_tasks": True})
    plan.approved_by, plan.approved_at = by, now
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _audit(plan, "plan", "approved", by=by, data={"tasks": plan.tasks.count()})
    return plan


def plan_unit_ids(plan: Plan) -> set[int]:
    ids = {plan.unit_id}
    if plan.kind == PlanKind.JOINT:
        ids |= set(plan.participating_units.values_list("pk", flat=True))
    return ids


def _task_values(plan: Plan, *, title, items, planned_start, planned_end, sample_size, sample_ratio, industries,
                 regions, risk_levels, stratify_by, quotas, team_size, exclude_recent_months) -> tuple[dict, list]:
    title = _clean(title, 200, "title", "任务名称", required=True)
    items = list(items or [])
    if not items:
        raise ValidationError("请至少选择一项抽查事项", fields={"items": "请选择抽查事项"}, rule=rules.RULE_ITEMS)
    units = plan_unit_ids(plan)
    unit_paths = list(Unit.objects.filter(pk__in=units).values_list("path", flat=True))
    for item in items:
        if item.status == ItemStatus.RETIRED:
            raise ValidationError(f"抽查事项“{item}”已停用", fields={"items": "事项已停用"}, rule=rules.RULE_ITEMS)
        if item.unit_id not in units and not any(item.unit.path.startswith(p) for p in unit_paths):
            raise ValidationError(f"抽查事项“{item}”不属于本计划的牵头或参与部门", fields={"items": "事项部门不符"},
                                  rule=rules.RULE_RANDOM)
    planned_start = _date(planned_start, "planned_start", "计划开始日期")
    planned_end = _date(planned_end, "planned_end", "计划结束日期")
    if planned_end < planned_start:
        raise ValidationError("计划结束日期不能早于开始日期", fields={"planned_end": "日期有误"})
    duties.task_window(plan, planned_start, planned_end)
    try:
        team_size = int(team_size)
    except (TypeError, ValueError):
        raise ValidationError("每组检查人员数无效", fields={"team_size": "请填写人数"})
    if team_size < int(rules.get("min_team_size")):
        raise ValidationError(f"每组检查人员不得少于{rules.get('min_team_size')}人", fields={"team_size": "至少2人"},
                              rule=rules.RULE_DRAW)
    if team_size > 20:
        raise ValidationError("每组检查人员数过大（最多20人）", fields={"team_size": "最多20人"})
    try:
        exclude_recent_months = int(exclude_recent_months or 0)
    except (TypeError, ValueError):
        raise ValidationError("近期已检查排除月数无效", fields={"exclude_recent_months": "请填写月数"})
    if not 0 <= exclude_recent_months <= 120:
        raise ValidationError("近期已检查排除月数应在0到120之间", fields={"exclude_recent_months": "0–120"})
    industries = _str_list(industries, "industries", "行业")
    regions = _str_list(regions, "regions", "区域")
    risk_levels = _str_list(risk_levels, "risk_levels", "风险等级")
    for r in risk_levels:
        _choice(r, RiskLevel, "risk_levels", "风险等级")
    stratify_by = _str_list(stratify_by, "stratify_by", "分层依据")
    for d in stratify_by:
        if d not in STRATIFY_DIMENSIONS:
            raise ValidationError(f"分层依据“{d}”无效（可选：行业、区域、风险等级）", fields={"stratify_by": "无效"})
    clean_quotas = {}
    for key, value in (quotas or {}).items():
        try:
            k = int(value)
        except (TypeError, ValueError):
            raise ValidationError(f"分层“{key}”的抽取数量无效", fields={"quotas": "请填写整数"})
        if k < 0:
            raise ValidationError(f"分层“{key}”的抽取数量不能为负数", fields={"quotas": "请填写非负整数"})
        clean_quotas[str(key)] = k
    if clean_quotas and not stratify_by:
        raise ValidationError("指定各层抽取数量时须选择分层依据", fields={"stratify_by": "请选择分层依据"})
    if clean_quotas:
        total = sum(clean_quotas.values())
        if total < 1:
            raise ValidationError("各层抽取数量合计应至少为1", fields={"quotas": "合计为0"})
        if sample_size not in (None, "") and int(sample_size) != total:
            raise ValidationError(f"抽取数量（{sample_size}）与各层数量合计（{total}）不一致",
                                  fields={"sample_size": "与各层合计不一致"})
        sample_size, sample_ratio = total, None
    if (sample_size in (None, "")) == (sample_ratio in (None, "")):
        raise ValidationError("请填写抽取数量或抽取比例（二选一）", fields={"sample_size": "二选一"})
    if sample_size not in (None, ""):
        try:
            sample_size = int(sample_size)
        except (TypeError, ValueError):
            raise ValidationError("抽取数量无效", fields={"sample_size": "请填写整数"})
        if sample_size < 1:
            raise ValidationError("抽取数量应至少为1", fields={"sample_size": "至少为1"})
        sample_ratio = None
    else:
        try:
            text = str(sample_ratio).strip()
            ratio = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except InvalidOperation:
            raise ValidationError("抽取比例无效", fields={"sample_ratio": "请填写0–1之间的小数"})
        if not ratio.is_finite() or not (0 < ratio <= 1) or ratio != ratio.quantize(Decimal("0.0001")):
            raise ValidationError("抽取比例应大于0且不超过1（最多4位小数）", fields={"sample_ratio": "0–1"})
        sample_size, sample_ratio = None, ratio.quantize(Decimal("0.0001"))
    return dict(title=title, planned_start=planned_start, planned_end=planned_end, sample_size=sample_size,
                sample_ratio=sample_ratio, industries=industries, regions=regions, risk_levels=risk_levels,
                stratify_by=stratify_by, quotas=clean_quotas, team_size=team_size,
                exclude_recent_months=exclude_recent_months), items


@transaction.atomic
def create_task(plan: Plan, *, by, title: str, items, planned_start: date, planned_end: date,
                sample_size: int | None = None, sample_ratio=None, industries=(), regions=(), risk_levels=(),
                stratify_by=(), quotas: dict | None = None, team_size: int = 2,
                exclude_recent_months: int = 0) -> Task:
    """A task of a plan: items, object filter, sample size or ratio (optionally
    stratified, with per-stratum quotas), team size ≥ 2 (RAND-05), window."""
    plan = _lock(Plan, plan)
    _require(by, "plan", plan.unit)
    PLAN_WORKFLOW.check(plan, "add_task")
    values, items = _task_values(
        plan, title=title, items=items, planned_start=planned_start, planned_end=planned_end,
        sample_size=sample_size, sample_ratio=sample_ratio, industries=industries, regions=regions,
        risk_levels=risk_levels, stratify_by=stratify_by, quotas=quotas, team_size=team_size,
        exclude_recent_months=exclude_recent_months)
    task = Task.objects.create(plan=plan, unit=plan.unit, created_by=by, **values)
    task.items.set(items)
    _audit(task, "task", "created", by=by, data={"plan": plan.pk, "items": [i.pk for i in items],
                                                "sample_size": task.sample_size,
                                                "sample_ratio": task.sample_ratio, "team_size": task.team_size})
    return task


@transaction.atomic
def update_task(task: Task, *, by, **fields) -> Task:
    """Change a task before its pools are frozen (RAND-05: nothing changes after)."""
    task = _lock(Task, task)
    _require(by, "plan", task.unit)
    TASK_WORKFLOW.check(task, "update")
    current = dict(title=task.title, items=list(task.items.all()), planned_start=task.planned_start,
                   planned_end=task.planned_end, sample_size=task.sample_size, sample_ratio=task.sample_ratio,
                   industries=task.industries, regions=task.regions, risk_levels=task.risk_levels,
                   stratify_by=task.stratify_by, quotas=task.quotas, team_size=task.team_size,
                   exclude_recent_months=task.exclude_recent_months)
    unknown = set(fields) - set(current)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    if "sample_size" in fields and "sample_ratio" not in fields and fields["sample_size"] not in (None, ""):
        current["sample_ratio"] = None
    if "sample_ratio" in fields and "sample_size" not in fields and fields["sample_ratio"] not in (None, ""):
        current["sample_size"] = None
    if "quotas" not in fields and ("sample_size" in fields or "sample_ratio" in fields):
        current["quotas"] = {}
    current.update(fields)
    values, items = _task_values(task.plan, **current)
    for k, v in values.items():
        setattr(task, k, v)
    task.save()
    task.items.set(items)
    _audit(task, "task", "updated", by=by, data={"fields": sorted(fields)})
    return task


@transaction.atomic
def close_task(task: Task, *, by) -> Task:
    """All results of the task are recorded."""
    task = _lock(Task, task)
    _require(by, "plan", task.unit)
    pending = task.inspections.filter(status=InspectionStatus.PENDING).exists()
    TASK_WORKFLOW.apply(task, "close", {"all_recorded": not pending})
    task.save(update_fields=["status", "updated_at"])
    _audit(task, "task", "closed", by=by)
    return task


# ====================================================================== pools


def _minus_months(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + (d.month - 1) - months, 12)
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def recent_cutoff(task: Task) -> date | None:
    """Objects last inspected on or after this day are excluded (unless high risk)."""
    if not task.exclude_recent_months:
        return None
    return _minus_months(task.planned_start, task.exclude_recent_months)


def pool_queryset(task: Task):
    """The eligible objects of a task: active, matching the filter, not
    inspected within the last N months unless high risk."""
    qs = Entity.objects.filter(active=True)
    if task.industries:
        qs = qs.filter(industry__in=task.industries)
    if task.regions:
        qs = qs.filter(region__in=task.regions)
    if task.risk_levels:
        qs = qs.filter(risk_level__in=task.risk_levels)
    cutoff = recent_cutoff(task)
    if cutoff is not None:
        qs = qs.filter(Q(last_inspected_on__isnull=True) | Q(last_inspected_on__lt=cutoff)
                       | Q(risk_level=RiskLevel.HIGH))
    return qs


def stratum_key(dims: list[str], values: dict) -> str:
    """"行业=餐饮；风险等级=高" (dimensions in the task's order); "全部" when not stratified."""
    if not dims:
        return algo.ALL
    parts = []
    for d in dims:
        v = values.get(d) or ""
        if d == "risk_level":
            v = RISK_LABELS.get(v, v)
        parts.append(f"{DIMENSION_LABELS[d]}={v or '（空）'}")
    return "；".join(parts)


def iter_pool_objects(task: Task, *, chunk_size: int = 20_000, codes: list[str] | None = None):
    """The eligible objects in canonical order (credit code, byte order), streamed
    (only those with a credit code in ``codes`` when given)."""
    dims = list(task.stratify_by or [])
    qs = pool_queryset(task)
    if codes is not None:
        qs = qs.filter(credit_code__in=codes)
    order = Collate("credit_code", "C") if connection.vendor == "postgresql" else "credit_code"
    rows = qs.order_by(order).values_list("credit_code", "industry", "region", "risk_level", "org_unit_id")
    PoolObject = algo.PoolObject
    if not dims:
        for code, _i, _r, _k, ou in rows.iterator(chunk_size=chunk_size):
            yield PoolObject(code, algo.ALL, "" if ou is None else str(ou))
        return
    cache: dict[tuple, str] = {}
    for code, industry, region, risk, ou in rows.iterator(chunk_size=chunk_size):
        values = (industry, region, risk)
        key = cache.get(values)
        if key is None:
            key = cache[values] = stratum_key(dims, {"industry": industry, "region": region, "risk_level": risk})
        yield PoolObject(code, key, "" if ou is None else str(ou))


def _stratum_sql(dims: list[str]) -> tuple[str, list]:
    """SQL for ``stratum_key`` of a row (PostgreSQL), with its parameters: the
    same text, character for character (``draw._clean_field`` — TAB, LF, CR
    to spaces — applied to each value; the labels have none)."""
    if not dims:
        return "%s", [algo.ALL]

    def clean(sql: str) -> str:
        return f"translate({sql}, chr(9) || chr(10) || chr(13), '   ')"

    parts: list[str] = []
    params: list = []
    for n, d in enumerate(dims):
        col = {"industry": "industry", "region": "region", "risk_level": "risk_level"}[d]
        if n:
            parts.append("%s")
            params.append("；")
        parts.append("%s")
        params.append(f"{DIMENSION_LABELS[d]}=")
        value = clean(f"COALESCE(NULLIF({col}, ''), %s)")
        if d == "risk_level":
            whens = []
            for key, label in RISK_LABELS.items():
                whens.append("WHEN %s THEN %s")
                params += [key, str(label)]
            value = f"(CASE {col} {' '.join(whens)} ELSE {value} END)"
        parts.append(value)
        params.append("（空）")
    return " || ".join(parts), params


def _raw_key_sql(dims: list[str]) -> str:
    """A cheap key per stratum (the raw values): rows with equal raw keys share a stratum."""
    cols = {"industry": "industry", "region": "region", "risk_level": "risk_level"}
    return " || chr(31) || ".join(f"COALESCE({cols[d]}, '')" for d in dims) if dims else "''"


def _prefetched(cursor, size: int):
    """The row blocks of a server-side ``cursor`` (psycopg), the next one fetched by a thread while
    the caller works on the current one (psycopg waits for the server without holding the GIL).
    Only the thread touches the cursor until the blocks are exhausted or the caller stops."""
    import queue
    import threading

    blocks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def fetch():
        try:
            while not stop.is_set():
                rows = cursor.fetchmany(size)
                blocks.put(rows)
                if not rows:
                    return
        except BaseException as exc:  # handed to the caller
            blocks.put(exc)

    worker = threading.Thread(target=fetch, name="fazhi-freeze-fetch", daemon=True)
    worker.start()
    try:
        while True:
            rows = blocks.get()
            if isinstance(rows, BaseException):
                with connection.wrap_database_errors:
                    raise rows
            if not rows:
                return
            yield rows
    finally:
        stop.set()
        while worker.is_alive():
            try:
                blocks.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()


def _freeze_objects_pg(task: Task, folder: str, watch_codes: set[str], watch_units: set[str],
                       chunk_size: int = 50_000) -> tuple[str, str, dict[str, int], list[algo.PoolObject]]:
    """PostgreSQL: stream the eligible objects' canonical lines (built by the
    database, in canonical order) into the object file and its hash, and
    write ``STRATA_FILE`` (each stratum's line offsets, for the reveal).

    Returns (sha256 of the object file, sha256 of the index — "" when none
    was written —, stratum sizes, the objects of ``watch_codes`` or with an
    org unit in ``watch_units``: the only ones a recusal can touch). One
    statement, so one snapshot: the sizes and the files agree."""
    from array import array
    from itertools import compress
    from operator import itemgetter

    from django.db.models.expressions import RawSQL

    dims = list(task.stratify_by or [])
    stratum, s_params = _stratum_sql(dims)
    line = f"credit_code || chr(9) || {stratum} || chr(9) || COALESCE(org_unit_id::text, '') || chr(10)"
    check = bool(watch_codes or watch_units)
    flag = (RawSQL("(credit_code = ANY(%s) OR org_unit_id::text = ANY(%s))", [sorted(watch_codes), sorted(watch_units)])
            if check else RawSQL("FALSE", []))
    qs = (pool_queryset(task).order_by(Collate("credit_code", "C"))
          .annotate(_line=RawSQL(line, s_params), _k=RawSQL(_raw_key_sql(dims), []), _w=flag)
          .values_list("_line", "_k", "_w"))
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    offsets: dict[str, array] = {}  # raw key -> byte offsets of its lines in the object file
    extra: dict[str, int] = {}  # raw key -> UTF-8 bytes beyond one per character (the stratum text)
    text_of: dict[str, str] = {}  # raw key -> stratum key
    watched: list[algo.PoolObject] = []
    first, third = itemgetter(0), itemgetter(2)
    pos = 0
    ascii_ok = True  # credit codes and unit ids are ASCII: a line's bytes = characters + extra[key]

    def blocks():
        nonlocal pos, ascii_ok
        with connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")  # compiling the expressions costs more than it saves
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            for rows in _prefetched(cursor.cursor, chunk_size):
                local: dict[str, tuple[list[int], int]] = {}
                get = local.get
                at = pos
                for text, key, _w in rows:
                    slot = get(key)
                    if slot is None:
                        if key not in extra:
                            text_of[key] = text.split("\t")[1]
                            extra[key] = len(text_of[key].encode("utf-8")) - len(text_of[key])
                        slot = local[key] = ([], extra[key])
                    slot[0].append(at)
                    at += len(text) + slot[1]
                block = "".join(map(first, rows)).encode("utf-8")
                if pos + len(block) != at:
                    ascii_ok = False  # not as expected: no index (the reveal then reads the file itself)
                for key, (starts, _extra) in local.items():
                    offsets.setdefault(key, array("Q")).extend(starts)
                if check:
                    for text, _key, _w in compress(rows, map(third, rows)):
                        code, key, org = text[:-1].split("\t")
                        watched.append(algo.PoolObject(code, key, org))
                pos += len(block)
                yield block
        finally:
            cursor.close()

    digest = algo.write_file(os.path.join(folder, algo.plain_name(algo.OBJECTS_FILE)), blocks())
    raw_keys: dict[str, list[str]] = {}
    for key, text in text_of.items():
        raw_keys.setdefault(text, []).append(key)
    sizes = {text: sum(len(offsets[k]) for k in keys) for text, keys in raw_keys.items()}
    if not ascii_ok:
        return digest, "", sizes, watched

    def index():
        for text in sorted(raw_keys):
            keys = raw_keys[text]
            if len(keys) == 1:
                yield offsets.pop(keys[0]).tobytes()
            else:  # raw values that give the same stratum (NULL and "", …): merge in canonical order
                yield array("Q", sorted(o for k in keys for o in offsets.pop(k))).tobytes()

    strata_digest = algo.write_file(os.path.join(folder, algo.STRATA_FILE), index())
    return digest, strata_digest, sizes, watched


def _changes_since() -> datetime:
    """From when on an object's ``updated_at`` may belong to a change the
    freeze did not see: the start of the oldest transaction still writing
    (PostgreSQL) or now, less a minute for clock differences."""
    from datetime import timedelta

    since = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT now(), (SELECT min(xact_start) FROM pg_stat_activity "
                        "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database())")
            db_now, oldest = cur.fetchone()
        since = min(x for x in (since, db_now, oldest) if x is not None)
    return since - timedelta(minutes=1)


def _task_fields(task: Task) -> set[str]:
    return {i.field for i in task.items.all() if i.field}


def eligible_inspectors(task: Task) -> list[tuple[str, Inspector]]:
    """(certificate number, inspector) of the inspectors eligible for the task,
    sorted by certificate number: in the pool and active, of a unit of the plan
    (or below it), with a certificate valid on the first and the last day of
    the window (ENF-01, via enforcement.selectors), not absent in the window,
    and with a field of the task's items (RAND-03/05)."""
    from django.db.models import prefetch_related_objects

    from fazhi.enforcement import selectors as enforcement

    plan_units = Unit.objects.filter(pk__in=plan_unit_ids(task.plan))
    unit_q = Q(pk__in=[u.pk for u in plan_units])
    for u in plan_units:
        unit_q |= Q(path__startswith=u.path)
    units = list(Unit.objects.filter(unit_q))
    start, end = task.planned_start, task.planned_end
    officers = {}
    for u in units:
        at_start = {o.pk: o for o in enforcement.certified_officers(u, start)}
        for o in enforcement.certified_officers(u, end):
            if o.pk in at_start:
                officers[o.pk] = o
    prefetch_related_objects(list(officers.values()), "certificates")
    fields = _task_fields(task)
    absent = set(InspectorAbsence.objects.filter(start__lte=end, end__gte=start).values_list("inspector_id",
                                                                                            flat=True))
    out = []
    for inspector in Inspector.objects.filter(active=True, officer_id__in=list(officers)).select_related("unit"):
        if inspector.pk in absent:
            continue
        if fields and not (fields & set(inspector.field_list)):
            continue
        officer = officers[inspector.officer_id]
        cert = officer.valid_certificate(start)
        if cert is None:
            continue
        inspector.officer = officer
        out.append((cert.number, inspector))
    out.sort(key=lambda pair: pair[0].encode())
    return out


def pool_inspectors(eligible) -> list[algo.PoolInspector]:
    return [algo.PoolInspector(cert, str(i.unit_id), "、".join(i.field_list)) for cert, i in eligible]


def pool_recusals(eligible) -> list[tuple[str, str, str]]:
    cert_of = {i.pk: cert for cert, i in eligible}
    rows = []
    qs = Recusal.objects.filter(inspector_id__in=list(cert_of)).values_list(
        "inspector_id", "entity_id", "entity__credit_code", "org_unit_id")
    for inspector_id, entity_id, credit_code, org_unit_id in qs:
        if entity_id:
            rows.append((cert_of[inspector_id], "E", credit_code))
        else:
            rows.append((cert_of[inspector_id], "U", str(org_unit_id)))
    rows.sort(key=lambda row: "\t".join(row).encode())
    return sorted(set(rows), key=lambda row: "\t".join(row).encode())


def _draw_dir(draw_id: int) -> tuple[str, str]:
    rel = os.path.join("inspections", "draws", str(draw_id))
    return rel, os.path.join(settings.MEDIA_ROOT, rel)


def sample_params(task: Task) -> dict:
    """The task's sample as ``params.json`` commits it: explicit quotas per
    stratum, or a size or ratio allocated proportionally (docs/draw-algorithm.md §4)."""
    if task.quotas:
        return {"mode": "explicit", "size": sum(int(k) for k in task.quotas.values()), "ratio": None,
                "quotas": {str(key): int(k) for key, k in sorted(task.quotas.items())}}
    return {"mode": "proportional", "size": task.sample_size,
            "ratio": None if task.sample_ratio is None else str(task.sample_ratio), "quotas": None}


def compute_quotas(task: Task, sizes: dict[str, int]) -> tuple[dict[str, int], str]:
    """(quotas, mode): explicit per-stratum quotas, or proportional largest
    remainder of the total (sample size, or ceil(ratio × pool)) — the same
    function the verifier runs on the committed parameters. Refuses a sample
    larger than the pool or a stratum (RAND-05)."""
    if sum(sizes.values()) == 0:
        raise ValidationError("没有符合条件的检查对象，不能抽取；请检查任务的对象范围", rule=rules.RULE_DRAW)
    sample = sample_params(task)
    try:
        return algo.quotas_from_params(sample, sizes), sample["mode"]
    except algo.DrawError as exc:
        raise ValidationError(exc.message, rule=rules.RULE_DRAW)


def _draw_params(task: Task, *, counts: dict[str, int], sizes: dict[str, int],
                 witnesses: list[DrawWitness]) -> dict:
    """``params.json`` of the task's draw: what the freeze commits to besides the pool files."""
    cutoff = recent_cutoff(task)
    items = sorted(task.items.all(), key=lambda i: (i.number, i.pk))
    return algo.build_params(
        subject={"kind": "inspections.task", "id": task.pk, "title": task.title, "unit": task.unit.name,
                 "plan": task.plan.title, "items": [f"{i.number} {i.name}" for i in items],
                 "planned_start": task.planned_start.isoformat(), "planned_end": task.planned_end.isoformat()},
        objects_filter={"industries": list(task.industries or []), "regions": list(task.regions or []),
                        "risk_levels": [str(RISK_LABELS.get(r, r)) for r in task.risk_levels or []],
                        "exclude_recent_months": task.exclude_recent_months,
                        "recent_cutoff": cutoff.isoformat() if cutoff else None},
        stratify_by=[DIMENSION_LABELS[d] for d in task.stratify_by or []],
        sample=sample_params(task), team_size=task.team_size, counts=counts, sizes=sizes,
        witnesses=[algo.witness_entry(w.position, w.name, w.capacity, w.kind, commitment=w.commitment,
                                      source=w.source) for w in witnesses])


def _commit_context(task: Task) -> dict:
    items = list(task.items.all())
    return {"plan_approved": task.plan.status == PlanStatus.APPROVED,
            "items_published": bool(items) and all(i.status == ItemStatus.PUBLISHED for i in items)}


# ====================================================================== draws

DRAW_PURPOSE = "inspections.draw"  # the server seed's HMAC purpose (fazhi.core.draw_seed)
_HEX64 = frozenset("0123456789abcdef")


def _task_before_freeze(task: Task, by, what: str) -> Task:
    """Lock the task; the witness list changes only before the freeze (RAND-05)."""
    task = Task.objects.select_for_update(of=("self",)).select_related("unit").get(pk=task.pk)
    _require(by, "draw", task.unit)
    if task.status != TaskStatus.DRAFT or Draw.objects.filter(task=task).exists():
        raise Conflict(f"名录已冻结，{what}", rule=rules.RULE_DRAW)
    return task


def _lock_witness(witness: DrawWitness) -> DrawWitness:
    return DrawWitness.objects.select_for_update().get(pk=witness.pk)


def _witness_secret(value, field: str, label: str) -> str:
    """A secret or public value as typed: kept exactly (its hash is what was
    committed), so only a length limit and no control characters."""
    text = "" if value is None else str(value)
    if not text.strip():
        raise ValidationError(f"请填写{label}", fields={field: "必填"})
    if len(text) > 200:
        raise ValidationError(f"{label}不能超过200个字", fields={field: "过长"})
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValidationError(f"{label}不能包含换行等控制字符", fields={field: "含控制字符"})
    return text


@transaction.atomic
def add_witness(task: Task, *, by, name: str, capacity: str, kind: str, source: str = "") -> DrawWitness:
    """A 监督人 of the task's draw, before the freeze (RAND-05): a ``secret``
    witness then commits a secret of their own; a ``public`` witness names
    the public random source (e.g. a lottery draw after the freeze) whose
    value they will type after the freeze."""
    task = _task_before_freeze(task, by, "不能再增加监督人")
    name = _clean(name, 100, "name", "监督人姓名", required=True)
    capacity = _clean(capacity, 200, "capacity", "身份及单位", required=True)
    kind = _choice(kind, WitnessKind, "kind", "监督方式")
    source = _clean(source, 200, "source", "公开随机数来源", required=kind == WitnessKind.PUBLIC)
    if kind == WitnessKind.SECRET:
        source = ""
    existing = list(task.witnesses.order_by("position").values_list("position", "name"))
    if len(existing) >= int(rules.get("max_witnesses")):
        raise ValidationError(f"监督人最多{rules.get('max_witnesses')}名", rule=rules.RULE_DRAW)
    if any(n == name for _p, n in existing):
        raise ValidationError(f"监督人“{name}”已登记", fields={"name": "已登记"})
    position = (existing[-1][0] if existing else 0) + 1
    witness = DrawWitness.objects.create(task=task, position=position, name=name, capacity=capacity, kind=kind,
                                         source=source, added_by=by)
    _audit(witness, "witness", "added", by=by, unit=task.unit, data={
        "task": task.pk, "position": position, "name": name, "capacity": capacity, "kind": kind, "source": source})
    return witness


@transaction.atomic
def remove_witness(witness: DrawWitness, *, by) -> None:
    """Remove a witness before the freeze; the others keep their order (renumbered 1, 2, …)."""
    task = _task_before_freeze(witness.task, by, "不能再删除监督人")
    witness = _lock_witness(witness)
    _audit(witness, "witness", "removed", by=by, unit=task.unit, data={
        "task": task.pk, "position": witness.position, "name": witness.name})
    witness.delete()
    for n, w in enumerate(task.witnesses.order_by("position"), start=1):
        if w.position != n:
            w.position = n
            w.save(update_fields=["position", "updated_at"])


@transaction.atomic
def commit_witness(witness: DrawWitness, *, by, secret: str = "", commitment: str = "",
                   now: datetime | None = None) -> DrawWitness:
    """A ``secret`` witness commits before the freeze: either types the secret
    (only ``sha256`` of it is kept — the secret itself is not stored or logged)
    or gives that hash computed elsewhere. A new commitment replaces the old
    one until the freeze (audited)."""
    task = _task_before_freeze(witness.task, by, "不能再提交承诺值")
    witness = _lock_witness(witness)
    if witness.kind != WitnessKind.SECRET:
        raise ValidationError("公开随机数方式的监督人无需提交承诺值", rule=rules.RULE_DRAW)
    has_secret = bool(secret and str(secret).strip())
    commitment = (commitment or "").strip().lower()
    if has_secret == bool(commitment):
        raise ValidationError("请填写秘密值，或填写其 SHA-256 承诺值（二选一）", fields={"secret": "二选一"})
    if has_secret:
        commitment = algo.commitment(_witness_secret(secret, "secret", "秘密值"))
    elif len(commitment) != 64 or not set(commitment) <= _HEX64:
        raise ValidationError("承诺值应为64位十六进制数字（秘密值的 SHA-256）", fields={"commitment": "格式有误"})
    replaced = witness.commitment
    witness.commitment, witness.committed_at = commitment, _now(now)
    witness.save(update_fields=["commitment", "committed_at", "updated_at"])
    _audit(witness, "witness", "committed", by=by, unit=task.unit, data={
        "task": task.pk, "position": witness.position, "commitment": commitment, "replaced": replaced})
    return witness


@transaction.atomic
def reveal_witness(witness: DrawWitness, *, by, value: str, now: datetime | None = None) -> DrawWitness:
    """After the freeze, before the draw: a ``secret`` witness types their
    secret — refused (nothing stored) unless ``sha256(value)`` is their
    commitment; a ``public`` witness types the public value. Once only."""
    draw = Draw.objects.select_for_update().select_related("unit").filter(task_id=witness.task_id).first()
    if draw is None:
        raise Conflict("名录尚未冻结：监督人须在冻结后揭示", rule=rules.RULE_DRAW)
    _require(by, "draw", draw.unit)
    if draw.status != DrawStatus.COMMITTED:
        raise Conflict("抽取已完成，不能再揭示", rule=rules.RULE_DRAW)
    witness = _lock_witness(witness)
    if witness.revealed_at is not None:
        raise Conflict(f"监督人{witness.name}已揭示", rule=rules.RULE_DRAW)
    label = "秘密值" if witness.kind == WitnessKind.SECRET else "公开随机数"
    value = _witness_secret(value, "value", label)
    if witness.kind == WitnessKind.SECRET and algo.commitment(value) != witness.commitment:
        raise ValidationError(f"监督人{witness.name}输入的秘密值与其冻结前提交的承诺值不符，请核对后重新输入",
                              fields={"value": "与承诺值不符"}, rule=rules.RULE_DRAW)
    witness.value, witness.revealed_at = value, _now(now)
    witness.save(update_fields=["value", "revealed_at", "updated_at"])
    _audit(witness, "witness", "revealed", by=by, unit=draw.unit, data={
        "task": witness.task_id, "draw": draw.pk, "position": witness.position, "value": value})
    return witness


@transaction.atomic
def commit_draw(task: Task, *, by, now: datetime | None = None) -> Draw:
    """Freeze the pools and the parameters and commit (RAND-05; docs/draw-algorithm.md).

    Writes the canonical object, inspector and recusal files and
    ``params.json`` (filter, strata, sample, team size, pool counts, stratum
    sizes, the witnesses and their commitments), hashes them, and records
    ``commitment`` = sha256 over the server seed's commitment and the four
    hashes. The server seed is derived from ``SECRET_KEY`` and a random salt
    (``fazhi.core.draw_seed``), never stored; only its hash is kept.
    Refuses (nothing changed): a plan not approved (RAND-09), unpublished
    items (ENF-28), fewer witnesses than ``min_witnesses`` or a secret witness
    without a commitment, no or too few objects (sample larger than the pool
    or a stratum), any object that would have fewer than ``team_size``
    inspectors after absence and recusal (RAND-05), a task already frozen.
    """
    task = Task.objects.select_for_update(of=("self",)).select_related("plan", "unit").get(pk=task.pk)
    _require(by, "draw", task.unit)
    if Draw.objects.filter(task=task).exists():
        raise Conflict("该任务已冻结名录并承诺种子，不能重新冻结或重新抽取", rule=rules.RULE_DRAW)
    TASK_WORKFLOW.check(task, "commit", _commit_context(task))
    witnesses = list(task.witnesses.order_by("position"))
    minimum = int(rules.get("min_witnesses"))
    if len(witnesses) < minimum:
        raise ValidationError(f"冻结前须登记至少{minimum}名监督人（如纪检监察人员、公众代表），"
                              "由其提交承诺值或写明公开随机数来源", rule=rules.RULE_DRAW)
    uncommitted = [w.name for w in witnesses if w.kind == WitnessKind.SECRET and not w.commitment]
    if uncommitted:
        raise ValidationError(f"监督人{'、'.join(uncommitted)}尚未提交承诺值，不能冻结", rule=rules.RULE_DRAW)
    now = _now(now)
    eligible = eligible_inspectors(task)
    inspectors = pool_inspectors(eligible)
    recusals = pool_recusals(eligible)
    if len(inspectors) < task.team_size:
        raise ValidationError(f"符合条件的检查人员只有{len(inspectors)}人（证件有效、在库、未请假、执法领域相符），"
                              f"不足每组{task.team_size}人", rule=rules.RULE_DRAW)
    since = _changes_since()  # before the pool is read: see _live_changes
    salt = draw_seed.new_salt()
    draw = Draw.objects.create(task=task, unit=task.unit, algorithm_version=algo.ALGORITHM_VERSION,
                               commitment="0" * 64, seed_salt=salt, committed_at=now, committed_by=by,
                               pool_dir="", objects_hash="", inspectors_hash="", recusals_hash="")
    rel, path = _draw_dir(draw.pk)
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    try:
        rec = algo.Recusals(recusals)
        cert_set = {i.cert for i in inspectors}
        short: list[tuple[str, int]] = []

        def check_team(o: algo.PoolObject) -> None:
            recused = rec.for_object(o.code, o.org_unit)
            if recused:
                available = len(inspectors) - len(recused & cert_set)
                if available < task.team_size and len(short) < 20:
                    short.append((o.code, available))

        objects_path = os.path.join(path, algo.plain_name(algo.OBJECTS_FILE))
        strata_hash = ""
        if connection.vendor == "postgresql":
            # Lines built by the database and streamed into the files; only the
            # objects a recusal names (or whose unit it names) come back parsed.
            objects_hash, strata_hash, sizes, watched = _freeze_objects_pg(task, path, set(rec.by_object),
                                                                           set(rec.by_unit))
            for o in watched:
                check_team(o)
        else:  # SQLite: the simple path (the reveal then groups the object file itself)
            sizes = {}

            def counted():
                for o in iter_pool_objects(task):
                    sizes[o.stratum] = sizes.get(o.stratum, 0) + 1
                    check_team(o)
                    yield o

            objects_hash = algo.write_file(objects_path, algo.object_lines(counted()))
        if short:
            listed = "、".join(f"{code}（{n}人）" for code, n in short[:5])
            raise ValidationError(f"以下检查对象在回避和不可用人员排除后，可抽取的检查人员不足{task.team_size}人："
                                  f"{listed}{'等' if len(short) > 5 else ''}；请调整回避关系或扩大检查人员范围",
                                  rule=rules.RULE_DRAW)
        quotas, mode = compute_quotas(task, sizes)
        inspectors_hash = algo.write_file(os.path.join(path, algo.plain_name(algo.INSPECTORS_FILE)),
                                          algo.inspector_lines(inspectors))
        recusals_hash = algo.write_file(os.path.join(path, algo.plain_name(algo.RECUSALS_FILE)),
                                        algo.recusal_lines(recusals))
        params = _draw_params(task, counts={"objects": sum(sizes.values()), "inspectors": len(inspectors),
                                            "recusals": len(recusals)}, sizes=sizes, witnesses=witnesses)
        params_hash = algo.write_file(os.path.join(path, algo.PARAMS_FILE),
                                      [algo.canonical_json(params).encode("utf-8")])
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    draw.pool_dir = rel
    draw.changes_since, draw.strata_file_sha256 = since, strata_hash
    draw.objects_hash, draw.inspectors_hash, draw.recusals_hash = objects_hash, inspectors_hash, recusals_hash
    draw.params_hash = params_hash
    draw.server_commitment = draw_seed.server_commitment(DRAW_PURPOSE, draw.pk, salt)
    draw.commitment = algo.freeze_commitment(draw.server_commitment, {
        "objects": objects_hash, "inspectors": inspectors_hash, "recusals": recusals_hash, "params": params_hash})
    draw.object_count, draw.inspector_count = sum(sizes.values()), len(inspectors)
    draw.strata = [{"key": key, "size": sizes[key], "quota": quotas[key]} for key in sorted(sizes)]
    draw.live_pool_note = mode  # replaced at the reveal; keeps the quota mode until then
    draw.save()
    task.status = TaskStatus.COMMITTED
    task.save(update_fields=["status", "updated_at"])
    _audit(draw, "draw", "committed", by=by, data={
        "task": task.pk, "algorithm": draw.algorithm_version, "commitment": draw.commitment,
        "server_commitment": draw.server_commitment, "objects_sha256": objects_hash,
        "inspectors_sha256": inspectors_hash, "recusals_sha256": recusals_hash, "params_sha256": params_hash,
        "objects": draw.object_count, "inspectors": draw.inspector_count, "quota_mode": mode,
        "strata": draw.strata, "witnesses": params["witnesses"]})
    return draw


def quota_mode(draw: Draw) -> str:
    if draw.receipt:
        return draw.receipt.get("quota_mode", "proportional")
    if draw.live_pool_note in ("explicit", "proportional"):  # set at the freeze, until the reveal
        return draw.live_pool_note
    return "explicit" if draw.task.quotas else "proportional"


LIVE_CHECK_LIMIT = 20_000  # more objects changed since the freeze: compare the whole pool


def _objects_unchanged(draw: Draw, task: Task, frozen: algo.FrozenObjects | None) -> bool:
    """Is the live object pool still the frozen one?

    Every write of an object sets its ``updated_at`` (saves, the import's COPY,
    ``record_result``), so only the objects updated since ``draw.changes_since``
    can differ from the frozen file: their live lines (or absence) are compared
    with the frozen lines; a deleted object shows in the count. Draws frozen
    before this was recorded, or too many changes: the whole pool is re-read
    and hashed."""
    if frozen is not None and draw.changes_since is not None:
        codes = list(Entity.objects.filter(updated_at__gte=draw.changes_since).order_by()
                     .values_list("credit_code", flat=True)[:LIVE_CHECK_LIMIT + 1])
        if len(codes) <= LIVE_CHECK_LIMIT:
            live: dict[str, bytes] = {}
            for i in range(0, len(codes), 5000):
                for o in iter_pool_objects(task, codes=codes[i:i + 5000]):
                    live[o.code] = next(algo.object_lines([o]))
            for code in codes:
                line = frozen.line_of(code)
                if live.get(code) != (None if line is None else line + b"\n"):
                    return False
            return pool_queryset(task).count() == draw.object_count
    return algo.hash_lines(algo.object_lines(iter_pool_objects(task))) == draw.objects_hash


def _live_changes(draw: Draw, task: Task, frozen: algo.FrozenObjects | None = None) -> list[str]:
    """Which frozen lists differ from the live database now (reported, not used)."""
    eligible = eligible_inspectors(task)
    changed = []
    if not _objects_unchanged(draw, task, frozen):
        changed.append("检查对象名录")
    if algo.hash_lines(algo.inspector_lines(pool_inspectors(eligible))) != draw.inspectors_hash:
        changed.append("检查人员名录")
    if algo.hash_lines(algo.recusal_lines(pool_recusals(eligible))) != draw.recusals_hash:
        changed.append("回避关系")
    return changed


def _allocate_ids(model, n: int) -> list[int]:
    """``n`` new primary keys from the table's sequence (PostgreSQL)."""
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, model._meta.pk.column, n])
        return sorted(r[0] for r in cur.fetchall())


def _copy_insert(model, template: dict, varying: tuple[str, ...], rows) -> None:
    """Insert rows with PostgreSQL COPY: every column takes the value of a
    ``model(**template)`` instance (defaults, auto_now), except the ``varying``
    attnames, given per row in that order (the primary key only if listed)."""
    obj = model(**template)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in varying]
    const = [None if f.attname in varying else f.get_db_prep_save(f.pre_save(obj, True), connection)
             for f in fields]
    where = [next(i for i, f in enumerate(fields) if f.attname == name) for name in varying]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = const.copy()
                for i, v in zip(where, row, strict=True):
                    values[i] = v
                copy.write_row(values)


def _write_selection(draw: Draw, task: Task, selected: list, entity_ids: dict[str, int],
                     inspector_ids: dict[str, int]) -> None:
    """The selections, their teams, one pending inspection per object and its officers."""
    year = task.planned_start.year
    if connection.vendor == "postgresql":  # COPY: ~30,000 objects in a second or two
        sel_ids = _allocate_ids(DrawSelection, len(selected))
        ins_ids = _allocate_ids(Inspection, len(selected))
        _copy_insert(DrawSelection, {"draw": draw}, ("id", "entity_id", "credit_code", "stratum", "position"),
                     ((sid, entity_ids[s.code], s.code, s.stratum, s.position)
                      for sid, s in zip(sel_ids, selected, strict=True)))
        _copy_insert(TeamMember, {"selection_id": 0, "inspector_id": 0, "position": 1},
                     ("selection_id", "inspector_id", "certificate_number", "position"),
                     ((sid, inspector_ids[c], c, i + 1)
                      for sid, s in zip(sel_ids, selected, strict=True) for i, c in enumerate(s.team)))
        _copy_insert(Inspection, {"unit": task.unit, "kind": InspectionKind.RANDOM, "task": task, "year": year,
                                  "entity_id": 0},
                     ("id", "selection_id", "entity_id"),
                     ((iid, sid, entity_ids[s.code])
                      for iid, sid, s in zip(ins_ids, sel_ids, selected, strict=True)))
        _copy_insert(Inspection.officers.through, {"inspection_id": 0, "inspector_id": 0},
                     ("inspection_id", "inspector_id"),
                     ((iid, inspector_ids[c]) for iid, s in zip(ins_ids, selected, strict=True) for c in s.team))
        return
    sels = DrawSelection.objects.bulk_create(
        [DrawSelection(draw=draw, entity_id=entity_ids[s.code], credit_code=s.code, stratum=s.stratum,
                       position=s.position) for s in selected], batch_size=2000)
    if any(sel.pk is None for sel in sels):  # backends that do not return ids
        by_pos = dict(DrawSelection.objects.filter(draw=draw).values_list("position", "pk"))
        for sel in sels:
            sel.pk = by_pos[sel.position]
    TeamMember.objects.bulk_create(
        [TeamMember(selection_id=sel.pk, inspector_id=inspector_ids[c], certificate_number=c, position=i + 1)
         for sel, s in zip(sels, selected, strict=True) for i, c in enumerate(s.team)], batch_size=5000)
    inspections = Inspection.objects.bulk_create(
        [Inspection(unit=task.unit, kind=InspectionKind.RANDOM, task=task, selection_id=sel.pk,
                    entity_id=sel.entity_id, year=year) for sel in sels], batch_size=2000)
    if any(i.pk is None for i in inspections):
        by_sel = dict(Inspection.objects.filter(task=task).values_list("selection_id", "pk"))
        for i in inspections:
            i.pk = by_sel[i.selection_id]
    Through = Inspection.officers.through
    Through.objects.bulk_create(
        [Through(inspection_id=ins.pk, inspector_id=inspector_ids[c])
         for ins, s in zip(inspections, selected, strict=True) for c in s.team], batch_size=5000)


def _lookup_entities(codes: list[str]) -> dict[str, int]:
    if connection.vendor == "postgresql":  # one query, the codes as one array parameter
        table = connection.ops.quote_name(Entity._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(f"SELECT credit_code, id FROM {table} WHERE credit_code = ANY(%s)", [list(codes)])
            return dict(cur.fetchall())
    out = {}
    for i in range(0, len(codes), 5000):
        out.update(Entity.objects.filter(credit_code__in=codes[i:i + 5000]).values_list("credit_code", "pk"))
    return out


def _lookup_inspectors(certs: list[str]) -> dict[str, int]:
    out = {}
    for i in range(0, len(certs), 2000):
        out.update(Inspector.objects.filter(officer__certificates__number__in=certs[i:i + 2000])
                   .values_list("officer__certificates__number", "pk"))
    return out


def _frozen_params(draw: Draw, folder: str) -> dict:
    """The committed ``params.json`` of a ``fazhi-draw/2`` draw, checked against its hash."""
    try:
        raw = algo.read_bytes(os.path.join(folder, algo.PARAMS_FILE))
    except OSError as exc:
        raise Conflict(f"冻结参数文件无法读取（{exc}），不能抽取", rule=rules.RULE_DRAW)
    if algo.sha256_hex(raw) != draw.params_hash:
        raise Conflict("冻结参数文件（params）已被改动，哈希与冻结时不一致，不能抽取", rule=rules.RULE_DRAW)
    return json.loads(raw.decode("utf-8"))


def _revealed_witnesses(task: Task, params: dict) -> list[dict]:
    """The committed witness entries with the values revealed since, each
    checked again against its commitment (a value changed in the database
    after its reveal is refused here, not drawn with)."""
    rows = {w.position: w for w in task.witnesses.all()}
    out = []
    for entry in params["witnesses"]:
        w = rows.get(entry["position"])
        if w is None or w.revealed_at is None or not w.value:
            raise TransitionRefused(f"监督人{entry['name']}尚未揭示，不能抽取", rule=rules.RULE_DRAW)
        if entry["kind"] == algo.WITNESS_SECRET and algo.commitment(w.value) != entry["commitment"]:
            raise Conflict(f"监督人{entry['name']}的揭示值与冻结时的承诺值不符，不能抽取", rule=rules.RULE_DRAW)
        out.append({**entry, "value": w.value})
    return out


@transaction.atomic
def reveal_draw(draw: Draw, *, by, now: datetime | None = None, witness_input: str = "",
                witness_name: str = "") -> Draw:
    """Reveal the server's seed and draw (RAND-05; docs/draw-algorithm.md).

    ``fazhi-draw/2``: every witness has revealed (``reveal_witness``); the
    server's seed is derived again and checked against its commitment;
    ``final_seed`` chains it and the witnesses' values. The quotas, team size
    and witnesses come from the committed ``params.json``, not from the
    database. ``fazhi-draw/1`` draws (frozen before) take the witness's
    public input here: ``final_seed = sha256(seed + ":" + witness_input)``.

    Objects per stratum and then teams, from the frozen files only. If the
    live pool differs from the frozen one it is reported in the receipt and
    the audit entry. Creates the selections, teams and one pending
    ``Inspection`` per object. The draw row is locked: two concurrent reveals
    cannot both draw.
    """
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    task = Task.objects.select_for_update(of=("self",)).select_related("plan", "unit").get(pk=draw.task_id)
    _require(by, "draw", draw.unit)
    if draw.is_v1:
        witness_input = _clean(witness_input, 200, "witness_input", "监督人输入")
        witness_name = _clean(witness_name, 100, "witness_name", "监督人")
        revealed = bool(witness_input)
    else:
        revealed = not task.witnesses.filter(revealed_at__isnull=True).exists()
    DRAW_WORKFLOW.check(draw, "reveal", {"witnesses_revealed": revealed})
    now = _now(now)
    folder = os.path.join(settings.MEDIA_ROOT, draw.pool_dir)
    params = None if draw.is_v1 else _frozen_params(draw, folder)
    strata = draw.strata if params is None else params["strata"]
    try:
        index = None
        if draw.strata_file_sha256:
            index = (draw.strata_file_sha256, [(x["key"], x["size"]) for x in strata])
        frozen, inspectors, recusals, hashes = algo.load_frozen(folder, index)
    except (OSError, EOFError, ValueError, IndexError) as exc:
        raise Conflict(f"冻结名录文件无法读取（{exc}），不能抽取", rule=rules.RULE_DRAW)
    expected = {"objects": draw.objects_hash, "inspectors": draw.inspectors_hash, "recusals": draw.recusals_hash}
    if index is not None:
        expected["strata"] = draw.strata_file_sha256
    for name, digest in expected.items():
        if hashes[name] != digest:
            raise Conflict(f"冻结名录文件（{name}）已被改动，哈希与冻结时不一致，不能抽取", rule=rules.RULE_DRAW)
    if params is None:
        seed, witnesses, mode = draw.secret_seed, [], quota_mode(draw)
        final = algo.final_seed(seed, witness_input)
        quotas = {s["key"]: s["quota"] for s in draw.strata}
        team_size = task.team_size
    else:
        hashes["params"] = draw.params_hash
        if algo.freeze_commitment(draw.server_commitment, hashes) != draw.commitment:
            raise Conflict("冻结记录与承诺值不一致，不能抽取", rule=rules.RULE_DRAW)
        witnesses = _revealed_witnesses(task, params)
        seed = draw_seed.recover(DRAW_PURPOSE, draw.pk, draw.seed_salt, draw.server_commitment)
        if seed is None:
            raise Conflict("无法恢复服务器种子：冻结时使用的 SECRET_KEY 已不可用（更换密钥时须将旧密钥列入 "
                           "SECRET_KEY_FALLBACKS），不能抽取", rule=rules.RULE_DRAW)
        final = algo.combine(draw.commitment, seed, [w["value"] for w in witnesses])
        try:
            quotas = algo.quotas_from_params(params["sample"], {x["key"]: x["size"] for x in strata})
        except algo.DrawError as exc:
            raise ValidationError(exc.message, rule=exc.rule)
        team_size = int(params["team_size"])
    changed = _live_changes(draw, task, frozen)
    note = ""
    if changed:
        note = (f"揭示时实时数据与冻结名录不一致（{'、'.join(changed)}），"
                "本次抽取按冻结时的名录进行。")
    try:
        selected = algo.run_frozen(final, frozen, inspectors, recusals, quotas, team_size)
    except algo.DrawError as exc:
        raise ValidationError(exc.message, rule=exc.rule)
    entity_ids = _lookup_entities([s.code for s in selected])
    missing = [s.code for s in selected if s.code not in entity_ids]
    if missing:
        raise Conflict(f"抽中的检查对象{missing[0]}已从名录库删除，无法登记抽取结果", rule=rules.RULE_DRAW)
    inspector_ids = _lookup_inspectors(sorted({c for s in selected for c in s.team}))
    _write_selection(draw, task, selected, entity_ids, inspector_ids)
    draw.seed, draw.final_seed = seed, final
    draw.witness_input, draw.witness_name = witness_input, witness_name
    draw.drawn_at, draw.drawn_by = now, by
    draw.live_pool_changed, draw.live_pool_note = bool(changed), note
    draw.status = DrawStatus.DRAWN
    live_pool = {"changed": bool(changed), "note": note}
    if params is None:
        receipt = algo.build_receipt(
            task={"id": task.pk, "title": task.title, "unit": task.unit.name, "plan": task.plan.title,
                  "planned_start": task.planned_start.isoformat(), "planned_end": task.planned_end.isoformat()},
            commitment_hex=draw.commitment, committed_at=draw.committed_at.isoformat(), seed=seed,
            witness_input=witness_input, final=final,
            pools={"objects": {"file": algo.OBJECTS_FILE, "sha256": draw.objects_hash, "count": draw.object_count},
                   "inspectors": {"file": algo.INSPECTORS_FILE, "sha256": draw.inspectors_hash,
                                  "count": draw.inspector_count},
                   "recusals": {"file": algo.RECUSALS_FILE, "sha256": draw.recusals_hash,
                                "count": len(recusals)}},
            strata=draw.strata, quota_mode=mode, team_size=team_size, selected=selected,
            drawn_at=now.isoformat(), live_pool=live_pool)
    else:
        receipt = algo.build_receipt_v2(
            params=params, hashes=hashes, commitment_hex=draw.commitment, committed_at=draw.committed_at.isoformat(),
            server_commitment=draw.server_commitment, seed=seed, witnesses=witnesses, final=final, quotas=quotas,
            selected=selected, drawn_at=now.isoformat(), live_pool=live_pool)
    text = algo.canonical_json(receipt)
    draw.receipt, draw.receipt_sha256 = receipt, algo.sha256_hex(text)
    with open(os.path.join(folder, algo.RECEIPT_FILE), "w", encoding="utf-8") as f:
        f.write(text)
    draw.save()
    task.status = TaskStatus.DRAWN
    task.save(update_fields=["status", "updated_at"])
    _audit(draw, "draw", "revealed", by=by, data={
        "task": task.pk, "seed": seed, "witness_input": witness_input,
        "witnesses": [{"position": w["position"], "value": w["value"]} for w in witnesses], "final_seed": final,
        "selected": len(selected), "receipt_sha256": draw.receipt_sha256, "live_pool_changed": bool(changed),
        "live_pool_note": note})
    return draw


def _compress_pool_files(folder: str) -> None:
    """The published (gzip) form of the pool files frozen uncompressed (portal downloads)."""
    for name in algo.POOL_FILES:
        plain = os.path.join(folder, algo.plain_name(name))
        if not os.path.exists(os.path.join(folder, name)) and os.path.exists(plain):
            algo.compress_file(plain, os.path.join(folder, name))


@transaction.atomic
def publish_draw(draw: Draw, *, by, now: datetime | None = None) -> Draw:
    """Put the draw's receipt and list of selected objects on the portal (RAND-02).
    Afterwards nothing about it can change (a re-run is refused, RAND-05)."""
    draw = Draw.objects.select_for_update(of=("self",)).select_related("unit").get(pk=draw.pk)
    _require(by, "publish", draw.unit)
    DRAW_WORKFLOW.apply(draw, "publish")
    _compress_pool_files(os.path.join(settings.MEDIA_ROOT, draw.pool_dir))
    draw.published_at = _now(now)
    draw.save(update_fields=["status", "published_at", "updated_at"])
    _audit(draw, "draw", "published", by=by, data={"receipt_sha256": draw.receipt_sha256})
    return draw


def export_draw(draw: Draw, folder: str) -> str:
    """Write receipt.json, the three pool files and (``fazhi-draw/2``) params.json of a revealed draw into ``folder``."""
    if draw.status == DrawStatus.COMMITTED or not draw.receipt:
        raise Conflict("该抽取尚未揭示种子，没有可导出的凭证", rule=rules.RULE_DRAW)
    os.makedirs(folder, exist_ok=True)
    src = os.path.join(settings.MEDIA_ROOT, draw.pool_dir)
    for name in algo.POOL_FILES:
        stored = algo.stored_path(src, name)
        if stored.endswith(".gz"):
            shutil.copyfile(stored, os.path.join(folder, name))
        else:
            algo.compress_file(stored, os.path.join(folder, name))
    if not draw.is_v1:
        shutil.copyfile(os.path.join(src, algo.PARAMS_FILE), os.path.join(folder, algo.PARAMS_FILE))
    with open(os.path.join(folder, algo.RECEIPT_FILE), "w", encoding="utf-8") as f:
        f.write(algo.canonical_json(draw.receipt))
    return folder


# ==================================================================== results


def _officers_for(inspection: Inspection, officers) -> list[Inspector]:
    if officers is None:
        return list(inspection.officers.all())
    return list(officers)


@transaction.atomic
def record_result(inspection: Inspection, *, by, result: str, inspected_on: date, today: date, findings: str = "",
                  officers=None, late_reason: str = "") -> Inspection:
    """Record (or correct, before publication) the result of a check, with at
    least 2 inspectors (RAND-05); sets the publication deadline: N working
    days after the check (RAND-07, ``rules.publish_due``) and the object's
    last inspection date.

    ``today`` is the server's date. ``inspected_on`` is typed by a person
    (SYS-03, ``duties.inspection_date``): not in the future, not before the
    draw nor the task's start; after the task's end or long ago only with
    ``late_reason`` (flagged in the trail). The inspectors are members of the
    drawn team with a certificate valid that day (RAND-05, ENF-01)."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related(
        "unit", "task", "selection__draw").get(pk=inspection.pk)
    _require(by, "record_result", inspection.unit)
    result = _choice(result, Result, "result", "检查结果")
    when = duties.inspection_date(inspection, _date(inspected_on, "inspected_on", "检查日期"), today=today,
                                  reason=late_reason)
    inspected_on = when.value
    findings = _clean(findings, 10_000, "findings", "检查情况")
    if result == Result.OTHER and not findings:
        raise ValidationError("检查结果为“其他”时须填写检查情况", fields={"findings": "请填写检查情况"})
    team = _officers_for(inspection, officers)
    INSPECTION_WORKFLOW.check(inspection, "record_result",
                              {"team_ok": len(team) >= int(rules.get("min_team_size"))})
    duties.check_team(inspection, team, on=inspected_on)
    INSPECTION_WORKFLOW.apply(inspection, "record_result", {"team_ok": True})
    due = rules.publish_due(inspected_on)
    inspection.result, inspection.findings, inspection.inspected_on = result, findings, inspected_on
    inspection.result_recorded_at, inspection.result_recorded_by = timezone.now(), by
    inspection.publish_due, inspection.publish_due_provisional = due.due, due.provisional
    inspection.publish_due_rule = rules.publish_rule_text()
    inspection.year = inspected_on.year if not inspection.task_id else inspection.year
    inspection.save()
    if officers is not None:
        inspection.officers.set(team)
    Entity.objects.filter(pk=inspection.entity_id).filter(
        Q(last_inspected_on__isnull=True) | Q(last_inspected_on__lt=inspected_on)).update(
        last_inspected_on=inspected_on, updated_at=timezone.now())  # updated_at: seen by _live_changes
    _audit(inspection, "inspection", "result_recorded", by=by, data={
        "result": result, "inspected_on": inspected_on, "publish_due": due.due, "officers": [o.pk for o in team],
        **when.audit_data()})
    return inspection


ATTACHMENT_TYPES = ("pdf", "jpeg", "png", "docx", "mp4", "mp3", "m4a", "wav")


@transaction.atomic
def attach_record(inspection: Inspection, *, by, upload, title: str = "") -> InspectionAttachment:
    """Attach an officers' record (现场检查笔录, photos…), type checked by content."""
    from fazhi.core.uploads import read_checked

    _require(by, "record_result", inspection.unit)
    if inspection.status == InspectionStatus.PUBLISHED:
        raise Conflict("检查结果已公示，不能再添加检查记录", rule=rules.RULE_PUBLISH)
    checked = read_checked(upload, allowed=ATTACHMENT_TYPES, max_bytes=int(settings.UPLOAD_MAX_MB) * 1024 * 1024,
                           what="检查记录")
    rel = os.path.join("inspections", "records", str(inspection.pk), f"{uuid.uuid4().hex}{checked.ext}")
    path = os.path.join(settings.MEDIA_ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(checked.data)
    name = os.path.basename(getattr(upload, "name", "") or "")[:255]
    att = InspectionAttachment.objects.create(
        inspection=inspection, unit=inspection.unit, title=_clean(title, 200, "title", "名称") or name or "检查记录",
        file=rel, original_name=name, content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        uploaded_by=by)
    _audit(att, "attachment", "added", by=by, data={"inspection": inspection.pk, "sha256": checked.sha256})
    return att


@transaction.atomic
def publish_result(inspection: Inspection, *, by, now: datetime | None = None,
                   content: str | None = None) -> Inspection:
    """一公开 (RAND-07): publish the result on the portal; the public text is
    copied now (``public_result``/``public_findings``). Late publication is
    allowed and shows as late in the statistics. Refused while the text holds
    an ID, card or phone number or an address nobody has decided on
    (``fazhi.core.privacy``); the ones decided “隐去” are masked in the copy.
    Not by the person who recorded the result (SYS-01), not dated before the
    check (SYS-03); ``now`` is the server's time."""
    from fazhi.core import privacy

    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("unit").get(pk=inspection.pk)
    _require(by, "publish", inspection.unit)
    INSPECTION_WORKFLOW.check(inspection, "publish")
    now = _now(now)
    duties.publication_day(inspection, by, on=timezone.localdate(now))  # SYS-01, SYS-03
    INSPECTION_WORKFLOW.apply(inspection, "publish")
    text = _clean(inspection.findings if content is None else content, 10_000, "content", "公示内容")
    public = privacy.publishable(inspection, {"公示内容": text, "事由说明": inspection.reason_note},
                                 rule=privacy.rule_for(rules.RULE_PUBLISH))
    inspection.published_at, inspection.published_by = now, by
    inspection.public_result = inspection.get_result_display()
    inspection.public_findings = public["公示内容"]
    inspection.save()
    on_time = timezone.localdate(now) <= inspection.publish_due
    _audit(inspection, "inspection", "published", by=by, data={"on_time": on_time,
                                                              "publish_due": inspection.publish_due})
    return inspection


@transaction.atomic
def hand_over(inspection: Inspection, *, by, receiving_unit: Unit, handed_over_on: date, today: date,
              note: str = "", register_case: bool = False, late_reason: str = "") -> Inspection:
    """Hand a finding over to enforcement (follow-up). With ``register_case``
    a penalty case is registered in the receiving unit through
    ``enforcement.services.create_case`` (the user needs enforcement rights
    there); otherwise the handover (date, receiving unit) is recorded."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("unit", "entity").get(pk=inspection.pk)
    _require(by, "record_result", inspection.unit)
    INSPECTION_WORKFLOW.check(inspection, "hand_over",
                              {"not_handed_over": inspection.handover_status != HandoverStatus.HANDED_OVER})
    when = entered_date(_date(handed_over_on, "handed_over_on", "移交日期"), today=_date(today, "today", "今天"),
                        label="移交日期", field="handed_over_on", after=[(inspection.inspected_on, "检查日期")],
                        reason=_clean(late_reason, 500, "late_reason", "补录理由"))  # SYS-03
    handed_over_on = when.value
    if inspection.result == Result.NONE_FOUND:
        raise ValidationError("检查结果为“未发现问题”，无需移交", fields={"result": "无需移交"})
    note = _clean(note, 500, "note", "移交说明")
    if register_case:
        from fazhi.enforcement import services as enforcement

        case = enforcement.create_case(
            unit=receiving_unit, by=by, cause=f"双随机抽查发现问题：{inspection.get_result_display()}"[:200],
            party_kind="org", party_name=inspection.entity.name, discovered_on=handed_over_on,
            source="双随机抽查", party_id_no=inspection.entity.credit_code,
            party_address=inspection.entity.address[:200], facts=inspection.findings[:5000])
        inspection.enforcement_case_id = case.pk
    inspection.handover_status = HandoverStatus.HANDED_OVER
    inspection.handed_over_on, inspection.handover_unit, inspection.handover_note = handed_over_on, receiving_unit, note
    inspection.save()
    _audit(inspection, "inspection", "handed_over", by=by, data={
        "receiving_unit": receiving_unit.pk, "handed_over_on": handed_over_on,
        "enforcement_case": inspection.enforcement_case_id, **when.audit_data()})
    return inspection


@transaction.atomic
def record_non_random(*, unit: Unit, by, entity: Entity, reason: str, inspected_on: date, result: str, today: date,
                      findings: str = "", reason_note: str = "", officers=None, late_reason: str = "") -> Inspection:
    """A non-random inspection (投诉举报、转办交办、专项检查…) with its result, so the
    share of random inspections can be computed (RAND-01). Published like any result."""
    _require(by, "record_result", unit)
    reason = _choice(reason, NonRandomReason, "reason", "非随机检查事由")
    reason_note = _clean(reason_note, 300, "reason_note", "事由说明")
    if reason == NonRandomReason.OTHER and not reason_note:
        raise ValidationError("事由为“其他”时须说明", fields={"reason_note": "请说明事由"})
    inspected_on = _date(inspected_on, "inspected_on", "检查日期")
    entered_date(inspected_on, today=_date(today, "today", "今天"), label="检查日期", field="inspected_on",
                 reason=late_reason)  # SYS-03, before anything is created
    inspection = Inspection.objects.create(unit=unit, kind=InspectionKind.NON_RANDOM, non_random_reason=reason,
                                           reason_note=reason_note, entity=entity, year=inspected_on.year)
    _audit(inspection, "inspection", "created", by=by, data={"kind": "non_random", "reason": reason,
                                                            "entity": entity.credit_code})
    return record_result(inspection, by=by, result=result, inspected_on=inspected_on, today=today, findings=findings,
                         officers=officers or [], late_reason=late_reason)
