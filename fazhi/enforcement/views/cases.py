"""The case list and registration (立案登记 or 当场处罚).
"""

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.enforcement import forms as f
from fazhi.enforcement import rules, selectors, services
from fazhi.enforcement.models import (
    UNDECIDED_STATES,
    CaseStatus,
    Officer,
    PenaltyCase,
    Procedure,
    ViolationType,
)
from fazhi.enforcement.views import common
from fazhi.enforcement.views.common import HANDLE, MANAGE_OFFICERS, VIEW, _place_error, _unit
from fazhi.enforcement.views.officers import certified_choices
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require

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
    today = common.today()
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
    today = common.today()
    unit_choices = org_selectors.unit_choices(user, HANDLE)
    form = f.CaseCreateForm(request.POST or None, unit_choices=unit_choices,
                            officer_choices=certified_choices(org_selectors.units_for(user, HANDLE).filter(is_active=True), today), type_choices=_type_choices(user),
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
    lead = next((o for o in officers if o.pk == c.get("lead")), None)
    return services.register_case(
        unit=unit, by=user, officers=officers, lead=lead, today=today, cause=c["cause"], source=c["source"],
        discovered_on=c["discovered_on"], late_reason=c["late_reason"],
        violation_ended_on=c["violation_ended_on"], violation_type=vt, severity=c["severity"],
        facts=c["facts"], party_legal_rep=c["party_legal_rep"],
        harm_to_life_or_finance=c["harm_to_life_or_finance"], **party)
