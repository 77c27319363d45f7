"""What the records say about a unit's year, gathered for the drafting service.

The report reads the other modules only through their ``report_facts`` (or,
for the ledger and the assessment, their ``selectors``). A module that is not
installed — or does not offer the function yet — gives ``None`` here, and the
draft says that the platform holds no records for that area instead of
inventing a figure. Each module's facts take a fixed number of queries
whatever the number of units, so the report of a 60-unit district costs the
same number of queries as a department's.
"""

import importlib
import inspect
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.urls import NoReverseMatch, reverse

# (key, dotted app name) of the modules with a report_facts.year_facts(unit, year, today=).
FACT_MODULES = (
    ("normative_docs", "fazhi.normative_docs"),
    ("major_decisions", "fazhi.major_decisions"),
    ("enforcement", "fazhi.enforcement"),
    ("training", "fazhi.training"),
)


def _function(app_name: str, module: str, name: str):
    """``app_name.module.name`` if the app is installed and offers it; else None."""
    if not apps.is_installed(app_name):
        return None
    try:
        mod = importlib.import_module(f"{app_name}.{module}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{app_name}.{module}":
            return None
        raise
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


@dataclass
class Facts:
    unit: object
    year: int
    today: date
    modules: dict = field(default_factory=dict)  # key -> dict | None
    indicators: list | None = None  # assessment rows; None = module absent
    ledger_summary: dict | None = None
    ledger_overdue: list | None = None
    ledger_next: list | None = None  # measures due next year
    heads: list = field(default_factory=list)  # the unit's 单位负责人 [{name, post}]

    def get(self, key: str) -> dict | None:
        return self.modules.get(key)

    def has_data(self) -> bool:
        """Anything that happened in the year. Standing facts (officers on
        the roll, benchmarks) and indicator values alone do not count: a year
        with no activity recorded has nothing to report on."""
        nd, md, enf, tr = (self.get(k) or {} for k in ("normative_docs", "major_decisions", "enforcement",
                                                         "training"))
        activity = [
            nd.get("published_count"), nd.get("discussions"), nd.get("repealed"), nd.get("expired"),
            md.get("decided_count"), md.get("discussions"), md.get("catalogue_entries"),
            enf.get("cases_filed"), enf.get("cases_decided"), enf.get("publications"), enf.get("transfers"),
            tr.get("sessions"), tr.get("exam_scores"),
            _ledger_total(self.ledger_summary),
        ]
        return any(activity)


def _ledger_total(summary) -> int:
    if not isinstance(summary, dict):
        return 0
    for key in ("total", "measures", "count"):
        value = summary.get(key)
        if isinstance(value, int):
            return value
    return 0


def _today_kw(fn, today: date) -> dict:
    try:
        return {"today": today} if "today" in inspect.signature(fn).parameters else {}
    except (TypeError, ValueError):
        return {}


def _due_in(row, year: int) -> bool:
    deadline = row.get("deadline") if isinstance(row, dict) else getattr(row, "deadline", None)
    return deadline is not None and deadline.year == year


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def collect(unit, year: int, *, today: date) -> Facts:
    from fazhi.org.models import Person, Role

    facts = Facts(unit=unit, year=year, today=today)
    for key, app_name in FACT_MODULES:
        fn = _function(app_name, "report_facts", "year_facts")
        facts.modules[key] = fn(unit, year, today=today) if fn else None

    unit_values = _function("fazhi.assessment", "selectors", "unit_values")
    if unit_values:
        rows = unit_values(unit, year, **_today_kw(unit_values, today))
        facts.indicators = [dict(r) for r in rows]

    summary = _function("fazhi.ledger", "selectors", "year_summary")
    if summary:
        found = summary(unit, year, today)
        facts.ledger_summary = {**found, "url": _url("ledger:measure_list")} if isinstance(found, dict) else None
    overdue = _function("fazhi.ledger", "selectors", "overdue_measures")
    if overdue:
        facts.ledger_overdue = list(overdue(unit, today))
    for_report = _function("fazhi.ledger", "selectors", "measures_for_report")
    if for_report:
        # Next year's plan: the measures whose deadline falls in the next year, not yet completed.
        rows = for_report(unit, year + 1, **_today_kw(for_report, today))
        facts.ledger_next = [m for m in rows if _due_in(m, year + 1) and getattr(m, "status_code", "") != "completed"]

    facts.heads = list(Person.objects.filter(is_active=True, roles__role=Role.HEAD, roles__unit=unit)
                       .distinct().order_by("name").values("name", "post"))
    return facts
