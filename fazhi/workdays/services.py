"""Every write to the calendar. Each runs in one transaction, writes its
audit entry in that transaction, and announces the change on commit
(``signals.calendar_changed``) so modules can recompute provisional
deadlines."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.core.errors import ValidationError, ensure
from fazhi.org.access import is_admin
from fazhi.workdays import builtin
from fazhi.workdays.models import CalendarYear, DayKind, Holiday
from fazhi.workdays.notice import ParsedNotice, parse_notice
from fazhi.workdays.signals import calendar_changed

ACTION_IMPORTED = "workdays.calendar.imported"


def can_manage_calendar(user) -> bool:
    """Only administrators change the calendar (manifest: workdays.manage_calendar)."""
    return is_admin(user)


def _authorize(by) -> None:
    # by=None is the system itself (migrations, `manage.py workdays` run by an operator).
    if by is not None:
        ensure(can_manage_calendar(by), "只有系统管理员可以维护节假日安排")


def _announce(years: list[int]) -> None:
    if years:
        years = sorted(years)
        transaction.on_commit(lambda: calendar_changed.send(sender=CalendarYear, years=tuple(years)))


def _replace_year(year: int, days: list[tuple], *, source: str, title: str, by) -> tuple[CalendarYear, int]:
    """Replace the rows of arrangement ``year`` with ``days`` [(date, kind, festival)]
    and mark the year confirmed. Caller holds the transaction."""
    CalendarYear.objects.bulk_create([CalendarYear(year=year)], ignore_conflicts=True)
    cy = CalendarYear.objects.select_for_update().get(year=year)
    dates = [d for d, _, _ in days]
    removed = Holiday.objects.filter(year=year).count()
    # A notice may move a day of the neighbouring year (e.g. 2011-12-31 in the
    # 2012 notice); the notice is the authority for that date.
    taken_over = list(Holiday.objects.filter(date__in=dates).exclude(year=year).values_list("date", flat=True))
    Holiday.objects.filter(year=year).delete()
    Holiday.objects.filter(date__in=dates).delete()
    Holiday.objects.bulk_create(
        [Holiday(date=d, kind=k, festival=f, year=year, source=source) for d, k, f in days]
    )
    cy.confirmed = True
    cy.source = source[:200]
    cy.notice_title = title[:200]
    cy.confirmed_at = timezone.now()
    cy.confirmed_by = by if getattr(by, "is_authenticated", False) else None
    cy.save()
    record(cy, ACTION_IMPORTED, by=by, data={
        "year": year,
        "source": source,
        "title": title,
        "off": sorted(d for d, k, _ in days if k == DayKind.OFF),
        "work": sorted(d for d, k, _ in days if k == DayKind.WORK),
        "replaced_rows": removed,
        "taken_over_dates": sorted(taken_over),
    })
    return cy, removed


def _check_makeup_days(notice: ParsedNotice) -> None:
    """调休上班 days are Saturdays or Sundays (CAL-04); a weekday listed as
    上班 means the text was misread."""
    for d in notice.days:
        if d.kind == DayKind.WORK and d.date.weekday() < 5:
            raise ValidationError(
                f"{d.date.isoformat()}（{'一二三四五'[d.date.weekday()]}）本来就是工作日，"
                "不可能是调休上班日，请核对通知原文",
                rule="CAL-04", fields={"text": "调休上班日有误"},
            )


@dataclass
class ImportResult:
    notice: ParsedNotice
    saved: bool
    replaced_rows: int = 0


def import_notice(text: str, *, by, year: int | None = None, confirm: bool = False) -> ImportResult:
    """Parse a State Council holiday notice; with ``confirm`` replace that
    year's rows with it, atomically, and mark the year confirmed.

    Without ``confirm`` nothing is written (the preview step). Unparseable
    text raises ValidationError and changes nothing.
    """
    _authorize(by)
    notice = parse_notice(text, year)
    _check_makeup_days(notice)
    if not confirm:
        return ImportResult(notice=notice, saved=False)
    with transaction.atomic():
        _, removed = _replace_year(
            notice.year, [(d.date, d.kind, d.festival) for d in notice.days],
            source=notice.source, title=notice.title, by=by,
        )
        _announce([notice.year])
    return ImportResult(notice=notice, saved=True, replaced_rows=removed)


@dataclass
class SyncResult:
    source: str
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # confirmed from a notice; not overwritten


def load_builtin(years=None, *, by=None) -> SyncResult:
    """Load the calendar of the ``chinesecalendar`` package for every year it
    covers (or ``years``), marking those years confirmed.

    Idempotent: a year whose rows already match is left alone and not
    audited. A year confirmed from an imported notice is kept — the notice
    is the primary source.
    """
    _authorize(by)
    source = builtin.source_label()
    result = SyncResult(source=source)
    data = builtin.builtin_days(years)
    with transaction.atomic():
        existing = {cy.year: cy for cy in CalendarYear.objects.select_for_update().filter(year__in=list(data))}
        for year, rows in data.items():
            cy = existing.get(year)
            if cy and cy.confirmed and not cy.source.startswith("chinesecalendar"):
                result.kept.append(year)
                continue
            wanted = {(r.date, r.kind, r.festival) for r in rows}
            have = set(Holiday.objects.filter(year=year).values_list("date", "kind", "festival"))
            if cy and cy.confirmed and wanted == have:
                result.unchanged.append(year)
                continue
            _replace_year(year, sorted(wanted), source=source, title=f"内置日历（{source}）", by=by)
            result.updated.append(year)
        _announce(result.updated)
    return result

