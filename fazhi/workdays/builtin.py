"""The built-in calendar shipped with the ``chinesecalendar`` package.

Pure: no models are imported here, so the data migration can use it with
historical models. Each covered year becomes a confirmed arrangement whose
source names the package version.
"""

from dataclasses import dataclass
from datetime import date

# English names used by chinese_calendar.constants -> the names in the notices.
FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class BuiltinDay:
    date: date
    kind: str  # "off" | "work" (models.DayKind values)
    festival: str


def package_version() -> str:
    try:
        from importlib.metadata import version

        return version("chinesecalendar")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        import chinese_calendar

        return getattr(chinese_calendar, "__version__", "unknown")


def source_label() -> str:
    return f"chinesecalendar {package_version()}"


def chinese_name(english: str) -> str:
    try:
        return FESTIVAL_NAMES[english]
    except KeyError:
        # A festival added by a newer package version: fail loudly rather
        # than store an English name nobody will recognise.
        raise LookupError(f"chinesecalendar 中的节日“{english}”没有中文名称，请在 workdays/builtin.py 中补充")


def builtin_days(years=None) -> dict[int, list[BuiltinDay]]:
    """{year: [BuiltinDay, ...]} for every year the package covers (or the
    requested ones that it covers). Rows are grouped by ``date.year``."""
    from chinese_calendar import constants

    wanted = set(years) if years is not None else None
    out: dict[int, list[BuiltinDay]] = {}
    for table, kind in ((constants.holidays, "off"), (constants.workdays, "work")):
        for d, name in table.items():
            if wanted is not None and d.year not in wanted:
                continue
            out.setdefault(d.year, []).append(BuiltinDay(d, kind, chinese_name(name)))
    for rows in out.values():
        rows.sort(key=lambda r: r.date)
    return dict(sorted(out.items()))


def load_builtin_for_migration(apps) -> None:
    """Fill the years that are not in the database yet, with historical
    models. Used by migration 0002, which must not import services; no audit
    entry (the chain may not exist yet), unlike ``services.load_builtin``."""
    Year = apps.get_model("workdays", "CalendarYear")
    Day = apps.get_model("workdays", "Holiday")
    from django.utils import timezone

    source = source_label()
    now = timezone.now()
    present = set(Year.objects.values_list("year", flat=True))
    taken = set(Day.objects.values_list("date", flat=True))
    for year, rows in builtin_days().items():
        if year in present:
            continue
        Year.objects.create(year=year, confirmed=True, source=source, notice_title=f"内置日历（{source}）",
                            confirmed_at=now)
        Day.objects.bulk_create([
            Day(date=r.date, kind=r.kind, festival=r.festival, year=year, source=source)
            for r in rows if r.date not in taken
        ])
