"""Every non-trivial read of the ledger, scoped through fazhi.org.access.

Other modules (assessment, annual_report) call these — keep the names:

* ``year_summary(unit, year, today) -> dict``
* ``overdue_measures(unit, today) -> list[LedgerItem]``
* ``measures_for_report(unit, year, *, today=None) -> list[ReportRow]``

They count measures whose **lead unit** is the unit or one of its sub-units
(``Unit.path`` prefix), of issued (已下达) plans, placed in a year by their
deadline. Status as of a date follows ``status.py``.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse

from fazhi.core.errors import NotFound
from fazhi.core.manifest import DashboardItem
from fazhi.ledger import status as st
from fazhi.ledger.models import (
    COUNTED_REPORTS,
    AssignmentRole,
    Measure,
    MeasureAssignment,
    Plan,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    SupervisionAction,
    SupervisionKind,
    SupervisionStatus,
    Task,
)
from fazhi.ledger.permissions import APPROVE, MANAGE, REPORT, VIEW, plan_q
from fazhi.org import access
from fazhi.org.models import Unit
from fazhi.workdays.calendar import Calendar


def status_expr(today: date, prefix: str = "") -> Case:
    """The status rule (status.py) as a database expression over the
    denormalised fields, so lists filter and sort by status."""
    p = prefix
    return Case(
        When(**{f"{p}completed_on__isnull": False}, then=Value(st.COMPLETED)),
        When(**{f"{p}due_on__lt": today}, then=Value(st.OVERDUE)),
        When(**{f"{p}progress__gt": 0}, then=Value(st.IN_PROGRESS)),
        default=Value(st.NOT_STARTED), output_field=CharField())


def _subtree(unit: Unit, field: str) -> Q:
    return Q(**{f"{field}__path__startswith": unit.path})


# ------------------------------------------------------------------ scope

def plans_for(user) -> QuerySet:
    """Plans the user manages or whose unit is in their view scope, or with
    a measure assigned to a unit in their scope."""
    mine = MeasureAssignment.objects.filter(access.unit_q(user, VIEW)).values("measure__plan_id")
    return Plan.objects.filter(plan_q(user) | access.unit_q(user, VIEW) | Q(pk__in=mine)).select_related("unit")


def measures_for(user) -> QuerySet:
    """Measures visible to the user: all of the plans they manage or view by
    the plan's unit; otherwise those assigned (or split) to their units."""
    view = access.unit_q(user, VIEW)
    assigned = MeasureAssignment.objects.filter(view).values("measure_id")
    tasked = Task.objects.filter(view).values("measure_id")
    q = plan_q(user, "plan__unit") | access.unit_q(user, VIEW, "plan__unit") | Q(pk__in=assigned) | Q(pk__in=tasked)
    return Measure.objects.filter(q)


def _partners_prefetch():
    return Prefetch("assignments", queryset=MeasureAssignment.objects.filter(role=AssignmentRole.PARTNER)
                    .select_related("unit").order_by("unit__path"), to_attr="partner_rows")


def measure_list(user, today: date, *, plan: int | None = None, unit: int | None = None, status: str = "",
                 area: int | None = None, q: str = "", year: int | None = None) -> QuerySet:
    """Visible measures with ``state`` (status code), lead, partners, area."""
    qs = (measures_for(user).select_related("plan", "area", "lead_unit").prefetch_related(_partners_prefetch())
          .annotate(state=status_expr(today)))
    if plan:
        qs = qs.filter(plan_id=plan)
    if unit:
        qs = qs.filter(Q(assignments__unit_id=unit) | Q(tasks__unit_id=unit)).distinct()
    if status:
        qs = qs.filter(state=status)
    if area:
        qs = qs.filter(area_id=area)
    if year:
        qs = qs.filter(deadline__year=year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(text__icontains=q))
    return qs


def get_plan(user, pk) -> Plan:
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def get_measure(user, pk) -> Measure:
    m = measures_for(user).select_related("plan__unit", "area", "lead_unit").filter(pk=pk).first()
    if m is None:
        raise NotFound()
    return m


def reporting_units(user, measure: Measure) -> list[Unit]:
    """Units the user may report for on this measure (assigned, or a task's unit)."""
    ids = set(measure.assignments.values_list("unit_id", flat=True)) | set(
        measure.tasks.values_list("unit_id", flat=True))
    return [u for u in Unit.objects.filter(pk__in=ids).order_by("path") if access.allowed(user, REPORT, u)]


def measure_detail(measure: Measure) -> dict:
    """History, tasks and supervision of one measure (a few queries)."""
    return {
        "assignments": list(measure.assignments.select_related("unit").order_by("-role", "unit__path")),
        "tasks": list(measure.tasks.select_related("unit")),
        "reports": list(measure.reports.select_related("unit", "task", "created_by__person", "reviewed_by__person")
                        .prefetch_related("attachments").order_by("-report_date", "-pk")),
        "supervisions": list(measure.supervisions.select_related("unit").order_by("-issued_on", "-pk")),
    }


def plan_areas(plan: Plan, today: date) -> list:
    """Areas of a plan with their measures (state, lead, partners) — 3 queries."""
    measures = (plan.measures.select_related("lead_unit").prefetch_related(_partners_prefetch())
                .annotate(state=status_expr(today)).order_by("number"))
    by_area: dict[int, list] = {}
    for m in measures:
        by_area.setdefault(m.area_id, []).append(m)
    areas = list(plan.areas.all())
    for a in areas:
        a.measure_rows = by_area.get(a.pk, [])  # type: ignore[attr-defined]  # read by the plan page
    return areas


def plan_counts(plan: Plan, today: date) -> dict:
    rows = plan.measures.annotate(state=status_expr(today)).values("state").annotate(n=Count("pk"))
    out = {code: 0 for code in st.LABELS}
    for r in rows:
        out[r["state"]] = r["n"]
    out["total"] = sum(out.values())
    out["unassigned"] = plan.measures.filter(lead_unit__isnull=True).count()
    return out


def my_measures(user, today: date) -> QuerySet:
    """Measures of issued plans assigned (or split) to units where the user
    may report or approve, with the user's role."""
    q = access.unit_q(user, REPORT) | access.unit_q(user, APPROVE)
    assigned = MeasureAssignment.objects.filter(q).values("measure_id")
    tasked = Task.objects.filter(q).values("measure_id")
    lead = Exists(MeasureAssignment.objects.filter(q, measure=OuterRef("pk"), role=AssignmentRole.LEAD))
    return (Measure.objects.filter(Q(pk__in=assigned) | Q(pk__in=tasked), plan__status=PlanStatus.ACTIVE)
            .select_related("plan", "area", "lead_unit").prefetch_related(_partners_prefetch())
            .annotate(state=status_expr(today), is_lead=lead))


def overdue_list(user, today: date) -> QuerySet:
    return measure_list(user, today, status=st.OVERDUE).filter(plan__status=PlanStatus.ACTIVE)


def supervision_list(user, *, kind: str = "", status: str = "", unit: int | None = None) -> QuerySet:
    q = (access.unit_q(user, VIEW) | plan_q(user, "measure__plan__unit")
         | access.unit_q(user, VIEW, "measure__plan__unit"))
    qs = SupervisionAction.objects.filter(q).select_related("unit", "measure__plan")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if unit:
        qs = qs.filter(unit_id=unit)
    return qs


def get_supervision(user, pk) -> SupervisionAction:
    a = supervision_list(user).filter(pk=pk).first()
    if a is None:
        raise NotFound()
    return a


def pending_reports(user) -> QuerySet:
    """Reports of the user's units waiting for the head's review."""
    return (ProgressReport.objects.filter(access.unit_q(user, APPROVE), status=ReportStatus.SUBMITTED)
            .select_related("unit", "measure", "task"))


# ------------------------------------------------------------------ for other modules

@dataclass(frozen=True)
class LedgerItem:
    """A measure or task for lists of other modules (overdue items)."""

    kind: str  # "措施" | "分解任务"
    number: str  # "12" or "12-2"
    title: str
    unit: str  # responsible unit's name
    deadline: date | None  # the plan's own wording may give none; due_on is then the default
    due_on: date
    workdays_overdue: int
    url: str
    plan: str


def overdue_measures(unit: Unit, today: date) -> list[LedgerItem]:
    """Measures (lead unit) and tasks (task unit) of the unit and its
    sub-units, of issued plans, not completed and past their due date; most
    overdue first. Working days overdue through fazhi.workdays."""
    base = Q(completed_on__isnull=True, due_on__lt=today)
    ms = (Measure.objects.filter(base, _subtree(unit, "lead_unit"), plan__status=PlanStatus.ACTIVE)
          .select_related("lead_unit", "plan"))
    ts = (Task.objects.filter(base, _subtree(unit, "unit"), measure__plan__status=PlanStatus.ACTIVE)
          .select_related("unit", "measure__plan"))
    # (the query keeps only rows with a due date and, for measures, a lead unit)
    rows = [(m.due_on, "措施", str(m.number), m.title, m.lead_unit.name, m.deadline, m.plan.title,
             reverse("ledger:measure_detail", args=[m.pk])) for m in ms if m.due_on and m.lead_unit]
    rows += [(t.due_on, "分解任务", f"{t.measure.number}-{t.seq}", t.title, t.unit.name, t.deadline,
              t.measure.plan.title, reverse("ledger:measure_detail", args=[t.measure_id])) for t in ts if t.due_on]
    if not rows:
        return []
    cal = Calendar(years=range(min(r[0] for r in rows).year, today.year + 1))
    items = [LedgerItem(kind, num, title, uname, deadline, due, cal.count_workdays(due, today), url, plan)
             for due, kind, num, title, uname, deadline, plan, url in rows]
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.number))


def _as_of(year: int, today: date | None) -> date:
    end = date(year, 12, 31)
    return min(today, end) if today else end


def year_summary(unit: Unit, year: int, today: date) -> dict:
    """Counts for the unit and its sub-units as lead unit, of measures of
    issued plans whose deadline falls in ``year``, as of ``today`` (or 31
    December when the year is over):

    {"year", "as_of", "total", "completed", "completed_on_time", "in_progress",
     "not_started", "overdue", "tasks": {same keys for tasks (task unit)},
     "supervision": {"督办": n, "约谈": n, "责令整改": n, "通报批评": n, "total": n, "open": n}}

    Supervision actions: those against the unit or its sub-units issued in
    ``year``. Progress before ``as_of`` is the latest known percentage."""
    as_of = _as_of(year, today)

    def counts(qs):
        done = Q(completed_on__lte=as_of)
        late = ~done & Q(due_on__lt=as_of)
        agg = qs.aggregate(
            total=Count("pk"), completed=Count("pk", filter=done),
            completed_on_time=Count("pk", filter=done & Q(completed_on__lte=F("due_on"))),
            overdue=Count("pk", filter=late),
            in_progress=Count("pk", filter=~done & ~late & Q(progress__gt=0, last_reported_on__lte=as_of)))
        agg["not_started"] = agg["total"] - agg["completed"] - agg["overdue"] - agg["in_progress"]
        return agg

    measures = Measure.objects.filter(_subtree(unit, "lead_unit"), plan__status=PlanStatus.ACTIVE,
                                      deadline__year=year)
    tasks = Task.objects.filter(_subtree(unit, "unit"), measure__plan__status=PlanStatus.ACTIVE,
                                deadline__year=year)
    out = {"year": year, "as_of": as_of, **counts(measures), "tasks": counts(tasks)}
    sup = (SupervisionAction.objects.filter(_subtree(unit, "unit"), issued_on__year=year)
           .values("kind").annotate(n=Count("pk"), open=Count("pk", filter=~Q(status=SupervisionStatus.CLOSED))))
    by_kind = {label: 0 for label in SupervisionKind.labels}
    total = open_ = 0
    for r in sup:
        by_kind[SupervisionKind(r["kind"]).label] = r["n"]
        total += r["n"]
        open_ += r["open"]
    out["supervision"] = {**by_kind, "total": total, "open": open_}
    return out


@dataclass(frozen=True)
class ReportRow:
    number: int
    title: str
    area: str
    status: str  # Chinese label: 未开始 / 推进中 / 已完成 / 逾期
    status_code: str
    lead_unit: str
    deadline: date | None
    completed_on: date | None
    latest_progress: str  # the latest counted report's text up to ``as_of`` ("" if none)
    latest_percent: int | None
    plan: str
    url: str


def measures_for_report(unit: Unit, year: int, *, today: date | None = None) -> list[ReportRow]:
    """Measures led by the unit or its sub-units, of issued plans running in
    ``year``, in plan and number order, with status as of 31 December (or
    ``today`` if earlier) and the latest progress text up to then."""
    as_of = _as_of(year, today)
    latest = (ProgressReport.objects.filter(measure=OuterRef("pk"), report_date__lte=as_of)
              .filter(status__in=COUNTED_REPORTS).order_by("-report_date", "-pk"))
    qs = (Measure.objects.filter(_subtree(unit, "lead_unit"), plan__status=PlanStatus.ACTIVE,
                                 plan__year_start__lte=year, plan__year_end__gte=year)
          .select_related("area", "lead_unit", "plan")
          .annotate(latest_text=Subquery(latest.values("text")[:1]),
                    latest_percent=Subquery(latest.values("percent")[:1]))
          .order_by("plan_id", "number"))
    rows = []
    for m in qs:
        done = m.completed_on is not None and m.completed_on <= as_of
        if done:
            code = st.COMPLETED
        elif m.due_on and m.due_on < as_of:
            code = st.OVERDUE
        elif (m.latest_percent or 0) > 0:
            code = st.IN_PROGRESS
        else:
            code = st.NOT_STARTED
        rows.append(ReportRow(m.number, m.title, m.area.title, st.LABELS[code], code,
                              m.lead_unit.name if m.lead_unit else "", m.deadline,
                              m.completed_on if done else None, m.latest_text or "", m.latest_percent, m.plan.title,
                              reverse("ledger:measure_detail", args=[m.pk])))
    return rows


# ------------------------------------------------------------------ dashboard

def dashboard_items(user, today: date) -> list[DashboardItem]:
    """For the user's reporting units: overdue and due-soon measures/tasks
    (within ``LEDGER_DUE_SOON_WORKDAYS`` working days) and open supervision
    actions; for a unit head, reports waiting for review. A few queries."""
    from fazhi.ledger.services import setting

    if not (access.allowed(user, REPORT) or access.allowed(user, APPROVE)):
        return []
    q = access.unit_q(user, REPORT) | access.unit_q(user, APPROVE)
    cal = Calendar(years=[today.year, today.year + 1])
    horizon = cal.add_workdays(today, setting("LEDGER_DUE_SOON_WORKDAYS", 10)).due
    assigned = MeasureAssignment.objects.filter(q, role=AssignmentRole.LEAD).values("measure_id")
    items = []
    ms = (Measure.objects.filter(pk__in=assigned, plan__status=PlanStatus.ACTIVE, completed_on__isnull=True,
                                 due_on__lte=horizon).select_related("lead_unit").order_by("due_on", "number")[:20])
    for m in ms:
        kind = "overdue" if m.due_on and m.due_on < today else "due_soon"
        items.append(DashboardItem(kind, f"措施{m.number}“{m.title[:30]}”" + ("已逾期" if kind == "overdue" else "即将到期"),
                                   reverse("ledger:measure_detail", args=[m.pk]), due=m.due_on, module="任务台账",
                                   note=f"牵头单位：{m.lead_unit.name if m.lead_unit else ''}；已完成 {m.progress}%"))
    ts = (Task.objects.filter(q, measure__plan__status=PlanStatus.ACTIVE, completed_on__isnull=True,
                              due_on__lte=horizon).select_related("unit", "measure").order_by("due_on")[:20])
    for t in ts:
        kind = "overdue" if t.due_on and t.due_on < today else "due_soon"
        items.append(DashboardItem(kind, f"分解任务{t.measure.number}-{t.seq}“{t.title[:30]}”"
                                   + ("已逾期" if kind == "overdue" else "即将到期"),
                                   reverse("ledger:measure_detail", args=[t.measure_id]), due=t.due_on,
                                   module="任务台账", note=f"责任单位：{t.unit.name}"))
    for a in (SupervisionAction.objects.filter(access.unit_q(user, REPORT), status=SupervisionStatus.OPEN)
              .select_related("measure").order_by("deadline")[:20]):
        items.append(DashboardItem("overdue" if a.deadline < today else "todo",
                                   f"{a.get_kind_display()}：措施{a.measure.number}“{a.measure.title[:24]}”待回复",
                                   reverse("ledger:supervision_detail", args=[a.pk]), due=a.deadline,
                                   module="任务台账"))
    # Reports the user filed are someone else's to confirm (SYS-01): not their to-do.
    n = pending_reports(user).exclude(created_by=user).count() if access.allowed(user, APPROVE) else 0
    if n:
        items.append(DashboardItem("todo", f"有 {n} 条推进情况报送待审核", reverse("ledger:my_measures") + "?review=1",
                                   module="任务台账"))
    if access.allowed(user, MANAGE):
        open_sup = SupervisionAction.objects.filter(plan_q(user, "measure__plan__unit"),
                                                    status=SupervisionStatus.RESPONDED).count()
        if open_sup:
            items.append(DashboardItem("todo", f"有 {open_sup} 项督办事项已回复待办结",
                                       reverse("ledger:supervision_list") + "?status=responded", module="任务台账"))
    return items
