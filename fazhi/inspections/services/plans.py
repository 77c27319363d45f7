"""Plans and their tasks (RAND-09, RAND-01): a task names the items, the
object filter, the sample and the team size a draw will use.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from fazhi.core.actors import Actor
from fazhi.core.errors import ValidationError
from fazhi.inspections import duties, rules
from fazhi.inspections.models import (
    STRATIFY_DIMENSIONS,
    InspectionStatus,
    ItemStatus,
    Plan,
    PlanKind,
    RiskLevel,
    Task,
)
from fazhi.inspections.services.common import (
    UNSET,
    _audit,
    _choice,
    _clean,
    _date,
    _lock,
    _now,
    _require,
    _str_list,
)
from fazhi.inspections.workflow import PLAN_WORKFLOW, TASK_WORKFLOW
from fazhi.org.models import Unit


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
def create_plan(*, unit: Unit, by: Actor, year: int, title: str, kind: str = PlanKind.ANNUAL,
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
def update_plan(plan: Plan, *, by: Actor, title=UNSET, description=UNSET, random_target=UNSET,
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
def approve_plan(plan: Plan, *, by: Actor, now: datetime | None = None) -> Plan:
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
def create_task(plan: Plan, *, by: Actor, title: str, items, planned_start: date, planned_end: date,
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
def update_task(task: Task, *, by: Actor, **fields) -> Task:
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


class _Preview(Exception):
    """Carries the preview out of the transaction it rolls back."""

    def __init__(self, preview):
        super().__init__()
        self.preview = preview


def preview_task(plan: Plan, *, by, on: date, task: Task | None = None, **fields):
    """The eligible pool (``selectors.PoolPreview``) a task with these settings
    would have on ``on``, before anything is saved: the task is saved through
    ``create_task`` (``task`` None) or ``update_task`` — the same checks, the
    same pool query — inside a transaction that is always rolled back, so the
    preview is exactly what saving would give and nothing is stored. Refusals
    are raised as saving would raise them."""
    from fazhi.inspections import selectors

    try:
        with transaction.atomic():
            draft = create_task(plan, by=by, **fields) if task is None else update_task(task, by=by, **fields)
            raise _Preview(selectors.task_pool_preview(draft, on=on))
    except _Preview as done:
        return done.preview


@transaction.atomic
def close_task(task: Task, *, by: Actor) -> Task:
    """All results of the task are recorded."""
    task = _lock(Task, task)
    _require(by, "plan", task.unit)
    pending = task.inspections.filter(status=InspectionStatus.PENDING).exists()
    TASK_WORKFLOW.apply(task, "close", {"all_recorded": not pending})
    task.save(update_fields=["status", "updated_at"])
    _audit(task, "task", "closed", by=by)
    return task
