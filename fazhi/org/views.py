"""Screens of org. Every change goes through fazhi.org.services.

Scope rules of the screens: a record outside what the user may *see* is a
404 (its existence is private); a visible record the user may not *change*
is a 403. Sign-in is required by LoginRequiredMiddleware.
"""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.core.http import domain_errors, refused_onto
from fazhi.core.tables import Column, Table
from fazhi.org import access, selectors, services
from fazhi.org.access import require_page as _require
from fazhi.org.forms import (
    GrantRoleForm,
    MovePersonForm,
    PersonCreateForm,
    PersonEditForm,
    PersonFilterForm,
    ReasonForm,
    ResetPasswordForm,
    UnitFilterForm,
    UnitForm,
    active_value,
    apply_domain_error,
)
from fazhi.org.models import Person, RoleAssignment, Unit


def _unit_by_pk(pk) -> Unit | None:
    return Unit.objects.filter(pk=pk).first() if pk else None


def audit_trail_url(obj) -> str:
    return f"/audit/trail/{obj._meta.label_lower}/{obj.pk}/"


# ------------------------------------------------------------------ units

def _bool_label(value: bool, yes: str = "是", no: str = "否") -> str:
    return yes if value else no


UNIT_TABLE = Table("单位", [
    Column("单位名称", lambda r: r.unit.name),
    Column("简称", lambda r: r.unit.short_name),
    Column("类型", lambda r: r.unit.get_kind_display()),
    Column("上级单位", lambda r: r.unit.parent.name if r.unit.parent_id else ""),
    Column("统一社会信用代码", lambda r: r.unit.credit_code),
    Column("法制机构", lambda r: _bool_label(r.unit.is_legal_office)),
    Column("在职人数", lambda r: r.people_count),
    Column("状态", lambda r: _bool_label(r.unit.is_active, "启用", "停用")),
], default_sort="")


@require_http_methods(["GET"])
def unit_list(request):
    _require(request.user, "org.view_units")
    form = UnitFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    rows = selectors.unit_tree(request.user, kind=f.get("kind", ""), name=f.get("name", "").strip(),
                               active=active_value(f.get("active", "")))
    if request.GET.get("export") == "xlsx":
        parents = {u.pk: u for u in Unit.objects.filter(pk__in={r.unit.parent_id for r in rows})}
        for r in rows:
            if r.unit.parent_id:
                r.unit.parent = parents[r.unit.parent_id]
        return UNIT_TABLE.export(rows)
    export = request.GET.copy()
    export["export"] = "xlsx"
    return render(request, "org/unit_list.html", {
        "rows": rows, "filters": form, "export_url": f"?{export.urlencode()}",
        "can_create": access.allowed(request.user, "org.manage_units"),
    })


def _unit_form_context(request, form, unit=None):
    return {"form": form, "unit": unit}


@require_http_methods(["GET", "POST"])
@domain_errors
def unit_create(request):
    _require(request.user, "org.manage_units")
    allow_root = access.is_admin(request.user)
    form = UnitForm(request.POST or None, user=request.user, allow_root=allow_root,
                    initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with refused_onto(form, place=apply_domain_error) as outcome:
            unit = services.create_unit(
                _unit_by_pk(d["parent"]), by=request.user, name=d["name"], short_name=d["short_name"],
                kind=d["kind"], credit_code=d["credit_code"], is_legal_office=d["is_legal_office"],
                is_enforcement_subject=d["is_enforcement_subject"], sort_order=d["sort_order"],
            )
        if outcome.ok:
            messages.success(request, f"已新增单位“{unit.name}”")
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", _unit_form_context(request, form))


@require_http_methods(["GET", "POST"])
@domain_errors
def unit_edit(request, pk):
    unit = selectors.get_unit(request.user, pk)
    _require(request.user, "org.manage_units", unit)
    allow_root = access.is_admin(request.user)
    initial = {f: getattr(unit, f) for f in ("name", "short_name", "kind", "credit_code", "is_legal_office",
                                             "is_enforcement_subject", "sort_order")}
    initial["parent"] = unit.parent_id
    form = UnitForm(request.POST or None, user=request.user, allow_root=allow_root, initial=initial)
    if not allow_root and unit.parent_id is None:
        form.fields["parent"].required = False
        form.fields["parent"].choices = [("", "（顶级单位）")]
    if unit.parent_id and unit.parent_id not in {c[0] for c in form.fields["parent"].choices}:
        # The current parent is outside the editor's scope: keep it selectable.
        form.fields["parent"].choices = [(unit.parent_id, unit.parent.name), *form.fields["parent"].choices]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with refused_onto(form, place=apply_domain_error) as outcome:
            services.update_unit(
                unit, by=request.user, name=d["name"], short_name=d["short_name"], kind=d["kind"],
                credit_code=d["credit_code"], is_legal_office=d["is_legal_office"],
                is_enforcement_subject=d["is_enforcement_subject"], sort_order=d["sort_order"],
                parent=_unit_by_pk(d["parent"]),
            )
        if outcome.ok:
            messages.success(request, "单位信息已保存")
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", _unit_form_context(request, form, unit))


@require_http_methods(["GET"])
@domain_errors
def unit_detail(request, pk):
    unit = selectors.get_unit(request.user, pk)
    may_see_people = access.allowed(request.user, "org.view_people", unit)
    ancestors = list(Unit.objects.filter(pk__in=[int(p) for p in unit.path.split("/") if p][:-1]).order_by("depth"))
    return render(request, "org/unit_detail.html", {
        "unit": unit,
        "ancestors": ancestors,
        "children": list(selectors.units_for(request.user).filter(parent=unit).order_by("sort_order", "name")),
        "people": selectors.unit_people(request.user, unit) if may_see_people else None,
        "assignments": selectors.unit_role_assignments(unit) if may_see_people else None,
        "can_manage": access.allowed(request.user, "org.manage_units", unit),
        "can_add_people": access.allowed(request.user, "org.manage_people", unit),
        "audit_url": audit_trail_url(unit),
        "reason_form": ReasonForm(),
    })


@require_POST
@domain_errors
def unit_deactivate(request, pk):
    unit = selectors.get_unit(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.deactivate_unit(unit, by=request.user, reason=reason)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"单位“{unit.name}”已停用")
    return redirect("org:unit_detail", pk=unit.pk)


# ----------------------------------------------------------------- people

def _roles_text(person: Person) -> str:
    return "、".join(f"{ra.get_role_display()}（{ra.unit.display_name}{'及下级' if ra.include_subunits else ''}）"
                    for ra in person.roles.all())


PERSON_TABLE = Table("人员", [
    Column("姓名", "name", sort="name", link=lambda p: reverse("org:person_detail", args=[p.pk])),
    Column("登录名", "user.username", sort="user__username"),
    Column("所在单位", "unit.name", sort="unit__path"),
    Column("职务", "post", sort="post"),
    Column("角色", _roles_text),
    Column("状态", lambda p: _bool_label(p.is_active, "在职", "停用"), sort="is_active"),
], default_sort="unit__path", per_page=30)


@require_http_methods(["GET"])
def person_list(request):
    _require(request.user, "org.view_people")
    form = PersonFilterForm(request.GET or None, user=request.user)
    f = form.cleaned_data if form.is_valid() else {}
    unit = _unit_by_pk(f.get("unit"))
    qs = selectors.people_for(request.user, unit=unit, role=f.get("role", ""), name=f.get("name", "").strip(),
                              active=active_value(f.get("active", "")))
    return PERSON_TABLE.respond(request, qs, "org/person_list.html", {
        "filters": form, "can_create": access.allowed(request.user, "org.manage_people"),
    })


@require_http_methods(["GET", "POST"])
@domain_errors
def person_create(request):
    _require(request.user, "org.manage_people")
    form = PersonCreateForm(request.POST or None, user=request.user, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with refused_onto(form, place=apply_domain_error) as outcome:
            person, link = services.create_person(
                _unit_by_pk(d["unit"]), by=request.user, username=d["username"], name=d["name"],
                post=d["post"], phone=d["phone"], password=d["password"] or None, now=timezone.now(),
            )
        if outcome.ok:
            messages.success(request, f"已新增人员“{person.name}”" + (
                "；首次登录时须修改管理员设置的密码" if link is None else ""))
            # The link is shown in this response only, never stored in a message or session.
            return _render_person(request, selectors.get_person(request.user, person.pk), link=link)
    return render(request, "org/person_form.html", {"form": form, "person": None})


def _render_person(request, person: Person, *, link=None, status: int = 200):
    user = request.user
    can_manage = access.allowed(user, "org.manage_people", person.unit)
    ctx = {
        "person": person,
        "roles": list(person.roles.all()),
        "can_manage": can_manage,
        "is_self": person.user_id == user.pk,
        "link_url": request.build_absolute_uri(link.path) if link else "",
        "link_expires_at": link.expires_at if link else None,
        "audit_url": audit_trail_url(person),
    }
    if can_manage:
        ctx["grant_form"] = GrantRoleForm(user=user, can_grant_admin=access.is_admin(user),
                                          initial={"unit": person.unit_id})
        ctx["move_form"] = MovePersonForm(user=user)
        ctx["reset_form"] = ResetPasswordForm()
    return render(request, "org/person_detail.html", ctx, status=status)


@require_http_methods(["GET"])
@domain_errors
def person_detail(request, pk):
    return _render_person(request, selectors.get_person(request.user, pk))


@require_http_methods(["GET", "POST"])
@domain_errors
def person_edit(request, pk):
    person = selectors.get_person(request.user, pk)
    _require(request.user, "org.manage_people", person.unit)
    form = PersonEditForm(request.POST or None, initial={"name": person.name, "post": person.post,
                                                        "phone": person.phone})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with refused_onto(form, place=apply_domain_error) as outcome:
            services.update_person(person, by=request.user, name=d["name"], post=d["post"], phone=d["phone"])
        if outcome.ok:
            messages.success(request, "人员信息已保存")
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": person})


def _person_action(request, pk, form_class, action, success, **form_kw):
    """POST-only actions on a person: parse, call the service, report back."""
    person = selectors.get_person(request.user, pk)
    _require(request.user, "org.manage_people", person.unit)
    form = form_class(request.POST, **form_kw)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("org:person_detail", pk=person.pk)
    try:
        result = action(person, form.cleaned_data)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("org:person_detail", pk=person.pk)
    if success:
        messages.success(request, success)
    return result or redirect("org:person_detail", pk=person.pk)


@require_POST
@domain_errors
def person_grant_role(request, pk):
    def act(person, d):
        ra = services.grant_role(person, by=request.user, role=d["role"], unit=_unit_by_pk(d["unit"]),
                                 include_subunits=d["include_subunits"])
        messages.success(request, f"已授予{ra.get_role_display()}（{ra.unit.display_name}）")

    return _person_action(request, pk, GrantRoleForm, act, "", user=request.user,
                          can_grant_admin=access.is_admin(request.user))


@require_POST
@domain_errors
def person_revoke_role(request, pk, assignment_pk):
    person = selectors.get_person(request.user, pk)
    ra = RoleAssignment.objects.filter(pk=assignment_pk, person=person).select_related("unit").first()
    if ra is None:
        raise Http404()
    try:
        services.revoke_role(ra, by=request.user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销{ra.get_role_display()}（{ra.unit.display_name}）")
    return redirect("org:person_detail", pk=person.pk)


@require_POST
@domain_errors
def person_move(request, pk):
    def act(person, d):
        new_unit = _unit_by_pk(d["unit"])
        services.move_person(person, by=request.user, unit=new_unit, post=d["post"] or services.UNSET)
        messages.success(request, f"{person.name}已调入“{new_unit.name}”")

    return _person_action(request, pk, MovePersonForm, act, "", user=request.user)


@require_POST
@domain_errors
def person_deactivate(request, pk):
    def act(person, d):
        services.deactivate_person(person, by=request.user, reason=d["reason"])

    return _person_action(request, pk, ReasonForm, act, "人员已停用，其账号不能再登录")


@require_POST
@domain_errors
def person_reset_password(request, pk):
    """重置密码: a one-time link for the owner, or a password the administrator
    types that the owner must change at the next sign-in. Neither is ever
    shown back as a password."""
    person = selectors.get_person(request.user, pk)
    form = ResetPasswordForm(request.POST)
    password = form.cleaned_data["password"] if form.is_valid() else ""
    try:
        link = services.reset_password(person, by=request.user, password=password or None, now=timezone.now())
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("org:person_detail", pk=person.pk)
    if link is None:
        messages.success(request, f"已为{person.name}设置密码，其首次登录时须修改")
        return redirect("org:person_detail", pk=person.pk)
    # The link is shown in this response only: no redirect, no message storage.
    return _render_person(request, selectors.get_person(request.user, pk), link=link)
