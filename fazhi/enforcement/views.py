"""Staff screens of 行政执法: officers and certificates, discretion benchmarks,
penalty cases through the statutory procedure, the full-process record,
case documents and 两法衔接 transfers.

Every change goes through ``services``; lists and records are read through
``selectors`` (scoped with ``org.access``). A record outside what the user
may *see* is a 404; a visible record the user may not *change* is a 403 (the
service refuses with ``PermissionDenied``). Any other refusal (wrong legal
order, too few certified officers, 90-day limit, benchmark, upload type) is
shown on the page with its rule ID, and nothing is changed.

The action forms on the case page are exactly the transitions the workflow
table allows now for this user (``services.available_actions``); the steps
that are in the right state but wait for a condition are listed with the
condition and its rule.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.audit import selectors as audit_selectors
from fazhi.core.errors import Conflict, DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.enforcement import documents, organs, rules, selectors, services
from fazhi.enforcement import forms as f
from fazhi.enforcement.models import (
    UNDECIDED_STATES,
    Benchmark,
    CaseOfficer,
    CaseStatus,
    Certificate,
    CertificateStatus,
    ClockStop,
    Officer,
    PenaltyCase,
    PoliceTransfer,
    Procedure,
    PublicationStatus,
    Severity,
    TransferStatus,
    ViolationType,
)
from fazhi.enforcement.workflow import CASE_WORKFLOW, OFFICER_STATES
from fazhi.org import access, capacity
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require
from fazhi.org.models import Person, Role, Unit

VIEW = "enforcement.view"
HANDLE = "enforcement.handle_case"
MANAGE_OFFICERS = "enforcement.manage_officers"
MANAGE_BENCHMARKS = "enforcement.manage_benchmarks"




def _today() -> date:
    return timezone.localdate()


def _now():
    return timezone.now()


def _place_error(form, exc: DomainError) -> None:
    """A service's refusal onto the form: field errors where they belong, the
    message with its rule on top."""
    for name, msg in (exc.fields or {}).items():
        if name in form.fields:
            form.add_error(name, msg)
    form.add_error(None, str(exc))


def _unit(pk) -> Unit | None:
    return Unit.objects.filter(pk=pk).first() if pk else None


def _get_case(user, pk) -> PenaltyCase:
    case = selectors.case_detail(user, pk)
    if case is None:
        raise Http404()
    return case


def _num(v) -> str:
    """1000.00 -> "1000", 12.50 -> "12.5"."""
    return f"{v.normalize():f}" if v is not None else ""


# ================================================================= officers

def _current_cert(o: Officer, today: date) -> Certificate | None:
    """The certificate shown in lists: the valid one, else the latest."""
    certs = list(o.certificates.all())
    return next((c for c in certs if c.is_valid(today)), certs[0] if certs else None)


def _cert_cell(attr: str):
    def get(o):
        c = _current_cert(o, _today())
        if c is None:
            return "无证件" if attr == "status" else ""
        if attr != "status":
            return getattr(c, attr)
        status, today = c.display_status(_today()), _today()
        if c.is_valid(today) and c.valid_to <= today + timedelta(days=rules.get("certificate_warning_days")):
            return f"{status}（{(c.valid_to - today).days}日后到期）"
        return status
    return get


OFFICER_TABLE = Table("执法人员", [
    Column("姓名", "person.name", sort="person__name",
           link=lambda o: reverse("enforcement:officer_detail", args=[o.pk])),
    Column("所在单位", "unit.name", sort="unit__path"),
    Column("执法类别", "category", sort="category"),
    Column("证件编号", _cert_cell("number")),
    Column("执法领域", _cert_cell("field")),
    Column("有效期至", _cert_cell("valid_to")),
    Column("证件状态", _cert_cell("status")),
    Column("在岗", lambda o: "是" if o.is_active else "否", sort="is_active"),
], default_sort="unit__path", per_page=50)


def _valid_cert_q(today: date) -> Q:
    return Q(status=CertificateStatus.VALID, valid_from__lte=today, valid_to__gte=today)


def _filter_officers(qs, d: dict, today: date):
    if d.get("q"):
        q = d["q"].strip()
        qs = qs.filter(Q(person__name__icontains=q) | Q(certificates__number__icontains=q))
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("field"):
        qs = qs.filter(Q(category__icontains=d["field"]) | Q(certificates__field__icontains=d["field"]))
    certs = Certificate.objects.filter(officer=OuterRef("pk"))
    valid = certs.filter(_valid_cert_q(today))
    cert = d.get("cert")
    if cert == "valid":
        qs = qs.filter(Exists(valid))
    elif cert == "expiring":
        horizon = today + timedelta(days=rules.get("certificate_warning_days"))
        qs = qs.filter(Exists(valid.filter(valid_to__lte=horizon)))
    elif cert == "expired":
        qs = qs.filter(Exists(certs.filter(status=CertificateStatus.VALID, valid_to__lt=today))).exclude(
            Exists(valid))
    elif cert in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        qs = qs.filter(Exists(certs.filter(status=cert))).exclude(Exists(valid))
    elif cert == "none":
        qs = qs.exclude(Exists(certs))
    return qs.distinct()


@require_http_methods(["GET"])
def officer_list(request):
    user = request.user
    _require(user, VIEW)
    today = _today()
    form = f.OfficerFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW))
    d = form.cleaned_data if form.is_valid() else {}
    qs = _filter_officers(selectors.officers(user), d, today)
    return OFFICER_TABLE.respond(request, qs, "enforcement/officer_list.html", {
        "filters": form, "can_manage": access.allowed(user, MANAGE_OFFICERS),
        "warning_days": rules.get("certificate_warning_days"),
    })


def _person_choices(user) -> list[tuple[int, str]]:
    units = org_selectors.units_for(user, MANAGE_OFFICERS).filter(is_active=True)
    people = (Person.objects.filter(unit__in=units, is_active=True, enforcement_officer__isnull=True)
              .select_related("unit").order_by("unit__path", "name"))
    return [(p.pk, f"{p.name}（{p.unit.name}{'，' + p.post if p.post else ''}）") for p in people]


@require_http_methods(["GET", "POST"])
@domain_errors
def officer_create(request):
    user = request.user
    _require(user, MANAGE_OFFICERS)
    form = f.OfficerCreateForm(request.POST or None, person_choices=_person_choices(user))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        person = Person.objects.select_related("unit").get(pk=c["person"])
        try:
            officer = services.register_officer(person, by=user, category=c["category"],
                                                has_legal_qualification=c["has_legal_qualification"],
                                                note=c["note"])
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, f"已登记执法人员{officer.name}，请登记其执法证件")
            return redirect("enforcement:officer_detail", pk=officer.pk)
    return render(request, "enforcement/officer_form.html", {"form": form}, status=400 if form.errors else 200)


def _get_officer(user, pk) -> Officer:
    officer = selectors.officers(user).filter(pk=pk).first()
    if officer is None:
        raise Http404()
    return officer


OFFICER_STEPS = {
    "certificate": ("登记执法证件", f.CertificateForm),
    "status": ("暂扣/注销/恢复证件", f.CertificateStatusForm),
    "check": ("登记年度审验", f.AnnualCheckForm),
    "post": ("在岗与资格", f.OfficerPostForm),
}


def _officer_form(key: str, officer: Officer, certs: list, data=None):
    cls = OFFICER_STEPS[key][1]
    today = _today()
    kw = {}
    if key in ("status", "check"):
        # Revoked ones stay listed: the service refuses them and names ENF-25.
        choices = [(c.pk, f"{c.number}（{c.display_status(today)}）") for c in certs]
        kw["cert_choices"] = choices
    initial = {
        "certificate": {"valid_from": today, "field": officer.category},
        "status": {"on": today, "status": CertificateStatus.SUSPENDED},
        "check": {"year": today.year, "checked_on": today},
        "post": {"is_active": officer.is_active, "category": officer.category,
                 "has_legal_qualification": officer.has_legal_qualification},
    }[key]
    return cls(data, prefix=key, initial=initial, **kw)


def _render_officer(request, officer: Officer, *, bound: dict | None = None, status: int = 200):
    user = request.user
    today = _today()
    certs = list(officer.certificates.prefetch_related("annual_checks").order_by("-valid_to"))
    can_manage = access.allowed(user, MANAGE_OFFICERS, officer.unit)
    steps = []
    if can_manage:
        for key, (label, _) in OFFICER_STEPS.items():
            if key in ("status", "check") and not certs:
                continue
            form = (bound or {}).get(key) or _officer_form(key, officer, certs)
            steps.append({"key": key, "label": label, "form": form, "open": key in (bound or {}),
                          "url": reverse("enforcement:officer_action", args=[officer.pk, key])})
    assignments = (CaseOfficer.objects.filter(officer=officer).select_related("case")
                   .order_by("-assigned_on", "-pk")[:100])
    return render(request, "enforcement/officer_detail.html", {
        "officer": officer, "certs": [{"c": c, "status": c.display_status(today),
                                       "valid": c.is_valid(today)} for c in certs],
        "assignments": assignments, "steps": steps, "today": today,
        "certified": any(c.is_valid(today) for c in certs) and officer.is_active,
    }, status=status)


@require_http_methods(["GET"])
@domain_errors
def officer_detail(request, pk):
    return _render_officer(request, _get_officer(request.user, pk))


@require_POST
@domain_errors
def officer_action(request, pk, step):
    user = request.user
    officer = _get_officer(user, pk)
    if step not in OFFICER_STEPS:
        raise Http404()
    certs = list(officer.certificates.order_by("-valid_to"))
    form = _officer_form(step, officer, certs, request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            if step == "certificate":
                services.issue_certificate(officer, by=user, number=c["number"], kind=c["kind"],
                                           issuing_authority=c["issuing_authority"], field=c["field"],
                                           valid_from=c["valid_from"], valid_to=c["valid_to"])
            elif step == "status":
                cert = next(x for x in certs if x.pk == c["certificate"])
                services.set_certificate_status(cert, by=user, status=c["status"], reason=c["reason"], on=c["on"],
                                                today=_today(), late_reason=c["late_reason"])
            elif step == "check":
                cert = next(x for x in certs if x.pk == c["certificate"])
                services.record_annual_check(cert, by=user, year=c["year"], result=c["result"],
                                             checked_on=c["checked_on"], note=c["note"], today=_today(),
                                             late_reason=c["late_reason"])
            else:
                services.update_officer(officer, by=user, is_active=c["is_active"], category=c["category"],
                                        has_legal_qualification=c["has_legal_qualification"])
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, f"已保存：{OFFICER_STEPS[step][0]}")
            return redirect("enforcement:officer_detail", pk=officer.pk)
    _require(user, MANAGE_OFFICERS, officer.unit)
    return _render_officer(request, _get_officer(user, pk), bound={step: form}, status=400)


# ============================================================ 机关代字 (ENF-10)

def _code_of(unit: Unit):
    try:
        return unit.enforcement_code
    except Unit.enforcement_code.RelatedObjectDoesNotExist:
        return None


def _prefix_cell(attr: str):
    def get(unit):
        code = _code_of(unit)
        return getattr(code, attr) if code else "未设置"
    return get


CODE_TABLE = Table("执法文书代字", [
    Column("执法单位", "name", sort="path", link=lambda u: reverse("enforcement:code_edit", args=[u.pk])),
    Column("在岗执法人员", "officer_count", sort="officer_count"),
    Column("立案号代字", _prefix_cell("case_prefix"), sort="enforcement_code__case_prefix"),
    Column("决定书文号代字", _prefix_cell("decision_prefix"), sort="enforcement_code__decision_prefix"),
], default_sort="path", per_page=100)


@require_http_methods(["GET"])
def code_list(request):
    """The units whose 机关代字 the user may set; a case of a unit without one
    cannot be numbered (立案 and 决定 are refused, ENF-10)."""
    user = request.user
    _require(user, MANAGE_OFFICERS)
    qs = selectors.code_units(user)
    missing = qs.filter(enforcement_code__isnull=True, officer_count__gt=0).count()
    return CODE_TABLE.respond(request, qs, "enforcement/code_list.html", {"missing": missing})


@require_http_methods(["GET", "POST"])
@domain_errors
def code_edit(request, unit_pk):
    user = request.user
    unit = org_selectors.units_for(user, VIEW).filter(pk=unit_pk).first()
    if unit is None:
        raise Http404()
    _require(user, MANAGE_OFFICERS, unit)
    code = _code_of(unit)
    initial = {"case_prefix": code.case_prefix, "decision_prefix": code.decision_prefix} if code else {}
    form = f.EnforcementCodeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.set_enforcement_code(unit, by=user, case_prefix=c["case_prefix"],
                                          decision_prefix=c["decision_prefix"])
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, f"已设置{unit.name}的执法文书代字")
            return redirect("enforcement:code_list")
    return render(request, "enforcement/code_form.html", {"form": form, "unit": unit, "code": code},
                  status=400 if form.errors else 200)


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


# ==================================================================== cases

def _officer_names(case: PenaltyCase) -> str:
    return "、".join(co.officer.person.name for co in case.case_officers.all())


def _next_cell(case: PenaltyCase) -> str:
    """What the case waits for next, with that step's deadline (我承办的案件, issue 13 §2)."""
    step = selectors.NEXT_STEP.get(case.status, "")
    due, _rule = selectors.next_due(case)
    return f"{step}（{due.isoformat()}前）" if step and due else step


def _limit_cell(case: PenaltyCase):
    """The 90-day limit (ENF-08) of an undecided case, marked when passed."""
    if case.status not in UNDECIDED_STATES or not case.decision_due:
        return ""
    if case.clock_stopped_on:
        return f"{case.decision_due.isoformat()}起顺延（自{case.clock_stopped_on.isoformat()}暂停计算）"
    return case.decision_due  # coloured by DueColumn: 逾期N天 / 剩余N个工作日


CASE_TABLE = Table("行政处罚案件", [
    Column("立案号", lambda c: c.display_no, sort="case_no",
           link=lambda c: reverse("enforcement:case_detail", args=[c.pk])),
    Column("下一步", _next_cell, sort="status"),
    Column("案由", "cause", sort="cause"),
    Column("当事人", "party_name", sort="party_name"),
    Column("执法单位", "unit.name", sort="unit__path"),
    Column("程序", lambda c: c.get_procedure_display(), sort="procedure"),
    Column("状态", lambda c: c.get_status_display(), sort="status"),
    Column("承办人", _officer_names),
    Column("立案日期", lambda c: c.filed_on.isoformat() if c.filed_on else "", sort="filed_on"),
    DueColumn("决定期限", _limit_cell, sort="decision_due"),
    Column("罚款（元）", lambda c: c.fine_amount or "", sort="fine_amount"),
], default_sort="-created_at", per_page=30)

CASE_EXPORT = Table("行政处罚案件", [
    Column("立案号", "case_no", sort="case_no"),
    Column("决定书文号", "decision_no"),
    Column("案由", "cause", sort="cause"),
    Column("案件来源", "source"),
    Column("当事人类型", lambda c: c.get_party_kind_display()),
    Column("当事人", "party_name", sort="party_name"),
    Column("执法单位", "unit.name", sort="unit__path"),
    Column("程序", lambda c: c.get_procedure_display(), sort="procedure"),
    Column("状态", lambda c: c.get_status_display(), sort="status"),
    Column("承办人", _officer_names),
    Column("发现日期", "discovered_on"),
    Column("立案日期", "filed_on", sort="filed_on"),
    Column("决定期限", "decision_due", sort="decision_due"),
    Column("决定日期", "decided_on"),
    Column("处罚种类", "penalty_kinds"),
    Column("罚款（元）", "fine_amount", sort="fine_amount"),
    Column("送达日期", "served_on"),
    Column("结案日期", "closed_on"),
], default_sort="-created_at")


def _filter_cases(qs, d: dict, today: date):
    if d.get("q"):
        q = d["q"].strip()
        qs = qs.filter(Q(case_no__icontains=q) | Q(decision_no__icontains=q) | Q(cause__icontains=q)
                       | Q(party_name__icontains=q))
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    if d.get("procedure"):
        qs = qs.filter(procedure=d["procedure"])
    deadline = d.get("deadline")
    if deadline == "overdue":
        qs = qs.filter(status__in=UNDECIDED_STATES, decision_due__lt=today, clock_stopped_on__isnull=True)
    elif deadline == "near":
        horizon = today + timedelta(days=rules.get("decision_warning_days"))
        qs = qs.filter(status__in=UNDECIDED_STATES, decision_due__gte=today, decision_due__lte=horizon,
                       clock_stopped_on__isnull=True)
    elif deadline == "service":
        qs = qs.filter(status=CaseStatus.DECIDED, service_due__lt=today)
    if d.get("officer"):
        qs = qs.filter(case_officers__officer_id=d["officer"]).distinct()
    return qs


@require_http_methods(["GET"])
def case_list(request):
    user = request.user
    _require(user, VIEW)
    today = _today()
    officer_choices = [(o.pk, f"{o.person.name}（{o.unit.short_name or o.unit.name}）")
                       for o in selectors.officers(user).filter(is_active=True).order_by("person__name")]
    form = f.CaseFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW),
                            officer_choices=officer_choices)
    d = form.cleaned_data if form.is_valid() else {}
    qs = _filter_cases(selectors.cases(user), d, today).prefetch_related("case_officers__officer__person")
    if request.GET.get("export") == "xlsx":
        return CASE_EXPORT.export(CASE_EXPORT.rows(request, qs))
    horizon = today + timedelta(days=rules.get("decision_warning_days"))
    return CASE_TABLE.respond(request, qs, "enforcement/case_list.html", {
        "filters": form, "today": today, "horizon": horizon, "can_create": access.allowed(user, HANDLE),
        "can_set_codes": access.allowed(user, MANAGE_OFFICERS),
    })


# ------------------------------------------------------------------ create

def _certified_choices(user, today: date) -> list[tuple[int, str]]:
    """Officers in post with a certificate valid today, of the units the user handles cases for (ENF-01)."""
    units = org_selectors.units_for(user, HANDLE).filter(is_active=True)
    qs = (Officer.objects.filter(unit__in=units, is_active=True)
          .filter(Exists(Certificate.objects.filter(_valid_cert_q(today), officer=OuterRef("pk"))))
          .select_related("person", "unit").prefetch_related("certificates").order_by("unit__path", "person__name"))
    out = []
    for o in qs:
        cert = o.valid_certificate(today)
        out.append((o.pk, f"{o.person.name}（{o.unit.short_name or o.unit.name}，证号 {cert.number if cert else ''}）"))
    return out


def _type_choices(user) -> list[tuple[int, str]]:
    qs = access.scope(ViolationType.objects.filter(is_active=True).select_related("unit"), user, HANDLE)
    return [(v.pk, f"{v.code} {v.name}（{v.unit.short_name or v.unit.name}）") for v in qs.order_by("code")]


@require_http_methods(["GET", "POST"])
@domain_errors
def case_create(request):
    """立案登记 (general procedure: the case waits for the head's filing
    approval) or 当场处罚 (summary procedure, ENF-12). Either way at least two
    officers with a certificate valid today (ENF-01)."""
    user = request.user
    _require(user, HANDLE)
    today = _today()
    unit_choices = org_selectors.unit_choices(user, HANDLE)
    form = f.CaseCreateForm(request.POST or None, unit_choices=unit_choices,
                            officer_choices=_certified_choices(user, today), type_choices=_type_choices(user),
                            initial={"discovered_on": today, "unit": unit_choices[0][0] if unit_choices else None})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        summary = c["procedure"] == Procedure.SUMMARY
        if summary and c.get("fine_amount") is None:
            form.add_error("fine_amount", "简易程序须填写当场处罚的罚款金额（警告填0）")
        elif summary and not c.get("spot_place"):
            form.add_error("spot_place", "简易程序须填写当场处罚的地点")
        else:
            try:
                case = _create_case(user, c, today, summary=summary)
            except PermissionDenied:
                raise
            except DomainError as exc:
                _place_error(form, exc)
            else:
                messages.success(request, f"已当场作出处罚决定{case.decision_no}" if summary
                                 else "已登记案件，待负责人审批立案")
                return redirect("enforcement:case_detail", pk=case.pk)
    return render(request, "enforcement/case_form.html", {"form": form}, status=400 if form.errors else 200)


def _create_case(user, c: dict, today: date, *, summary: bool) -> PenaltyCase:
    unit = _unit(c["unit"])
    officers = list(Officer.objects.filter(pk__in=c["officers"]).select_related("person", "unit"))
    vt = ViolationType.objects.filter(pk=c["violation_type"]).first() if c.get("violation_type") else None
    party = {k: c[k] for k in ("party_kind", "party_name", "party_id_no", "party_address", "party_phone")}
    if summary:
        return services.summary_decide(
            unit=unit, by=user, today=today, officers=officers, cause=c["cause"], facts=c["facts"],
            place=c["spot_place"], penalty_kinds=c["penalty_kinds"] or "罚款", fine_amount=c["fine_amount"],
            violation_type=vt, severity=c["severity"], outside_range_reason=c["outside_range_reason"], **party)
    with transaction.atomic():
        case = services.create_case(
            unit=unit, by=user, cause=c["cause"], source=c["source"], discovered_on=c["discovered_on"],
            today=today, late_reason=c["late_reason"],
            violation_ended_on=c["violation_ended_on"], violation_type=vt, severity=c["severity"],
            facts=c["facts"], party_legal_rep=c["party_legal_rep"],
            harm_to_life_or_finance=c["harm_to_life_or_finance"], **party)
        lead = next((o for o in officers if o.pk == c.get("lead")), None)
        services.assign_officers(case, by=user, officers=officers, today=today, lead=lead)
    return case


# ------------------------------------------------------------------ detail

@dataclass(frozen=True)
class Step:
    """One action form on the case page."""

    key: str
    label: str
    form: type
    run: Callable[[Any, PenaltyCase, dict, date], Any]  # (user, case, cleaned_data, today)
    done: str
    danger: bool = False
    intro: str = ""


def _pending_transfer(case: PenaltyCase) -> PoliceTransfer:
    t = next((t for t in case.transfers.all() if t.status == TransferStatus.PENDING), None)
    if t is None:
        raise Conflict("没有待回复的移送记录", rule=services.TRANSFER_RULE)
    return t


def _live_publication(case: PenaltyCase, status: str):
    p = next((p for p in case.publications.all() if p.status == status), None)
    if p is None:
        raise Conflict("没有可操作的公示记录", rule="ENF-19")
    return p


def _benchmark(pk):
    return Benchmark.objects.select_related("violation_type").filter(pk=pk).first() if pk else None


def _people(pks) -> list[Person]:
    return list(Person.objects.filter(pk__in=pks or []))


def _open_stop(case: PenaltyCase, pk) -> ClockStop:
    stop = case.clock_stops.filter(pk=pk, ends_on__isnull=True).first()
    if stop is None:
        raise Conflict("没有可结束的不计入期间", rule="ENF-08")
    return stop


def _case_changes(case: PenaltyCase, d: dict) -> dict:
    """Only what changed, so a notified case can still have its flags updated (ENF-06)."""
    vt = ViolationType.objects.filter(pk=d["violation_type"]).first() if d.get("violation_type") else None
    new = {**{k: d[k] for k in ("cause", "facts", "severity", "is_complex", "major_public_interest",
                                 "revoke_licence", "order_stop_business")}, "violation_type": vt}
    return {k: v for k, v in new.items() if getattr(case, k) != v}


STEPS: dict[str, Step] = {s.key: s for s in [
    Step("file_case", "批准立案", f.FileCaseForm,
         lambda u, c, d, t: services.file_case(c, by=u, today=t, late_filing_reason=d["late_filing_reason"]),
         "已批准立案，办案期限开始计算",
         intro="立案时须有两名以上持有效证件的执法人员（ENF-01）；自立案之日起90日内作出决定（ENF-08）。"),
    Step("reject_filing", "不予立案", f.ReasonForm,
         lambda u, c, d, t: services.reject_filing(c, by=u, today=t, reason=d["reason"]), "已决定不予立案",
         danger=True),
    Step("case_info", "修改案件信息", f.CaseInfoForm,
         lambda u, c, d, t: services.update_case(c, by=u, **_case_changes(c, d)), "已保存案件信息",
         intro="违法事实、违法行为及违法程度是决定的依据（ENF-10）；告知当事人后不能再修改违法事实和违法行为。"),
    Step("notify", "送达行政处罚事先告知书", f.NotifyForm,
         lambda u, c, d, t: services.notify(c, by=u, today=t, intended_penalty=d["intended_penalty"],
                                            notice_reasons=d["notice_reasons"], intended_fine=d["intended_fine"]),
         "已告知，陈述申辩/听证申请期限开始计算",
         intro="送达告知书时登记：告知日期为今天。告知拟处罚内容及事实、理由、依据和陈述、申辩、要求听证的权利（ENF-06）；"
               "当事人5个工作日内可申请听证（ENF-07）。"),
    Step("record_statement", "记录陈述申辩", f.StatementForm,
         lambda u, c, d, t: services.record_statement(c, by=u, today=t, received_on=d["received_on"], text=d["text"],
                                                      answer=d["answer"], late_reason=d["late_reason"]),
         "已记录陈述申辩", intro="不得因当事人陈述申辩而加重处罚（ENF-06）。"),
    Step("waive_rights", "当事人书面放弃陈述申辩和听证", f.DateOnlyForm,
         lambda u, c, d, t: services.waive_rights(c, by=u, today=t, on=d["on"], late_reason=d["late_reason"]),
         "已记录当事人放弃权利"),
    Step("request_hearing", "当事人申请听证", f.HearingRequestForm,
         lambda u, c, d, t: services.request_hearing(c, by=u, today=t, requested_on=d["requested_on"],
                                                     late_reason=d["late_reason"]), "已登记听证申请",
         intro="须在告知书送达后5个工作日内提出（ENF-07）；听证期间不计入办案期限（ENF-08）。"),
    Step("schedule_hearing", "通知听证", f.HearingScheduleForm,
         lambda u, c, d, t: services.schedule_hearing(c, by=u, today=t, notified_on=d["notified_on"],
                                                      hearing_date=d["hearing_date"], place=d["place"],
                                                      presider=d["presider"], late_reason=d["late_reason"]),
         "已通知听证", intro="举行听证的7个工作日前通知当事人；主持人由非本案调查人员担任（ENF-07）。"),
    Step("hold_hearing", "记录听证", f.HearingHeldForm,
         lambda u, c, d, t: services.hold_hearing(c, by=u, today=t, held_on=d["held_on"], summary=d["summary"],
                                                  late_reason=d["late_reason"]),
         "已记录听证", intro="听证笔录经当事人核对签字后作为听证笔录上传（ENF-07）。"),
    Step("submit_legal_review", "提交法制审核", f.NoFieldsForm,
         lambda u, c, d, t: services.submit_legal_review(c, by=u, today=t), "已提交法制审核"),
    Step("legal_review", "出具法制审核意见", f.LegalReviewForm,
         lambda u, c, d, t: services.legal_review(c, by=u, today=t, passed=d["passed"], opinion=d["opinion"],
                                                  legal_basis=d["legal_basis"], penalty_basis=d["penalty_basis"]),
         "已出具法制审核意见",
         intro="未经法制审核或审核未通过的，不得作出决定（ENF-04）；审核人员不得为本案承办人员（SYS-01）。"),
    Step("submit_discussion", "提请集体讨论", f.NoFieldsForm,
         lambda u, c, d, t: services.submit_discussion(c, by=u, today=t), "已提请集体讨论"),
    Step("record_discussion", "记录集体讨论", f.DiscussionForm,
         lambda u, c, d, t: services.record_discussion(c, by=u, today=t, discussed_on=d["discussed_on"],
                                                       members=_people(d["members"]), attendees=d["attendees"],
                                                       conclusion=d["conclusion"], late_reason=d["late_reason"]),
         "已记录集体讨论", intro="情节复杂或重大违法行为由行政机关负责人集体讨论决定（ENF-05）。"),
    Step("decide", "作出行政处罚决定", f.DecideForm,
         lambda u, c, d, t: services.decide(c, by=u, today=t, penalty_kinds=d["penalty_kinds"],
                                            fine_amount=d["fine_amount"], reasons=d["reasons"],
                                            other_penalties=d["other_penalties"],
                                            outside_range_reason=d["outside_range_reason"],
                                            benchmark=_benchmark(d["benchmark"]),
                                            on_spot_service=d["on_spot_service"]),
         "已作出行政处罚决定，须在7个工作日内送达并按期公示",
         intro="以本机关名义、今天的日期作出；决定人须为本机关负责人且非本案承办人（SYS-01/02）。罚款超出裁量基准幅度的"
               "须记录理由并经集体讨论（ENF-24）；不得高于告知的金额（ENF-06）。"),
    Step("extend", "批准延长办案期限", f.ExtensionForm,
         lambda u, c, d, t: services.extend_deadline(
             c, by=u, today=t, days=d["days"], reason=d["reason"], basis=d["basis"], discussed_on=d["discussed_on"],
             members=_people(d["members"]), attendees=d["attendees"], conclusion=d["conclusion"],
             late_reason=d["late_reason"]),
         "已批准延长办案期限",
         intro="仅法律、法规、规章另有规定的可以延长，须在期限届满前批准（ENF-08）；再次延长须经负责人集体讨论。"),
    Step("request_extension", "申请延长办案期限", f.ExtensionRequestForm,
         lambda u, c, d, t: services.request_extension(c, by=u, today=t, days=d["days"], reason=d["reason"]),
         "已申请延长办案期限，待负责人审批",
         intro="办案期限届满前提出；由本机关负责人审批（ENF-08）。"),
    Step("stop_start", "登记不计入办案期限的期间", f.StopStartForm,
         lambda u, c, d, t: services.start_clock_stop(c, by=u, today=t, kind=d["kind"], starts_on=d["starts_on"],
                                                      reason=d["reason"], basis=d["basis"],
                                                      late_reason=d["late_reason"]),
         "已登记，办案期限暂停计算", intro="检测、检验、检疫、鉴定和公告期间不计入办案期限（ENF-08）；听证期间自动登记。"),
    Step("stop_end", "登记期间结束", f.StopEndForm,
         lambda u, c, d, t: services.end_clock_stop(_open_stop(c, d["stop"]), by=u, today=t, ends_on=d["ends_on"],
                                                    late_reason=d["late_reason"]),
         "已登记期间结束，办案期限恢复计算"),
    Step("serve", "送达决定书", f.ServeForm,
         lambda u, c, d, t: services.serve(c, by=u, today=t, served_on=d["served_on"], method=d["method"],
                                           late_reason=d["late_reason"]),
         "已送达决定书，缴款期限开始计算",
         intro="当事人不在场的，7个工作日内送达（ENF-09）；电子送达须经当事人书面同意。送达日期以送达回证为准。"),
    Step("record_payment", "登记缴款", f.PaymentForm,
         lambda u, c, d, t: services.record_payment(
             c, by=u, today=t, paid_on=d["paid_on"], amount=d["amount"], bank_receipt_no=d["bank_receipt_no"],
             surcharge=d["surcharge"], method=d["method"], handed_over_on=d["handed_over_on"],
             late_reason=d["late_reason"]),
         "已登记缴款",
         intro="罚缴分离：凭银行缴款凭证登记；逾期每日按未缴部分加处3%，以罚款数额为限（ENF-14）。"),
    Step("complete_execution", "确认执行完毕", f.NoFieldsForm,
         lambda u, c, d, t: services.complete_execution(c, by=u, today=t), "已确认执行完毕"),
    Step("close", "结案", f.CloseForm,
         lambda u, c, d, t: services.close_case(c, by=u, today=t, summary=d["summary"]), "已结案",
         intro="各环节的全过程记录齐全方可结案（ENF-03）。"),
    Step("archive", "归档", f.ArchiveForm,
         lambda u, c, d, t: services.archive_case(c, by=u, today=t, archive_no=d["archive_no"]), "已归档"),
    Step("transfer", "移送公安机关", f.TransferForm,
         lambda u, c, d, t: services.transfer_to_police(
             c, by=u, today=t, transferred_on=d["transferred_on"], receiving_organ=d["receiving_organ"],
             suspected_crime=d["suspected_crime"], reason=d["reason"], materials=d["materials"],
             late_reason=d["late_reason"]),
         "已移送公安机关，案件中止办理", danger=True,
         intro="涉嫌犯罪的，及时移送司法机关（两法衔接，行政处罚法第二十七条）。"),
    Step("transfer_reply", "登记公安机关回复", f.TransferReplyForm,
         lambda u, c, d, t: services.record_transfer_reply(
             _pending_transfer(c), by=u, today=t, reply_on=d["reply_on"], accepted=d["accepted"], reply=d["reply"],
             outcome=d["outcome"], late_reason=d["late_reason"]),
         "已登记公安机关回复"),
    Step("terminate", "撤销立案/终止调查", f.ReasonForm,
         lambda u, c, d, t: services.terminate_case(c, by=u, today=t, reason=d["reason"]), "案件已终止",
         danger=True),
    Step("publish", "公示处罚决定", f.PublishForm,
         lambda u, c, d, t: services.publish(_live_publication(c, PublicationStatus.PENDING), by=u, today=t,
                                             content=d["content"], title=d["title"]),
         "已在门户网站公示", intro="处罚决定作出之日起7个工作日内公示；自然人信息须隐去（ENF-19、ENF-20）。"),
    Step("decision_change", "登记决定变更/撤销", f.DecisionChangeForm,
         lambda u, c, d, t: services.record_decision_change(c, by=u, today=t, changed_on=d["changed_on"],
                                                            reason=d["reason"], late_reason=d["late_reason"]),
         "已登记决定变更/撤销", danger=True),
    Step("withdraw", "撤回公示", f.ReasonForm,
         lambda u, c, d, t: services.withdraw_publication(_live_publication(c, PublicationStatus.PUBLISHED), by=u,
                                                          today=t, reason=d["reason"]),
         "已撤回公示", danger=True, intro="决定变更、撤销或被确认违法、无效的，3个工作日内撤回并说明理由（ENF-11）。"),
]}

# workflow action -> step key on the page
ACTION_STEP = {
    "file_case": "file_case", "reject_filing": "reject_filing", "notify": "notify",
    "record_statement": "record_statement", "waive_rights": "waive_rights", "request_hearing": "request_hearing",
    "schedule_hearing": "schedule_hearing", "hold_hearing": "hold_hearing",
    "submit_legal_review": "submit_legal_review", "legal_review_pass": "legal_review",
    "legal_review_fail": "legal_review", "submit_discussion": "submit_discussion",
    "record_discussion": "record_discussion", "decide": "decide", "serve": "serve",
    "record_payment": "record_payment", "complete_execution": "complete_execution", "close": "close",
    "archive": "archive", "transfer": "transfer", "resume": "transfer_reply", "end_by_transfer": "transfer_reply",
    "terminate": "terminate",
    # steps outside the table (services.available_actions names them as the API does)
    "request_extension": "request_extension", "extend_deadline": "extend", "start_clock_stop": "stop_start",
    "end_clock_stop": "stop_end", "publish": "publish", "record_decision_change": "decision_change",
    "withdraw_publication": "withdraw",
}


def _extra_steps(user, case: PenaltyCase) -> list[str]:
    """Page steps with no API action (editing the case information)."""
    return ["case_info"] if case.status in OFFICER_STATES and access.allowed(user, HANDLE, case.unit) else []


def _available(user, case: PenaltyCase, today: date) -> tuple[list[str], list[dict]]:
    """(step keys offered now, steps waiting for a condition with the rule)."""
    keys: list[str] = []
    for t in services.available_actions(case, user, today):
        key = ACTION_STEP.get(t.action)
        if key and key not in keys:
            keys.append(key)
    for key in _extra_steps(user, case):
        if key not in keys:
            keys.append(key)
    keys.sort(key=lambda k: STEPS[k].danger)  # ending steps (终止, 移送, 撤回) last
    waiting = []
    ctx = services.case_context(case, today)
    for t in CASE_WORKFLOW.transitions:
        if case.status not in t.sources or ACTION_STEP.get(t.action) in keys or t.action == "summary_decide":
            continue
        if not services.may(user, services.ACTION_PERMISSIONS[t.action], case.unit):
            continue
        refused = CASE_WORKFLOW.refusal(case, t.action, ctx)
        if refused is not None:
            waiting.append({"label": t.label, "reason": str(refused), "unlock": refused.unlock})
    return keys, waiting


def _open_stops(case: PenaltyCase) -> list[ClockStop]:
    return [st for st in case.clock_stops.all() if st.ends_on is None and st.kind != ClockStop.Kind.HEARING]


def _initial(key: str, case: PenaltyCase, today: date, user) -> dict:
    base = {
        "case_info": {k: getattr(case, k) for k in ("cause", "facts", "severity", "is_complex", "major_public_interest",
                                                    "revoke_licence", "order_stop_business")}
                     | {"violation_type": case.violation_type_id},
        "notify": {"intended_fine": case.intended_fine,
                   "intended_penalty": case.intended_penalty, "notice_reasons": case.notice_reasons or case.facts},
        "record_statement": {"received_on": today},
        "waive_rights": {"on": today},
        "request_hearing": {"requested_on": today},
        # the earliest day the law allows (ENF-07: notified at least 7 working days before)
        "schedule_hearing": {"notified_on": today, "hearing_date": rules.earliest_hearing_date(today)},
        "hold_hearing": {"held_on": case.hearing_date or today},
        "record_discussion": {"discussed_on": today},
        "stop_start": {"starts_on": today},
        "stop_end": {"ends_on": today},
        "decide": {"fine_amount": case.intended_fine, "penalty_kinds": "罚款"},
        "extend": {"days": case.extension_request_days, "reason": case.extension_request_reason},
        "serve": {"served_on": today, "method": "direct"},
        "record_payment": {"paid_on": today, "amount": case.fine_amount},
        "transfer": {"transferred_on": today, "receiving_organ": "公安局"},
        "transfer_reply": {"reply_on": today},
        "decision_change": {"changed_on": today},
    }
    if key == "publish":
        pub = next((p for p in case.publications.all() if p.status == PublicationStatus.PENDING), None)
        return {"title": pub.title, "content": pub.content} if pub else {}
    return base.get(key, {})


def _form_for(key: str, case: PenaltyCase, data=None, files=None, initial=None):
    cls = STEPS[key].form
    kw = {}
    if cls is f.DecideForm:
        kw["benchmark_choices"] = _benchmark_choices(case)
    elif cls in (f.DiscussionForm, f.ExtensionForm):
        kw["member_choices"] = _leader_choices(case, _today())
    elif cls is f.StopEndForm:
        kw["stop_choices"] = [(st.pk, str(st)) for st in _open_stops(case)]
    elif cls is f.CaseInfoForm:
        kw["type_choices"] = _type_choices_of(case)
    return cls(data, files, prefix=key, initial=initial or {}, **kw)


def _leader_choices(case: PenaltyCase, today: date) -> list[tuple[int, str]]:
    """The organ's heads today (SYS-02); the service checks each on the meeting's date."""
    people = capacity.holders_on(Role.HEAD, organs.display_organ(case.unit), today)
    return [(p.pk, f"{p.name}（{p.post or p.unit.name}）") for p in people]


def _type_choices_of(case: PenaltyCase) -> list[tuple[int, str]]:
    qs = ViolationType.objects.filter(unit=case.unit).filter(Q(is_active=True) | Q(pk=case.violation_type_id))
    return [(v.pk, f"{v.code} {v.name}") for v in qs.order_by("code")]


def _benchmark_choices(case: PenaltyCase) -> list[tuple[int, str]]:
    qs = Benchmark.objects.filter(violation_type__unit=case.unit).select_related("violation_type")
    if case.violation_type_id:
        qs = qs.filter(violation_type_id=case.violation_type_id)
    return [(b.pk, f"{b.violation_type.name} · {b.get_severity_display()} {_num(b.fine_min)}–{_num(b.fine_max)}元")
            for b in qs.order_by("violation_type__code", "fine_min")]


# The statutory steps for the progress strip.
def progress(case: PenaltyCase, today: date) -> list[dict]:
    """Each statutory step as done / current / pending, with its rule and deadline."""
    S = CaseStatus
    if case.procedure == Procedure.SUMMARY:
        steps = [
            {"label": "当场处罚", "rule": "ENF-12", "done": bool(case.decided_on)},
            {"label": "执行", "rule": "ENF-14", "done": bool(case.executed_on),
             "due": case.payment_due, "due_rule": case.payment_rule},
            {"label": "结案", "rule": "ENF-03", "done": bool(case.closed_on)},
            {"label": "归档", "rule": "ENF-03", "done": bool(case.archived_on)},
        ]
    else:
        major = case.legal_review_required or rules.is_major(case)
        deadline = services.case_deadline(case, today)  # moves while an excluded period runs (ENF-08)
        steps = [
            {"label": "立案", "rule": "ENF-01", "done": bool(case.filed_on),
             "due": None if case.filed_on else case.filing_due, "provisional": case.filing_provisional,
             "due_rule": case.filing_rule},
            {"label": "调查取证", "rule": "ENF-03", "done": bool(case.notice_served_on)},
            {"label": "告知", "rule": "ENF-06", "done": bool(case.notice_served_on)},
            {"label": "陈述申辩/听证", "rule": "ENF-07",
             "done": bool(case.notice_served_on) and (bool(case.decided_on) or case.status in (
                 S.LEGAL_REVIEW, S.REVIEWED, S.DISCUSSION)),
             "due": case.statement_due, "provisional": case.statement_provisional, "due_rule": case.statement_rule},
        ]
        if major:
            steps.append({"label": "法制审核", "rule": "ENF-04",
                          "done": any(r.result == "passed" for r in case.legal_reviews.all())})
            steps.append({"label": "集体讨论", "rule": "ENF-05", "done": bool(case.discussed_on)})
        steps += [
            {"label": "决定", "rule": "ENF-08", "done": bool(case.decided_on),
             "due": None if case.decided_on or not deadline else deadline.due,
             "due_rule": deadline.rule_text if deadline else case.decision_rule},
            {"label": "送达", "rule": "ENF-09", "done": bool(case.served_on),
             "due": None if case.served_on else case.service_due, "provisional": case.service_provisional,
             "due_rule": case.service_rule},
            {"label": "执行", "rule": "ENF-14", "done": bool(case.executed_on),
             "due": None if case.executed_on else case.payment_due, "due_rule": case.payment_rule},
            {"label": "结案", "rule": "ENF-03", "done": bool(case.closed_on)},
            {"label": "归档", "rule": "ENF-03", "done": bool(case.archived_on)},
        ]
    ended = case.status in (S.TERMINATED, S.TRANSFERRED)
    current_set = False
    for s in steps:
        if s["done"]:
            s["state"] = "done"
        elif not current_set and not ended:
            s["state"], current_set = "current", True
        else:
            s["state"] = "pending"
        due = s.get("due")
        s["overdue"] = bool(due and due < today and s["state"] != "done")
    return steps


def _benchmark_check(case: PenaltyCase) -> dict | None:
    """The applicable benchmark and whether the proposed (or decided) fine is inside it (ENF-24)."""
    bm = services.benchmark_for(case)
    if bm is None:
        return None
    fine = case.fine_amount if case.decided_on else case.intended_fine
    inside = None if fine is None else bm.contains(fine)
    return {"bm": bm, "fine": fine, "inside": inside}


def _evidence_rows(case: PenaltyCase) -> list:
    rows = list(case.evidence.select_related("uploaded_by__person").order_by("uploaded_at", "pk"))
    for e in rows:
        p = access.person_of(e.uploaded_by) if e.uploaded_by_id else None
        e.uploader = p.name if p else (e.uploaded_by.get_username() if e.uploaded_by_id else "系统")
    return rows


def _records(case: PenaltyCase) -> list[dict]:
    present = {e.record_type for e in case.evidence.all()}
    return [{"r": r, "present": r.record_type in present} for r in rules.required_records(case)]


# 两法衔接 in the case's own trail (services.transfer_to_police / record_transfer_reply).
TRANSFER_TRAIL = ("enforcement.case.transferred", "enforcement.case.transfer_declined",
                  "enforcement.case.terminated_by_transfer", "enforcement.case.transfer_outcome")


def _render_case(request, case: PenaltyCase, *, bound: dict | None = None, error: str = "", status: int = 200):
    user = request.user
    today = _today()
    bound = bound or {}
    keys, waiting = _available(user, case, today)
    steps = []
    for key in keys:
        form = bound.get(key) or _form_for(key, case, initial=_initial(key, case, today, user))
        steps.append({"step": STEPS[key], "form": form, "open": key in bound,
                      "url": reverse("enforcement:case_action", args=[case.pk, key])})
    can_handle = access.allowed(user, HANDLE, case.unit)
    me = access.person_of(user)
    evidence_form = bound.get("evidence") or f.EvidenceForm(prefix="ev", initial={
        "captured_by_name": me.name if me else "",
        "captured_at": timezone.localtime(_now()).replace(second=0, microsecond=0)})
    paid, surcharge = services.amount_paid(case) if case.fine_amount else (0, 0)
    deadline = services.case_deadline(case, today)
    ctx = {
        "case": case, "today": today, "steps": steps, "waiting": waiting, "error": error,
        "progress": progress(case, today),
        "officers": list(case.case_officers.all()),
        "evidence": _evidence_rows(case),
        "records": _records(case),
        "benchmark": _benchmark_check(case),
        "major_reasons": rules.major_reasons(case),
        "legal_reviews": list(case.legal_reviews.all()),
        "extensions": list(case.extensions.all()),
        "payments": list(case.payments.all()),
        "paid": paid, "paid_surcharge": surcharge,
        "surcharge_now": services.surcharge_owed(case, today) if case.payment_due else 0,
        "publications": list(case.publications.all()),
        "transfers": list(case.transfers.all()),
        "transfer_trail": list(audit_selectors.trail_visible_to(user, "enforcement.penaltycase", case.pk)
                               .filter(action__in=TRANSFER_TRAIL)) if case.transfers.all() else [],
        "can_upload": can_handle and case.status != CaseStatus.ARCHIVED,
        "evidence_form": evidence_form,
        "documents": _documents_for(case),
        "deadline": deadline,
        "penalty_words": _penalty_words(case) if case.decided_on else "",  # as the 决定书 words it
        "organ": organs.display_organ(case.unit),
        "clock_stops": list(case.clock_stops.all()),
        "decision_overdue": bool(case.status in UNDECIDED_STATES and deadline and deadline.due < today),
        "upload_max_mb": _upload_max(),
    }
    return render(request, "enforcement/case_detail.html", ctx, status=status)


def _documents_for(case: PenaltyCase) -> list[tuple[str, str]]:
    """The documents the case has reached: 立案审批表 always, the notice from
    立案, the decision from 告知 (as a draft) and the service receipt once
    decided; a summary case has only its 当场处罚决定书."""
    if case.procedure == Procedure.SUMMARY:
        return [("decision", "当场行政处罚决定书")]
    reached = {"filing": True, "notice": bool(case.filed_on), "service": bool(case.decided_on),
               "decision": bool(case.notice_served_on or case.decided_on)}
    return [(k, label) for k, label in documents.DOCUMENTS.items() if reached[k]]


def _upload_max() -> int:
    from django.conf import settings

    return settings.UPLOAD_MAX_MB


@require_http_methods(["GET"])
@domain_errors
def case_detail(request, pk):
    return _render_case(request, _get_case(request.user, pk))


@require_POST
@domain_errors
def case_action(request, pk, step):
    user = request.user
    case = _get_case(user, pk)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404()
    form = _form_for(step, case, request.POST)
    if not form.is_valid():
        return _render_case(request, case, bound={step: form}, error=f"“{spec.label}”未完成：请检查填写的内容",
                            status=400)
    try:
        spec.run(user, case, form.cleaned_data, _today())
    except PermissionDenied:
        raise
    except DomainError as exc:
        _place_error(form, exc)
        case = _get_case(user, pk)  # re-read: nothing was changed
        return _render_case(request, case, bound={step: form}, error=format_html("“{}”未办理：{}", spec.label, exc), status=400)
    messages.success(request, spec.done)
    return redirect("enforcement:case_detail", pk=case.pk)


# ---------------------------------------------------------------- evidence

@require_POST
@domain_errors
def evidence_upload(request, pk):
    """A file of the full-process record (ENF-03); type and size checked by the service."""
    user = request.user
    case = _get_case(user, pk)
    form = f.EvidenceForm(request.POST, request.FILES, prefix="ev")
    if form.is_valid():
        c = form.cleaned_data
        try:
            ev = services.attach_evidence(case, by=user, upload=c["file"], record_type=c["record_type"],
                                          kind=c["kind"], captured_at=c["captured_at"],
                                          captured_by_name=c["captured_by_name"], title=c["title"], note=c["note"],
                                          late_reason=c["late_reason"], now=_now())
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, f"已上传“{ev.get_record_type_display()}”（SHA-256 {ev.sha256[:16]}…）")
            return redirect(reverse("enforcement:case_detail", args=[case.pk]) + "#evidence")
    _require(user, HANDLE, case.unit)
    return _render_case(request, _get_case(user, pk), bound={"evidence": form}, error="文件未上传：" + "；".join(
        str(e) for e in form.non_field_errors()) if form.non_field_errors() else "文件未上传：请检查填写的内容",
        status=400)


@require_http_methods(["GET"])
@domain_errors
def evidence_download(request, pk, file_pk):
    case = _get_case(request.user, pk)
    ev = next((e for e in case.evidence.all() if e.pk == file_pk), None)
    if ev is None:
        raise Http404()
    try:
        fh = ev.file.open("rb")
    except FileNotFoundError:
        raise Http404()
    response = FileResponse(fh, content_type=ev.content_type, as_attachment=True, filename=ev.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------- documents

def _penalty_words(case: PenaltyCase) -> str:
    """"罚款人民币2000元；责令限期拆除" from the kinds, the fine and the other penalties, each once."""
    kinds = [k.strip() for k in re.split(r"[、，,；;]", case.penalty_kinds or "") if k.strip()]
    parts = []
    for k in kinds:
        if k == "罚款":
            if case.fine_amount:
                parts.append(f"罚款人民币{documents.money(case.fine_amount)}")
        elif k not in (case.other_penalties or ""):
            parts.append(k)
    if case.other_penalties:
        parts.append(case.other_penalties)
    return "；".join(parts)


def data_from_case(case: PenaltyCase) -> documents.CaseDocData:
    """The plain data the document layouts need, taken from the case: issued
    by the organ (organs.py), with the 复议机关 and the court competent for it
    and the basis the decision rests on (services.decision_basis)."""
    organ = organs.display_organ(case.unit)
    remedies = organs.remedies(organ)
    violated, basis = services.decision_basis(case)
    party = documents.PartyData(kind=case.party_kind, name=case.party_name, id_number=case.party_id_no,
                                address=case.party_address, legal_rep=case.party_legal_rep, phone=case.party_phone)
    evidence, notice_evidence = [], []
    noticed = case.notice_served_on
    for e in sorted(case.evidence.all(), key=lambda e: (e.captured_at, e.pk)):
        label = e.title or e.get_record_type_display()
        if e.record_type in rules.EVIDENCE_RECORDS and label not in evidence:
            evidence.append(label)
            if noticed and timezone.localtime(e.captured_at).date() <= noticed:
                notice_evidence.append(label)
    penalty = _penalty_words(case) if case.decided_on else ""
    return documents.CaseDocData(
        unit_name=organ.name, case_no=case.case_no or f"（未立案，登记号{case.pk}）", cause=case.cause,
        parties=[party], source=case.source, filed_on=case.filed_on, discovered_on=case.discovered_on,
        officers=[(co.officer.person.name, co.certificate_no) for co in case.case_officers.all()],
        facts=case.facts, evidence=evidence, notice_evidence=notice_evidence, violated=violated, basis=basis,
        penalty=penalty, intended_penalty=case.intended_penalty,
        fine=case.fine_amount if case.decided_on else case.intended_fine,
        notice_no="", notice_on=case.notice_served_on, hearing_offered=case.hearing_offered,
        hearing_on=case.hearing_held_on, hearing_summary=case.hearing_summary, reasons=case.decision_reasons,
        notice_reasons=case.notice_reasons,
        decision_no=case.decision_no, decision_on=case.decided_on,
        statement_summary=(f"当事人于{documents.cn_date(case.statement_received_on)}提出陈述、申辩意见，"
                           f"本机关进行了复核：{case.statement_answer or '已予采纳或说明理由'}。"
                           if case.statement_received_on else ""),
        waived_on=case.rights_waived_on,
        reviewed_on=next((r.reviewed_on for r in sorted(case.legal_reviews.all(), key=lambda r: (r.reviewed_on, r.pk),
                                                        reverse=True) if r.result == "passed"), None),
        discussed_on=case.discussed_on,
        review_organ=remedies.review_body, court=remedies.court, bank=rules.text("fine_bank"),
        summary=case.procedure == Procedure.SUMMARY, spot_place=case.spot_place,
        filing_approver=case.filing_approved_by,
        service_on=case.served_on, service_method=case.get_service_method_display() if case.service_method else "",
        server_names=[co.officer.person.name for co in case.case_officers.all()][:2],
    )


@require_http_methods(["GET"])
@domain_errors
def case_document(request, pk, kind):
    case = _get_case(request.user, pk)
    if kind not in documents.DOCUMENTS:
        raise Http404()
    data = documents.render(kind, data_from_case(case))
    name = f"{documents.DOCUMENTS[kind]}-{case.display_no}.docx".replace("/", "-")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require_http_methods(["GET"])
@domain_errors
def case_print(request, pk):
    case = _get_case(request.user, pk)
    today = _today()
    return render(request, "enforcement/case_print.html", {
        "case": case, "today": today, "organ": organs.display_organ(case.unit), "progress": progress(case, today), "officers": list(case.case_officers.all()),
        "evidence": list(case.evidence.all()), "benchmark": _benchmark_check(case),
        "payments": list(case.payments.all()), "legal_reviews": list(case.legal_reviews.all()),
    })


# ================================================================ transfers

TRANSFER_TABLE = Table("两法衔接移送", [
    Column("案件", lambda t: t.case.display_no, sort="case__case_no",
           link=lambda t: reverse("enforcement:transfer_detail", args=[t.pk])),
    Column("案由", "case.cause"),
    Column("当事人", "case.party_name"),
    Column("移送单位", "unit.name", sort="unit__path"),
    Column("接收公安机关", "receiving_organ", sort="receiving_organ"),
    Column("涉嫌罪名", "suspected_crime"),
    Column("移送日期", "transferred_on", sort="transferred_on"),
    Column("状态", lambda t: t.get_status_display(), sort="status"),
    Column("回复日期", "reply_on", sort="reply_on"),
], default_sort="-transferred_on")


@require_http_methods(["GET"])
def transfer_list(request):
    user = request.user
    _require(user, VIEW)
    form = f.TransferFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.transfers(user)
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    return TRANSFER_TABLE.respond(request, qs, "enforcement/transfer_list.html", {"filters": form})


def _get_transfer(user, pk) -> PoliceTransfer:
    t = selectors.transfers(user).filter(pk=pk).first()
    if t is None:
        raise Http404()
    return t


@require_http_methods(["GET", "POST"])
@domain_errors
def transfer_detail(request, pk):
    user = request.user
    t = _get_transfer(user, pk)
    can_handle = access.allowed(user, HANDLE, t.unit)
    pending = t.status == TransferStatus.PENDING
    reply_form = f.TransferReplyForm(request.POST if request.POST.get("form") == "reply" else None,
                                     initial={"reply_on": _today()}, prefix="reply")
    outcome_form = f.TransferOutcomeForm(request.POST if request.POST.get("form") == "outcome" else None,
                                         initial={"outcome": t.outcome}, prefix="outcome")
    if request.method == "POST":
        which = request.POST.get("form")
        form = reply_form if which == "reply" else outcome_form if which == "outcome" else None
        if form is None:
            raise Http404()
        if form.is_valid():
            c = form.cleaned_data
            try:
                if which == "reply":
                    services.record_transfer_reply(t, by=user, today=_today(), reply_on=c["reply_on"],
                                                   accepted=c["accepted"], reply=c["reply"], outcome=c["outcome"],
                                                   late_reason=c["late_reason"])
                else:
                    services.record_transfer_outcome(t, by=user, outcome=c["outcome"])
            except PermissionDenied:
                raise
            except DomainError as exc:
                _place_error(form, exc)
            else:
                messages.success(request, "已登记公安机关回复" if which == "reply" else "已登记处理结果")
                return redirect("enforcement:transfer_detail", pk=t.pk)
        if not can_handle:
            raise HttpForbidden("您没有执行此操作的权限")
    return render(request, "enforcement/transfer_detail.html", {
        "t": t, "case": t.case, "can_handle": can_handle, "pending": pending,
        "reply_form": reply_form, "outcome_form": outcome_form,
    }, status=400 if request.method == "POST" else 200)
