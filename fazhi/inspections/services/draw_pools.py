"""What a draw draws from, as the live database has it: a task's eligible
objects (canonical order, strata) and inspectors, its sample and quotas, and
whether the live pools still match the frozen files at the reveal.
"""

from datetime import date

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Collate

from fazhi.core import draw as algo
from fazhi.core.errors import ValidationError
from fazhi.inspections import rules
from fazhi.inspections.models import Draw, Entity, Inspector, InspectorAbsence, Recusal, RiskLevel, Task
from fazhi.inspections.services.plans import plan_unit_ids
from fazhi.org.models import Unit

DIMENSION_LABELS = {"industry": "行业", "region": "区域", "risk_level": "风险等级"}
RISK_LABELS = dict(RiskLevel.choices)

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
