"""Every non-trivial read of the annual report: lists, deadlines, dashboard, portal."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from fazhi.annual_report import rules
from fazhi.annual_report.models import Report, Status
from fazhi.annual_report.permissions import ACTION_PERMISSION, DRAFT, PUBLISH, REVIEW, SUBMIT, VIEW
from fazhi.annual_report.workflow import PLACEHOLDER, WORKFLOW
from fazhi.audit.models import AuditEntry
from fazhi.core.duties import SOD_RULE, is_own
from fazhi.core.errors import NotFound
from fazhi.core.manifest import DashboardItem
from fazhi.org import access
from fazhi.org.models import Unit
from fazhi.workdays.calendar import Calendar

MODULE = "法治政府建设年度报告"


# The acts that make the draft: whoever did one of them drafted the report.
DRAFTING_ACTIONS = ("annual_report.report.generated", "annual_report.report.regenerated",
                    "annual_report.section.edited")
# SYS-01: the acts of the unit's leadership on a draft.
HEAD_ACTIONS = ("review", "return")
OWN_DRAFT = "本人起草或修改的年度报告须由他人审核（职责分离）"


def drafters(report: Report) -> list[int]:
    """The accounts that generated, re-generated or edited the report's
    draft, read from the audit trail (which every such act writes)."""
    return list(AuditEntry.objects.filter(object_type="annual_report.report", object_id=str(report.pk),
                                          action__in=DRAFTING_ACTIONS, actor__isnull=False)
                .values_list("actor_id", flat=True).distinct())


def drafted_by(user, reports) -> set[int]:
    """The ids of ``reports`` that ``user`` generated, re-generated or edited
    (as ``drafters``, in one query for all of them)."""
    ids = [str(r.pk) for r in reports]
    if not ids or not getattr(user, "pk", None):
        return set()
    return {int(pk) for pk in AuditEntry.objects.filter(
        object_type="annual_report.report", object_id__in=ids, action__in=DRAFTING_ACTIONS, actor_id=user.pk,
    ).values_list("object_id", flat=True).distinct()}


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# ------------------------------------------------------------------- staff

def reports_for(user) -> QuerySet[Report]:
    return access.scope(Report.objects.select_related("unit"), user, VIEW)


def report_list(user, *, year: int | None = None, unit: int | None = None, status: str = "",
                overdue: bool = False, today: date | None = None) -> QuerySet[Report]:
    qs = reports_for(user)
    if year:
        qs = qs.filter(year=year)
    if unit:
        qs = qs.filter(unit_id=unit)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        if today is None:
            raise TypeError("report_list(overdue=True) needs today")
        qs = qs.filter(overdue_q(today))
    return qs


def overdue_q(today: date) -> Q:
    """Not sent by the submission date (RPT-04) or not public by 1 April (RPT-01)."""
    return (Q(status__in=[Status.DRAFT, Status.REVIEWED], submit_due__lt=today)
            | Q(~Q(status=Status.PUBLISHED), publish_due__lt=today))


def get_report(user, pk) -> Report:
    report = reports_for(user).filter(pk=pk).first()
    if report is None:
        raise NotFound()
    return report


@dataclass(frozen=True)
class DeadlineState:
    label: str
    due: date | None
    kind: str  # todo / due_soon / overdue / done
    done_on: date | None = None


def deadlines(report: Report, today: date, *, calendar=None) -> list[DeadlineState]:
    sent = report.submitted_on
    pub = report.published_on

    def kind(due):
        return rules.kind_of(due, today, calendar=calendar)

    return [
        DeadlineState("报送", report.submit_due, "done" if sent else kind(report.submit_due), sent),
        DeadlineState("公开", report.publish_due, "done" if pub else kind(report.publish_due), pub),
    ]


@dataclass(frozen=True)
class Action:
    action: str
    label: str
    allowed: bool  # the user holds the permission
    refusal: str  # why the law refuses it now ("" = may go ahead)
    rule: str


def actions(user, report: Report, ctx: dict) -> list[Action]:
    """Every transition whose source state is the current one, with the user's
    right to it and the legal refusal (shown on the button's page)."""
    out, own = [], None
    for t in WORKFLOW.transitions:
        if report.status not in t.sources:
            continue
        refused = WORKFLOW.refusal(report, t.action, ctx)
        text, rule = (str(refused), refused.rule) if refused else ("", t.rule)
        if not refused and t.action in HEAD_ACTIONS:
            own = is_own(user, *drafters(report)) if own is None else own
            if own:
                text, rule = OWN_DRAFT, SOD_RULE
        out.append(Action(t.action, t.label, access.allowed(user, ACTION_PERMISSION[t.action], report.unit),
                          text, rule or ""))
    return out


def reporting_units(user, permission: str) -> QuerySet[Unit]:
    return access.visible_units(user, permission).filter(kind__in=rules.REPORTING_KINDS, is_active=True)


def dashboard_items(user, today: date) -> list[DashboardItem]:
    """The report on last year for each unit the user drafts, sends or publishes
    for: missing, not sent by the submission date (RPT-04), not public by
    1 April (RPT-01). For the unit's head, complete drafts waiting for 审核
    that they did not draft themselves (SYS-01). A few queries."""
    items = _awaiting_review(user) if access.allowed(user, REVIEW) else []
    perms = [p for p in (DRAFT, SUBMIT, PUBLISH) if access.allowed(user, p)]
    if not perms:
        return items
    year = today.year - 1
    q = Q(pk__in=[])
    for p in perms:
        q |= access.unit_q(user, p, field="")
    units = list(Unit.objects.filter(q, kind__in=rules.REPORTING_KINDS, is_active=True).order_by("path")[:200])
    reports = {r.unit_id: r for r in Report.objects.filter(year=year, unit__in=units)}
    cal = Calendar(years=[today.year, today.year + 1])
    for unit in units:
        r = reports.get(unit.pk)
        submit_due, publish_due = rules.submit_due(unit, year), rules.publish_due(unit, year)
        if r is None:
            kind = rules.kind_of(submit_due, today, calendar=cal)
            items.append(DashboardItem(kind, f"{unit.display_name}{year}年度法治政府建设情况报告尚未起草",
                                       _url("annual_report:list") + f"?year={year}", submit_due, MODULE, "RPT-04"))
            continue
        url = _url("annual_report:detail", r.pk)
        if r.status in (Status.DRAFT, Status.REVIEWED):
            items.append(DashboardItem(rules.kind_of(submit_due, today, calendar=cal),
                                       f"{unit.display_name}{year}年度法治政府建设情况报告待报送（{r.get_status_display()}）",
                                       url, submit_due, MODULE, "RPT-04"))
        if r.status != Status.PUBLISHED:
            items.append(DashboardItem(rules.kind_of(publish_due, today, calendar=cal),
                                       f"{unit.display_name}{year}年度法治政府建设情况报告待公开", url, publish_due,
                                       MODULE, "RPT-01 每年4月1日前"))
    return items


def _awaiting_review(user) -> list[DashboardItem]:
    """Drafts with every part written (no “【待补充】” left, RPT-02) in the
    units the user reviews for, except those the user drafted."""
    open_parts = (Q(sections__edited_text__contains=PLACEHOLDER)
                  | Q(sections__edited_text="", sections__generated_text__contains=PLACEHOLDER))
    ready = list(access.scope(Report.objects.select_related("unit"), user, REVIEW).filter(status=Status.DRAFT)
                 .exclude(pk__in=Report.objects.filter(open_parts).values("pk")).order_by("year", "unit__path")[:50])
    own = drafted_by(user, ready)
    items = []
    for r in ready:
        if r.pk in own:  # SYS-01: not the user's own draft
            continue
        items.append(DashboardItem("todo", f"{r.unit.display_name}{r.year}年度法治政府建设情况报告待审核",
                                   _url("annual_report:detail", r.pk), r.submit_due, MODULE,
                                   "单位负责人审核后报送"))
    return items


# ------------------------------------------------------------------ public

def public_reports(*, unit: int | None = None, year: int | None = None) -> QuerySet[Report]:
    qs = Report.objects.filter(status=Status.PUBLISHED).select_related("unit")
    if unit:
        qs = qs.filter(unit_id=unit)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "unit__path", "pk")


def public_report(pk) -> Report:
    report = public_reports().filter(pk=pk).first()
    if report is None:
        raise NotFound()
    return report


def public_units() -> list[tuple[int, str]]:
    return list(public_reports().order_by("unit__path").values_list("unit_id", "unit__name").distinct())


def public_years() -> list[int]:
    return sorted({y for y in public_reports().values_list("year", flat=True)}, reverse=True)


def portal_latest(limit: int):
    from fazhi.core.manifest import PortalEntry

    out = []
    for r in public_reports().only("pk", "public_title", "title", "published_on", "year", "unit__name")[:limit]:
        out.append(PortalEntry(title=r.public_title or r.title,
                               url=_url("annual_report_portal:detail", r.pk) or f"/portal/reports/{r.pk}/",
                               published=r.published_on, note=f"{r.year}年度"))
    return out
