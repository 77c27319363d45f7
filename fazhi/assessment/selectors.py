"""Every read of 考核评价: indicator values per unit and year, scores, ranking,
drill-down, trends and the cockpit's overdue counts.

Values are computed from the modules' records through their declared
``INDICATORS`` (``registry``) — never typed in. For a year with a settlement
(结算, ``services.settle_year``) the frozen values are used unless ``live``
is asked for; otherwise (always for the current year) they are computed now.

Cost: ``all_units_values`` runs one ``count`` per indicator for all the units
at once (each ``count`` is a fixed number of queries), plus the weights and
the settlement look-up — a fixed number of queries whatever the number of
units.

Score (see docs/modules/assessment.md): Σ weight × min(value / target, 1)
over the indicators **with data**, divided by the sum of their weights, ×100.
An indicator with no records for a unit (denominator 0) is 无数据: it is not
100 %, it is left out of the score and listed as a gap. No indicator counts
logins, page views or the number of records entered, so using the system more
does not raise a score — only doing the legal duty on time does.
"""

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment import registry
from fazhi.assessment.models import IndicatorWeight, SettledValue, Settlement
from fazhi.core.errors import NotFound
from fazhi.core.indicators import Count, IndicatorSource, RecordRef
from fazhi.org import access
from fazhi.org.models import Unit, UnitKind

VIEW, MANAGE = "assessment.view", "assessment.manage"
DEFAULT_WEIGHT = Decimal("1")


# ------------------------------------------------------------------ plumbing

def _takes_today(func) -> bool:
    try:
        return "today" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def _count(ind: IndicatorSource, year: int, units: Sequence, today: date | None) -> dict[int, Count]:
    count = ind.count
    assert count is not None  # registry._all refuses an indicator without one
    if today is not None and _takes_today(count):
        return count(year, units, today=today)
    return count(year, units)


def _records(ind: IndicatorSource, unit, year: int, today: date | None) -> list[RecordRef]:
    records = ind.records
    assert records is not None  # registry._all refuses an indicator without one
    if today is not None and _takes_today(records):
        return records(unit, year, today=today)
    return records(unit, year)


def weights(year: int) -> dict[str, tuple[Decimal, Decimal]]:
    """code -> (weight, target) for ``year``: the 考核员's setting, or weight 1
    and the module's default target (one query)."""
    stored = {w.code: (w.weight, w.target) for w in IndicatorWeight.objects.filter(year=year)}
    out = {}
    for ind in registry.indicators():
        out[ind.code] = stored.get(ind.code, (DEFAULT_WEIGHT, Decimal(str(ind.default_target))))
    return out


def latest_settlement(year: int) -> Settlement | None:
    return Settlement.objects.filter(year=year).order_by("-settled_at", "-pk").first()


def drill_url(year: int, unit_pk: int, code: str) -> str:
    return reverse("assessment:drill", args=[year, unit_pk, code])


# -------------------------------------------------------------------- values

@dataclass
class UnitRow:
    unit: Unit
    values: list[dict]
    score: float | None = None
    rank: int | None = None
    gaps: list[dict] = field(default_factory=list)  # indicators with 无数据
    outside: bool = False  # a government among its departments and towns: shown, never ranked

    @property
    def standing(self) -> str:
        """The rank, or why there is none — the same words on every page, export and the API."""
        if self.rank:
            return str(self.rank)
        if self.outside:
            return "不参与排名（本级政府）"
        if self.score is None:
            return "无数据"
        return "数据不足"

    @property
    def by_code(self) -> dict[str, dict]:
        return {v["code"]: v for v in self.values}

    @property
    def with_data(self) -> int:
        return sum(1 for v in self.values if v["value"] is not None)

    @property
    def below(self) -> list[dict]:
        return [v for v in self.values if v["met"] is False]


@dataclass
class ValueTable:
    year: int
    indicators: list[dict]  # code, name, module, target, weight, rule, description
    rows: list[UnitRow]
    settlement: Settlement | None = None  # the frozen values shown, if any


def _value_dict(ind: IndicatorSource, unit_pk: int, year: int, c: Count, weight: Decimal, target: Decimal,
                titles: dict) -> dict:
    value = c.ratio
    t = float(target)
    return {
        "code": ind.code, "name": ind.name, "module": ind.module, "module_title": titles.get(ind.module, ind.module),
        "rule": ind.rule, "description": ind.description,
        "numerator": c.numerator, "denominator": c.denominator, "value": value,
        "target": t, "weight": float(weight),
        "met": None if value is None else value + 1e-9 >= t,
        "url": drill_url(year, unit_pk, ind.code),
    }


def score(values: Sequence[dict]) -> float | None:
    """Σ w·min(v/t, 1) / Σ w over indicators with data and weight > 0, ×100.
    None when no weighted indicator has data (the unit is 无数据, not 100)."""
    num = den = 0.0
    for v in values:
        if v["value"] is None or v["weight"] <= 0:
            continue
        part = 1.0 if v["target"] <= 0 else min(v["value"] / v["target"], 1.0)
        num += v["weight"] * part
        den += v["weight"]
    return round(num / den * 100, 2) if den else None


def rank_min_indicators() -> int:
    """How many indicators with data a unit needs to be ranked (setting
    ``FAZHI_ASSESSMENT["rank_min_indicators"]``, default 3). A unit whose only
    record is one perfect item would otherwise top the ranking on a single
    figure — its score is shown, but it is listed after the ranked units as
    数据不足, so doing little cannot rank first."""
    from fazhi.assessment import rules

    return rules.get("rank_min_indicators")


def rank(rows: list[UnitRow], *, min_indicators: int | None = None) -> list[UnitRow]:
    """Order by score (highest first); ties share a rank. Units with 无数据, or with
    fewer than ``min_indicators`` indicators with data, come last, unranked."""
    need = rank_min_indicators() if min_indicators is None else min_indicators

    def ranked(r: UnitRow) -> bool:
        return r.score is not None and r.with_data >= need

    scored = sorted((r for r in rows if ranked(r)), key=lambda r: (-(r.score or 0), r.unit.path))
    prev, place = None, 0
    for i, r in enumerate(scored, start=1):
        if r.score != prev:
            place, prev = i, r.score
        r.rank = place
    rest = [r for r in rows if not ranked(r)]
    for r in rest:
        r.rank = None
    return scored + sorted(rest, key=lambda r: (r.score is None, -(r.score or 0), r.unit.path))


def compute(year: int, units: Sequence[Unit], *, today: date | None = None, live: bool = False) -> ValueTable:
    """Values of every indicator for ``units`` in ``year`` (fixed query count)."""
    units = list(units)
    inds = registry.indicators()
    w = weights(year)
    titles = registry.module_titles()
    settlement = None if live else latest_settlement(year)
    frozen: dict[tuple[int, str], Count] = {}
    if settlement is not None:
        for sv in SettledValue.objects.filter(settlement=settlement, unit__in=units):
            frozen[(sv.unit_id, sv.code)] = Count(sv.numerator, sv.denominator)
    counts: dict[str, dict[int, Count]] = {}
    for ind in inds:
        missing = [u for u in units if (u.pk, ind.code) not in frozen]
        counts[ind.code] = _count(ind, year, missing, today) if missing else {}
    rows = []
    for u in units:
        values = []
        for ind in inds:
            c = frozen.get((u.pk, ind.code)) or counts[ind.code].get(u.pk, Count(0, 0))
            weight, target = w[ind.code]
            values.append(_value_dict(ind, u.pk, year, c, weight, target, titles))
        row = UnitRow(u, values, score(values))
        row.gaps = [v for v in values if v["value"] is None]
        rows.append(row)
    header = [{"code": i.code, "name": i.name, "module": i.module, "module_title": titles.get(i.module, i.module),
               "rule": i.rule, "description": i.description, "weight": float(w[i.code][0]),
               "target": float(w[i.code][1])} for i in inds]
    return ValueTable(year, header, rows, settlement if frozen else None)


def unit_values(unit: Unit, year: int, *, today: date | None = None) -> list[dict]:
    """The values of every registered indicator for one unit and year.

    Each dict: ``code, name, module, module_title, rule, description,
    numerator, denominator, value`` (a ratio 0..1, or None = 无数据),
    ``target`` (0..1), ``weight``, ``met`` (None when 无数据) and ``url`` (the
    drill-down page). Used by the annual report; keep the name and shape.
    """
    return compute(year, [unit], today=today).rows[0].values


def all_units_values(year: int, units: Sequence[Unit] | None = None, *, today: date | None = None) -> ValueTable:
    """Every assessable unit (or ``units``) × every indicator: the departments,
    towns and institutions ranked, a government after them unranked."""
    table = compute(year, list(units) if units is not None else list(assessable_units()), today=today)
    table.rows = rank_peers(table.rows)
    return table


def rank_peers(rows: list[UnitRow]) -> list[UnitRow]:
    """``rank`` over the peers; the rows left out (governments) follow, unranked,
    marked ``outside`` — so no table, export or API ranks a government among
    the departments whose sum it is."""
    compared = peers(rows)
    ranked = rank(compared)
    rest = [r for r in rows if r not in compared]
    for r in rest:
        r.rank, r.outside = None, True
    return ranked + rest


# ------------------------------------------------------------------- scoping

def assessable_units(user=None):
    """Units that are assessed (governments, departments, towns, institutions;
    internal units roll up into their parent). With ``user``: those they may see."""
    qs = Unit.objects.filter(is_active=True).exclude(kind=UnitKind.INTERNAL)
    if user is not None:
        visible = Unit.objects.filter(access.unit_q(user, VIEW, field=""), is_active=True)
        scoped = qs.filter(pk__in=visible.values("pk"))
        if not scoped.exists():
            scoped = visible  # e.g. a clerk of a 执法大队 only
        qs = scoped
    return qs.order_by("path")


def can_view_unit(user, unit: Unit) -> bool:
    return access.allowed(user, VIEW, unit)


def get_unit(user, pk) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not can_view_unit(user, unit):
        raise NotFound()
    return unit


def peers(rows: list[UnitRow]) -> list[UnitRow]:
    """Rows compared in a ranking: not the governments (they are the sum of
    their departments and towns) unless nothing else is there."""
    others = [r for r in rows if r.unit.kind != UnitKind.GOVERNMENT]
    return others or rows


def ranking(year: int, user=None, *, today: date | None = None) -> list[UnitRow]:
    table = compute(year, list(assessable_units(user)), today=today)
    return [r for r in rank_peers(table.rows) if not r.outside]


# ---------------------------------------------------------------- drill-down

@dataclass
class DrillDown:
    unit: Unit
    year: int
    indicator: IndicatorSource
    value: dict
    records: list[RecordRef]
    live: Count


def drill_down(unit: Unit, year: int, code: str, *, today: date | None = None) -> DrillDown:
    ind = registry.get(code)
    if ind is None:
        raise NotFound()
    value = compute(year, [unit], today=today).rows[0].by_code[code]
    records = _records(ind, unit, year, today)
    live = Count(sum(1 for r in records if r.counted), len(records))
    return DrillDown(unit, year, ind, value, records, live)


# -------------------------------------------------------------------- trends

def trend_years(today: date, span: int = 4) -> list[int]:
    return list(range(today.year - span + 1, today.year + 1))


def trends(unit: Unit, years: Sequence[int], *, today: date | None = None) -> dict:
    """{"years": [...], "series": [{code, name, target, values: [ratio|None per year]}]}
    — a settled year uses its frozen values."""
    per_year = {y: compute(y, [unit], today=today).rows[0].by_code for y in years}
    series = []
    for ind in registry.indicators():
        series.append({
            "code": ind.code, "name": ind.name,
            "target": per_year[years[-1]][ind.code]["target"] if years else ind.default_target,
            "values": [per_year[y][ind.code]["value"] for y in years],
            "counts": [(per_year[y][ind.code]["numerator"], per_year[y][ind.code]["denominator"]) for y in years],
        })
    scores = [score(list(per_year[y].values())) for y in years]
    return {"years": list(years), "series": series, "scores": scores}


# ------------------------------------------------------------------- overdue

@dataclass(frozen=True)
class OverdueSource:
    module: str
    title: str
    rule: str
    query: Callable[[date], QuerySet]  # (today) -> records with a unit FK at ``unit_field``
    unit_field: str
    url: str


def overdue_sources() -> list[OverdueSource]:
    """Each installed module's ``OVERDUE`` declaration (in its indicators.py):
    ``(title, rule, query(today), unit_field, list_url_name)``."""
    out = []
    for label, app_name, loader in registry.MODULES:
        from django.apps import apps

        if not apps.is_installed(app_name):
            continue
        module = registry._load(app_name, loader)
        for title, rule, query, unit_field, url_name in getattr(module, "OVERDUE", ()) if module else ():
            try:
                url = reverse(url_name)
            except Exception:  # noqa: BLE001 — a list page not there yet: no link
                url = ""
            out.append(OverdueSource(label, title, rule, query, unit_field, url))
    return out


def overdue_by_module(units: Sequence[Unit], today: date) -> list[dict]:
    """Per overdue source: the count in each unit's subtree (one query each).
    ``[{module, module_title, title, rule, url, total, by_unit: {pk: n}}]``;
    ``total`` counts the records under any of ``units`` once."""
    from django.db.models import Count as N

    titles = registry.module_titles()
    units = list(units)
    paths = sorted({u.path for u in units})
    tops = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    out = []
    for src in overdue_sources():
        q = Q(pk__in=[])
        for p in tops:
            q |= Q(**{f"{src.unit_field}__path__startswith": p})
        rows = list(src.query(today).filter(q).order_by().values(f"{src.unit_field}__path").annotate(n=N("pk")))
        by_unit = {u.pk: sum(r["n"] for r in rows if r[f"{src.unit_field}__path"].startswith(u.path))
                   for u in units}
        out.append({"module": src.module, "module_title": titles.get(src.module, src.module), "title": src.title,
                    "rule": src.rule, "url": src.url, "total": sum(r["n"] for r in rows), "by_unit": by_unit})
    return out


def today() -> date:
    return timezone.localdate()
