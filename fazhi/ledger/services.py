"""Every write of the ledger. Order inside each: lock → authorise → check
the order of things → change → ``audit.record`` (same transaction).

The sources: seed document 5 (大渡口区实施方案) asks for a 任务清单和推进台账
with lead and participating units and deadlines, progress reports, and
supervision by 约谈 / 责令整改 / 通报批评 (its measure 41). ``by=None`` is the
system (demo loader, management commands).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.core import uploads
from fazhi.core.actors import Actor
from fazhi.core.dates import EnteredDate, entered_date
from fazhi.core.duties import ensure_not_own
from fazhi.core.errors import Conflict, NotFound, ValidationError, ensure
from fazhi.ledger import status as st
from fazhi.ledger.models import (
    COUNTED_REPORTS,
    Area,
    AssignmentRole,
    Measure,
    MeasureAssignment,
    Plan,
    PlanStatus,
    ProgressReport,
    Reminder,
    ReminderKind,
    ReportAttachment,
    ReportStatus,
    SupervisionAction,
    SupervisionKind,
    Task,
)
from fazhi.ledger.parser import ParsedPlan
from fazhi.ledger.permissions import can_approve, can_manage_plan, can_report
from fazhi.ledger.workflow import PLAN_WORKFLOW, REPORT_WORKFLOW, SUPERVISION_WORKFLOW, supervision_facts
from fazhi.org import access
from fazhi.org.capacity import require_capacity
from fazhi.org.models import Role, Unit
from fazhi.workdays.calendar import Calendar

ATTACHMENT_TYPES = ("pdf", "jpeg", "png", "docx")
# Default answer periods of supervision actions, in working days (a setting).
SUPERVISION_DAYS = {SupervisionKind.URGE: 10, SupervisionKind.TALK: 10, SupervisionKind.RECTIFY: 15,
                    SupervisionKind.CRITICISE: 15}


def setting(name: str, default):
    return getattr(settings, name, default)


def _user(by: Actor):
    return by if getattr(by, "is_authenticated", False) else None


def _entered(value, *, today: date, label: str, field: str, after=(), reason: str = "") -> EnteredDate:
    """SYS-03: a date a person typed, checked against the server's ``today``
    and the steps it follows; see ``fazhi.core.dates.entered_date``."""
    if not isinstance(today, date) or isinstance(today, datetime):
        raise ValidationError("办理日期由服务器确定", fields={"today": "无效"})
    return entered_date(value, today=today, label=label, field=field, after=after,
                        reason=(reason or "").strip()[:500])


def _issued_on(plan: Plan) -> tuple[date | None, str]:
    """The date the plan was issued (下达), the first step every report and
    supervision action follows."""
    return (timezone.localdate(plan.activated_at) if plan.activated_at else None), "方案下达日期"


def _ensure_manage(by: Actor, unit: Unit):
    ensure(can_manage_plan(by, unit),
           "您没有管理该方案的权限（须为本级政府或依法治区办（法制机构）的经办人、单位管理员）")


# ------------------------------------------------------------------ units

def find_unit(text: str) -> Unit:
    """A unit by its full or short name; a Chinese error when unknown or ambiguous."""
    name = (text or "").strip()
    if not name:
        raise ValidationError("请填写单位名称", fields={"unit": "请填写单位名称"})
    found = list(Unit.objects.filter(Q(name=name) | Q(short_name=name), is_active=True)[:5])
    exact = [u for u in found if u.name == name]
    if len(exact) == 1:
        return exact[0]
    if not found:
        raise NotFound(f"找不到单位“{name}”（请使用单位全称或简称）")
    if len(found) > 1:
        raise ValidationError(f"单位“{name}”不唯一：{'、'.join(u.name for u in found)}，请使用全称",
                              fields={"unit": "单位不唯一"})
    return found[0]


def match_units(names) -> tuple[dict[str, Unit], list[str]]:
    """Parsed unit names → units (by full or short name, also with the
    district's name in front, or by the usual short forms: ``org.matching``);
    names that match none or several stay unknown."""
    from fazhi.org.matching import match_unit_names

    found, unresolved = match_unit_names(names)
    return found, list(unresolved)


# ------------------------------------------------------------------ import

@dataclass
class Preview:
    plan: ParsedPlan
    units: dict[str, Unit]
    unknown_units: list[str]
    warnings: list[str] = field(default_factory=list)


def preview(parsed: ParsedPlan) -> Preview:
    names = [n for m in parsed.measures for n in m.units]
    found, unknown = match_units(names)
    warnings = list(parsed.warnings)
    if unknown:
        warnings.append(f"以下单位在系统中找不到，导入后请在分工中指定：{'、'.join(unknown[:15])}"
                        + ("等" if len(unknown) > 15 else ""))
    return Preview(parsed, found, unknown, warnings)


def _calendar_for(*dates) -> Calendar:
    years = {d.year for d in dates if d}
    return Calendar(years=years | {y + 1 for y in years})


def _due(deadline: date | None, cal: Calendar) -> tuple[date | None, bool]:
    return st.effective_due(deadline, cal, roll_over=setting("LEDGER_DEADLINE_ROLL_OVER", True))


@transaction.atomic
def import_plan(parsed: ParsedPlan, *, unit: Unit, by: Actor, source_sha256: str, source_name: str = "",
                source_text: str = "", year_start: int | None = None, year_end: int | None = None) -> Plan:
    """Save a parsed plan, all or nothing: its areas, measures, the units the
    text names (where they match a unit) and the deadlines it gives. The
    plan starts 待下达: measures are assigned, then the plan is issued."""
    _ensure_manage(by, unit)
    if not parsed.measures:
        raise ValidationError("方案中没有可导入的措施")
    y0 = year_start or parsed.year_start
    if not y0:
        raise ValidationError("未能从方案标题中识别实施年度，请填写起止年度", fields={"year_start": "请填写年度"})
    y1 = year_end or parsed.year_end or y0
    if y1 < y0:
        raise ValidationError("截止年度不能早于起始年度", fields={"year_end": "截止年度不能早于起始年度"})
    if Plan.objects.filter(unit=unit, source_sha256=source_sha256).exists():
        raise Conflict(f"该方案文件已导入过（{unit.name}），不能重复导入")
    plan = Plan.objects.create(unit=unit, title=parsed.title[:200], year_start=y0, year_end=y1,
                               source_name=source_name[:255], source_sha256=source_sha256,
                               source_text=source_text, created_by=_user(by))
    found, _ = match_units(n for m in parsed.measures for n in m.units)
    cal = _calendar_for(*(m.deadline for m in parsed.measures))
    assignments = []
    for seq, pa in enumerate(parsed.areas, start=1):
        area = Area.objects.create(plan=plan, seq=seq, code=pa.code, title=pa.title[:200], part=pa.part[:200],
                                   goal=pa.goal)
        for pm in pa.measures:
            due, provisional = _due(pm.deadline, cal)
            lead = found.get(pm.lead_unit)
            m = Measure.objects.create(
                plan=plan, area=area, number=pm.number, label=pm.label, title=pm.title[:300] or pm.text[:300],
                text=pm.text, deadline=pm.deadline, due_on=due, due_provisional=provisional,
                deadline_text=pm.deadline_text[:100], parsed_units="、".join(pm.units)[:500], lead_unit=lead)
            if lead:
                assignments.append(MeasureAssignment(measure=m, unit=lead, role=AssignmentRole.LEAD))
            seen = {lead.pk} if lead else set()
            for name in pm.partner_units:
                u = found.get(name)
                if u and u.pk not in seen:
                    seen.add(u.pk)
                    assignments.append(MeasureAssignment(measure=m, unit=u, role=AssignmentRole.PARTNER))
    MeasureAssignment.objects.bulk_create(assignments)
    record(plan, "ledger.plan.imported", by=by, data={
        "title": plan.title, "unit": unit.name, "years": [y0, y1], "measures": len(parsed.measures),
        "areas": len(parsed.areas), "sha256": source_sha256, "source": source_name,
        "assigned": sum(1 for a in assignments if a.role == AssignmentRole.LEAD), "warnings": parsed.warnings})
    return plan


# ------------------------------------------------------------------ assignment

@transaction.atomic
def assign_measures(measures, *, by: Actor, lead: Unit | None = None, partners: list[Unit] | None = None,
                    deadline: date | None = None, clear_partners: bool = False) -> int:
    """Set, for each measure, the lead unit (if given), the partner units
    (``partners`` added; all replaced with ``clear_partners``) and the
    deadline (if given). A unit is never both lead and partner of a measure;
    exactly one lead is a database constraint (at most one) plus the issue
    check (at least one)."""
    ids = [m.pk for m in measures]
    if not ids:
        raise ValidationError("请选择要分工的措施")
    rows = list(Measure.objects.select_for_update(of=("self",)).filter(pk__in=ids).select_related("plan__unit"))
    plans = {m.plan for m in rows}
    for plan in plans:
        _ensure_manage(by, plan.unit)
    if lead is None and partners is None and deadline is None and not clear_partners:
        raise ValidationError("请至少指定牵头单位、配合单位或完成时限之一")
    partners = [u for u in (partners or []) if not lead or u.pk != lead.pk]
    cal = _calendar_for(deadline) if deadline else None
    for m in rows:
        before = _assignment_data(m)
        if lead is not None:
            MeasureAssignment.objects.filter(measure=m, unit=lead).delete()
            MeasureAssignment.objects.filter(measure=m, role=AssignmentRole.LEAD).delete()
            MeasureAssignment.objects.create(measure=m, unit=lead, role=AssignmentRole.LEAD)
            m.lead_unit = lead
        if clear_partners:
            MeasureAssignment.objects.filter(measure=m, role=AssignmentRole.PARTNER).delete()
        for u in partners:
            if u.pk != m.lead_unit_id:
                MeasureAssignment.objects.get_or_create(measure=m, unit=u, defaults={"role": AssignmentRole.PARTNER})
        if deadline is not None and cal is not None:
            m.deadline = deadline
            m.due_on, m.due_provisional = _due(deadline, cal)
        m.save(update_fields=["lead_unit", "deadline", "due_on", "due_provisional", "updated_at"])
        record(m, "ledger.measure.assigned", by=by, data={"before": before, "after": _assignment_data(m)})
    return len(rows)


def _assignment_data(m: Measure) -> dict:
    units = list(MeasureAssignment.objects.filter(measure=m).values_list("unit__name", "role"))
    return {"lead": next((n for n, r in units if r == AssignmentRole.LEAD), ""),
            "partners": [n for n, r in units if r == AssignmentRole.PARTNER], "deadline": m.deadline}


@transaction.atomic
def activate_plan(plan: Plan, *, by: Actor) -> Plan:
    """待下达 → 已下达. Every measure needs its lead unit and deadline first."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=plan.pk)
    _ensure_manage(by, plan.unit)
    PLAN_WORKFLOW.check(plan, "activate")
    no_lead = list(plan.measures.filter(lead_unit__isnull=True).values_list("number", flat=True))
    if no_lead:
        raise ValidationError(f"有 {len(no_lead)} 项措施尚未确定牵头单位，不能下达：第"
                              f"{'、'.join(map(str, no_lead[:20]))}{'等' if len(no_lead) > 20 else ''}项",
                              fields={"measures": no_lead})
    no_date = list(plan.measures.filter(deadline__isnull=True).values_list("number", flat=True))
    if no_date:
        raise ValidationError(f"有 {len(no_date)} 项措施尚未确定完成时限，不能下达：第"
                              f"{'、'.join(map(str, no_date[:20]))}{'等' if len(no_date) > 20 else ''}项",
                              fields={"measures": no_date})
    PLAN_WORKFLOW.apply(plan, "activate")
    plan.activated_at = timezone.now()
    plan.save(update_fields=["status", "activated_at", "updated_at"])
    record(plan, "ledger.plan.activated", by=by, data={"measures": plan.measures.count()})
    return plan


@transaction.atomic
def add_task(measure: Measure, *, by: Actor, unit: Unit, title: str, deadline: date) -> Task:
    """Split a measure: a task for one unit with its own deadline (not later
    than the measure's). The plan's managers or the lead unit may split."""
    measure = (Measure.objects.select_for_update(of=("self",)).select_related("plan__unit", "lead_unit")
               .get(pk=measure.pk))
    ensure(can_manage_plan(by, measure.plan.unit) or bool(measure.lead_unit and can_report(by, measure.lead_unit)),
           "只有方案管理单位或该措施的牵头单位可以分解任务")
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写任务内容"
    if not deadline:
        errors["deadline"] = "请填写完成时限"
    elif measure.deadline and deadline > measure.deadline:
        errors["deadline"] = f"分解任务的时限不能晚于措施时限（{measure.deadline:%Y-%m-%d}）"
    if errors:
        raise ValidationError("分解任务有误：" + "；".join(errors.values()), fields=errors)
    seq = (measure.tasks.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    due, provisional = _due(deadline, _calendar_for(deadline))
    task = Task.objects.create(measure=measure, seq=seq, unit=unit, title=title[:300], deadline=deadline,
                               due_on=due, due_provisional=provisional)
    record(task, "ledger.task.created", by=by, data={"measure": measure.number, "unit": unit.name,
                                                     "title": task.title, "deadline": deadline})
    return task


# ------------------------------------------------------------------ progress

def units_of(measure: Measure) -> set[int]:
    return set(measure.assignments.values_list("unit_id", flat=True))


def _refresh(target, reports) -> None:
    """Recompute the denormalised progress of a measure or task from its
    counted (confirmed by the unit head) reports, with the pure status rule."""
    rows = [(r.report_date, r.percent) for r in reports]
    p = st.status(due=target.due_on, today=date.max, reports=rows)
    target.progress = p.percent
    target.completed_on = p.completed_on
    target.last_reported_on = max((d for d, _ in rows), default=None)
    target.report_count = len(rows)
    target.save(update_fields=["progress", "completed_on", "last_reported_on", "report_count", "updated_at"])


def _counted(qs):
    return qs.filter(status__in=COUNTED_REPORTS).only("report_date", "percent")


def _refresh_all(measure: Measure, task: Task | None) -> None:
    if task is not None:
        _refresh(task, _counted(task.reports.all()))
    _refresh(measure, _counted(measure.reports.filter(task__isnull=True)))


@transaction.atomic
def report_progress(measure: Measure, *, by: Actor, unit: Unit, text: str, percent: int, report_date: date,
                    today: date, task: Task | None = None, files=(), late_reason: str = "") -> ProgressReport:
    """A unit reports progress on a measure it leads or takes part in (or on
    a task given to it). Not for a plan not yet issued, 0–100 %, text
    required; attachments checked by content. The report date is a date a
    person enters (SYS-03): not after the server's ``today``, not before the
    plan was issued nor before the unit's previous report on the same
    measure/task, more than FAZHI_BACKDATE_DAYS back only with
    ``late_reason`` (flagged in the trail)."""
    measure = Measure.objects.select_for_update(of=("self",)).select_related("plan").get(pk=measure.pk)
    ensure(can_report(by, unit), f"您没有代表“{unit.name}”报送推进情况的权限")
    if task is not None:
        task = Task.objects.select_for_update().get(pk=task.pk, measure=measure)
        ensure(task.unit_id == unit.pk or measure.lead_unit_id == unit.pk,
               f"“{unit.name}”不是该分解任务的责任单位，不能报送")
    else:
        ensure(unit.pk in units_of(measure), f"“{unit.name}”不是该措施的牵头或配合单位，不能报送")
    if measure.plan.status != PlanStatus.ACTIVE:
        raise Conflict("方案尚未下达，不能报送推进情况")
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "请填写推进情况"
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        errors["percent"] = "完成进度须为 0 至 100 之间的整数"
    entered = None
    if not report_date:
        errors["report_date"] = "请填写报送日期"
    else:
        previous = (ProgressReport.objects.filter(measure=measure, task=task, unit=unit)
                    .exclude(status=ReportStatus.RETURNED).order_by("-report_date")
                    .values_list("report_date", flat=True).first())
        try:
            entered = _entered(report_date, today=today, label="报送日期", field="report_date",
                               after=[_issued_on(measure.plan), (previous, "本单位上次报送日期")], reason=late_reason)
        except ValidationError as exc:
            if not errors:
                raise
            errors["report_date"] = exc.message
    if errors:
        raise ValidationError("报送有误：" + "；".join(errors.values()), fields=errors)
    assert entered is not None  # no errors: the date was entered and checked
    report_date = entered.value
    checked = [(f, uploads.read_checked(f, allowed=ATTACHMENT_TYPES,
                                        max_bytes=setting("UPLOAD_MAX_MB", 50) * uploads.MB, what="佐证材料"))
               for f in files]
    report = ProgressReport.objects.create(measure=measure, task=task, unit=unit, text=text, percent=percent,
                                           report_date=report_date, created_by=_user(by))
    for f, c in checked:
        att = ReportAttachment(report=report, original_name=(getattr(f, "name", "") or f"file{c.ext}")[-255:],
                               extension=c.ext, content_type=c.content_type, size=c.size, sha256=c.sha256)
        att.file.save(f"{c.sha256}{c.ext}", ContentFile(c.data), save=False)
        att.save()
    _refresh_all(measure, task)
    record(report, "ledger.report.submitted", by=by, data={
        "measure": measure.number, "task": task and task.seq, "unit": unit.name, "percent": percent,
        "date": report_date, "attachments": [c.sha256 for _, c in checked], **entered.audit_data()})
    return report


@transaction.atomic
def review_report(report: ProgressReport, *, by: Actor, confirm: bool, today: date, note: str = "") -> ProgressReport:
    """The unit head confirms (已审核) or returns (已退回) a report; a returned
    report no longer counts toward progress or completion. Nobody confirms
    or returns a report they filed themselves, whatever roles they hold
    (SYS-01); the reviewer holds the head role over the reporting unit on
    the server's ``today`` (SYS-02)."""
    report = (ProgressReport.objects.select_for_update(of=("self",)).select_related("unit", "measure", "task")
              .get(pk=report.pk))
    ensure(can_approve(by, report.unit), "只有报送单位的负责人可以审核推进情况")
    REPORT_WORKFLOW.check(report, "confirm" if confirm else "return")
    if by is not None:
        ensure_not_own(by, report.created_by_id, what="审核本人填报的推进情况")
        require_capacity(access.person_of(by), Role.HEAD, report.unit, on=today, what="审核推进情况的单位负责人")
    note = (note or "").strip()
    if not confirm and not note:
        raise ValidationError("退回须写明理由", fields={"note": "请填写退回理由"})
    REPORT_WORKFLOW.apply(report, "confirm" if confirm else "return")
    report.reviewed_by, report.review_note = _user(by), note[:500]
    report.save(update_fields=["status", "reviewed_by", "review_note", "updated_at"])
    Measure.objects.select_for_update().filter(pk=report.measure_id).first()
    _refresh_all(report.measure, report.task)
    record(report, "ledger.report.confirmed" if confirm else "ledger.report.returned", by=by,
           data={"measure": report.measure.number, "note": note, "on": today})
    return report


# ------------------------------------------------------------------ supervision

@transaction.atomic
def create_supervision(measure: Measure, *, by: Actor, unit: Unit, kind: str, reason: str, issued_on: date,
                       today: date, deadline: date | None = None, late_reason: str = "") -> SupervisionAction:
    """督办 / 约谈 / 责令整改 / 通报批评 against a unit carrying out the measure
    (document 5, measure 41). Without a deadline, the answer is due the
    setting's number of working days after ``issued_on`` (fazhi.workdays).
    ``issued_on`` is a date a person enters (SYS-03): not after the server's
    ``today``, not before the plan was issued; late only with a reason."""
    measure = Measure.objects.select_related("plan__unit").get(pk=measure.pk)
    _ensure_manage(by, measure.plan.unit)
    errors = {}
    if kind not in SupervisionKind.values:
        errors["kind"] = "请选择督办方式"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写事由及要求"
    if not issued_on:
        errors["issued_on"] = "请填写作出日期"
    if unit.pk not in units_of(measure) and not measure.tasks.filter(unit=unit).exists():
        errors["unit"] = f"“{unit.name}”不是该措施的责任单位"
    entered = None
    if not errors:
        entered = _entered(issued_on, today=today, label="作出日期", field="issued_on",
                           after=[_issued_on(measure.plan)], reason=late_reason)
        issued_on = entered.value
    if not errors and deadline is None:
        days = setting("LEDGER_SUPERVISION_WORKDAYS", SUPERVISION_DAYS)[kind]
        deadline = _calendar_for(issued_on).add_workdays(issued_on, days).due
    if deadline and issued_on and deadline < issued_on:
        errors["deadline"] = "期限不能早于作出日期"
    if errors:
        raise ValidationError("督办信息有误：" + "；".join(errors.values()), fields=errors)
    assert entered is not None and deadline is not None  # both set above when there are no errors
    action = SupervisionAction.objects.create(measure=measure, unit=unit, kind=kind, reason=reason,
                                              issued_on=issued_on, deadline=deadline, issued_by=_user(by))
    record(action, "ledger.supervision.created", by=by, data={
        "measure": measure.number, "unit": unit.name, "kind": kind, "deadline": deadline, "reason": reason,
        "issued_on": issued_on, **entered.audit_data()})
    return action


@transaction.atomic
def respond_supervision(action: SupervisionAction, *, by: Actor, response: str, today: date) -> SupervisionAction:
    action = SupervisionAction.objects.select_for_update(of=("self",)).select_related("unit").get(pk=action.pk)
    ensure(can_report(by, action.unit), "只有被督办单位可以回复")
    SUPERVISION_WORKFLOW.check(action, "respond")
    response = (response or "").strip()
    if not response:
        raise ValidationError("请填写回复/整改情况", fields={"response": "请填写回复/整改情况"})
    SUPERVISION_WORKFLOW.apply(action, "respond")
    action.response, action.responded_on = response, today
    action.save(update_fields=["response", "responded_on", "status", "updated_at"])
    record(action, "ledger.supervision.responded", by=by, data={"response": response, "on": today,
                                                                "late": today > action.deadline})
    return action


@transaction.atomic
def close_supervision(action: SupervisionAction, *, by: Actor, note: str = "", today: date) -> SupervisionAction:
    action = (SupervisionAction.objects.select_for_update(of=("self",)).select_related("measure__plan__unit")
              .get(pk=action.pk))
    _ensure_manage(by, action.measure.plan.unit)
    SUPERVISION_WORKFLOW.apply(action, "close", supervision_facts(action))
    action.closed_on, action.closing_note = today, (note or "")[:500]
    action.save(update_fields=["status", "closed_on", "closing_note", "updated_at"])
    record(action, "ledger.supervision.closed", by=by, data={"note": note, "on": today})
    return action


# ------------------------------------------------------------------ reminders

def _reminder_targets(today: date, cal: Calendar):
    """(kind, measure, task, unit, due) for what is due soon or overdue."""
    soon = setting("LEDGER_DUE_SOON_WORKDAYS", 10)
    horizon = cal.add_workdays(today, soon).due
    open_q = Q(completed_on__isnull=True, due_on__isnull=False, due_on__lte=horizon)
    for m in Measure.objects.filter(open_q, plan__status=PlanStatus.ACTIVE, lead_unit__isnull=False):
        yield (ReminderKind.OVERDUE if m.due_on and m.due_on < today else ReminderKind.DUE_SOON), m, None, m.lead_unit_id, m.due_on
    for t in Task.objects.filter(open_q, measure__plan__status=PlanStatus.ACTIVE).select_related("measure"):
        yield (ReminderKind.OVERDUE if t.due_on and t.due_on < today else ReminderKind.DUE_SOON), t.measure, t, t.unit_id, t.due_on


def send_reminders(now: datetime) -> int:
    """The reminder job: log one reminder per measure/task, kind and due date
    (due soon = within ``LEDGER_DUE_SOON_WORKDAYS`` working days; overdue).
    Idempotent: the unique key makes a second run add nothing. The home
    dashboard shows the same items live (selectors.dashboard_items)."""
    today = timezone.localdate(now)
    cal = Calendar(years=[today.year, today.year + 1])
    rows = []
    for kind, m, t, unit_id, due in _reminder_targets(today, cal):
        key = f"m{m.pk}-t{t.pk if t else 0}-{kind}-{due:%Y%m%d}"
        rows.append(Reminder(key=key, measure=m, task=t, unit_id=unit_id, kind=kind, due_on=due, sent_on=today))
    with transaction.atomic():
        existing = set(Reminder.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True))
        new = [r for r in rows if r.key not in existing]
        try:
            Reminder.objects.bulk_create(new, ignore_conflicts=True)
        except IntegrityError:  # pragma: no cover - a concurrent run took them
            return 0
        plans: dict[int, list[Reminder]] = {}
        for r in new:
            plans.setdefault(r.measure.plan_id, []).append(r)
        for plan_id, items in plans.items():
            record(Plan.objects.get(pk=plan_id), "ledger.reminders.logged", by=None, data={
                "on": today, "due_soon": sum(1 for r in items if r.kind == ReminderKind.DUE_SOON),
                "overdue": sum(1 for r in items if r.kind == ReminderKind.OVERDUE)})
    return len(new)
