"""The witnesses (监督人) of a draw (RAND-05; docs/draw-algorithm.md): added,
removed and committed before the freeze, revealed after it.
"""

from datetime import datetime

from django.db import transaction

from fazhi.core import draw as algo
from fazhi.core.actors import Actor
from fazhi.core.errors import Conflict, ValidationError
from fazhi.inspections import rules
from fazhi.inspections.models import Draw, DrawStatus, DrawWitness, Task, TaskStatus, WitnessKind
from fazhi.inspections.services.common import _audit, _choice, _clean, _now, _require

_HEX64 = frozenset("0123456789abcdef")

def _task_before_freeze(task: Task, by: Actor, what: str) -> Task:
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
def add_witness(task: Task, *, by: Actor, name: str, capacity: str, kind: str, source: str = "") -> DrawWitness:
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
def remove_witness(witness: DrawWitness, *, by: Actor) -> None:
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
def commit_witness(witness: DrawWitness, *, by: Actor, secret: str = "", commitment: str = "",
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
def reveal_witness(witness: DrawWitness, *, by: Actor, value: str, now: datetime | None = None) -> DrawWitness:
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
