"""The two pools (两库): 检查对象名录库 (entities) and 检查人员名录库 (inspectors,
their absences and recusals). The bulk import of entities is ``imports``."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors, refused_onto
from fazhi.core.tables import Column, Table
from fazhi.enforcement import selectors as enforcement_selectors
from fazhi.inspections import forms as f
from fazhi.inspections import selectors, services
from fazhi.inspections.models import (
    Entity,
    InspectorAbsence,
    Recusal,
    RiskLevel,
)
from fazhi.inspections.views import common as vh
from fazhi.inspections.views.common import POOLS, VIEW
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require

ENTITY_TABLE = vh.BoundedTable("检查对象名录库", [
    Column("名称", "name", sort="name", link=lambda e: reverse("inspections:entity_detail", args=[e.pk])),
    Column("统一社会信用代码", "credit_code", sort="credit_code"),
    Column("主体类型", "entity_type"),
    Column("行业", "industry", sort="industry"),
    Column("区域", "region", sort="region"),
    Column("法定代表人", "legal_rep"),
    Column("风险等级", lambda e: e.get_risk_level_display(), sort="risk_level"),
    Column("信用等级", "credit_level", sort="credit_level"),
    Column("最近检查", vh.date_cell("last_inspected_on"), sort="last_inspected_on"),
], default_sort="credit_code", per_page=50)


@require_GET
def entity_list(request):
    user = request.user
    _require(user, VIEW)
    form = f.EntityFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.entities(user, q=(d.get("q") or "").strip(), industry=(d.get("industry") or "").strip(),
                            region=(d.get("region") or "").strip(), risk_level=d.get("risk_level") or "")
    if d.get("credit_level"):
        qs = qs.filter(credit_level=d["credit_level"].strip())
    active = d.get("active") or ""
    if active == "":
        qs = qs.filter(active=True)
    elif active == "0":
        qs = qs.filter(active=False)
    return ENTITY_TABLE.respond(request, qs, "inspections/entity_list.html", {
        "filters": form, "can_manage": access.allowed(user, POOLS),
        "datalists": {k: vh.suggestions(k) for k in ("industry", "region", "credit_level")}})


def _entity(user, pk) -> Entity:
    return vh.one_or_404(selectors.entities(user).select_related("org_unit"), pk)


@require_GET
@domain_errors
def entity_detail(request, pk):
    user = request.user
    entity = _entity(user, pk)
    history = list(selectors.inspections(user).filter(entity=entity)
                   .select_related("unit", "task").order_by("-inspected_on", "-pk")[:100])
    selections = list(entity.selections.select_related("draw__task", "draw__unit")
                      .filter(draw__in=selectors.draws(user)).order_by("-draw__committed_at")[:100])
    recusals = list(entity.recusals.select_related("inspector__officer__person", "inspector__unit"))
    return render(request, "inspections/entity_detail.html", {
        "entity": entity, "history": history, "selections": selections, "recusals": recusals,
        "can_manage": access.allowed(user, POOLS)})


def _entity_form(user, data=None, *, entity=None):
    initial = {}
    if entity is not None:
        initial = {k: getattr(entity, k) for k in f.EntityForm.FIELDS}
        initial["org_unit"] = entity.org_unit_id
    else:
        initial = {"risk_level": RiskLevel.LOW}
    return f.EntityForm(data, unit_choices=org_selectors.unit_choices(user, VIEW), editing=entity is not None,
                        initial=initial)


@require_http_methods(["GET", "POST"])
@domain_errors
def entity_edit(request, pk=None):
    user = request.user
    entity = _entity(user, pk) if pk else None
    _require(user, POOLS)
    form = _entity_form(user, vh.posted(request), entity=entity)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        fields = {k: c[k] for k in f.EntityForm.FIELDS if k in form.fields}
        fields["org_unit"] = vh.unit_or_none(c.get("org_unit"))
        with refused_onto(form) as outcome:
            if entity is None:
                entity = services.create_entity(by=user, **fields)
                messages.success(request, f"已登记检查对象：{entity.name}")
            else:
                entity = services.update_entity(entity, by=user, **fields)
                messages.success(request, "已保存")
        if outcome.ok:
            return redirect("inspections:entity_detail", pk=entity.pk)
    return render(request, "inspections/entity_form.html", {"form": form, "entity": entity},
                  status=vh.form_status(form))


def _cert_of(ins, today):
    c = ins.officer.valid_certificate(today)
    if c is None:
        certs = list(ins.officer.certificates.all())
        c = certs[-1] if certs else None
    return c


INSPECTOR_TABLE = Table("检查人员名录库", [
    Column("姓名", "officer.person.name", sort="officer__person__name",
           link=lambda i: reverse("inspections:inspector_detail", args=[i.pk])),
    Column("所在单位", lambda i: vh.short(i.unit), sort="unit__path"),
    Column("执法证号", lambda i: (c := _cert_of(i, vh.today())) and c.number or "无证件"),
    Column("证件有效期至", lambda i: (c := _cert_of(i, vh.today())) and f"{c.valid_to:%Y-%m-%d}" or ""),
    Column("执法领域", "fields"),
    Column("回避", lambda i: len(i.recusals.all()) or ""),
    Column("今日可抽", lambda i: selectors.availability(i, vh.today())[1]),
], default_sort="unit__path", per_page=50)


@require_GET
def inspector_list(request):
    user = request.user
    _require(user, VIEW)
    today = vh.today()
    form = f.InspectorFilterForm(request.GET or None)
    form.fields["unit"].choices = [("", "全部"), *org_selectors.unit_choices(user, VIEW)]
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.inspectors(user)
    if d.get("q"):
        q = d["q"].strip()
        qs = qs.filter(Q(officer__person__name__icontains=q) | Q(officer__certificates__number__icontains=q))
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("field"):
        qs = qs.filter(fields__icontains=d["field"].strip())
    if d.get("eligible") == "1":
        qs = qs.filter(pk__in=selectors.available_inspector_ids(today))
    elif d.get("eligible") == "0":
        qs = qs.exclude(pk__in=selectors.available_inspector_ids(today))
    qs = qs.distinct().select_related("officer__person", "unit").prefetch_related(
        "officer__certificates", "absences", "recusals")
    return INSPECTOR_TABLE.respond(request, qs, "inspections/inspector_list.html", {
        "filters": form, "can_manage": access.allowed(user, POOLS), "today": today})


def _officer_choices(user) -> list[tuple[int, str]]:
    units = org_selectors.units_for(user, POOLS).filter(is_active=True)
    qs = (enforcement_selectors.officers(user).filter(unit__in=units, is_active=True, inspector__isnull=True)
          .order_by("unit__path", "person__name"))
    today = vh.today()
    out = []
    for o in qs:
        c = o.valid_certificate(today)
        out.append((o.pk, f"{o.person.name}（{vh.short(o.unit)}，{'证号 ' + c.number if c else '无有效证件'}）"))
    return out


@require_http_methods(["GET", "POST"])
@domain_errors
def inspector_add(request):
    user = request.user
    _require(user, POOLS)
    form = f.InspectorAddForm(vh.posted(request), officer_choices=_officer_choices(user))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        officer = enforcement_selectors.officers(user).get(pk=c["officer"])
        with refused_onto(form) as outcome:
            ins = services.add_inspector(officer, by=user, fields=c["areas"], note=c["note"])
        if outcome.ok:
            messages.success(request, f"已将{officer.person.name}纳入检查人员名录库")
            return redirect("inspections:inspector_detail", pk=ins.pk)
    return render(request, "inspections/inspector_form.html", {"form": form}, status=vh.form_status(form))


def _inspector(user, pk):
    return vh.one_or_404(selectors.inspectors(user).select_related("officer__person", "unit"), pk)


def _inspector_forms(user, ins, bound: dict | None = None) -> dict:
    bound = bound or {}
    today = vh.today()
    return {
        "update": bound.get("update") or f.InspectorUpdateForm(prefix="update", initial={
            "areas": ins.fields, "active": ins.active, "note": ins.note}),
        "absence": bound.get("absence") or f.AbsenceForm(prefix="absence", initial={"start": today, "end": today}),
        "recusal": bound.get("recusal") or f.RecusalForm(prefix="recusal", unit_choices=vh.all_units()),
    }


def _render_inspector(request, ins, *, bound=None, status=200):
    user = request.user
    today = vh.today()
    certs = list(ins.officer.certificates.order_by("-valid_to"))
    eligible, why = selectors.availability(ins, today)
    teams = list(ins.team_memberships.select_related("selection__draw__task", "selection__entity")
                 .order_by("-selection__draw__committed_at")[:50])
    return render(request, "inspections/inspector_detail.html", {
        "ins": ins, "certs": [{"c": c, "status": c.display_status(today), "valid": c.is_valid(today)}
                              for c in certs],
        "eligible": eligible, "why": why, "today": today,
        "absences": list(ins.absences.order_by("-start")),
        "recusals": list(ins.recusals.select_related("entity", "org_unit")),
        "teams": teams, "forms": _inspector_forms(user, ins, bound),
        "can_manage": access.allowed(user, POOLS, ins.unit), "open": set((bound or {}).keys()),
    }, status=status)


@require_GET
@domain_errors
def inspector_detail(request, pk):
    ins = vh.one_or_404(selectors.inspectors(request.user).select_related("officer__person", "unit")
               .prefetch_related("officer__certificates", "absences"), pk)
    return _render_inspector(request, ins)


@require_POST
@domain_errors
def inspector_action(request, pk, step):
    user = request.user
    ins = _inspector(user, pk)
    if step not in ("update", "absence", "recusal"):
        raise Http404()
    _require(user, POOLS, ins.unit)
    if step == "update":
        form = f.InspectorUpdateForm(request.POST, prefix="update")
    elif step == "absence":
        form = f.AbsenceForm(request.POST, prefix="absence")
    else:
        form = f.RecusalForm(request.POST, prefix="recusal", unit_choices=vh.all_units())
    if form.is_valid():
        c = form.cleaned_data
        try:
            if step == "update":
                services.update_inspector(ins, by=user, fields=c["areas"], active=c["active"], note=c["note"])
                done = "已保存"
            elif step == "absence":
                services.add_absence(ins, by=user, start=c["start"], end=c["end"], reason=c["reason"])
                done = f"已登记不可用时段 {c['start']:%Y-%m-%d} 至 {c['end']:%Y-%m-%d}"
            else:
                if c["target"] == "entity":
                    code = c["credit_code"].strip().upper()
                    entity = selectors.entities(user).filter(credit_code=code).first()
                    if entity is None:
                        form.add_error("credit_code", f"名录库中没有统一社会信用代码为 {code} 的检查对象")
                        raise _FormInvalid()
                    services.add_recusal(ins, by=user, reason=c["reason"], entity=entity)
                    done = f"已登记回避：{entity.name}"
                else:
                    org_unit = vh.unit_or_none(c["org_unit"])
                    services.add_recusal(ins, by=user, reason=c["reason"], org_unit=org_unit)
                    done = f"已登记回避单位：{org_unit.name}"
        except PermissionDenied:
            raise
        except _FormInvalid:
            pass
        except DomainError as exc:
            vh.place_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("inspections:inspector_detail", pk=ins.pk)
    return _render_inspector(request, ins, bound={step: form}, status=400)


class _FormInvalid(Exception):
    pass


@require_POST
@domain_errors
def absence_remove(request, pk, absence_pk):
    user = request.user
    ins = _inspector(user, pk)
    absence = vh.one_or_404(InspectorAbsence.objects.filter(inspector=ins), absence_pk)
    try:
        services.remove_absence(absence, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        vh.refused(request, exc)
    else:
        messages.success(request, "已删除不可用时段")
    return redirect("inspections:inspector_detail", pk=ins.pk)


@require_POST
@domain_errors
def recusal_remove(request, pk, recusal_pk):
    user = request.user
    ins = _inspector(user, pk)
    recusal = vh.one_or_404(Recusal.objects.filter(inspector=ins), recusal_pk)
    try:
        services.remove_recusal(recusal, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        vh.refused(request, exc)
    else:
        messages.success(request, "已解除回避关系")
    return redirect("inspections:inspector_detail", pk=ins.pk)


# ============================================================ plans and tasks
