"""What the records say about a unit's year, gathered for the drafting service.

The report reads the other modules only through what each declares in its
manifest (``Manifest.report_facts``: explicit, never discovered). A module that
is not listed — or does not declare the fact yet — gives ``None`` here, and the
draft says that the platform holds no records for that area instead of
inventing a figure. Each module's facts take a fixed number of queries
whatever the number of units, so the report of a 60-unit district costs the
same number of queries as a department's.
"""

from dataclasses import dataclass, field
from datetime import date

from django.urls import NoReverseMatch, reverse

from fazhi import modules as registry

# The modules whose own facts (a dict) the drafting reads, by key.
FACT_MODULES = ("normative_docs", "major_decisions", "enforcement", "training")


def providers() -> dict:
    """key -> provider(unit, year, *, today), as the modules declare them in
    their manifests (``Manifest.report_facts``, listed in ``fazhi/modules.py``)."""
    found: dict = {}
    for manifest in registry.manifests():
        for fact in manifest.report_facts:
            if fact.key in found:
                raise ValueError(f"report fact {fact.key} declared twice")
            found[fact.key] = fact.provider
    return found


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
    found = providers()

    def ask(key):
        fn = found.get(key)
        return None if fn is None else fn(unit, year, today=today)

    for key in FACT_MODULES:
        facts.modules[key] = ask(key)
    rows = ask("indicators")
    facts.indicators = None if rows is None else [dict(r) for r in rows]
    summary = ask("ledger_summary")
    facts.ledger_summary = {**summary, "url": _url("ledger:measure_list")} if isinstance(summary, dict) else None
    overdue = ask("ledger_overdue")
    facts.ledger_overdue = None if overdue is None else list(overdue)
    rows = ask("ledger_next")
    if rows is not None:
        # Next year's plan: the measures whose deadline falls in the next year, not yet completed.
        facts.ledger_next = [m for m in rows if _due_in(m, year + 1) and getattr(m, "status_code", "") != "completed"]

    facts.heads = list(Person.objects.filter(is_active=True, roles__role=Role.HEAD, roles__unit=unit)
                       .distinct().order_by("name").values("name", "post"))
    return facts
