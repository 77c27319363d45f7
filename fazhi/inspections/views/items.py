"""抽查事项清单 (一单): the list of items, their drafts, versions and publication."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors, refused_onto
from fazhi.core.tables import Column, Table
from fazhi.inspections import forms as f
from fazhi.inspections import selectors, services
from fazhi.inspections.models import (
    ItemStatus,
)
from fazhi.inspections.views import common as vh
from fazhi.inspections.views.common import ITEMS, VIEW
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require


def _item_status(i) -> str:
    return i.get_status_display()


ITEM_TABLE = Table("抽查事项清单", [
    Column("事项编号", "number", sort="number", link=lambda i: reverse("inspections:item_detail", args=[i.pk])),
    Column("抽查事项", "name", sort="name"),
    Column("抽查子项", "sub_item"),
    Column("检查部门", lambda i: vh.short(i.unit), sort="unit__path"),
    Column("检查主体", "inspecting_body"),
    Column("检查依据", "basis"),
    Column("检查方式", "method"),
    Column("检查对象范围", "object_scope"),
    Column("比例和频次", "frequency"),
    Column("类别", lambda i: i.get_kind_display(), sort="kind"),
    Column("版本", "version", sort="version"),
    Column("状态", _item_status, sort="status"),
    Column("公布时间", vh.date_cell("published_at"), sort="published_at"),
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
    form = _item_form(user, vh.posted(request))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        with refused_onto(form) as outcome:
            item = services.create_item(unit=vh.unit_or_none(c["unit"]), by=user,
                                        **{k: c[k] for k in f.ItemForm.FIELDS})
        if outcome.ok:
            messages.success(request, f"已登记抽查事项 {item.number}（草稿），公布后方可用于抽查（ENF-28）")
            return redirect("inspections:item_detail", pk=item.pk)
    return render(request, "inspections/item_form.html", {"form": form}, status=vh.form_status(form))


@require_GET
@domain_errors
def item_detail(request, pk):
    user = request.user
    item = vh.one_or_404(selectors.items(user).select_related("unit", "supersedes"), pk)
    can_manage = access.allowed(user, ITEMS, item.unit)
    # Every version of this item number, newest first (RAND-04: versioned).
    versions = list(selectors.items(user).filter(unit_id=item.unit_id, number=item.number)
                    .select_related("created_by__person").order_by("-version"))
    pending = next((v for v in versions if v.version > item.version and v.status == ItemStatus.DRAFT), None)
    return render(request, "inspections/item_detail.html", {
        "item": item, "versions": versions, "can_manage": can_manage, "pending": pending,
        "retire_form": f.ReasonForm(prefix="retire"),
        "portal_url": vh.portal_url("items"),
    })


@require_http_methods(["GET", "POST"])
@domain_errors
def item_edit(request, pk):
    """A draft is edited in place; a published item gets a new draft version
    (``revise_item``) and the old one stays published until that is published."""
    user = request.user
    item = vh.one_or_404(selectors.items(user).select_related("unit"), pk)
    _require(user, ITEMS, item.unit)
    if item.status == ItemStatus.RETIRED:
        messages.error(request, "已停用的事项不能修改（RAND-04）")
        return redirect("inspections:item_detail", pk=item.pk)
    form = _item_form(user, vh.posted(request), item=item)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        fields = {k: c[k] for k in f.ItemForm.FIELDS if k != "number"}
        with refused_onto(form) as outcome:
            if item.status == ItemStatus.PUBLISHED:
                new = services.revise_item(item, by=user, **fields)
                messages.success(request, f"已生成第{new.version}版（草稿），公布后替代第{item.version}版")
            else:
                new = services.update_item(item, by=user, **fields)
                messages.success(request, "已保存")
        if outcome.ok:
            return redirect("inspections:item_detail", pk=new.pk)
    return render(request, "inspections/item_form.html", {"form": form, "item": item}, status=vh.form_status(form))


@require_POST
@domain_errors
def item_action(request, pk, step):
    user = request.user
    item = vh.one_or_404(selectors.items(user).select_related("unit"), pk)
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
        vh.refused(request, exc)
    return redirect("inspections:item_detail", pk=item.pk)
