"""Every write of 考核评价: weights/targets and the year-end settlement (结算).

Both are the 考核员's (``assessment.manage``, held at the government with its
sub-units) and audited in the same transaction.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from fazhi.assessment import registry, selectors
from fazhi.assessment.models import IndicatorWeight, SettledValue, Settlement
from fazhi.audit import services as audit
from fazhi.core.actors import Actor
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.org import access

MANAGE = selectors.MANAGE
MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError("年度无效", fields={"year": "年度无效"})
    return year


def _require_manage(by: Actor) -> None:
    # by=None is the system (demo loader, management commands).
    # Weights and settlements bind the whole district: a 考核员 role on one
    # unit must not set them (issue 11 §1: "anywhere" permissions are scoped).
    if by is not None and not access.district_wide(by, MANAGE):
        raise PermissionDenied("只有全区范围的考核员可以设置考核权重或结算")


def _decimal(value, name: str, label: str, lo: Decimal, hi: Decimal) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}应为数字", fields={name: "应为数字"})
    if not d.is_finite() or not lo <= d <= hi:
        raise ValidationError(f"{label}应在 {lo} 至 {hi} 之间", fields={name: f"应在 {lo} 至 {hi} 之间"})
    return d


@transaction.atomic
def set_weights(year: int, rows: dict[str, dict], *, by: Actor) -> list[IndicatorWeight]:
    """Set the weight (0–100) and target (0–100 %) of indicators for ``year``.

    ``rows``: ``{code: {"weight": ..., "target_percent": ...}}``. All or
    nothing: any bad row refuses the whole change, naming the field."""
    _check_year(year)
    _require_manage(by)
    known = {i.code: i for i in registry.indicators()}
    errors, clean = {}, {}
    for code, given in rows.items():
        if code not in known:
            errors[code] = "未知指标"
            continue
        try:
            w = _decimal(given.get("weight"), f"{code}.weight", f"{known[code].name}的权重", Decimal(0), Decimal(100))
            t = _decimal(given.get("target_percent"), f"{code}.target", f"{known[code].name}的目标值",
                         Decimal(0), Decimal(100))
        except ValidationError as exc:
            errors.update(exc.fields or {code: exc.message})
            continue
        clean[code] = (w.quantize(Decimal("0.01")), (t / 100).quantize(Decimal("0.0001")))
    if errors:
        raise ValidationError("权重或目标值有误，未作任何修改：" + "；".join(f"{k} {v}" for k, v in errors.items()),
                              fields=errors)
    if clean and sum(w for w, _ in clean.values()) <= 0:
        raise ValidationError("权重不能全部为0", fields={"weight": "权重不能全部为0"})
    existing = {w.code: w for w in IndicatorWeight.objects.select_for_update().filter(year=year)}
    changed: dict[str, dict] = {}
    out: list[IndicatorWeight] = []
    for code, (w, t) in clean.items():
        row = existing.get(code)
        if row is None:
            row = IndicatorWeight.objects.create(year=year, code=code, weight=w, target=t, updated_by=by)
            changed[code] = {"weight": [None, w], "target": [None, t]}
        elif row.weight != w or row.target != t:
            changed[code] = {"weight": [row.weight, w], "target": [row.target, t]}
            row.weight, row.target, row.updated_by = w, t, by
            row.save(update_fields=["weight", "target", "updated_by", "updated_at"])
        out.append(row)
    if changed:
        audit.record(None, "assessment.weights.set", by=by, object_type="assessment.indicatorweight",
                     object_id=str(year), object_repr=f"{year}年度考核指标权重与目标", data={"year": year,
                                                                                      "changes": changed})
    return out


@transaction.atomic
def ensure_default_weights(year: int, *, by: Actor = None) -> int:
    """Rows of weight 1 and the module's default target for indicators of
    ``year`` that have none (idempotent; the demo uses it). Returns how many."""
    _check_year(year)
    _require_manage(by)
    have = set(IndicatorWeight.objects.filter(year=year).values_list("code", flat=True))
    new = [IndicatorWeight(year=year, code=i.code, weight=Decimal("1"),
                           target=Decimal(str(i.default_target)).quantize(Decimal("0.0001")), updated_by=by)
           for i in registry.indicators() if i.code not in have]
    if new:
        IndicatorWeight.objects.bulk_create(new)
        audit.record(None, "assessment.weights.defaulted", by=by, object_type="assessment.indicatorweight",
                     object_id=str(year), object_repr=f"{year}年度考核指标权重与目标",
                     data={"year": year, "codes": [w.code for w in new]})
    return len(new)


def canonical(values: list[dict]) -> bytes:
    """The bytes hashed by a settlement: sorted, compact JSON."""
    rows = sorted(values, key=lambda r: (r["unit"], r["code"]))
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


@transaction.atomic
def settle_year(year: int, *, by: Actor, today: date, now: datetime | None = None, note: str = "") -> Settlement:
    """结算: freeze ``year``'s values for every assessable unit, with the time
    and a SHA-256 of the values. Only a finished year can be settled (the
    current year's figures still move). A later settlement supersedes an
    earlier one; both are kept."""
    _check_year(year)
    _require_manage(by)
    if year >= today.year:
        raise ValidationError("只能结算已结束的年度；本年度数值随记录实时计算", fields={"year": "年度尚未结束"})
    now = now or timezone.now()
    table = selectors.compute(year, list(selectors.assessable_units()), today=today, live=True)
    w = selectors.weights(year)
    values = []
    for row in table.rows:
        for v in row.values:
            values.append({"unit": row.unit.pk, "code": v["code"], "numerator": v["numerator"],
                           "denominator": v["denominator"],
                           "target": str(Decimal(w[v["code"]][1]).quantize(Decimal("0.0001"))),
                           "weight": str(Decimal(w[v["code"]][0]).quantize(Decimal("0.01")))})
    digest = hashlib.sha256(canonical(values)).hexdigest()
    from fazhi.org.access import person_of

    person = person_of(by) if by is not None else None
    s = Settlement.objects.create(year=year, settled_at=now, as_of=today, settled_by=by,
                                  settled_by_name=person.name if person else ("系统" if by is None else by.username),
                                  note=(note or "")[:500], sha256=digest, value_count=len(values))
    names = {i.code: (i.name, i.module) for i in registry.indicators()}
    SettledValue.objects.bulk_create([
        SettledValue(settlement=s, unit_id=v["unit"], code=v["code"], name=names[v["code"]][0],
                     module=names[v["code"]][1], numerator=v["numerator"], denominator=v["denominator"],
                     target=Decimal(v["target"]), weight=Decimal(v["weight"])) for v in values])
    audit.record(s, "assessment.settlement.created", by=by,
                 data={"year": year, "as_of": today, "sha256": digest, "values": len(values), "note": s.note})
    return s


def verify_settlement(s: Settlement) -> bool:
    """Recompute the SHA-256 of a settlement's stored values."""
    values = [{"unit": v.unit_id, "code": v.code, "numerator": v.numerator, "denominator": v.denominator,
               "target": str(v.target), "weight": str(v.weight)} for v in s.values.all()]
    return hashlib.sha256(canonical(values)).hexdigest() == s.sha256
