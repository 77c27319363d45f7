"""Every write to the calendar. Each runs in one transaction, writes its
audit entry in that transaction, recomputes in that same transaction every
stored deadline of every module that the change touched
(``deadlines.recompute``), and announces the change on commit
(``signals.calendar_changed``)."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.core.actors import Actor
from fazhi.core.errors import ValidationError, ensure
from fazhi.org.access import is_admin
from fazhi.workdays import builtin, deadlines
from fazhi.workdays.models import CalendarYear, DayKind, Holiday
from fazhi.workdays.notice import ParsedNotice, parse_notice
from fazhi.workdays.signals import calendar_changed

ACTION_IMPORTED = "workdays.calendar.imported"


def can_manage_calendar(user) -> bool:
    """Only administrators change the calendar (manifest: workdays.manage_calendar)."""
    return is_admin(user)


def _authorize(by: Actor) -> None:
    # by=None is the system itself (migrations, `manage.py workdays` run by an operator).
    if by is not None:
        ensure(can_manage_calendar(by), "只有系统管理员可以维护节假日安排")


def _around(years) -> list[int]:
    # A notice may move a day of the neighbouring year (2011-12-31 in the 2012 notice).
    return sorted({y + d for y in years for d in (-1, 0, 1)})


def _announce(years: list[int]) -> None:
    if years:
        years = sorted(years)
        transaction.on_commit(lambda: calendar_changed.send(sender=CalendarYear, years=tuple(years)))


def _replace_year(year: int, days: list[tuple], *, source: str, title: str, by: Actor) -> tuple[CalendarYear, int]:
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
    recomputed: deadlines.RecomputeResult | None = None


def import_notice(text: str, *, by: Actor, year: int | None = None, confirm: bool = False,
                  today: date | None = None) -> ImportResult:
    """Parse a State Council holiday notice; with ``confirm`` replace that
    year's rows with it, atomically, mark the year confirmed and recompute
    the stored deadlines it touched (``deadlines.recompute``; ``today`` is
    the server's date, which decides whether a deadline has passed).

    Without ``confirm`` nothing is written (the preview step). Unparseable
    text raises ValidationError and changes nothing.
    """
    _authorize(by)
    notice = parse_notice(text, year)
    _check_makeup_days(notice)
    if not confirm:
        return ImportResult(notice=notice, saved=False)
    with transaction.atomic():
        years = _around([notice.year])
        before = deadlines.snapshot(years)
        _, removed = _replace_year(
            notice.year, [(d.date, d.kind, d.festival) for d in notice.days],
            source=notice.source, title=notice.title, by=by,
        )
        moved = deadlines.recompute(before, years, cause=f"{notice.year}年放假安排调整", today=today, by=by)
        _announce([notice.year])
    return ImportResult(notice=notice, saved=True, replaced_rows=removed, recomputed=moved)


@dataclass
class SyncResult:
    source: str
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # confirmed from a notice; not overwritten
    recomputed: deadlines.RecomputeResult | None = None


def load_builtin(years=None, *, by: Actor = None, today: date | None = None) -> SyncResult:
    """Load the calendar of the ``chinesecalendar`` package for every year it
    covers (or ``years``), marking those years confirmed, and recompute the
    stored deadlines the changed years touched (as ``import_notice``).

    Idempotent: a year whose rows already match is left alone and not
    audited. A year confirmed from an imported notice is kept — the notice
    is the primary source.
    """
    _authorize(by)
    source = builtin.source_label()
    result = SyncResult(source=source)
    data = builtin.builtin_days(years)
    with transaction.atomic():
        around = _around(data)
        before = deadlines.snapshot(around)
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
        if result.updated:
            names = "、".join(str(y) for y in result.updated)
            result.recomputed = deadlines.recompute(before, _around(result.updated),
                                                   cause=f"{names}年放假安排调整（内置日历同步）", today=today, by=by)
        _announce(result.updated)
    return result



ACTION_DAY_CORRECTED = "workdays.day.corrected"
PLAIN = "plain"  # no row: a plain Monday–Friday working day or a Saturday/Sunday rest day
DAY_CHOICES = {DayKind.OFF: "放假", DayKind.WORK: "调休上班", PLAIN: "按平常周历（删除该日安排）"}


@dataclass
class CorrectionResult:
    day: date
    old: tuple | None  # (kind, festival) before, None = plain
    new: tuple | None
    recomputed: deadlines.RecomputeResult | None = None


def correct_day(day: date, *, kind: str, festival: str = "", reason: str, by: Actor,
                today: date | None = None) -> CorrectionResult:
    """更正某一天: make ``day`` a day off (放假), a make-up working day
    (调休上班, only a Saturday or Sunday: CAL-04) or a plain day (the row is
    removed), for a misread notice, a later State Council correction, or a
    local extra day off (CAL-07). The reason is required and kept in the
    trail; the stored deadlines the day touched are recomputed in the same
    transaction, as after an import.

    The day belongs to the arrangement year it already had, else its own
    year; the year's confirmation does not change. A later import of that
    year's notice replaces the year's rows, corrections included.
    """
    _authorize(by)
    errors = {}
    if kind not in DAY_CHOICES:
        errors["kind"] = "请选择更正后的类型"
    festival = (festival or "").strip()
    reason = (reason or "").strip()
    if kind in (DayKind.OFF, DayKind.WORK) and not festival:
        errors["festival"] = "请填写节日名称（如：春节）"
    if not reason:
        errors["reason"] = "请填写更正理由（如通知文号或更正依据）"
    if errors:
        raise ValidationError("更正信息有误：" + "；".join(errors.values()), fields=errors)
    if kind == DayKind.WORK and day.weekday() < 5:
        raise ValidationError(f"{day.isoformat()}（{'一二三四五'[day.weekday()]}）本来就是工作日，不能设为调休上班日",
                              rule="CAL-04", fields={"kind": "调休上班日只能是周六或周日"})
    with transaction.atomic():
        years = _around([day.year])
        before = deadlines.snapshot(years)
        row = Holiday.objects.select_for_update().filter(date=day).first()
        old = (row.kind, row.festival) if row else None
        new = None if kind == PLAIN else (kind, festival[:60])
        if old == new:
            raise ValidationError(f"{day.isoformat()}已经是{DAY_CHOICES[kind]}，无需更正", fields={"kind": "与现有安排相同"})
        year = row.year if row else day.year
        CalendarYear.objects.bulk_create([CalendarYear(year=year)], ignore_conflicts=True)
        cy = CalendarYear.objects.select_for_update().get(year=year)
        if new is None:
            assert row is not None  # old != new: the day had an entry to remove
            row.delete()
        elif row is None:
            Holiday.objects.create(date=day, kind=kind, festival=festival[:60], year=year, source=f"人工更正：{reason}"[:200])
        else:
            row.kind, row.festival, row.source = kind, festival[:60], f"人工更正：{reason}"[:200]
            row.save(update_fields=["kind", "festival", "source", "updated_at"])
        label = DAY_CHOICES[kind].split("（")[0]
        record(cy, ACTION_DAY_CORRECTED, by=by, data={
            "date": day, "old": list(old) if old else None, "new": list(new) if new else None, "reason": reason})
        moved = deadlines.recompute(before, years, cause=f"{year}年节假日更正（{day:%Y-%m-%d}改为{label}）",
                                    today=today, by=by)
        _announce([year])
    return CorrectionResult(day=day, old=old, new=new, recomputed=moved)
