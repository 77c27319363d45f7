"""Every non-trivial read of the inspections module (lists scoped with
org.access, statistics, dashboard, public reads for the portal and API).

Public API (names are stable):

Permissions
    can(user, permission, obj=None) -> bool           org.access.allowed on obj.unit (perm without "inspections.")
Staff lists (scoped to the user's units; a fixed number of queries per page)
    items(user) -> QuerySet[InspectionItem]                 every version; current(qs) keeps the newest
    current_items(user) -> QuerySet[InspectionItem]         drafts + published, not retired/superseded
    entities(user, *, q="", industry="", region="", risk_level="") -> QuerySet[Entity]   district-wide pool
    imports(user) -> QuerySet[EntityImport]
    import_progress(import_id) -> dict                       {status, processed, total, percent, error_count,
                                                              message}; live from the cache while running
    inspectors(user) -> QuerySet[Inspector]                  with officer, person, unit, certificates
    plans(user) -> QuerySet[Plan]
    tasks(user) -> QuerySet[Task]
    draws(user) -> QuerySet[Draw]
    witnesses(user) -> QuerySet[DrawWitness]                the 监督人 of the tasks the user sees
    inspections(user) -> QuerySet[Inspection]
    task_pool_preview(task, *, on=None) -> PoolPreview      eligible objects/inspectors per stratum and the
                                                              quotas a draw would use (before commit)
    draw_selections(draw) -> list[DrawSelection]            with entity and team (inspector names)
    draw_receipt(draw) -> dict | None                        the receipt (after the reveal)
Statistics (RAND-01, RAND-07)
    coverage_by_department(user, year) -> list[dict]        {unit, objects, inspections, random, share, target}
    coverage_by_industry(user, year) -> list[dict]          {industry, pool, inspected, coverage}
    coverage_by_region(user, year) -> list[dict]            {region, pool, inspected, coverage}
    random_share(user, year) -> list[dict]                  {unit, random, total, share, target, met}
    results_by_type(user, year) -> list[dict]               {result, label, count}
    overdue_publications(user, today) -> QuerySet[Inspection]
    dashboard_items(user, today) -> list[DashboardItem]     results awaiting publication + waiting_items
    waiting_items(user, today) -> list[DashboardItem]       我的待办: plan approval, draw, reveal, draw publication,
                                                              results to record, task to close
Public (portal pages in fazhi/portal/modules/inspections, API: published only)
    public_items(*, unit_id=None) -> QuerySet[InspectionItem]   published current versions; items_by_unit(items)
    public_plans(*, year=None) -> QuerySet[Plan]            approved plans with tasks; public_plan_years()
    public_draws(*, unit_id=None) -> QuerySet[Draw]         committed (commitment + pool hashes) and later
    public_draw(pk) -> Draw | None                          PublicDraw.of(d), draw_files(d), public_selections(d)
    receipt_bytes(d), pool_file_bytes(d, name), bundle_bytes(d) -> bytes   Http404 until public
    public_results(*, q="", unit_id=None) -> QuerySet[Inspection]   published results; PublicResult.many(rows)
    units_of(qs) -> list[Unit]                              the departments of a public list
    portal_latest(limit) -> list[PortalEntry]
"""


import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fazhi.core import draw as algorithm
from fazhi.core import masking, privacy
from fazhi.core.citations import Cited
from fazhi.core.manifest import DashboardItem
from fazhi.inspections import rules
from fazhi.inspections.models import (
    Draw,
    DrawSelection,
    DrawStatus,
    DrawWitness,
    Entity,
    EntityImport,
    Inspection,
    InspectionItem,
    InspectionKind,
    InspectionStatus,
    Inspector,
    ItemStatus,
    Plan,
    PlanKind,
    PlanStatus,
    Result,
    RiskLevel,
    Task,
    TaskStatus,
    TeamMember,
)
from fazhi.org import access
from fazhi.org.models import Unit

MODULE = "双随机、一公开"


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------- permissions


def can(user, permission: str, obj=None) -> bool:
    """May ``user`` exercise ``inspections.<permission>`` on ``obj`` (its ``unit``)
    — or anywhere when ``obj`` is None. Entities (district-wide) count as anywhere."""
    unit = getattr(obj, "unit", None) if obj is not None and not isinstance(obj, Unit) else obj
    return access.allowed(user, f"inspections.{permission}", unit)


def _scope(qs, user, field: str = "unit"):
    return access.scope(qs, user, "inspections.view", field)


# ---------------------------------------------------------------------- items


def items(user) -> QuerySet[InspectionItem]:
    """Every version of the items of the user's units."""
    return _scope(InspectionItem.objects.select_related("unit", "supersedes"), user)


def current_items(user) -> QuerySet[InspectionItem]:
    """The working list: drafts and published versions (not retired)."""
    return items(user).exclude(status=ItemStatus.RETIRED).order_by("unit__path", "number", "-version")


def public_items(*, unit_id: int | None = None) -> QuerySet[InspectionItem]:
    """The published list (RAND-02): published current versions of every department (or of ``unit_id``)."""
    qs = InspectionItem.objects.filter(status=ItemStatus.PUBLISHED).select_related("unit")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("unit__path", "unit_id", "number", "pk")


def items_by_unit(items) -> list[tuple[Unit, list[InspectionItem]]]:
    """Consecutive items of the same department grouped: [(unit, items)]."""
    out: list[tuple[Unit, list[InspectionItem]]] = []
    for item in items:
        if out and out[-1][0].pk == item.unit_id:
            out[-1][1].append(item)
        else:
            out.append((item.unit, [item]))
    return out


# --------------------------------------------------------------------- pools


def entities(user, *, q: str = "", industry: str = "", region: str = "", risk_level: str = "") -> QuerySet[Entity]:
    """The district-wide object pool, for anyone with ``inspections.view`` somewhere."""
    if not access.allowed(user, "inspections.view"):
        return Entity.objects.none()
    qs = Entity.objects.select_related("org_unit")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(credit_code__startswith=q.strip().upper()))
    if industry:
        qs = qs.filter(industry=industry)
    if region:
        qs = qs.filter(region=region)
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    return qs


def imports(user) -> QuerySet[EntityImport]:
    return _scope(EntityImport.objects.select_related("unit", "created_by"), user)


def import_progress(import_id: int) -> dict:
    """Progress of an import, readable from another request while it runs
    (cache first, outside the import's transaction; then the row)."""
    from fazhi.inspections import importer

    live = cache.get(importer.progress_key(import_id))
    if live:
        return live
    imp = EntityImport.objects.filter(pk=import_id).first()
    if imp is None:
        return {}
    return importer.progress_dict(imp)


def inspectors(user) -> QuerySet[Inspector]:
    """The inspector pool of the user's units, with officer, person, certificates,
    absences and recusals prefetched (a fixed number of queries)."""
    from fazhi.enforcement.models import Certificate

    return _scope(Inspector.objects.select_related("officer__person", "unit").prefetch_related(
        Prefetch("officer__certificates", queryset=Certificate.objects.order_by("-valid_to")),
        "absences", "recusals__entity", "recusals__org_unit"), user)


def available_inspector_ids(today: date) -> QuerySet:
    """Inspectors in the pool and in post with a certificate valid today (ENF-01)
    and no absence covering today: the "今日可抽" filter. (The draw applies its
    own rules over the task's whole window, ``services.eligible_inspectors``.)"""
    from django.db.models import Exists, OuterRef

    from fazhi.enforcement.models import CertificateStatus
    from fazhi.inspections.models import InspectorAbsence

    absent = InspectorAbsence.objects.filter(inspector=OuterRef("pk"), start__lte=today, end__gte=today)
    return (Inspector.objects.filter(active=True, officer__is_active=True,
                                     officer__certificates__status=CertificateStatus.VALID,
                                     officer__certificates__valid_from__lte=today,
                                     officer__certificates__valid_to__gte=today)
            .exclude(Exists(absent)).values("pk"))


def availability(inspector: Inspector, today: date) -> tuple[bool, str]:
    """Whether an inspector (from ``inspectors()``, prefetched) can be drawn today, and why not."""
    if not inspector.active:
        return False, "已移出抽取范围"
    if not inspector.officer.is_active:
        return False, "不在执法岗位"
    if inspector.officer.valid_certificate(today) is None:
        return False, Cited("无有效执法证件", "ENF-01")  # the page shows the citation, the ID as its tooltip
    absence = next((a for a in inspector.absences.all() if a.start <= today <= a.end), None)
    if absence:
        return False, f"{absence.reason}（至{absence.end:%Y-%m-%d}）"
    return True, "可抽取"


# ------------------------------------------------------------ plans and tasks


def plans(user) -> QuerySet[Plan]:
    """Plans the user's units lead or take part in."""
    q = access.unit_q(user, "inspections.view") | Q(
        participating_units__in=access.visible_units(user, "inspections.view"))
    ids = Plan.objects.filter(q).values("pk")
    return (Plan.objects.filter(pk__in=ids).select_related("unit").prefetch_related("participating_units")
            .annotate(task_count=Count("tasks", distinct=True)))


def tasks(user) -> QuerySet[Task]:
    return (_scope(Task.objects.select_related("plan", "unit", "draw"), user)
            .prefetch_related("items"))


def draws(user) -> QuerySet[Draw]:
    return _scope(Draw.objects.select_related("task__plan", "unit"), user)


def witnesses(user) -> QuerySet[DrawWitness]:
    """The 监督人 of the tasks ``user`` sees."""
    return DrawWitness.objects.filter(task__in=tasks(user).order_by().values("pk")).select_related("task__unit")


def inspections(user) -> QuerySet[Inspection]:
    return (_scope(Inspection.objects.select_related("entity", "unit", "task", "selection",
                                                     "handover_unit"), user)
            .prefetch_related("officers__officer__person"))


@dataclass
class PoolPreview:
    objects: int
    inspectors: int
    strata: list[dict] = field(default_factory=list)  # [{key, size, quota}]
    quota_mode: str = "proportional"
    total: int = 0
    problem: str = ""  # a Chinese message when a draw would be refused


def task_pool_preview(task: Task, *, on: date | None = None) -> PoolPreview:
    """What a draw of ``task`` would freeze now: eligible objects per stratum,
    eligible inspectors and the quotas (aggregated in the database)."""
    from fazhi.core import draw as algo
    from fazhi.core.errors import DomainError
    from fazhi.inspections import services

    dims = list(task.stratify_by or [])
    sizes: dict[str, int] = {}
    if dims:
        for row in services.pool_queryset(task).values(*dims).annotate(n=Count("pk")).order_by():
            key = services.stratum_key(dims, row)
            sizes[key] = sizes.get(key, 0) + row["n"]
    else:
        n = services.pool_queryset(task).count()
        if n:
            sizes[algo.ALL] = n
    n_insp = len(services.eligible_inspectors(task))
    preview = PoolPreview(objects=sum(sizes.values()), inspectors=n_insp)
    try:
        quotas, mode = services.compute_quotas(task, sizes)
    except DomainError as exc:
        preview.problem = exc.message
        quotas, mode = {k: 0 for k in sizes}, "explicit" if task.quotas else "proportional"
    preview.strata = [{"key": k, "size": sizes[k], "quota": quotas.get(k, 0)} for k in sorted(sizes)]
    preview.quota_mode, preview.total = mode, sum(quotas.values())
    if not preview.problem and n_insp < task.team_size:
        preview.problem = f"符合条件的检查人员只有{n_insp}人，不足每组{task.team_size}人"
    return preview


def draw_selections(draw: Draw) -> list[DrawSelection]:
    """Selected objects in draw order with entity, team and inspection (fixed queries)."""
    return list(draw.selections.select_related("entity", "inspection").prefetch_related(
        Prefetch("team", queryset=TeamMember.objects.select_related("inspector__officer__person")
                 .order_by("position"))).order_by("position"))


def draw_receipt(draw: Draw) -> dict | None:
    """The receipt (after the reveal); None before."""
    return draw.receipt if draw.status != DrawStatus.COMMITTED else None


# ----------------------------------------------------------------- statistics


def _year_inspections(user, year: int):
    return _scope(Inspection.objects.filter(year=year), user)


def random_share(user, year: int) -> list[dict]:
    """Per department: random inspections / all inspections of the year vs the
    target of its annual plan (or the default setting) (RAND-01)."""
    rows = (_year_inspections(user, year).values("unit").annotate(
        total=Count("pk"), random=Count("pk", filter=Q(kind=InspectionKind.RANDOM))).order_by())
    rows = {r["unit"]: r for r in rows}
    targets = {}
    for p in Plan.objects.filter(year=year, unit_id__in=list(rows)).order_by("kind", "pk"):
        if p.kind == PlanKind.ANNUAL or p.unit_id not in targets:
            targets[p.unit_id] = p.random_target
    default = rules.random_share_target()
    out = []
    for unit in Unit.objects.filter(pk__in=list(rows)).order_by("path"):
        r = rows[unit.pk]
        share = r["random"] / r["total"] if r["total"] else None
        target = targets.get(unit.pk, default)
        out.append({"unit": unit, "random": r["random"], "total": r["total"], "share": share,
                    "target": float(target), "met": share is not None and share >= float(target)})
    return out


def coverage_by_department(user, year: int) -> list[dict]:
    """Per department: objects inspected (distinct), inspections, random ones, share and target."""
    counts = {r["unit"]: r["objects"] for r in _year_inspections(user, year).exclude(
        status=InspectionStatus.PENDING).values("unit").annotate(objects=Count("entity", distinct=True)).order_by()}
    out = []
    for row in random_share(user, year):
        out.append({**row, "inspections": row["total"], "objects": counts.get(row["unit"].pk, 0)})
    return out


def _coverage(user, year: int, dim: str) -> list[dict]:
    pool = {r[dim]: r["n"] for r in Entity.objects.filter(active=True).values(dim).annotate(n=Count("pk"))
            .order_by()}
    inspected = {r[f"entity__{dim}"]: r["n"] for r in _year_inspections(user, year).exclude(
        status=InspectionStatus.PENDING).values(f"entity__{dim}").annotate(n=Count("entity", distinct=True))
        .order_by()}
    out = []
    for key in sorted(set(pool) | set(inspected)):
        p, i = pool.get(key, 0), inspected.get(key, 0)
        out.append({dim: key or "（未填）", "pool": p, "inspected": i, "coverage": i / p if p else None})
    return out


def coverage_by_industry(user, year: int) -> list[dict]:
    """Per industry: active objects in the pool, objects inspected in the year, coverage."""
    return _coverage(user, year, "industry")


def coverage_by_region(user, year: int) -> list[dict]:
    return _coverage(user, year, "region")


def results_by_type(user, year: int) -> list[dict]:
    counts = {r["result"]: r["n"] for r in _year_inspections(user, year).exclude(result="")
              .values("result").annotate(n=Count("pk")).order_by()}
    return [{"result": value, "label": label, "count": counts.get(value, 0)} for value, label in Result.choices]


def overdue_publications(user, today: date) -> QuerySet[Inspection]:
    """Recorded results not yet published after their deadline (RAND-07)."""
    return (_scope(Inspection.objects.filter(status=InspectionStatus.RECORDED, publish_due__lt=today), user)
            .select_related("entity", "unit").order_by("publish_due", "pk"))


def _kind(due: date | None, today: date) -> str:
    if due is None:
        return "todo"
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=int(rules.get("due_soon_days"))):
        return "due_soon"
    return "todo"


def waiting_items(user, today: date) -> list[DashboardItem]:
    """The steps of 双随机、一公开 that wait for this person (我的待办, issue 13 §2),
    scoped by ``org.access`` to the permission the step needs, a few queries:
    a draft plan with tasks awaits a head's approval (not shown to its
    drafter, SYS-01); a task of an approved plan awaits its draw; a draw
    awaits its reveal, then its publication; drawn objects await their
    results (grouped per task, due at the task's planned end); a task whose
    results are all in awaits closing. Results awaiting publication are listed
    by ``dashboard_items`` (not to the person who recorded them, SYS-01)."""
    out: list[DashboardItem] = []
    if access.allowed(user, "inspections.approve"):
        plans = (access.scope(Plan.objects.filter(status=PlanStatus.DRAFT, tasks__isnull=False), user,
                              "inspections.approve")
                 .exclude(created_by=user).exclude(tasks__created_by=user).select_related("unit").distinct())
        for p in plans.order_by("pk")[:50]:
            out.append(DashboardItem("todo", f"抽查计划待批准：{p.title}（{p.unit.short_name or p.unit.name}）",
                                     _url("inspections:plan_detail", p.pk) or _url("inspections:index"), None,
                                     MODULE, "RAND-09"))
    if access.allowed(user, "inspections.draw"):
        tasks = access.scope(Task.objects.filter(status=TaskStatus.DRAFT, plan__status=PlanStatus.APPROVED), user,
                             "inspections.draw")
        for t in tasks.order_by("planned_start", "pk")[:50]:
            out.append(DashboardItem(_kind(t.planned_start, today), f"抽查任务待随机抽取：{t.title}",
                                     _url("inspections:draw_page", t.pk) or _url("inspections:index"),
                                     t.planned_start, MODULE, "RAND-05"))
        for d in access.scope(Draw.objects.filter(status=DrawStatus.COMMITTED), user, "inspections.draw") \
                .select_related("task")[:50]:
            out.append(DashboardItem("todo", f"随机抽取待揭示种子：{d.task.title}",
                                     _url("inspections:draw_detail", d.pk) or _url("inspections:index"),
                                     d.task.planned_start, MODULE, "RAND-05"))
    if access.allowed(user, "inspections.publish"):
        for d in access.scope(Draw.objects.filter(status=DrawStatus.DRAWN), user, "inspections.publish") \
                .select_related("task")[:50]:
            out.append(DashboardItem("todo", f"抽取结果待公开：{d.task.title}",
                                     _url("inspections:draw_detail", d.pk) or _url("inspections:index"),
                                     None, MODULE, "RAND-05"))
    if access.allowed(user, "inspections.record_result"):
        pending = (access.scope(Inspection.objects.filter(status=InspectionStatus.PENDING, task__isnull=False), user,
                                "inspections.record_result")
                   .values("task_id", "task__title", "task__planned_end").annotate(n=Count("pk"))
                   .order_by("task__planned_end", "task_id"))
        results = _url("inspections:inspection_list")
        for g in pending[:50]:
            # The link opens the task's objects still to be recorded, one click from each form.
            out.append(DashboardItem(
                _kind(g["task__planned_end"], today), f"抽查结果待录入：{g['task__title']}（{g['n']}户）",
                f"{results}?task={g['task_id']}&status=pending" if results else _url("inspections:index"),
                g["task__planned_end"], MODULE, "RAND-05"))
    if access.allowed(user, "inspections.plan"):
        done = (access.scope(Task.objects.filter(status=TaskStatus.DRAWN), user, "inspections.plan")
                .exclude(inspections__status=InspectionStatus.PENDING))
        for t in done.order_by("pk")[:50]:
            out.append(DashboardItem("todo", f"检查结果已全部录入，待完成任务：{t.title}",
                                     _url("inspections:task_detail", t.pk) or _url("inspections:index"), None,
                                     MODULE, "RAND-07"))
    return out


def dashboard_items(user, today: date) -> list[DashboardItem]:
    """Results awaiting publication (RAND-07: overdue, due soon, or waiting —
    never to the person who recorded them, SYS-01), grouped per task, and the
    other waiting steps (``waiting_items``), scoped to the user (a few queries)."""
    out: list[DashboardItem] = []
    if not access.allowed(user, "inspections.view"):
        return out
    soon = today + timedelta(days=int(rules.get("due_soon_days")))
    if access.allowed(user, "inspections.publish"):
        qs = access.scope(Inspection.objects.filter(status=InspectionStatus.RECORDED), user, "inspections.publish")
        qs = qs.exclude(result_recorded_by=user) if getattr(user, "is_authenticated", False) else qs
        groups = (qs.values("task_id", "task__title", "unit__short_name", "unit__name")
                  .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(publish_due__lt=today)))
                  .order_by("task_id"))
        groups = groups.annotate(first_due=Min("publish_due"))
        for g in groups[:50]:
            title = g["task__title"] or "非随机检查"
            unit = g["unit__short_name"] or g["unit__name"]
            if g["overdue"]:
                text = f"抽查结果逾期未公示：{title}（{unit}，{g['overdue']}户）"
            elif g["first_due"] and g["first_due"] <= soon:
                text = f"抽查结果即将到期公示：{title}（{unit}，{g['n']}户）"
            else:
                text = f"抽查结果待公示：{title}（{unit}，{g['n']}户）"
            url = _url("inspections:task_detail", g["task_id"]) if g["task_id"] else ""
            out.append(DashboardItem(_kind(g["first_due"], today), text, url or _url("inspections:index"),
                                     g["first_due"], MODULE, rules.publish_rule_text()))
    out += waiting_items(user, today)
    return out


# --------------------------------------------------------------------- public


Q_MAX = 50  # the longest public search text
POOL_FILES = (algorithm.OBJECTS_FILE, algorithm.INSPECTORS_FILE, algorithm.RECUSALS_FILE)
V2_FILES = POOL_FILES + (algorithm.PARAMS_FILE,)


def units_of(qs) -> list[Unit]:
    """The departments of the rows of a public list (the portal's unit filter)."""
    return list(Unit.objects.filter(pk__in=qs.order_by().values("unit_id")).order_by("path", "pk"))


def public_plans(*, year: int | None = None) -> QuerySet[Plan]:
    """Approved plans (RAND-09) with their tasks; drafts are internal."""
    qs = Plan.objects.filter(status=PlanStatus.APPROVED)
    if year:
        qs = qs.filter(year=year)
    return (qs.select_related("unit").prefetch_related("participating_units", "tasks__items", "tasks__draw")
            .order_by("-year", "unit__path", "pk"))


def public_plan_years() -> list[int]:
    return sorted(set(Plan.objects.filter(status=PlanStatus.APPROVED).values_list("year", flat=True)), reverse=True)


def public_draws(*, unit_id: int | None = None) -> QuerySet[Draw]:
    """Draws as the public sees them: from the commitment on (commitment and
    pool hashes are public before the reveal; the seed only after it)."""
    qs = Draw.objects.select_related("unit", "task", "task__plan").prefetch_related("task__witnesses")
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-committed_at", "-pk")


def public_draw(pk: int) -> Draw | None:
    return public_draws().filter(pk=pk).first()


def public_results(*, q: str = "", unit_id: int | None = None) -> QuerySet[Inspection]:
    """Published results (RAND-07), newest first. ``q`` looks only at what is
    shown (the masked name, the credit code): an operator's full name finds nothing."""
    qs = (Inspection.objects.filter(status=InspectionStatus.PUBLISHED).select_related("entity", "unit", "task")
          .prefetch_related("task__items").order_by("-published_at", "-pk"))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    q = (q or "").strip()[:Q_MAX]
    if q:
        code = q.upper()
        # The database narrows on the stored name; the shown (masked) name decides.
        qs = privacy.search_shown(qs.filter(Q(entity__name__icontains=q) | Q(entity__credit_code__startswith=code)),
                                  q, lambda i: (public_entity_name(i.entity), i.entity.credit_code[:len(code)]))
    return qs


def is_revealed(d: Draw) -> bool:
    """The seed, the witness's input and the final seed are public from the reveal on."""
    return d.status in (DrawStatus.DRAWN, DrawStatus.PUBLISHED)


def is_published(d: Draw) -> bool:
    """The receipt, the pool files and the selection are public once the draw
    is published (publish_draw, a deliberate act)."""
    return d.status == DrawStatus.PUBLISHED


@dataclass(frozen=True)
class PublicResult:
    """A published inspection result as the public sees it (RAND-07)."""

    id: int
    entity_name: str
    credit_code: str
    legal_rep: str  # an individual business's operator: partly hidden
    items: str
    result: str
    findings: str
    inspected_on: date | None
    unit: str
    kind: str
    published_on: date | None

    @classmethod
    def many(cls, inspections) -> list["PublicResult"]:
        """``of`` for a page of results, the confirmed non-personal values read in one query."""
        rows = list(inspections)
        keep = privacy.kept_for(Inspection, [i.pk for i in rows])
        return [cls.of(i, keep=keep.get(str(i.pk), set())) for i in rows]

    @classmethod
    def of(cls, i: Inspection, *, keep=None) -> "PublicResult":
        e = i.entity
        person = is_individual(e)
        names = [n for n in ([e.legal_rep] if person else []) + [e.contact] if n]
        keep = privacy.kept(i) if keep is None else keep

        def clean(text: str) -> str:
            return privacy.public_text(text, keep=keep, names=names, addresses=[e.address] if person else [])

        items = "、".join(str(it.name) for it in i.task.items.all()) if i.task else ""
        published = timezone.localtime(i.published_at).date() if i.published_at else None
        return cls(
            id=i.pk, entity_name=public_entity_name(e), credit_code=e.credit_code,
            legal_rep=masking.mask_name(e.legal_rep) if person else (e.legal_rep or ""),
            items=items or (i.reason_note and clean(i.reason_note)) or i.get_kind_display(),
            result=i.public_result or i.get_result_display(),
            findings=clean(i.public_findings), inspected_on=i.inspected_on, unit=i.unit.name,
            kind=i.get_kind_display(), published_on=published,
        )


@dataclass
class PublicDraw:
    """A draw as the public sees it: hashes always, the seed from the reveal, the receipt once published."""

    id: int
    title: str
    unit: str
    plan: str
    status: str
    revealed: bool
    published: bool
    algorithm_version: str
    commitment: str
    committed_at: datetime
    objects_hash: str
    inspectors_hash: str
    recusals_hash: str
    object_count: int
    inspector_count: int
    strata: list
    team_size: int
    task: dict = field(default_factory=dict)
    seed: str = ""
    witness_name: str = ""
    witness_input: str = ""
    final_seed: str = ""
    drawn_at: datetime | None = None
    published_at: datetime | None = None
    receipt_sha256: str = ""
    live_pool_changed: bool = False
    live_pool_note: str = ""
    server_commitment: str = ""
    params_hash: str = ""
    witnesses: list = field(default_factory=list)  # fazhi-draw/2: [PublicWitness as dict]

    @classmethod
    def of(cls, d: Draw) -> "PublicDraw":
        t = d.task
        out = cls(
            id=d.pk, title=t.title, unit=d.unit.name, plan=t.plan.title if t.plan_id else "",
            status=d.get_status_display(), revealed=is_revealed(d), published=is_published(d),
            algorithm_version=d.algorithm_version,
            commitment=d.commitment, committed_at=d.committed_at, objects_hash=d.objects_hash,
            inspectors_hash=d.inspectors_hash, recusals_hash=d.recusals_hash, object_count=d.object_count,
            inspector_count=d.inspector_count, strata=list(d.strata or []), team_size=t.team_size,
            task=task_terms(t),
        )
        if not d.is_v1:
            out.server_commitment, out.params_hash = d.server_commitment, d.params_hash
            out.witnesses = [public_witness(w, revealed=out.revealed) for w in d.task.witnesses.all()]
        if out.revealed:
            out.seed, out.witness_name, out.witness_input = d.seed, d.witness_name, d.witness_input
            out.final_seed, out.drawn_at = d.final_seed, d.drawn_at
            out.live_pool_changed, out.live_pool_note = d.live_pool_changed, d.live_pool_note
        if out.published:
            out.published_at, out.receipt_sha256 = d.published_at, d.receipt_sha256
        return out


def public_witness(w, *, revealed: bool) -> dict:
    """A 监督人 as the public sees them: who, how, the commitment or announced
    source from the freeze on; the value once the draw is revealed."""
    return {"position": w.position, "name": w.name, "capacity": w.capacity, "kind": w.kind,
            "kind_label": w.get_kind_display(), "commitment": w.commitment, "source": w.source,
            "value": w.value if revealed else ""}


def draw_files(d: Draw) -> tuple:
    """The files a draw publishes: params.json from the freeze (fazhi-draw/2),
    the pool files too once published."""
    if d.is_v1:
        return POOL_FILES if is_published(d) else ()
    return V2_FILES if is_published(d) else (algorithm.PARAMS_FILE,)


def task_terms(t) -> dict:
    """The published terms of a task (what was drawn from, how many, by whom)."""
    risk = dict(RiskLevel.choices)
    if t.sample_size is not None:
        sample = f"{t.sample_size} 户"
    elif t.sample_ratio is not None:
        sample = f"{(t.sample_ratio * 100).normalize():f}%"
    else:
        sample = ""
    labels = {"industry": "行业", "region": "区域", "risk_level": "风险等级"}
    return {
        "industries": "、".join(t.industries or []) or "不限",
        "regions": "、".join(t.regions or []) or "不限",
        "risk_levels": "、".join(risk.get(r, r) for r in (t.risk_levels or [])) or "不限",
        "sample": sample,
        "stratify_by": "、".join(labels.get(s, s) for s in (t.stratify_by or [])) or "不分层",
        "team_size": t.team_size,
        "exclude_recent_months": t.exclude_recent_months,
        "planned_start": t.planned_start,
        "planned_end": t.planned_end,
    }


# The downloads below answer 404 (Http404, also through the API) for what is not public yet.


def receipt_bytes(d: Draw) -> bytes:
    """receipt.json exactly as ``draw_export`` writes it (canonical JSON)."""
    if not is_published(d) or not d.receipt:
        raise Http404("抽取凭证尚未公开")
    return algorithm.canonical_json(d.receipt).encode("utf-8")


def pool_file_bytes(d: Draw, name: str) -> bytes:
    """One frozen pool file (gzip, once published) or params.json (from the freeze), as stored."""
    if name not in draw_files(d) or not d.pool_dir:
        raise Http404("名录文件不存在或尚未公开")
    # services.commit_draw writes the frozen files under MEDIA_ROOT/<pool_dir>/.
    try:
        return (Path(settings.MEDIA_ROOT) / d.pool_dir / name).read_bytes()
    except OSError:
        raise Http404("名录文件不存在")


def bundle_bytes(d: Draw) -> bytes:
    """A zip of the draw folder: receipt.json and the three pool files
    (``manage.py draw_verify`` runs on it once unpacked)."""
    buf = io.BytesIO()
    folder = f"draw-{d.pk}"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{folder}/{algorithm.RECEIPT_FILE}", receipt_bytes(d))
        for name in draw_files(d):
            z.writestr(f"{folder}/{name}", pool_file_bytes(d, name))
    return buf.getvalue()


def public_selections(d: Draw):
    """The selected objects of a published draw, in draw order, with their teams."""
    if not is_published(d):
        return d.selections.none()
    return (d.selections.select_related("entity")
            .prefetch_related("team__inspector__officer__person").order_by("position"))


@dataclass(frozen=True)
class PublicSelection:
    position: int
    name: str
    credit_code: str
    stratum: str
    team: list  # [(inspector name, certificate number)]

    @classmethod
    def of(cls, sel) -> "PublicSelection":
        team = [(m.inspector.officer.person.name, m.certificate_number)
                for m in sorted(sel.team.all(), key=lambda m: m.position)]
        return cls(sel.position, public_entity_name(sel.entity), sel.credit_code, sel.stratum, team)


def is_individual(entity) -> bool:
    """个体工商户: credit code category 92 (GB 32100) or the type says so; its operator is a natural person."""
    return (entity.credit_code or "").startswith("92") or "个体" in (entity.entity_type or "")


def public_entity_name(entity) -> str:
    """An object's name as every public surface shows it: a 个体工商户's operator
    (a natural person) hidden (``fazhi.core.masking.business_name``), and any
    number in the name masked."""
    name = masking.business_name(entity.name, operator=entity.legal_rep, individual=is_individual(entity))
    return masking.redact(name, kinds=masking.NUMBERS)


def portal_latest(limit: int, *, today: date | None = None):
    """The portal home section: the latest published results, names as on the results page."""
    from fazhi.core.manifest import PortalEntry

    out = []
    for i in public_results()[:limit]:
        out.append(PortalEntry(title=f"{public_entity_name(i.entity)}：{i.public_result}",
                               url=_url("inspections_portal:index") or "/portal/inspections/",
                               published=timezone.localdate(i.published_at), note=i.unit.name))
    return out

