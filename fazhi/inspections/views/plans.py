"""抽查计划 and their 抽查任务: drafting, approval (SYS-01/02), the task preview, closing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.duties import SOD_RULE
from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors, refused_onto
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.inspections import forms as f
from fazhi.inspections import selectors, services
from fazhi.inspections.models import (
    InspectionStatus,
    ItemStatus,
    PlanKind,
    PlanStatus,
    RiskLevel,
    TaskStatus,
)
from fazhi.inspections.views import common as vh
from fazhi.inspections.views.common import APPROVE, DRAW, PLAN, VIEW
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require
from fazhi.org.models import Unit, UnitKind

PLAN_TABLE = Table("抽查计划", [
    Column("年度", "year", sort="year"),
    Column("计划名称", "title", sort="title", link=lambda p: reverse("inspections:plan_detail", args=[p.pk])),
    Column("类型", lambda p: p.get_kind_display(), sort="kind"),
    Column("牵头部门", lambda p: vh.short(p.unit), sort="unit__path"),
    Column("参与部门", lambda p: "、".join(vh.short(u) for u in p.participating_units.all())),
    Column("任务数", "task_count", sort="task_count"),
    Column("占比目标", lambda p: f"{p.random_target * 100:.0f}%"),
    Column("状态", lambda p: p.get_status_display(), sort="status"),
], default_sort="-year", per_page=50)


@require_GET
def plan_list(request):
    user = request.user
    _require(user, VIEW)
    unit_choices = org_selectors.unit_choices(user, VIEW)
    form = f.PlanFilterForm(request.GET or None, unit_choices=unit_choices)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.plans(user)
    for key in ("year", "kind", "status"):
        if d.get(key):
            qs = qs.filter(**{key: d[key]})
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    qs = qs.select_related("unit").prefetch_related("participating_units")
    return PLAN_TABLE.respond(request, qs, "inspections/plan_list.html", {
        "filters": form, "can_plan": access.allowed(user, PLAN)})


def _participant_choices(user) -> list[tuple[int, str]]:
    return [(u.pk, u.short_name or u.name) for u in Unit.objects.filter(is_active=True, kind__in=(
        UnitKind.DEPARTMENT, UnitKind.TOWN)).order_by("path")]


def _plan_form(user, data=None, plan=None):
    initial = {"year": vh.today().year, "kind": PlanKind.ANNUAL, "random_target": 30}
    if plan is not None:
        initial = {"year": plan.year, "title": plan.title, "kind": plan.kind, "description": plan.description,
                   "random_target": plan.random_target * 100,
                   "participating_units": [u.pk for u in plan.participating_units.all()]}
    return f.PlanForm(data, unit_choices=org_selectors.unit_choices(user, PLAN),
                      participant_choices=_participant_choices(user), fixed_unit=plan is not None, initial=initial)


def _plan_kwargs(c, *, creating: bool) -> dict:
    kw = {"title": c["title"], "description": c["description"], "random_target": c["random_target"] / 100,
          "participating_units": list(Unit.objects.filter(pk__in=c["participating_units"]))}
    if creating:
        kw.update(year=c["year"], kind=c["kind"])
    return kw


@require_http_methods(["GET", "POST"])
@domain_errors
def plan_edit(request, pk=None):
    user = request.user
    plan = vh.one_or_404(selectors.plans(user).select_related("unit"), pk) if pk else None
    _require(user, PLAN, plan.unit if plan else None)
    form = _plan_form(user, vh.posted(request), plan)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        with refused_onto(form) as outcome:
            if plan is None:
                plan = services.create_plan(unit=vh.unit_or_none(c["unit"]), by=user, **_plan_kwargs(c, creating=True))
                messages.success(request, "已编制抽查计划（草稿），请添加抽查任务后报请批准")
            else:
                plan = services.update_plan(plan, by=user, **_plan_kwargs(c, creating=False))
                messages.success(request, "已保存")
        if outcome.ok:
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form, "plan": plan}, status=vh.form_status(form))


TASK_COLUMNS = [
    Column("任务名称", "title", sort="title", link=lambda t: reverse("inspections:task_detail", args=[t.pk])),
    Column("所属计划", lambda t: str(t.plan), sort="plan__year"),
    Column("牵头部门", lambda t: vh.short(t.unit), sort="unit__path"),
    Column("抽查事项", lambda t: "；".join(i.name for i in t.items.all())),
    Column("抽取", lambda t: _sample_text(t)),
    Column("每组人数", "team_size"),
    Column("计划开始", vh.date_cell("planned_start"), sort="planned_start"),
    # the window's end is the task's deadline: red 逾期N天 / amber 剩余N个工作日 until it is closed (issue 13 §2)
    DueColumn("计划结束", "planned_end", sort="planned_end", done=lambda t: t.closed),
    Column("状态", lambda t: t.get_status_display(), sort="status"),
]
TASK_TABLE = Table("抽查任务", TASK_COLUMNS, default_sort="-planned_start", per_page=50)


def _sample_text(t) -> str:
    if t.sample_size:
        return f"{t.sample_size}户"
    if t.sample_ratio is not None:
        return f"{t.sample_ratio * 100:g}%"
    return ""


@require_GET
@domain_errors
def plan_detail(request, pk):
    user = request.user
    plan = vh.one_or_404(selectors.plans(user).select_related("unit", "approved_by__person", "created_by__person")
                .prefetch_related("participating_units"), pk)
    tasks = list(selectors.tasks(user).filter(plan=plan).select_related("plan", "unit")
                 .prefetch_related("items").order_by("planned_start", "pk"))
    share = [r for r in selectors.random_share(user, plan.year) if _row_unit_id(r) == plan.unit_id]
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "tasks": tasks, "share": share[0] if share else None, "today": vh.today(),
        "can_plan": access.allowed(user, PLAN, plan.unit), "can_approve": access.allowed(user, APPROVE, plan.unit),
        "is_draft": plan.status == PlanStatus.DRAFT})


def _row_unit_id(row: dict):
    u = row.get("unit")
    return getattr(u, "pk", u) if u is not None else row.get("unit_id")


@require_POST
@domain_errors
def plan_approve(request, pk):
    user = request.user
    plan = vh.one_or_404(selectors.plans(user).select_related("unit"), pk)
    try:
        services.approve_plan(plan, by=user, now=timezone.now())
    except PermissionDenied as exc:
        if exc.rule != SOD_RULE:
            raise
        vh.refused(request, exc)  # SYS-01: shown on the page, like any other refusal
    except DomainError as exc:
        vh.refused(request, exc)
    else:
        messages.success(request, "已批准抽查计划，可以开始随机抽取")
    return redirect("inspections:plan_detail", pk=plan.pk)


@require_GET
def task_list(request):
    user = request.user
    _require(user, VIEW)
    form = f.TaskFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW))
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.tasks(user)
    if d.get("q"):
        qs = qs.filter(title__icontains=d["q"].strip())
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    qs = qs.select_related("plan", "unit").prefetch_related("items")
    return TASK_TABLE.respond(request, qs, "inspections/task_list.html", {"filters": form, "today": vh.today()})


def _item_choices(user, plan) -> list[tuple[int, str]]:
    """Published current items of the plan's department and, for a joint plan,
    of the participating departments (ENF-28: only published items)."""
    units = [plan.unit_id, *[u.pk for u in plan.participating_units.all()]]
    qs = (selectors.current_items(user).filter(status=ItemStatus.PUBLISHED, unit_id__in=units)
          .select_related("unit").order_by("unit__path", "number"))
    return [(i.pk, f"{i.number} {i.name}{'（' + i.sub_item + '）' if i.sub_item else ''} · {vh.short(i.unit)}"
             f" · {i.get_kind_display()}") for i in qs]


def _task_initial(task) -> dict:
    return {
        "title": task.title, "items": [i.pk for i in task.items.all()],
        "industries": "、".join(task.industries), "regions": "、".join(task.regions),
        "risk_levels": task.risk_levels, "size_mode": "size" if task.sample_size else "ratio",
        "sample_size": task.sample_size,
        "sample_ratio": task.sample_ratio * 100 if task.sample_ratio is not None else None,
        "stratify_by": task.stratify_by,
        "quotas": "\n".join(f"{k}：{v}" for k, v in (task.quotas or {}).items()),
        "team_size": task.team_size, "exclude_recent_months": task.exclude_recent_months,
        "planned_start": task.planned_start, "planned_end": task.planned_end,
    }


@require_http_methods(["GET", "POST"])
@domain_errors
def task_edit(request, plan_pk=None, pk=None):
    user = request.user
    if pk:
        task = vh.one_or_404(selectors.tasks(user).select_related("plan__unit", "unit"), pk)
        plan = task.plan
    else:
        task = None
        plan = vh.one_or_404(selectors.plans(user).select_related("unit").prefetch_related("participating_units"), plan_pk)
    _require(user, PLAN, plan.unit)
    initial = _task_initial(task) if task else {"team_size": 2, "size_mode": "size", "exclude_recent_months": 0}
    form = f.TaskForm(vh.posted(request), item_choices=_item_choices(user, plan), initial=initial)
    if request.method == "POST" and form.is_valid():
        kw = form.service_kwargs()
        items = list(selectors.items(user).filter(pk__in=form.cleaned_data["items"]))
        with refused_onto(form) as outcome:
            if task is None:
                task = services.create_task(plan, by=user, items=items, **kw)
                messages.success(request, "已添加抽查任务；请核对符合条件的名录规模后冻结名录")
            else:
                task = services.update_task(task, by=user, items=items, **kw)
                messages.success(request, "已保存")
        if outcome.ok:
            return redirect("inspections:task_detail", pk=task.pk)
    return render(request, "inspections/task_form.html", {
        "form": form, "plan": plan, "task": task,
        "in_use": {"行业": vh.suggestions("industry", 60), "区域": vh.suggestions("region", 60)}},
        status=vh.form_status(form))


@require_POST
@domain_errors
def task_preview(request, plan_pk=None, pk=None):
    """The eligible pool the form's settings would give, before saving (htmx
    fragment; ``services.preview_task``)."""
    user = request.user
    if pk:
        task = vh.one_or_404(selectors.tasks(user).select_related("plan__unit", "unit"), pk)
        plan = task.plan
    else:
        task = None
        plan = vh.one_or_404(selectors.plans(user).select_related("unit").prefetch_related("participating_units"), plan_pk)
    _require(user, PLAN, plan.unit)
    form = f.TaskForm(request.POST, item_choices=_item_choices(user, plan))
    preview, error = None, ""
    if not form.is_valid():
        error = "请先完整填写任务设置：" + "；".join(
            f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{v[0]}"
            for k, v in form.errors.items())
    else:
        kw = form.service_kwargs()
        items = list(selectors.items(user).filter(pk__in=form.cleaned_data["items"]))
        try:
            preview = services.preview_task(plan, by=user, on=vh.today(), task=task, items=items, **kw)
        except PermissionDenied:
            raise
        except DomainError as exc:
            error = str(exc)
    return render(request, "inspections/_task_preview.html", {"preview": preview, "error": error})


@require_GET
@domain_errors
def task_detail(request, pk):
    user = request.user
    task = vh.task_or_404(user, pk)
    draw = selectors.draws(user).filter(task=task).first()
    preview, preview_error = (vh.pool_preview(task) if task.status == TaskStatus.DRAFT else (None, ""))
    counts = {s: 0 for s in InspectionStatus.values}
    for row in selectors.inspections(user).filter(task=task).values("status").order_by():
        counts[row["status"]] += 1
    return render(request, "inspections/task_detail.html", {
        "task": task, "draw": draw, "preview": preview, "preview_error": preview_error,
        "counts": counts, "recorded": counts[InspectionStatus.RECORDED] + counts[InspectionStatus.PUBLISHED],
        "can_plan": access.allowed(user, PLAN, task.unit), "can_draw": access.allowed(user, DRAW, task.unit),
        "stratify_labels": [f.STRATIFY_LABELS.get(x, x) for x in task.stratify_by],
        "risk_labels": [RiskLevel(x).label for x in task.risk_levels if x in RiskLevel.values],
    })


@require_POST
@domain_errors
def task_close(request, pk):
    user = request.user
    task = vh.task_or_404(user, pk)
    try:
        services.close_task(task, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        vh.refused(request, exc)
    else:
        messages.success(request, "任务已完成")
    return redirect("inspections:task_detail", pk=task.pk)


# ====================================================================== draw
