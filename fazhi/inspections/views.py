"""Staff screens of 双随机、一公开: the item list (一单), the object and
inspector pools (两库) with the import, plans and tasks, the draw ceremony,
results and their publication (一公开), statistics.

Every change goes through ``services``; lists and records are read through
``selectors`` (scoped with ``org.access``). A record outside what the user
may *see* is a 404; a visible record the user may not *change* is a 403 (the
service refuses with ``PermissionDenied``). Any other refusal (legal order of
the draw, too few inspectors after recusal, sample larger than the pool, an
unpublished item, a bad credit code) is shown on the page with its rule ID,
and nothing is changed.
"""

import json
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.duties import SOD_RULE
from fazhi.core.errors import Conflict, DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.enforcement import selectors as enforcement_selectors
from fazhi.inspections import forms as f
from fazhi.inspections import rules, selectors, services
from fazhi.inspections import view_helpers as vh
from fazhi.inspections.models import (
    DrawStatus,
    Entity,
    ImportStatus,
    InspectionKind,
    InspectionStatus,
    InspectorAbsence,
    ItemStatus,
    PlanKind,
    PlanStatus,
    Recusal,
    Result,
    RiskLevel,
    TaskStatus,
    WitnessKind,
)
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require
from fazhi.org.models import Unit, UnitKind

VIEW = "inspections.view"
ITEMS = "inspections.manage_items"
POOLS = "inspections.manage_pools"
PLAN = "inspections.plan"
APPROVE = "inspections.approve"
DRAW = "inspections.draw"
RECORD = "inspections.record_result"
PUBLISH = "inspections.publish"


def _today() -> date:
    return timezone.localdate()


def _place_error(form, exc: DomainError) -> None:
    """A service's refusal onto the form: field errors where they belong, the
    message with its rule on top."""
    for name, msg in (exc.fields or {}).items():
        if name in form.fields:
            form.add_error(name, msg)
    form.add_error(None, str(exc))


def _refused(request, exc: DomainError) -> None:
    messages.error(request, format_html("未办理：{}", exc))


def _unit(pk) -> Unit | None:
    return Unit.objects.filter(pk=pk).first() if pk else None


def _one(qs, pk):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404()
    return obj


def _data(request):
    """Bind a form on POST even when it is empty (an empty POST is a bad request, not a blank page)."""
    return request.POST if request.method == "POST" else None


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _short(unit) -> str:
    return (unit.short_name or unit.name) if unit else ""


def _fmt(attr: str, fmt: str = "%Y-%m-%d"):
    """A compact date (or local date-time) cell; the export gets the same text."""
    def get(obj):
        v = obj
        for part in attr.split("."):
            v = getattr(v, part, None)
            if v is None:
                return ""
        if hasattr(v, "tzinfo") and getattr(v, "tzinfo", None) is not None:
            v = timezone.localtime(v)
        return v.strftime(fmt)
    return get


def _portal_url(name: str, *args) -> str:
    try:
        return reverse(f"inspections_portal:{name}", args=args)
    except NoReverseMatch:
        return ""


# =========================================================== item list (一单)

def _item_status(i) -> str:
    return i.get_status_display()


ITEM_TABLE = Table("抽查事项清单", [
    Column("事项编号", "number", sort="number", link=lambda i: reverse("inspections:item_detail", args=[i.pk])),
    Column("抽查事项", "name", sort="name"),
    Column("抽查子项", "sub_item"),
    Column("检查部门", lambda i: _short(i.unit), sort="unit__path"),
    Column("检查主体", "inspecting_body"),
    Column("检查依据", "basis"),
    Column("检查方式", "method"),
    Column("检查对象范围", "object_scope"),
    Column("比例和频次", "frequency"),
    Column("类别", lambda i: i.get_kind_display(), sort="kind"),
    Column("版本", "version", sort="version"),
    Column("状态", _item_status, sort="status"),
    Column("公布时间", _fmt("published_at"), sort="published_at"),
], default_sort="unit__path", per_page=50)


@require_GET
def item_list(request):
    user = request.user
    _require(user, VIEW)
    form = f.ItemFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW))
    d = form.cleaned_data if form.is_valid() else {}
    status = d.get("status") or ""
    qs = selectors.items(user) if status == "all" else selectors.current_items(user)
    if status and status != "all":
        qs = qs.filter(status=status)
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("kind"):
        qs = qs.filter(kind=d["kind"])
    if d.get("q"):
        q = d["q"].strip()
        qs = qs.filter(Q(number__icontains=q) | Q(name__icontains=q) | Q(sub_item__icontains=q)
                       | Q(basis__icontains=q))
    qs = qs.select_related("unit")
    return ITEM_TABLE.respond(request, qs, "inspections/item_list.html", {
        "filters": form, "can_manage": access.allowed(user, ITEMS)})


def _item_form(user, data=None, *, item=None):
    unit_choices = org_selectors.unit_choices(user, ITEMS)
    initial = {k: getattr(item, k) for k in f.ItemForm.FIELDS} if item else {}
    return f.ItemForm(data, unit_choices=unit_choices, fixed_unit=item is not None, initial=initial)


@require_http_methods(["GET", "POST"])
@domain_errors
def item_create(request):
    user = request.user
    _require(user, ITEMS)
    form = _item_form(user, _data(request))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            item = services.create_item(unit=_unit(c["unit"]), by=user,
                                        **{k: c[k] for k in f.ItemForm.FIELDS})
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, f"已登记抽查事项 {item.number}（草稿），公布后方可用于抽查（ENF-28）")
            return redirect("inspections:item_detail", pk=item.pk)
    return render(request, "inspections/item_form.html", {"form": form}, status=_status(form))


@require_GET
@domain_errors
def item_detail(request, pk):
    user = request.user
    item = _one(selectors.items(user).select_related("unit", "supersedes"), pk)
    can_manage = access.allowed(user, ITEMS, item.unit)
    # Every version of this item number, newest first (RAND-04: versioned).
    versions = list(selectors.items(user).filter(unit_id=item.unit_id, number=item.number)
                    .select_related("created_by__person").order_by("-version"))
    pending = next((v for v in versions if v.version > item.version and v.status == ItemStatus.DRAFT), None)
    return render(request, "inspections/item_detail.html", {
        "item": item, "versions": versions, "can_manage": can_manage, "pending": pending,
        "retire_form": f.ReasonForm(prefix="retire"),
        "portal_url": _portal_url("items"),
    })


@require_http_methods(["GET", "POST"])
@domain_errors
def item_edit(request, pk):
    """A draft is edited in place; a published item gets a new draft version
    (``revise_item``) and the old one stays published until that is published."""
    user = request.user
    item = _one(selectors.items(user).select_related("unit"), pk)
    _require(user, ITEMS, item.unit)
    if item.status == ItemStatus.RETIRED:
        messages.error(request, "已停用的事项不能修改（RAND-04）")
        return redirect("inspections:item_detail", pk=item.pk)
    form = _item_form(user, _data(request), item=item)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        fields = {k: c[k] for k in f.ItemForm.FIELDS if k != "number"}
        try:
            if item.status == ItemStatus.PUBLISHED:
                new = services.revise_item(item, by=user, **fields)
                messages.success(request, f"已生成第{new.version}版（草稿），公布后替代第{item.version}版")
            else:
                new = services.update_item(item, by=user, **fields)
                messages.success(request, "已保存")
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            return redirect("inspections:item_detail", pk=new.pk)
    return render(request, "inspections/item_form.html", {"form": form, "item": item}, status=_status(form))


@require_POST
@domain_errors
def item_action(request, pk, step):
    user = request.user
    item = _one(selectors.items(user).select_related("unit"), pk)
    if step not in ("publish", "retire"):
        raise Http404()
    try:
        if step == "publish":
            services.publish_item(item, by=user)
            messages.success(request, f"已公布抽查事项 {item.number} 第{item.version}版，已在门户网站公开")
        else:
            form = f.ReasonForm(request.POST, prefix="retire")
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.retire_item(item, by=user, reason=reason)
            messages.success(request, f"已停用抽查事项 {item.number}")
    except PermissionDenied:
        raise
    except DomainError as exc:
        _refused(request, exc)
    return redirect("inspections:item_detail", pk=item.pk)


# ========================================================= object pool (一库)

ENTITY_TABLE = vh.BoundedTable("检查对象名录库", [
    Column("名称", "name", sort="name", link=lambda e: reverse("inspections:entity_detail", args=[e.pk])),
    Column("统一社会信用代码", "credit_code", sort="credit_code"),
    Column("主体类型", "entity_type"),
    Column("行业", "industry", sort="industry"),
    Column("区域", "region", sort="region"),
    Column("法定代表人", "legal_rep"),
    Column("风险等级", lambda e: e.get_risk_level_display(), sort="risk_level"),
    Column("信用等级", "credit_level", sort="credit_level"),
    Column("最近检查", _fmt("last_inspected_on"), sort="last_inspected_on"),
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
    return _one(selectors.entities(user).select_related("org_unit"), pk)


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
    form = _entity_form(user, _data(request), entity=entity)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        fields = {k: c[k] for k in f.EntityForm.FIELDS if k in form.fields}
        fields["org_unit"] = _unit(c.get("org_unit"))
        try:
            if entity is None:
                entity = services.create_entity(by=user, **fields)
                messages.success(request, f"已登记检查对象：{entity.name}")
            else:
                entity = services.update_entity(entity, by=user, **fields)
                messages.success(request, "已保存")
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            return redirect("inspections:entity_detail", pk=entity.pk)
    return render(request, "inspections/entity_form.html", {"form": form, "entity": entity},
                  status=_status(form))


# -------------------------------------------------------------------- import

IMPORT_HELP = {
    "name": "必填", "credit_code": "必填，18位，校验码须正确（GB 32100-2015），不得重复",
    "risk_level": "低/中/高，空为低", "last_inspected_on": "YYYY-MM-DD",
    "region": "乡镇（街道）", "industry": "如：食品销售、餐饮服务",
}


def import_columns() -> list[tuple[str, str]]:
    """(header, help) of the import file, in the importer's column order."""
    from fazhi.inspections import importer

    return [(importer.LABELS[c], IMPORT_HELP.get(c, "")) for c in importer.COLUMNS]


IMPORT_TABLE = Table("导入批次", [
    Column("批次", "pk", sort="pk", link=lambda i: reverse("inspections:import_detail", args=[i.pk])),
    Column("文件", "original_name"),
    Column("导入单位", lambda i: _short(i.unit)),
    Column("状态", lambda i: i.get_status_display(), sort="status"),
    Column("总行数", "total_rows"),
    Column("新增对象", "created_rows"),
    Column("错误数", "error_count"),
    Column("上传时间", _fmt("created_at", "%Y-%m-%d %H:%M"), sort="created_at"),
], default_sort="-created_at", per_page=20)


@require_http_methods(["GET", "POST"])
@domain_errors
def import_start(request):
    user = request.user
    _require(user, POOLS)
    unit_choices = org_selectors.unit_choices(user, POOLS)
    form = f.ImportForm(_data(request), request.FILES or None, unit_choices=unit_choices,
                        initial={"unit": unit_choices[0][0] if unit_choices else None})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            batch = services.start_import(c["file"], by=user, unit=_unit(c["unit"]))
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.info(request, f"已上传“{batch.original_name}”，正在导入")
            return redirect("inspections:import_detail", pk=batch.pk)
    qs = selectors.imports(user).select_related("unit")
    resp = IMPORT_TABLE.respond(request, qs, "inspections/import_start.html", {
        "form": form, "columns": import_columns(), "max_mb": _import_max_mb()})
    if form.errors:
        resp.status_code = 400
    return resp


def _import_max_mb() -> int:
    from fazhi.inspections import rules

    return int(rules.get("import_max_mb"))


def _import(user, pk):
    return _one(selectors.imports(user).select_related("unit", "created_by"), pk)


def _progress_ctx(batch) -> dict:
    p = selectors.import_progress(batch.pk) or {}
    status = p.get("status", batch.status)
    done = status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
    return {"batch": batch, "p": p, "status": status, "done": done, "jobs_interval": settings.JOBS_INTERVAL_SECONDS,
            "status_label": ImportStatus(status).label if status in ImportStatus.values else status,
            "percent": p.get("percent", batch.percent)}


@require_GET
@domain_errors
def import_detail(request, pk):
    batch = _import(request.user, pk)
    ctx = _progress_ctx(batch)
    if ctx["done"]:
        batch.refresh_from_db()
        ctx["errors"] = (batch.errors or [])[:500]
    return render(request, "inspections/import_detail.html", ctx)


@require_GET
@domain_errors
def import_progress(request, pk):
    """The progress fragment polled by htmx every second; when the import has
    ended it answers ``HX-Refresh`` so the page shows the result or report."""
    batch = _import(request.user, pk)
    ctx = _progress_ctx(batch)
    resp = render(request, "inspections/_import_progress.html", ctx)
    if ctx["done"] and request.headers.get("HX-Request"):
        resp["HX-Refresh"] = "true"
    return resp


ERROR_HEADER = ["行号", "列", "内容", "错误说明"]


@require_GET
@domain_errors
def import_errors(request, pk, fmt):
    batch = _import(request.user, pk)
    rows = [(e.get("row"), e.get("column"), e.get("value"), e.get("message")) for e in (batch.errors or [])]
    name = f"导入错误报告-{batch.pk}"
    if fmt == "csv":
        return vh.download(vh.csv_bytes(ERROR_HEADER, rows), f"{name}.csv", "text/csv; charset=utf-8")
    if fmt == "xlsx":
        return vh.download(vh.xlsx_bytes("错误报告", ERROR_HEADER, rows), f"{name}.xlsx", vh.XLSX)
    raise Http404()


@require_GET
def import_template(request, fmt):
    _require(request.user, VIEW)
    header = [h for h, _ in import_columns()]
    if fmt == "csv":
        return vh.download(vh.csv_bytes(header, []), "检查对象导入模板.csv", "text/csv; charset=utf-8")
    if fmt == "xlsx":
        return vh.download(vh.xlsx_bytes("检查对象", header, []), "检查对象导入模板.xlsx", vh.XLSX)
    raise Http404()


# ====================================================== inspector pool (一库)

def _cert_of(ins, today):
    c = ins.officer.valid_certificate(today)
    if c is None:
        certs = list(ins.officer.certificates.all())
        c = certs[-1] if certs else None
    return c


INSPECTOR_TABLE = Table("检查人员名录库", [
    Column("姓名", "officer.person.name", sort="officer__person__name",
           link=lambda i: reverse("inspections:inspector_detail", args=[i.pk])),
    Column("所在单位", lambda i: _short(i.unit), sort="unit__path"),
    Column("执法证号", lambda i: (c := _cert_of(i, _today())) and c.number or "无证件"),
    Column("证件有效期至", lambda i: (c := _cert_of(i, _today())) and f"{c.valid_to:%Y-%m-%d}" or ""),
    Column("执法领域", "fields"),
    Column("回避", lambda i: len(i.recusals.all()) or ""),
    Column("今日可抽", lambda i: selectors.availability(i, _today())[1]),
], default_sort="unit__path", per_page=50)


@require_GET
def inspector_list(request):
    user = request.user
    _require(user, VIEW)
    today = _today()
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


def _all_units() -> list[tuple[int, str]]:
    """Any active unit (a recusal or handover may name a unit outside the user's own)."""
    return [(u.pk, u.name) for u in Unit.objects.filter(is_active=True).order_by("path")]


def _officer_choices(user) -> list[tuple[int, str]]:
    units = org_selectors.units_for(user, POOLS).filter(is_active=True)
    qs = (enforcement_selectors.officers(user).filter(unit__in=units, is_active=True, inspector__isnull=True)
          .order_by("unit__path", "person__name"))
    today = _today()
    out = []
    for o in qs:
        c = o.valid_certificate(today)
        out.append((o.pk, f"{o.person.name}（{_short(o.unit)}，{'证号 ' + c.number if c else '无有效证件'}）"))
    return out


@require_http_methods(["GET", "POST"])
@domain_errors
def inspector_add(request):
    user = request.user
    _require(user, POOLS)
    form = f.InspectorAddForm(_data(request), officer_choices=_officer_choices(user))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        officer = enforcement_selectors.officers(user).get(pk=c["officer"])
        try:
            ins = services.add_inspector(officer, by=user, fields=c["areas"], note=c["note"])
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, f"已将{officer.person.name}纳入检查人员名录库")
            return redirect("inspections:inspector_detail", pk=ins.pk)
    return render(request, "inspections/inspector_form.html", {"form": form}, status=_status(form))


def _inspector(user, pk):
    return _one(selectors.inspectors(user).select_related("officer__person", "unit"), pk)


def _inspector_forms(user, ins, bound: dict | None = None) -> dict:
    bound = bound or {}
    today = _today()
    return {
        "update": bound.get("update") or f.InspectorUpdateForm(prefix="update", initial={
            "areas": ins.fields, "active": ins.active, "note": ins.note}),
        "absence": bound.get("absence") or f.AbsenceForm(prefix="absence", initial={"start": today, "end": today}),
        "recusal": bound.get("recusal") or f.RecusalForm(prefix="recusal", unit_choices=_all_units()),
    }


def _render_inspector(request, ins, *, bound=None, status=200):
    user = request.user
    today = _today()
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
    ins = _one(selectors.inspectors(request.user).select_related("officer__person", "unit")
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
        form = f.RecusalForm(request.POST, prefix="recusal", unit_choices=_all_units())
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
                    org_unit = _unit(c["org_unit"])
                    services.add_recusal(ins, by=user, reason=c["reason"], org_unit=org_unit)
                    done = f"已登记回避单位：{org_unit.name}"
        except PermissionDenied:
            raise
        except _FormInvalid:
            pass
        except DomainError as exc:
            _place_error(form, exc)
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
    absence = _one(InspectorAbsence.objects.filter(inspector=ins), absence_pk)
    try:
        services.remove_absence(absence, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已删除不可用时段")
    return redirect("inspections:inspector_detail", pk=ins.pk)


@require_POST
@domain_errors
def recusal_remove(request, pk, recusal_pk):
    user = request.user
    ins = _inspector(user, pk)
    recusal = _one(Recusal.objects.filter(inspector=ins), recusal_pk)
    try:
        services.remove_recusal(recusal, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已解除回避关系")
    return redirect("inspections:inspector_detail", pk=ins.pk)


# ============================================================ plans and tasks

PLAN_TABLE = Table("抽查计划", [
    Column("年度", "year", sort="year"),
    Column("计划名称", "title", sort="title", link=lambda p: reverse("inspections:plan_detail", args=[p.pk])),
    Column("类型", lambda p: p.get_kind_display(), sort="kind"),
    Column("牵头部门", lambda p: _short(p.unit), sort="unit__path"),
    Column("参与部门", lambda p: "、".join(_short(u) for u in p.participating_units.all())),
    Column("任务数", "task_count", sort="task_count"),
    Column("占比目标", lambda p: f"{p.random_target * 100:.0f}%"),
    Column("状态", lambda p: p.get_status_display(), sort="status"),
], default_sort="-year", per_page=50)


@require_GET
def plan_list(request):
    user = request.user
    _require(user, VIEW)
    unit_choices = org_selectors.unit_choices(user, VIEW)
    form = f.PlanFilterForm(request.GET or None, unit_choices=unit_choices)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.plans(user)
    for key in ("year", "kind", "status"):
        if d.get(key):
            qs = qs.filter(**{key: d[key]})
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    qs = qs.select_related("unit").prefetch_related("participating_units")
    return PLAN_TABLE.respond(request, qs, "inspections/plan_list.html", {
        "filters": form, "can_plan": access.allowed(user, PLAN)})


def _participant_choices(user) -> list[tuple[int, str]]:
    return [(u.pk, u.short_name or u.name) for u in Unit.objects.filter(is_active=True, kind__in=(
        UnitKind.DEPARTMENT, UnitKind.TOWN)).order_by("path")]


def _plan_form(user, data=None, plan=None):
    initial = {"year": _today().year, "kind": PlanKind.ANNUAL, "random_target": 30}
    if plan is not None:
        initial = {"year": plan.year, "title": plan.title, "kind": plan.kind, "description": plan.description,
                   "random_target": plan.random_target * 100,
                   "participating_units": [u.pk for u in plan.participating_units.all()]}
    return f.PlanForm(data, unit_choices=org_selectors.unit_choices(user, PLAN),
                      participant_choices=_participant_choices(user), fixed_unit=plan is not None, initial=initial)


def _plan_kwargs(c, *, creating: bool) -> dict:
    kw = {"title": c["title"], "description": c["description"], "random_target": c["random_target"] / 100,
          "participating_units": list(Unit.objects.filter(pk__in=c["participating_units"]))}
    if creating:
        kw.update(year=c["year"], kind=c["kind"])
    return kw


@require_http_methods(["GET", "POST"])
@domain_errors
def plan_edit(request, pk=None):
    user = request.user
    plan = _one(selectors.plans(user).select_related("unit"), pk) if pk else None
    _require(user, PLAN, plan.unit if plan else None)
    form = _plan_form(user, _data(request), plan)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            if plan is None:
                plan = services.create_plan(unit=_unit(c["unit"]), by=user, **_plan_kwargs(c, creating=True))
                messages.success(request, "已编制抽查计划（草稿），请添加抽查任务后报请批准")
            else:
                plan = services.update_plan(plan, by=user, **_plan_kwargs(c, creating=False))
                messages.success(request, "已保存")
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form, "plan": plan}, status=_status(form))


TASK_COLUMNS = [
    Column("任务名称", "title", sort="title", link=lambda t: reverse("inspections:task_detail", args=[t.pk])),
    Column("所属计划", lambda t: str(t.plan), sort="plan__year"),
    Column("牵头部门", lambda t: _short(t.unit), sort="unit__path"),
    Column("抽查事项", lambda t: "；".join(i.name for i in t.items.all())),
    Column("抽取", lambda t: _sample_text(t)),
    Column("每组人数", "team_size"),
    Column("计划开始", _fmt("planned_start"), sort="planned_start"),
    # the window's end is the task's deadline: red 逾期N天 / amber 剩余N个工作日 until it is closed (issue 13 §2)
    DueColumn("计划结束", "planned_end", sort="planned_end", done=lambda t: t.closed),
    Column("状态", lambda t: t.get_status_display(), sort="status"),
]
TASK_TABLE = Table("抽查任务", TASK_COLUMNS, default_sort="-planned_start", per_page=50)


def _sample_text(t) -> str:
    if t.sample_size:
        return f"{t.sample_size}户"
    if t.sample_ratio is not None:
        return f"{t.sample_ratio * 100:g}%"
    return ""


@require_GET
@domain_errors
def plan_detail(request, pk):
    user = request.user
    plan = _one(selectors.plans(user).select_related("unit", "approved_by__person", "created_by__person")
                .prefetch_related("participating_units"), pk)
    tasks = list(selectors.tasks(user).filter(plan=plan).select_related("plan", "unit")
                 .prefetch_related("items").order_by("planned_start", "pk"))
    share = [r for r in selectors.random_share(user, plan.year) if _row_unit_id(r) == plan.unit_id]
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "tasks": tasks, "share": share[0] if share else None, "today": _today(),
        "can_plan": access.allowed(user, PLAN, plan.unit), "can_approve": access.allowed(user, APPROVE, plan.unit),
        "is_draft": plan.status == PlanStatus.DRAFT})


def _row_unit_id(row: dict):
    u = row.get("unit")
    return getattr(u, "pk", u) if u is not None else row.get("unit_id")


@require_POST
@domain_errors
def plan_approve(request, pk):
    user = request.user
    plan = _one(selectors.plans(user).select_related("unit"), pk)
    try:
        services.approve_plan(plan, by=user, now=timezone.now())
    except PermissionDenied as exc:
        if exc.rule != SOD_RULE:
            raise
        _refused(request, exc)  # SYS-01: shown on the page, like any other refusal
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已批准抽查计划，可以开始随机抽取")
    return redirect("inspections:plan_detail", pk=plan.pk)


@require_GET
def task_list(request):
    user = request.user
    _require(user, VIEW)
    form = f.TaskFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW))
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.tasks(user)
    if d.get("q"):
        qs = qs.filter(title__icontains=d["q"].strip())
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    qs = qs.select_related("plan", "unit").prefetch_related("items")
    return TASK_TABLE.respond(request, qs, "inspections/task_list.html", {"filters": form, "today": _today()})


def _item_choices(user, plan) -> list[tuple[int, str]]:
    """Published current items of the plan's department and, for a joint plan,
    of the participating departments (ENF-28: only published items)."""
    units = [plan.unit_id, *[u.pk for u in plan.participating_units.all()]]
    qs = (selectors.current_items(user).filter(status=ItemStatus.PUBLISHED, unit_id__in=units)
          .select_related("unit").order_by("unit__path", "number"))
    return [(i.pk, f"{i.number} {i.name}{'（' + i.sub_item + '）' if i.sub_item else ''} · {_short(i.unit)}"
             f" · {i.get_kind_display()}") for i in qs]


def _task_initial(task) -> dict:
    return {
        "title": task.title, "items": [i.pk for i in task.items.all()],
        "industries": "、".join(task.industries), "regions": "、".join(task.regions),
        "risk_levels": task.risk_levels, "size_mode": "size" if task.sample_size else "ratio",
        "sample_size": task.sample_size,
        "sample_ratio": task.sample_ratio * 100 if task.sample_ratio is not None else None,
        "stratify_by": task.stratify_by,
        "quotas": "\n".join(f"{k}：{v}" for k, v in (task.quotas or {}).items()),
        "team_size": task.team_size, "exclude_recent_months": task.exclude_recent_months,
        "planned_start": task.planned_start, "planned_end": task.planned_end,
    }


@require_http_methods(["GET", "POST"])
@domain_errors
def task_edit(request, plan_pk=None, pk=None):
    user = request.user
    if pk:
        task = _one(selectors.tasks(user).select_related("plan__unit", "unit"), pk)
        plan = task.plan
    else:
        task = None
        plan = _one(selectors.plans(user).select_related("unit").prefetch_related("participating_units"), plan_pk)
    _require(user, PLAN, plan.unit)
    initial = _task_initial(task) if task else {"team_size": 2, "size_mode": "size", "exclude_recent_months": 0}
    form = f.TaskForm(_data(request), item_choices=_item_choices(user, plan), initial=initial)
    if request.method == "POST" and form.is_valid():
        kw = form.service_kwargs()
        items = list(selectors.items(user).filter(pk__in=form.cleaned_data["items"]))
        try:
            if task is None:
                task = services.create_task(plan, by=user, items=items, **kw)
                messages.success(request, "已添加抽查任务；请核对符合条件的名录规模后冻结名录")
            else:
                task = services.update_task(task, by=user, items=items, **kw)
                messages.success(request, "已保存")
        except PermissionDenied:
            raise
        except DomainError as exc:
            _place_error(form, exc)
        else:
            return redirect("inspections:task_detail", pk=task.pk)
    return render(request, "inspections/task_form.html", {
        "form": form, "plan": plan, "task": task,
        "in_use": {"行业": vh.suggestions("industry", 60), "区域": vh.suggestions("region", 60)}},
        status=_status(form))


class _Rollback(Exception):
    pass


@require_POST
@domain_errors
def task_preview(request, plan_pk=None, pk=None):
    """The eligible pool the form's settings would give, before saving (htmx fragment).

    The task is saved through the same service inside a transaction that is
    always rolled back, so the preview is exactly what saving would give (the
    same validation, the same pool query) and nothing is stored."""
    user = request.user
    if pk:
        task = _one(selectors.tasks(user).select_related("plan__unit", "unit"), pk)
        plan = task.plan
    else:
        task = None
        plan = _one(selectors.plans(user).select_related("unit").prefetch_related("participating_units"), plan_pk)
    _require(user, PLAN, plan.unit)
    form = f.TaskForm(request.POST, item_choices=_item_choices(user, plan))
    preview, error = None, ""
    if not form.is_valid():
        error = "请先完整填写任务设置：" + "；".join(
            f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{v[0]}"
            for k, v in form.errors.items())
    else:
        kw = form.service_kwargs()
        items = list(selectors.items(user).filter(pk__in=form.cleaned_data["items"]))
        try:
            with transaction.atomic():
                if task is None:
                    draft = services.create_task(plan, by=user, items=items, **kw)
                else:
                    draft = services.update_task(task, by=user, items=items, **kw)
                preview = selectors.task_pool_preview(draft, on=_today())
                raise _Rollback()
        except _Rollback:
            pass
        except PermissionDenied:
            raise
        except DomainError as exc:
            error = str(exc)
    return render(request, "inspections/_task_preview.html", {"preview": preview, "error": error})


def _task(user, pk):
    return _one(selectors.tasks(user).select_related("plan__unit", "unit").prefetch_related("items__unit"), pk)


def _preview(task):
    try:
        return selectors.task_pool_preview(task, on=_today()), ""
    except DomainError as exc:
        return None, str(exc)


@require_GET
@domain_errors
def task_detail(request, pk):
    user = request.user
    task = _task(user, pk)
    draw = selectors.draws(user).filter(task=task).first()
    preview, preview_error = (_preview(task) if task.status == TaskStatus.DRAFT else (None, ""))
    counts = {s: 0 for s in InspectionStatus.values}
    for row in selectors.inspections(user).filter(task=task).values("status").order_by():
        counts[row["status"]] += 1
    return render(request, "inspections/task_detail.html", {
        "task": task, "draw": draw, "preview": preview, "preview_error": preview_error,
        "counts": counts, "recorded": counts[InspectionStatus.RECORDED] + counts[InspectionStatus.PUBLISHED],
        "can_plan": access.allowed(user, PLAN, task.unit), "can_draw": access.allowed(user, DRAW, task.unit),
        "stratify_labels": [f.STRATIFY_LABELS.get(x, x) for x in task.stratify_by],
        "risk_labels": [RiskLevel(x).label for x in task.risk_levels if x in RiskLevel.values],
    })


@require_POST
@domain_errors
def task_close(request, pk):
    user = request.user
    task = _task(user, pk)
    try:
        services.close_task(task, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "任务已完成")
    return redirect("inspections:task_detail", pk=task.pk)


# ====================================================================== draw

SHOWN_SELECTIONS = 1000  # the rest: print page and receipt


def _witness_rows(task, draw, bound: tuple | None = None) -> list[dict]:
    """Each 监督人 with the form they may fill now: a commitment before the
    freeze (secret kind), their value after it until the draw. ``bound``:
    (witness id, the bound form that was refused) to show its errors."""
    rows = []
    for w in task.witnesses.order_by("position"):
        form = None
        if draw is None and task.status == TaskStatus.DRAFT and w.kind == WitnessKind.SECRET:
            form = f.WitnessCommitForm(prefix=f"w{w.pk}")
        elif draw is not None and draw.status == DrawStatus.COMMITTED and w.revealed_at is None:
            form = f.WitnessRevealForm(prefix=f"w{w.pk}", kind=w.kind)
        if bound and bound[0] == w.pk:
            form = bound[1]
        rows.append({"w": w, "form": form})
    return rows


def _draw_ctx(user, task, *, bound=None) -> dict:
    draw = selectors.draws(user).filter(task=task).select_related("committed_by__person", "drawn_by__person").first()
    ctx = {"task": task, "draw": draw, "can_draw": access.allowed(user, DRAW, task.unit),
           "can_publish": access.allowed(user, PUBLISH, task.unit) or access.allowed(user, DRAW, task.unit)}
    if draw is None:
        ctx["preview"], ctx["preview_error"] = _preview(task) if task.status == TaskStatus.DRAFT else (None, "")
        ctx["witness_form"] = f.WitnessForm(prefix="witness")
    else:
        # The commitment and pool hashes are public from the commit on.
        ctx["portal_url"] = _portal_url("draw", draw.pk)
    ctx["witnesses"] = _witness_rows(task, draw, bound)
    ctx["min_witnesses"] = int(rules.get("min_witnesses"))
    ctx["all_revealed"] = all(r["w"].revealed_at for r in ctx["witnesses"])
    if draw is not None and draw.status != DrawStatus.COMMITTED:
        selections = selectors.draw_selections(draw)
        ctx["selection_count"], ctx["shown"] = len(selections), SHOWN_SELECTIONS
        ctx["selections"] = selections[:SHOWN_SELECTIONS]
        ctx["strata"] = draw.strata or []
    ctx["step"] = 1 if draw is None else 2 if draw.status == DrawStatus.COMMITTED else 3
    return ctx


def _draw_page(request, task, *, status: int = 200, reveal_form=None, **ctx_kw):
    ctx = _draw_ctx(request.user, task, bound=ctx_kw.pop("bound", None))
    ctx.update(ctx_kw)
    ctx["reveal_form"] = reveal_form or f.RevealForm(prefix="reveal")
    return render(request, "inspections/draw.html", ctx, status=status)


@require_GET
@domain_errors
def draw_page(request, pk):
    return _draw_page(request, _task(request.user, pk))


def _ceremony_step(request, task, form, act, *, witness=None):
    """Run ``act(cleaned data) -> message`` for a valid form and go back to the
    draw page; a step out of order (frozen, drawn) is refused as a message like
    the other steps; any other refusal shows on the form (400)."""
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except PermissionDenied:
            raise
        except Conflict as exc:
            _refused(request, exc)
            return redirect("inspections:draw_page", pk=task.pk)
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("inspections:draw_page", pk=task.pk)
    if witness is None:
        return _draw_page(request, task, status=400, witness_form=form)
    return _draw_page(request, task, status=400, bound=(witness.pk, form))


def _witness(user, task, wpk):
    return _one(selectors.witnesses(user).filter(task=task), wpk)


@require_POST
@domain_errors
def draw_witness_add(request, pk):
    """登记监督人 (before the freeze)."""
    task = _task(request.user, pk)

    def add(c):
        w = services.add_witness(task, by=request.user, **c)
        return f"已登记监督人{w.name}" + ("，请其当场提交承诺值" if w.kind == WitnessKind.SECRET else "")

    return _ceremony_step(request, task, f.WitnessForm(request.POST, prefix="witness"), add)


@require_POST
@domain_errors
def draw_witness_commit(request, pk, wpk):
    """A secret witness commits (before the freeze): the secret is hashed, not kept."""
    task = _task(request.user, pk)
    w = _witness(request.user, task, wpk)

    def commit(c):
        services.commit_witness(w, by=request.user, **c)
        return f"已记录监督人{w.name}的承诺值；请其记下秘密值，揭示时须原样输入"

    return _ceremony_step(request, task, f.WitnessCommitForm(request.POST, prefix=f"w{w.pk}"), commit, witness=w)


@require_POST
@domain_errors
def draw_witness_reveal(request, pk, wpk):
    """A witness types their value after the freeze (a secret must match its commitment)."""
    task = _task(request.user, pk)
    w = _witness(request.user, task, wpk)

    def reveal(c):
        services.reveal_witness(w, by=request.user, value=c["value"])
        return f"监督人{w.name}已揭示"

    form = f.WitnessRevealForm(request.POST, prefix=f"w{w.pk}", kind=w.kind)
    return _ceremony_step(request, task, form, reveal, witness=w)


@require_POST
@domain_errors
def draw_witness_remove(request, pk, wpk):
    task = _task(request.user, pk)
    w = _witness(request.user, task, wpk)
    try:
        services.remove_witness(w, by=request.user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已删除监督人{w.name}")
    return redirect("inspections:draw_page", pk=task.pk)


@require_POST
@domain_errors
def draw_commit(request, pk):
    user = request.user
    task = _task(user, pk)
    try:
        draw = services.commit_draw(task, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已冻结名录和参数，承诺值 {draw.commitment[:16]}… 已公开；"
                                  "请各监督人当场揭示后抽取")
    return redirect("inspections:draw_page", pk=task.pk)


@require_POST
@domain_errors
def draw_reveal(request, pk):
    """The draw once every witness has revealed (``fazhi-draw/1``: with the witness's input)."""
    user = request.user
    task = _task(user, pk)
    draw = selectors.draws(user).filter(task=task).first()
    if draw is None:
        raise Http404()
    form = f.RevealForm(request.POST, prefix="reveal") if draw.is_v1 else None
    if form is None or form.is_valid():
        c = form.cleaned_data if form is not None else {"witness_input": "", "witness_name": ""}
        try:
            services.reveal_draw(draw, by=user, witness_input=c["witness_input"], witness_name=c["witness_name"])
        except PermissionDenied:
            raise
        except DomainError as exc:
            if form is None:
                _refused(request, exc)
                return redirect("inspections:draw_page", pk=task.pk)
            _place_error(form, exc)
        else:
            messages.success(request, "已揭示服务器种子并完成抽取；抽取凭证可下载，任何人可据此复核")
            return redirect("inspections:draw_page", pk=task.pk)
    return _draw_page(request, task, status=400, reveal_form=form)


@require_POST
@domain_errors
def draw_publish(request, pk):
    user = request.user
    task = _task(user, pk)
    draw = selectors.draws(user).filter(task=task).first()
    if draw is None:
        raise Http404()
    try:
        services.publish_draw(draw, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "抽取结果和凭证已在门户网站公开")
    return redirect("inspections:draw_page", pk=task.pk)


@require_GET
def draw_detail(request, pk):
    """A draw by its own number (dashboard links): its task's draw page."""
    draw = _one(selectors.draws(request.user), pk)
    return redirect("inspections:draw_page", pk=draw.task_id)


def _drawn(user, pk) -> tuple:
    task = _task(user, pk)
    draw = selectors.draws(user).filter(task=task).exclude(status=DrawStatus.COMMITTED).first()
    if draw is None:
        raise Http404()
    return task, draw


@require_GET
@domain_errors
def draw_receipt(request, pk):
    task, draw = _drawn(request.user, pk)
    receipt = selectors.draw_receipt(draw)
    if receipt is None:
        raise Http404()
    resp = HttpResponse(json.dumps(receipt, ensure_ascii=False, sort_keys=True, indent=1) + "\n",
                        content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="receipt-{draw.pk}.json"'
    return resp


@require_GET
@domain_errors
def draw_print(request, pk):
    task, draw = _drawn(request.user, pk)
    return render(request, "inspections/draw_print.html", {
        "task": task, "draw": draw, "selections": selectors.draw_selections(draw), "strata": draw.strata or [],
        "today": _today()})


DRAW_TABLE = Table("随机抽取记录", [
    Column("任务", lambda d: d.task.title, link=lambda d: reverse("inspections:draw_page", args=[d.task_id])),
    Column("牵头部门", lambda d: _short(d.unit), sort="unit__path"),
    Column("状态", lambda d: d.get_status_display(), sort="status"),
    Column("对象名录", "object_count", sort="object_count"),
    Column("人员名录", "inspector_count"),
    Column("承诺值", lambda d: d.commitment[:16] + "…"),
    Column("冻结时间", _fmt("committed_at", "%Y-%m-%d %H:%M"), sort="committed_at"),
    Column("抽取时间", _fmt("drawn_at", "%Y-%m-%d %H:%M"), sort="drawn_at"),
], default_sort="-committed_at", per_page=50)


@require_GET
def draw_list(request):
    user = request.user
    _require(user, VIEW)
    qs = selectors.draws(user).select_related("task", "unit")
    status = request.GET.get("status", "")
    if status in DrawStatus.values:
        qs = qs.filter(status=status)
    return DRAW_TABLE.respond(request, qs, "inspections/draw_list.html", {
        "status": status, "statuses": DrawStatus.choices})


# =================================================================== results

def _due_cell(i):
    if i.status == InspectionStatus.PUBLISHED:
        return f"已公示 {timezone.localtime(i.published_at):%Y-%m-%d}" if i.published_at else "已公示"
    return i.publish_due or ""  # coloured by DueColumn: 逾期N天 / 剩余N个工作日 (issue 13 §2)


INSPECTION_TABLE = Table("检查结果", [
    Column("检查对象", lambda i: i.entity.name, sort="entity__name",
           link=lambda i: reverse("inspections:inspection_detail", args=[i.pk])),
    Column("统一社会信用代码", lambda i: i.entity.credit_code),
    Column("检查部门", lambda i: _short(i.unit), sort="unit__path"),
    Column("方式", lambda i: i.get_kind_display() if i.kind == InspectionKind.RANDOM
           else f"非随机（{i.get_non_random_reason_display()}）", sort="kind"),
    Column("任务", lambda i: i.task.title if i.task_id else ""),
    Column("检查日期", _fmt("inspected_on"), sort="inspected_on"),
    Column("检查结果", lambda i: i.get_result_display(), sort="result"),
    Column("状态", lambda i: i.get_status_display(), sort="status"),
    DueColumn("公示期限", _due_cell, sort="publish_due", provisional=lambda i: i.publish_due_provisional),
    Column("后续处理", lambda i: i.get_handover_status_display() if i.handover_status != "none" else ""),
], default_sort="", per_page=50)  # default: the work queue (see inspection_list)


@require_GET
def inspection_list(request):
    user = request.user
    _require(user, VIEW)
    today = _today()
    form = f.InspectionFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW))
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.inspections(user)
    if d.get("q"):
        q = d["q"].strip()
        qs = qs.filter(Q(entity__name__icontains=q) | Q(entity__credit_code__icontains=q.upper()))
    for key in ("status", "result", "kind"):
        if d.get(key):
            qs = qs.filter(**{key: d[key]})
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("task"):
        qs = qs.filter(task_id=d["task"])
    if d.get("due") == "overdue":
        qs = qs.filter(status=InspectionStatus.RECORDED, publish_due__lt=today)
    elif d.get("due") == "pending":
        qs = qs.filter(status=InspectionStatus.RECORDED)
    # Default order, the work queue: recorded (by publication deadline), then pending, then published.
    qs = qs.select_related("entity", "unit", "task").annotate(queue=Case(
        When(status=InspectionStatus.RECORDED, then=Value(0)), When(status=InspectionStatus.PENDING, then=Value(1)),
        default=Value(2), output_field=IntegerField())).order_by("queue", "publish_due", "-inspected_on", "-pk")
    overdue = selectors.overdue_publications(user, today).count()
    task = selectors.tasks(user).filter(pk=d["task"]).first() if d.get("task") else None
    return INSPECTION_TABLE.respond(request, qs, "inspections/inspection_list.html", {
        "task": task,
        "filters": form, "today": today, "overdue": overdue, "can_publish": access.allowed(user, PUBLISH),
        "can_record": access.allowed(user, RECORD), "publish_rule": _publish_rule()})


def _publish_rule() -> str:
    from fazhi.inspections import rules

    return rules.publish_rule_text()


@require_POST
@domain_errors
def inspection_publish_batch(request):
    """Publish the ticked results, all or none: if one is refused, none is published."""
    user = request.user
    _require(user, PUBLISH)
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith(
            reverse("inspections:inspection_list")):
        back = reverse("inspections:inspection_list")
    rows = list(selectors.inspections(user).filter(pk__in=ids).select_related("entity", "unit"))
    now = timezone.now()
    if not rows:
        messages.error(request, "请先勾选要公示的检查结果")
        return redirect(back)
    try:
        with transaction.atomic():
            for i in rows:
                try:
                    services.publish_result(i, by=user, now=now)
                except DomainError as exc:
                    exc.message = f"{i.entity.name}：{exc.message}"
                    raise
    except PermissionDenied as exc:
        if exc.rule != SOD_RULE:
            raise
        messages.error(request, f"未公示任何结果：{exc}")
    except DomainError as exc:
        messages.error(request, format_html("未公示任何结果：{}", exc))
    else:
        messages.success(request, f"已公示 {len(rows)} 条检查结果")
    return redirect(back)


def _inspection(user, pk):
    return _one(selectors.inspections(user).select_related(
        "entity", "unit", "task", "selection__draw", "handover_unit", "result_recorded_by__person"), pk)


def _team(i) -> list:
    if i.selection_id:
        return list(i.selection.team.select_related("inspector__officer__person", "inspector__unit")
                    .order_by("position"))
    return []


def _officer_choices_for(i, team) -> list[tuple[int, str]]:
    seen = {}
    for m in team:
        seen[m.inspector_id] = f"{m.inspector.officer.person.name}（证号 {m.certificate_number}）"
    for ins in i.officers.select_related("officer__person").all():
        seen.setdefault(ins.pk, ins.officer.person.name)
    return list(seen.items())


def _inspection_forms(user, i, team, bound=None) -> dict:
    bound = bound or {}
    today = _today()
    officer_choices = _officer_choices_for(i, team)
    officers_now = [o.pk for o in i.officers.all()] or [m.inspector_id for m in team]
    return {
        "record": bound.get("record") or f.ResultForm(prefix="record", officer_choices=officer_choices, initial={
            "result": i.result, "inspected_on": i.inspected_on or today, "findings": i.findings,
            "officers": officers_now}),
        "attach": bound.get("attach") or f.AttachmentForm(prefix="attach"),
        "handover": bound.get("handover") or f.HandoverForm(prefix="handover", initial={
            "handed_over_on": today, "receiving_unit": i.unit_id},
            unit_choices=_all_units()),
        "publish": bound.get("publish") or f.PublishForm(prefix="publish"),
    }


def _render_inspection(request, i, *, bound=None, status=200):
    user = request.user
    today = _today()
    team = _team(i)
    forms = _inspection_forms(user, i, team, bound)
    can_record = access.allowed(user, RECORD, i.unit)
    can_publish = access.allowed(user, PUBLISH, i.unit)
    steps = []
    if can_record and i.status != InspectionStatus.PUBLISHED:
        steps.append(("record", "录入检查结果" if i.status == InspectionStatus.PENDING else "更正检查结果"))
    if can_record:
        steps.append(("attach", "上传检查记录"))
    if (can_record and i.status != InspectionStatus.PENDING and i.handover_status == "none"
            and i.result != Result.NONE_FOUND):  # nothing to follow up (the service refuses it too)
        steps.append(("handover", "移交执法机构后续处理"))
    if can_publish and i.status == InspectionStatus.RECORDED:
        steps.append(("publish", "公示检查结果"))
    return render(request, "inspections/inspection_detail.html", {
        "i": i, "team": team, "today": today, "officers": list(i.officers.select_related("officer__person")),
        "attachments": list(i.attachments.select_related("uploaded_by__person").order_by("pk")),
        "steps": [{"key": k, "label": label, "form": forms[k], "open": k in (bound or {}),
                   "url": reverse("inspections:inspection_action", args=[i.pk, k])} for k, label in steps],
        "overdue": bool(i.status == InspectionStatus.RECORDED and i.publish_due and i.publish_due < today),
        "publish_rule": _publish_rule(), "portal_url": _portal_url("results"),
    }, status=status)


@require_GET
@domain_errors
def inspection_detail(request, pk):
    return _render_inspection(request, _inspection(request.user, pk))


@require_POST
@domain_errors
def inspection_action(request, pk, step):
    user = request.user
    i = _inspection(user, pk)
    if step not in ("record", "attach", "handover", "publish"):
        raise Http404()
    team = _team(i)
    if step == "record":
        form = f.ResultForm(request.POST, prefix="record", officer_choices=_officer_choices_for(i, team))
    elif step == "attach":
        form = f.AttachmentForm(request.POST, request.FILES, prefix="attach")
    elif step == "handover":
        form = f.HandoverForm(request.POST, prefix="handover", unit_choices=_all_units())
    else:
        form = f.PublishForm(request.POST, prefix="publish")
    if form.is_valid():
        c = form.cleaned_data
        try:
            if step == "record":
                officers = [m.inspector for m in team if m.inspector_id in c["officers"]]
                officers += [o for o in i.officers.all() if o.pk in c["officers"] and o not in officers]
                services.record_result(i, by=user, result=c["result"], inspected_on=c["inspected_on"],
                                       today=_today(), findings=c["findings"], officers=officers or None,
                                       late_reason=c["late_reason"])
                done = "已录入检查结果；请在公示期限内公示（" + _publish_rule() + "）"
            elif step == "attach":
                a = services.attach_record(i, by=user, upload=c["file"], title=c["title"])
                done = f"已上传“{a.title}”（SHA-256 {a.sha256[:16]}…）"
            elif step == "handover":
                services.hand_over(i, by=user, receiving_unit=_unit(c["receiving_unit"]),
                                   handed_over_on=c["handed_over_on"], today=_today(), note=c["note"],
                                   register_case=c["register_case"], late_reason=c["late_reason"])
                done = "已移交执法机构后续处理"
            else:
                services.publish_result(i, by=user, now=timezone.now(), content=c["content"] or None)
                done = "已公示检查结果"
        except PermissionDenied as exc:
            if exc.rule != SOD_RULE:
                raise
            _place_error(form, exc)  # SYS-01: shown in the form
        except DomainError as exc:
            _place_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("inspections:inspection_detail", pk=i.pk)
    return _render_inspection(request, _inspection(user, pk), bound={step: form}, status=400)


@require_GET
@domain_errors
def attachment_download(request, pk, att_pk):
    import os

    from django.http import FileResponse

    i = _inspection(request.user, pk)
    a = _one(i.attachments.all(), att_pk)
    # ``services.attach_record`` writes under MEDIA_ROOT (a relative path it chose, never user input).
    try:
        fh = open(os.path.join(settings.MEDIA_ROOT, a.file), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404() from None
    response = FileResponse(fh, as_attachment=True, filename=a.original_name or a.title, content_type=a.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pool_choices(user) -> list[tuple[int, str]]:
    qs = selectors.inspectors(user).filter(active=True).order_by("unit__path", "officer__person__name")
    return [(i.pk, f"{i.officer.person.name}（{_short(i.unit)}）") for i in qs]


@require_http_methods(["GET", "POST"])
@domain_errors
def non_random_create(request):
    """A non-random check (投诉举报、转办交办、专项检查…): counted in the share of random inspections (RAND-01)."""
    user = request.user
    _require(user, RECORD)
    unit_choices = org_selectors.unit_choices(user, RECORD)
    form = f.NonRandomForm(_data(request), unit_choices=unit_choices, officer_choices=_pool_choices(user),
                           initial={"unit": unit_choices[0][0] if unit_choices else None, "inspected_on": _today()})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        entity = selectors.entities(user).filter(credit_code=c["credit_code"].strip().upper()).first()
        if entity is None:
            form.add_error("credit_code", "名录库中没有该统一社会信用代码的检查对象，请先登记")
        else:
            try:
                i = services.record_non_random(unit=_unit(c["unit"]), by=user, entity=entity, reason=c["reason"],
                                               inspected_on=c["inspected_on"], result=c["result"],
                                               today=_today(), late_reason=c["late_reason"],
                                               findings=c["findings"], reason_note=c["reason_note"],
                                               officers=list(selectors.inspectors(user).filter(pk__in=c["officers"])))
            except PermissionDenied:
                raise
            except DomainError as exc:
                _place_error(form, exc)
            else:
                messages.success(request, "已登记非随机检查")
                return redirect("inspections:inspection_detail", pk=i.pk)
    return render(request, "inspections/non_random_form.html", {"form": form}, status=_status(form))


# =================================================================== statistics

def _stats_year(request) -> int:
    form = f.YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return _today().year


def _pct(v) -> str:
    if v is None or v == "":
        return "—"
    try:
        return f"{float(v) * 100:.1f}%"
    except (TypeError, ValueError):
        return str(v)


def _name(v) -> str:
    if isinstance(v, Unit):
        return v.short_name or v.name
    return "" if v is None else str(v)


STAT_TABLES = {
    "department": ("按部门覆盖情况", ["部门", "检查对象数", "检查次数", "其中双随机", "双随机占比", "目标"],
                   lambda r: [_name(r.get("unit")), r.get("objects"), r.get("inspections"), r.get("random"),
                              _pct(r.get("share")), _pct(r.get("target"))]),
    "share": ("双随机抽查占比", ["部门", "双随机检查", "全部检查", "占比", "目标", "是否达标"],
              lambda r: [_name(r.get("unit")), r.get("random"), r.get("total"), _pct(r.get("share")),
                         _pct(r.get("target")), "达标" if r.get("met") else "未达标"]),
    "industry": ("按行业覆盖情况", ["行业", "名录库对象数", "已检查对象数", "覆盖率"],
                 lambda r: [r.get("industry") or "（未填）", r.get("pool"), r.get("inspected"),
                            _pct(r.get("coverage"))]),
    "region": ("按区域覆盖情况", ["区域", "名录库对象数", "已检查对象数", "覆盖率"],
               lambda r: [r.get("region") or "（未填）", r.get("pool"), r.get("inspected"),
                          _pct(r.get("coverage"))]),
    "results": ("检查结果分类", ["检查结果", "数量"], lambda r: [r.get("label") or r.get("result"), r.get("count")]),
}


def _stat_rows(user, year: int) -> dict:
    return {
        "department": selectors.coverage_by_department(user, year),
        "share": selectors.random_share(user, year),
        "industry": selectors.coverage_by_industry(user, year),
        "region": selectors.coverage_by_region(user, year),
        "results": selectors.results_by_type(user, year),
    }


@require_GET
def stats(request):
    user = request.user
    _require(user, VIEW)
    year = _stats_year(request)
    data = _stat_rows(user, year)
    export = request.GET.get("export", "")
    if export:
        wanted = [export] if export in STAT_TABLES else list(STAT_TABLES) if export == "all" else None
        if wanted is None:
            raise Http404()
        return _stats_xlsx(year, {k: data[k] for k in wanted})
    tables = []
    for key, (title, header, fn) in STAT_TABLES.items():
        rows = [fn(r) for r in data[key]]
        flags = [bool(key == "share" and not r.get("met")) for r in data[key]]
        tables.append({"key": key, "title": title, "header": header, "rows": list(zip(rows, flags, strict=True))})
    return render(request, "inspections/stats.html", {
        "year": year, "tables": tables, "years": list(range(_today().year, _today().year - 6, -1)),
        "year_form": f.YearForm(initial={"year": year})})


def _stats_xlsx(year: int, data: dict) -> HttpResponse:
    from fazhi.core.spreadsheets import Sheet, xlsx_bytes

    sheets = []
    for key, rows in data.items():
        title, header, fn = STAT_TABLES[key]
        sheets.append(Sheet(title, header, (fn(r) for r in rows), min_width=12))
    return vh.download(xlsx_bytes(*sheets), f"双随机抽查统计-{year}.xlsx", vh.XLSX)


# ==================================================================== overview

@require_GET
def index(request):
    user = request.user
    _require(user, VIEW)
    today = _today()
    overdue = list(selectors.overdue_publications(user, today).select_related("entity", "unit")[:11])
    awaiting = list(selectors.draws(user).filter(status=DrawStatus.COMMITTED).select_related("task", "unit")[:10])
    drafts = list(selectors.tasks(user).filter(status=TaskStatus.DRAFT).select_related("plan", "unit")
                  .order_by("planned_start")[:10])
    return render(request, "inspections/index.html", {
        "today": today, "overdue": overdue[:10], "more_overdue": len(overdue) > 10, "awaiting": awaiting,
        "drafts": drafts,
        "can": {k: access.allowed(user, p) for k, p in (("items", ITEMS), ("pools", POOLS), ("plan", PLAN),
                                                         ("record", RECORD))}})
