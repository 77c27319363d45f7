"""Violation types and discretion benchmarks (ENF-24).
"""


from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.core.tables import Column, Table
from fazhi.enforcement import forms as f
from fazhi.enforcement import selectors, services
from fazhi.enforcement.models import Severity, ViolationType
from fazhi.enforcement.views.common import MANAGE_BENCHMARKS, VIEW, _num, _place_error, _unit
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require

# =============================================================== benchmarks

def _ranges(vt: ViolationType) -> str:
    return "；".join(f"{b.get_severity_display()} {_num(b.fine_min)}–{_num(b.fine_max)}元" for b in vt.benchmarks.all())


BENCHMARK_TABLE = Table("裁量基准", [
    Column("编码", "code", sort="code", link=lambda v: reverse("enforcement:benchmark_edit", args=[v.pk])),
    Column("违法行为", "name", sort="name"),
    Column("执法领域", "field", sort="field"),
    Column("制定单位", "unit.name", sort="unit__path"),
    Column("违法依据", "legal_basis"),
    Column("处罚依据", "penalty_basis"),
    Column("罚款幅度", _ranges),
    Column("启用", lambda v: "是" if v.is_active else "否"),
], default_sort="code", per_page=50)


@require_http_methods(["GET"])
def benchmark_list(request):
    user = request.user
    _require(user, VIEW)
    qs = selectors.violation_types(user)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(legal_basis__icontains=q))
    return BENCHMARK_TABLE.respond(request, qs, "enforcement/benchmark_list.html", {
        "q": q, "can_manage": access.allowed(user, MANAGE_BENCHMARKS)})


def _row_forms(data, vt: ViolationType | None):
    existing = {b.severity: b for b in vt.benchmarks.all()} if vt else {}
    rows = []
    for value, label in Severity.choices:
        b = existing.get(value)
        initial = ({"fine_min": b.fine_min, "fine_max": b.fine_max, "circumstances": b.circumstances,
                    "other_penalties": b.other_penalties} if b else {})
        rows.append({"severity": value, "label": label, "existing": b,
                     "form": f.BenchmarkRowForm(data, prefix=f"s-{value}", initial=initial)})
    return rows


@require_http_methods(["GET", "POST"])
@domain_errors
def benchmark_edit(request, pk=None):
    """Create a violation type with its ranges, or change one: its name, bases
    and whether it is active (``services.update_violation_type``) and its ranges."""
    user = request.user
    vt = None
    if pk is not None:
        vt = selectors.violation_types(user).filter(pk=pk).first()
        if vt is None:
            raise Http404()
        can_edit = access.allowed(user, MANAGE_BENCHMARKS, vt.unit)
    else:
        _require(user, MANAGE_BENCHMARKS)
        can_edit = True
    data = request.POST if request.method == "POST" else None
    if data is not None and not can_edit:
        raise HttpForbidden("您没有执行此操作的权限")
    if vt is None:
        vt_form = f.ViolationTypeForm(data, unit_choices=org_selectors.unit_choices(user, MANAGE_BENCHMARKS))
    elif can_edit:
        vt_form = f.ViolationTypeEditForm(data, initial={
            "name": vt.name, "field": vt.field, "legal_basis": vt.legal_basis, "penalty_basis": vt.penalty_basis,
            "is_active": vt.is_active})
    else:
        vt_form = None
    rows = _row_forms(data, vt)
    error = ""
    if data is not None and (vt_form is None or vt_form.is_valid()) and all(r["form"].is_valid() for r in rows):
        try:
            with transaction.atomic():
                if vt is None:
                    c = vt_form.cleaned_data
                    target = services.create_violation_type(
                        unit=_unit(c["unit"]), by=user, code=c["code"], name=c["name"], field=c["field"],
                        legal_basis=c["legal_basis"], penalty_basis=c["penalty_basis"])
                else:
                    c = vt_form.cleaned_data
                    target = services.update_violation_type(
                        vt, by=user, name=c["name"], field=c["field"], legal_basis=c["legal_basis"],
                        penalty_basis=c["penalty_basis"], is_active=c["is_active"])
                for r in rows:
                    form = r["form"]
                    if form.is_blank():
                        continue
                    c = form.cleaned_data
                    try:
                        services.set_benchmark(target, by=user, severity=r["severity"], fine_min=c["fine_min"],
                                               fine_max=c["fine_max"], other_penalties=c["other_penalties"],
                                               circumstances=c["circumstances"])
                    except PermissionDenied:
                        raise
                    except DomainError as exc:
                        _place_error(form, exc)
                        raise
        except PermissionDenied:
            raise
        except DomainError as exc:
            if vt_form is not None:
                _place_error(vt_form, exc)
            error = str(exc)
        else:
            messages.success(request, f"已保存裁量基准：{target.name}")
            return redirect("enforcement:benchmark_edit", pk=target.pk)
    bad = data is not None
    return render(request, "enforcement/benchmark_form.html", {
        "vt": vt, "vt_form": vt_form, "rows": rows, "can_edit": can_edit, "error": error,
    }, status=400 if bad else 200)
