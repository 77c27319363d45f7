"""Officers and their certificates (ENF-01) and the organs' document codes (ENF-10).
"""

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.core.tables import Column, Table
from fazhi.enforcement import forms as f
from fazhi.enforcement import rules, selectors, services
from fazhi.enforcement.models import CaseOfficer, Certificate, CertificateStatus, Officer
from fazhi.enforcement.views import common
from fazhi.enforcement.views.common import MANAGE_OFFICERS, VIEW, _place_error
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require
from fazhi.org.models import Person, Unit

# ================================================================= officers

def _current_cert(o: Officer, today: date) -> Certificate | None:
    """The certificate shown in lists: the valid one, else the latest."""
    certs = list(o.certificates.all())
    return next((c for c in certs if c.is_valid(today)), certs[0] if certs else None)


def _cert_cell(attr: str):
    def get(o):
        c = _current_cert(o, common.today())
        if c is None:
            return "无证件" if attr == "status" else ""
        if attr != "status":
            return getattr(c, attr)
        status, today = c.display_status(common.today()), common.today()
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


def certified_choices(units, today: date) -> list[tuple[int, str]]:
    """Officers of ``units`` in post with a certificate valid today: who may handle a case (ENF-01)."""
    qs = (Officer.objects.filter(unit__in=units, is_active=True)
          .filter(Exists(Certificate.objects.filter(_valid_cert_q(today), officer=OuterRef("pk"))))
          .select_related("person", "unit").prefetch_related("certificates").order_by("unit__path", "person__name"))
    out = []
    for o in qs:
        cert = o.valid_certificate(today)
        out.append((o.pk, f"{o.person.name}（{o.unit.short_name or o.unit.name}，证号 {cert.number if cert else ''}）"))
    return out


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
    today = common.today()
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
    today = common.today()
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
    today = common.today()
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
                                                today=common.today(), late_reason=c["late_reason"])
            elif step == "check":
                cert = next(x for x in certs if x.pk == c["certificate"])
                services.record_annual_check(cert, by=user, year=c["year"], result=c["result"],
                                             checked_on=c["checked_on"], note=c["note"], today=common.today(),
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
