"""The organ's document codes (ENF-10), violation types and discretion
benchmarks (ENF-24).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from fazhi.core.errors import ValidationError
from fazhi.enforcement import organs
from fazhi.enforcement.models import Benchmark, EnforcementCode, Severity, ViolationType
from fazhi.enforcement.services.common import _act, _choice, _clean, _money, _require
from fazhi.org.models import Unit

# ============================================================ benchmarks

@transaction.atomic
def set_enforcement_code(unit: Unit, *, by, case_prefix: str, decision_prefix: str) -> EnforcementCode:
    """Set a unit's 机关代字 for case and decision numbers."""
    _require(by, "enforcement.manage_officers", unit, "只有本单位管理员可以设置执法文书代字")
    if not organs.is_subject(unit):
        organ = organs.legal_subject(unit)
        raise ValidationError(f"{unit.name}不是行政执法主体，文书以{organ.name if organ else '其所属机关'}的名义作出，"
                              "请为该机关设置代字", rule="ENF-10", fields={"case_prefix": "请为行政执法主体设置"})
    case_prefix = _clean(case_prefix, 40, "case_prefix", "立案号代字", required=True)
    decision_prefix = _clean(decision_prefix, 40, "decision_prefix", "决定书文号代字", required=True)
    if case_prefix == decision_prefix:
        raise ValidationError("立案号与决定书文号的代字不能相同", fields={"decision_prefix": "与立案号代字相同"})
    for f, v in (("case_prefix", case_prefix), ("decision_prefix", decision_prefix)):
        clash = EnforcementCode.objects.exclude(unit=unit).filter(**{f: v}).first()
        if clash:
            raise ValidationError(f"代字“{v}”已由{clash.unit}使用", fields={f: "已被使用"})
    code, _ = EnforcementCode.objects.update_or_create(
        unit=unit, defaults={"case_prefix": case_prefix, "decision_prefix": decision_prefix})
    _act(code, "code", "set", by=by, data={"case_prefix": case_prefix, "decision_prefix": decision_prefix})
    return code


@transaction.atomic
def create_violation_type(*, unit: Unit, by, code: str, name: str, legal_basis: str, penalty_basis: str,
                          field: str = "") -> ViolationType:
    """A violation of the unit's published 裁量基准 (ENF-24)."""
    _require(by, "enforcement.manage_benchmarks", unit, "只有本单位负责人或管理员可以制定裁量基准")
    code = _clean(code, 40, "code", "编码", required=True)
    if ViolationType.objects.filter(unit=unit, code=code).exists():
        raise ValidationError(f"编码“{code}”已存在", fields={"code": "编码重复"})
    vt = ViolationType.objects.create(
        unit=unit, code=code, name=_clean(name, 200, "name", "违法行为", required=True),
        legal_basis=_clean(legal_basis, 5000, "legal_basis", "违法依据", required=True),
        penalty_basis=_clean(penalty_basis, 5000, "penalty_basis", "处罚依据", required=True),
        field=_clean(field, 100, "field", "执法领域"))
    _act(vt, "violation_type", "created", by=by, data={"code": code})
    return vt


@transaction.atomic
def update_violation_type(violation_type: ViolationType, *, by, name: str, legal_basis: str, penalty_basis: str,
                          is_active: bool, field: str | None = None) -> ViolationType:
    """Change a violation type of the 裁量基准 (ENF-24); its unit and code stay.

    The legal and penalty bases cannot change once a party has been notified
    of, or a decision made on, a case of this type: that case's documents are
    generated from them, and what the party was told must not change
    afterwards. Create a new type for the amended law and deactivate this one
    (inactive types are not offered for new cases; existing cases keep theirs).
    """
    vt = ViolationType.objects.select_for_update().get(pk=violation_type.pk)
    _require(by, "enforcement.manage_benchmarks", vt.unit, "只有本单位负责人或管理员可以制定裁量基准")
    new = {
        "name": _clean(name, 200, "name", "违法行为", required=True),
        "legal_basis": _clean(legal_basis, 5000, "legal_basis", "违法依据", required=True),
        "penalty_basis": _clean(penalty_basis, 5000, "penalty_basis", "处罚依据", required=True),
        "is_active": bool(is_active),
    }
    if field is not None:
        new["field"] = _clean(field, 100, "field", "执法领域")
    changed = {k: (getattr(vt, k), v) for k, v in new.items() if getattr(vt, k) != v}
    if not changed:
        return vt
    bases = [k for k in ("legal_basis", "penalty_basis") if k in changed]
    if bases and vt.cases.filter(Q(notice_served_on__isnull=False) | Q(decided_on__isnull=False)).exists():
        raise ValidationError("已有案件依此告知或作出决定，不能修改其违法依据、处罚依据；"
                              "法律修改后请新增违法行为并停用本条", rule="ENF-24",
                              fields={k: "已有案件引用" for k in bases})
    for k, (_, v) in changed.items():
        setattr(vt, k, v)
    vt.save(update_fields=[*changed, "updated_at"])
    _act(vt, "violation_type", "updated", by=by,
         data={"code": vt.code, "changed": {k: {"from": old, "to": v} for k, (old, v) in changed.items()}})
    return vt


@transaction.atomic
def set_benchmark(violation_type: ViolationType, *, by, severity: str, fine_min, fine_max,
                  other_penalties: str = "", circumstances: str = "") -> Benchmark:
    """Set the fine range of one severity (creates or replaces the row)."""
    vt = ViolationType.objects.select_for_update().get(pk=violation_type.pk)
    _require(by, "enforcement.manage_benchmarks", vt.unit, "只有本单位负责人或管理员可以制定裁量基准")
    severity = _choice(severity, Severity, "severity", "违法程度")
    lo, hi = _money(fine_min, "fine_min", "罚款下限"), _money(fine_max, "fine_max", "罚款上限")
    if hi < lo:
        raise ValidationError("罚款上限不能低于下限", fields={"fine_max": "上限低于下限"})
    bm, created = Benchmark.objects.update_or_create(
        violation_type=vt, severity=severity,
        defaults={"fine_min": lo, "fine_max": hi,
                  "other_penalties": _clean(other_penalties, 500, "other_penalties", "其他处罚"),
                  "circumstances": _clean(circumstances, 5000, "circumstances", "适用情形")})
    _act(vt, "benchmark", "set", by=by, data={"severity": severity, "fine_min": lo, "fine_max": hi})
    return bm


def check_fine_against_benchmark(benchmark: Benchmark | None, fine: Decimal, reasons: str) -> None:
    """ENF-24: a fine outside the benchmark range needs recorded reasons."""
    if benchmark is None or benchmark.contains(fine) or (reasons or "").strip():
        return
    raise ValidationError(
        f"拟罚款{fine}元超出裁量基准（{benchmark.get_severity_display()}：{benchmark.fine_min}—{benchmark.fine_max}元），"
        "须填写超出裁量基准的理由", rule="ENF-24", fields={"outside_range_reason": "请说明理由"})
