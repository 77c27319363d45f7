"""The draw (RAND-05; docs/draw-algorithm.md): freeze and commit, reveal and
draw, publish the receipt, export it for anyone to verify.
"""

import json
import os
import shutil
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from fazhi.core import draw as algo
from fazhi.core import draw_seed
from fazhi.core.actors import Actor
from fazhi.core.errors import Conflict, TransitionRefused, ValidationError
from fazhi.inspections import rules
from fazhi.inspections.models import (
    Draw,
    DrawStatus,
    DrawWitness,
    ItemStatus,
    PlanStatus,
    Task,
    TaskStatus,
    WitnessKind,
)
from fazhi.inspections.services.common import _audit, _clean, _now, _require
from fazhi.inspections.services.draw_pools import (
    DIMENSION_LABELS,
    RISK_LABELS,
    _live_changes,
    compute_quotas,
    eligible_inspectors,
    iter_pool_objects,
    pool_inspectors,
    pool_recusals,
    recent_cutoff,
    sample_params,
)
from fazhi.inspections.services.draw_sql import (
    _changes_since,
    _freeze_objects_pg,
    _lookup_entities,
    _lookup_inspectors,
    _write_selection,
)
from fazhi.inspections.workflow import DRAW_WORKFLOW, TASK_WORKFLOW

DRAW_PURPOSE = "inspections.draw"  # the server seed's HMAC purpose (fazhi.core.draw_seed)

def _draw_dir(draw_id: int) -> tuple[str, str]:
    rel = os.path.join("inspections", "draws", str(draw_id))
    return rel, os.path.join(settings.MEDIA_ROOT, rel)


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


@transaction.atomic
def commit_draw(task: Task, *, by: Actor, now: datetime | None = None) -> Draw:
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
def reveal_draw(draw: Draw, *, by: Actor, now: datetime | None = None, witness_input: str = "",
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
        recovered = draw_seed.recover(DRAW_PURPOSE, draw.pk, draw.seed_salt, draw.server_commitment)
        if recovered is None:
            raise Conflict("无法恢复服务器种子：冻结时使用的 SECRET_KEY 已不可用（更换密钥时须将旧密钥列入 "
                           "SECRET_KEY_FALLBACKS），不能抽取", rule=rules.RULE_DRAW)
        seed = recovered
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
def publish_draw(draw: Draw, *, by: Actor, now: datetime | None = None) -> Draw:
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
