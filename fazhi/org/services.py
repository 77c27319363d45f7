"""Every write to units, people and roles. Each one is authorised, validated
and audited in the same transaction.

Order inside every service (STYLE.md): lock, authorise, validate, change,
record. Authorisation:

* 系统管理员 (and Django superusers) may do everything;
* 单位管理员 may manage units and people within their unit and, when the role
  was granted with ``include_subunits``, below it (``org.manage_units``,
  ``org.manage_people`` through ``fazhi.org.access``);
* nobody else may.

``by`` is the acting user. ``by=None`` means the system itself (management
commands such as ``load_demo``): it is trusted and recorded as "系统". Views
and the API always pass ``request.user``, which is never None.
"""

import re
from datetime import date, datetime
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from fazhi.accounts import services as accounts
from fazhi.accounts.services import SetPasswordLink
from fazhi.audit.services import record
from fazhi.core.actors import Actor
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.org import access
from fazhi.org.credit_code import credit_code_error
from fazhi.org.models import PastRoleAssignment, Person, Role, RoleAssignment, Unit, UnitKind

User = get_user_model()

# A CharField always has a max_length; the stubs allow None for other fields.
PATH_MAX: int = cast(int, Unit._meta.get_field("path").max_length)


class _Unset:
    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()  # "leave this field as it is" in update_* services


# ---------------------------------------------------------------- tree paths

def segment(pk: int) -> str:
    return f"{pk:06d}/"


def compute_path(unit: Unit) -> tuple[str, int]:
    parent = unit.parent
    parent_path = parent.path if parent is not None else ""
    depth = parent.depth + 1 if parent is not None else 0
    return f"{parent_path}{segment(unit.pk)}", depth


def _save_tree_position(unit: Unit) -> None:
    """Set ``path``/``depth`` of a saved ``unit`` from its parent and rewrite
    them for its whole subtree in one UPDATE.

    Every descendant's path starts with the unit's old path, so replacing that
    prefix (and shifting depth by the same amount) moves the subtree without
    loading it. Callers check for cycles first (see ``_check_parent``).
    """
    old_path, old_depth = unit.path, unit.depth
    new_path, new_depth = compute_path(unit)
    if len(new_path) > PATH_MAX:
        raise ValidationError("单位层级过深，无法移动到该上级单位之下", fields={"parent": ["单位层级过深"]})
    if old_path and old_path != new_path:
        Unit.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (new_depth - old_depth),
        )
    else:
        Unit.objects.filter(pk=unit.pk).update(path=new_path, depth=new_depth)
    unit.path, unit.depth = new_path, new_depth


# ---------------------------------------------------------- authorisation

def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


def _is_admin(by: Actor) -> bool:
    return by is None or access.is_admin(by)


def _covers_subtree(by: Actor, permission: str, unit: Unit) -> bool:
    """Does ``by`` hold ``permission`` over ``unit`` *and everything below it*?"""
    if _is_admin(by):
        return True
    return any(g.include_subunits and g.covers(unit) for g in access.grants(by, permission) or [])


def _require_manage_units(by: Actor, unit: Unit | None, message: str) -> None:
    if unit is None:
        if not _is_admin(by):
            raise _deny("只有系统管理员可以新增顶级单位")
        return
    if not access.may(by, "org.manage_units", unit):
        raise _deny(message)


def _require_manage_people(by: Actor, unit: Unit, message: str = "您无权管理该单位的人员") -> None:
    if not access.may(by, "org.manage_people", unit):
        raise _deny(message)


# -------------------------------------------------------------- validation

def _clean_str(value, max_length: int) -> str:
    return (value or "").strip()[:max_length] if isinstance(value, str) else ""


def _other_units(exclude_pk: int | None):
    return Unit.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Unit.objects.all()


def _check_unit_fields(*, name: str, short_name: str, kind: str, credit_code: str,
                       exclude_pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写单位名称"
    elif len(name) > 100:
        errors["name"] = "单位名称不能超过100个字"
    elif _other_units(exclude_pk).filter(name=name).exists():
        errors["name"] = f"已有名为“{name}”的单位"
    if len(short_name) > 50:
        errors["short_name"] = "简称不能超过50个字"
    if kind not in UnitKind.values:
        errors["kind"] = "请选择单位类型"
    if credit_code:
        message = credit_code_error(credit_code)
        if message:
            errors["credit_code"] = message
        elif _other_units(exclude_pk).filter(credit_code=credit_code).exists():
            errors["credit_code"] = "该统一社会信用代码已被其他单位使用"
    return errors


def _check_parent(unit: Unit | None, parent: Unit | None) -> dict[str, str]:
    if parent is None:
        return {}
    if not parent.is_active:
        return {"parent": f"上级单位“{parent.name}”已停用"}
    if unit is not None and unit.pk and (parent.pk == unit.pk or parent.path.startswith(unit.path)):
        return {"parent": "不能把单位移到它自己或它的下级单位之下"}
    if len(parent.path) + 7 > PATH_MAX:
        return {"parent": "单位层级过深"}
    return {}


def _check_subtree_fits(unit: Unit, parent: Unit | None) -> dict[str, str]:
    deepest = Unit.objects.filter(path__startswith=unit.path).aggregate(m=Max(Length("path")))["m"] or 0
    new_prefix = (parent.path if parent else "") + segment(unit.pk)
    if deepest - len(unit.path) + len(new_prefix) > PATH_MAX:
        return {"parent": "单位层级过深，无法移动到该上级单位之下"}
    return {}


def _raise_if(errors: dict[str, str]) -> None:
    """Raise one ValidationError for all problems found. ``fields`` has the
    API's shape: {"field": ["中文说明", ...]}."""
    if errors:
        first = next(iter(errors.values()))
        message = first if len(errors) == 1 else f"{first}（另有{len(errors) - 1}处需要修改）"
        raise ValidationError(message, fields={k: [v] for k, v in errors.items()})


def _norm_code(code: str | None) -> str:
    return (code or "").strip().upper()


PHONE_RE = re.compile(r"^[0-9+\-() ]{5,30}$")


def _check_person_fields(*, name: str, post: str, phone: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写姓名"
    elif len(name) > 50:
        errors["name"] = "姓名不能超过50个字"
    if len(post) > 100:
        errors["post"] = "职务不能超过100个字"
    if phone and not PHONE_RE.match(phone):
        errors["phone"] = "联系电话格式不正确"
    return errors


def _lock_unit(unit: Unit) -> Unit:
    return Unit.objects.select_for_update().get(pk=unit.pk)


def _lock_person(person: Person) -> Person:
    return Person.objects.select_for_update().select_related("unit", "user").get(pk=person.pk)


# ------------------------------------------------------------------ units

@transaction.atomic
def create_unit(parent: Unit | None, *, by: Actor, name: str, kind: str, short_name: str = "",
                credit_code: str = "", is_legal_office: bool = False, is_enforcement_subject: bool = False,
                sort_order: int = 100) -> Unit:
    """A new unit under ``parent`` (None = a top-level unit, admins only)."""
    if parent is not None:
        parent = _lock_unit(parent)
    _require_manage_units(by, parent, "您无权在该单位下新增单位")
    if is_enforcement_subject:
        _require_subject_authority(by)
    name, short_name = _clean_str(name, 200), _clean_str(short_name, 200)
    short_name = short_name or name[:50]
    credit_code = _norm_code(credit_code)
    errors = _check_unit_fields(name=name, short_name=short_name, kind=kind, credit_code=credit_code)
    errors.update(_check_parent(None, parent))
    _raise_if(errors)
    unit = Unit.objects.create(
        name=name, short_name=short_name, kind=kind, credit_code=credit_code, parent=parent,
        is_legal_office=bool(is_legal_office), is_enforcement_subject=bool(is_enforcement_subject),
        sort_order=sort_order,
    )
    _save_tree_position(unit)
    record(unit, "org.unit.created", by=by, data={
        "name": name, "short_name": short_name, "kind": kind, "credit_code": credit_code,
        "parent": parent.pk if parent else None, "is_legal_office": bool(is_legal_office),
        "is_enforcement_subject": bool(is_enforcement_subject),
    })
    return unit


UNIT_FIELDS = ("name", "short_name", "kind", "credit_code", "is_legal_office", "is_enforcement_subject",
               "sort_order")


def _require_subject_authority(by: Actor) -> None:
    # Whether a unit acts in its own name decides whose name every enforcement
    # decision it handles carries, and so the 复议机关 and the defendant in
    # court (行政处罚法第十七条、第十九条; enforcement/organs.py). That is a
    # legal fact confirmed for the whole district, not a unit's own setting.
    if not _is_admin(by):
        raise _deny("只有系统管理员可以设定“行政执法主体”（法律、法规授权以自己名义执法的组织）")


@transaction.atomic
def update_unit(unit: Unit, *, by: Actor, name: str = UNSET, short_name: str = UNSET, kind: str = UNSET,
                credit_code: str = UNSET, is_legal_office: bool = UNSET, is_enforcement_subject: bool = UNSET,
                sort_order: int = UNSET, parent: Unit | None = UNSET) -> Unit:
    """Change a unit's attributes; with ``parent`` move it (and its subtree)."""
    # Lock the unit and the new parent together, in id order: two concurrent
    # crossing moves (A under B, B under A) then queue instead of deadlocking,
    # and the second sees the first's new paths and is refused as a cycle.
    new_parent_pk = parent.pk if parent is not UNSET and parent is not None else None
    locked = {u.pk: u for u in Unit.objects.select_for_update().filter(
        pk__in=[unit.pk] + ([new_parent_pk] if new_parent_pk else [])).order_by("pk")}
    unit = locked[unit.pk]
    if new_parent_pk:
        parent = locked[new_parent_pk]
    _require_manage_units(by, unit, "您无权修改该单位")
    new: dict[str, Any] = {
        "name": unit.name if name is UNSET else _clean_str(name, 200),
        "short_name": unit.short_name if short_name is UNSET else _clean_str(short_name, 200),
        "kind": unit.kind if kind is UNSET else kind,
        "credit_code": unit.credit_code if credit_code is UNSET else _norm_code(credit_code),
        "is_legal_office": unit.is_legal_office if is_legal_office is UNSET else bool(is_legal_office),
        "is_enforcement_subject": (unit.is_enforcement_subject if is_enforcement_subject is UNSET
                                   else bool(is_enforcement_subject)),
        "sort_order": unit.sort_order if sort_order is UNSET else sort_order,
    }
    new["short_name"] = new["short_name"] or new["name"][:50]
    if new["is_enforcement_subject"] != unit.is_enforcement_subject:
        _require_subject_authority(by)
    errors = _check_unit_fields(name=new["name"], short_name=new["short_name"], kind=new["kind"],
                                credit_code=new["credit_code"], exclude_pk=unit.pk)
    moving = parent is not UNSET and (parent.pk if parent else None) != unit.parent_id
    if moving:
        if parent is not None:
            if not access.may(by, "org.manage_units", parent):
                raise _deny("您无权把单位移到该上级单位之下")
        elif not _is_admin(by):
            raise _deny("只有系统管理员可以把单位设为顶级单位")
        errors.update(_check_parent(unit, parent))
        if not errors:
            errors.update(_check_subtree_fits(unit, parent))
    _raise_if(errors)

    changes = {f: [getattr(unit, f), new[f]] for f in UNIT_FIELDS if getattr(unit, f) != new[f]}
    for f in changes:
        setattr(unit, f, new[f])
    if moving:
        changes["parent"] = [unit.parent_id, parent.pk if parent else None]
        unit.parent = parent
    if not changes:
        return unit
    unit.save(update_fields=[f for f in changes if f != "parent"] + (["parent"] if moving else []) + ["updated_at"])
    if moving:
        # Lock the subtree before rewriting it, so a concurrent move waits.
        list(Unit.objects.select_for_update().filter(path__startswith=unit.path).values_list("pk", flat=True))
        old_path = unit.path
        _save_tree_position(unit)
        changes["path"] = [old_path, unit.path]
    record(unit, "org.unit.updated", by=by, data={"changes": changes})
    return unit


@transaction.atomic
def deactivate_unit(unit: Unit, *, by: Actor, reason: str = "") -> Unit:
    """停用 a unit. Refused while it still has active people or active sub-units."""
    unit = _lock_unit(unit)
    _require_manage_units(by, unit, "您无权停用该单位")
    if not unit.is_active:
        raise ValidationError(f"单位“{unit.name}”已经停用")
    errors = {}
    people = unit.people.filter(is_active=True).count()
    if people:
        errors["people"] = f"该单位还有{people}名在职人员，请先调出或停用"
    children = unit.children.filter(is_active=True).count()
    if children:
        errors["children"] = f"该单位还有{children}个启用的下级单位，请先停用或移走"
    _raise_if(errors)
    unit.is_active = False
    unit.save(update_fields=["is_active", "updated_at"])
    record(unit, "org.unit.deactivated", by=by, data={"reason": reason})
    return unit


# ----------------------------------------------------------------- people

@transaction.atomic
def create_person(unit: Unit, *, by: Actor, username: str, name: str, post: str = "", phone: str = "",
                  password: str | None = None, now: datetime | None = None) -> tuple[Person, SetPasswordLink | None]:
    """A member of staff of ``unit`` and their sign-in account.

    With ``password`` (chosen by the administrator) the owner must change it at
    the first sign-in; without, the account has no usable password and a
    one-time set-password link is returned for the administrator to hand over.
    Either way no password is ever shown back (issue 11 §1).
    """
    now = now or timezone.now()
    unit = _lock_unit(unit)
    _require_manage_people(by, unit, "您无权在该单位新增人员")
    username = (username or "").strip()
    name, post, phone = _clean_str(name, 200), _clean_str(post, 200), _clean_str(phone, 200)
    errors = _check_person_fields(name=name, post=post, phone=phone)
    if not username:
        errors["username"] = "请填写登录用户名"
    elif len(username) > 150:
        errors["username"] = "登录用户名不能超过150个字符"
    else:
        try:
            UnicodeUsernameValidator()(username)
        except DjangoValidationError:
            errors["username"] = "登录用户名只能包含字母、数字和 @ . + - _"
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = f"登录用户名“{username}”已被使用"
    if not unit.is_active:
        errors["unit"] = f"单位“{unit.name}”已停用"
    if password:
        message = accounts.password_errors(password, User(username=username, first_name=name))
        if message:
            errors["password"] = message
    _raise_if(errors)
    user = User(username=username, first_name=name[:150])
    user.set_unusable_password()
    user.save()
    person = Person.objects.create(user=user, name=name, unit=unit, post=post, phone=phone)
    record(person, "org.person.created", by=by, data={
        "username": username, "name": name, "unit": unit.pk, "post": post,
        "password": "set_by_admin" if password else "link",
    })
    if password:
        accounts.admin_set_password(user, by=by, password=password, now=now)
        return person, None
    return person, accounts.issue_set_password_link(user, by=by, now=now)


PERSON_FIELDS = ("name", "post", "phone")


@transaction.atomic
def update_person(person: Person, *, by: Actor, name: str = UNSET, post: str = UNSET, phone: str = UNSET) -> Person:
    person = _lock_person(person)
    _require_manage_people(by, person.unit, "您无权修改该人员")
    new = {f: getattr(person, f) if v is UNSET else _clean_str(v, 200)
           for f, v in (("name", name), ("post", post), ("phone", phone))}
    _raise_if(_check_person_fields(**new))
    changes = {f: [getattr(person, f), new[f]] for f in PERSON_FIELDS if getattr(person, f) != new[f]}
    if not changes:
        return person
    for f in changes:
        setattr(person, f, new[f])
    person.save(update_fields=[*changes, "updated_at"])
    if "name" in changes:
        person.user.first_name = new["name"][:150]
        person.user.save(update_fields=["first_name"])
    record(person, "org.person.updated", by=by, data={"changes": changes})
    return person


@transaction.atomic
def move_person(person: Person, *, by: Actor, unit: Unit, post: str = UNSET, today: date | None = None) -> Person:
    """调动: move to another unit. Roles held over the old unit end with the
    move (each revocation is audited); roles over other units stay."""
    person = _lock_person(person)
    new_unit = _lock_unit(unit)
    old_unit = person.unit
    _require_manage_people(by, old_unit, "您无权调出该人员")
    _require_manage_people(by, new_unit, "您无权把人员调入该单位")
    errors = {}
    if new_unit.pk == old_unit.pk:
        errors["unit"] = "调入单位与现单位相同"
    elif not new_unit.is_active:
        errors["unit"] = f"单位“{new_unit.name}”已停用"
    if not person.is_active:
        errors["person"] = "该人员已停用，不能调动"
    new_post = person.post if post is UNSET else _clean_str(post, 200)
    if len(new_post) > 100:
        errors["post"] = "职务不能超过100个字"
    _raise_if(errors)
    for ra in RoleAssignment.objects.select_for_update().filter(person=person, unit=old_unit).order_by("pk"):
        _end_assignment(ra, by=by, reason="调动", today=today)
    old_post = person.post
    person.unit, person.post = new_unit, new_post
    person.save(update_fields=["unit", "post", "updated_at"])
    record(person, "org.person.moved", by=by, data={
        "from_unit": old_unit.pk, "from_unit_name": old_unit.name, "to_unit": new_unit.pk,
        "to_unit_name": new_unit.name, "old_post": old_post, "post": new_post,
    })
    return person


@transaction.atomic
def deactivate_person(person: Person, *, by: Actor, reason: str = "", today: date | None = None) -> Person:
    """停用: the person leaves; their account can no longer sign in. Their
    roles end today and are kept as history (``PastRoleAssignment``)."""
    person = _lock_person(person)
    _require_manage_people(by, person.unit, "您无权停用该人员")
    if by is not None and person.user_id == by.pk:
        raise ValidationError("不能停用自己的账号")
    if not person.is_active:
        raise ValidationError(f"{person.name}已经停用")
    for ra in RoleAssignment.objects.select_for_update().filter(person=person).select_related("unit").order_by("pk"):
        _end_assignment(ra, by=by, reason="人员停用", today=today)
    person.is_active = False
    person.save(update_fields=["is_active", "updated_at"])
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    record(person, "org.person.deactivated", by=by, data={"reason": reason})
    accounts.end_access(person.user, by=by, reason="人员停用")
    return person


def _check_takeover(by: Actor, person: Person) -> None:
    """A 单位管理员 may reset only the password of someone wholly inside their
    own reach: whoever holds a role beyond it, a reserved role or a Django
    staff account would otherwise be taken over (SYS-04)."""
    if _is_admin(by):
        return
    if person.user.is_superuser or person.user.is_staff:
        raise PermissionDenied("该账号是系统账号，只能由系统管理员重置密码", rule=ROLE_RULE)
    for ra in RoleAssignment.objects.filter(person=person).select_related("unit"):
        if ra.role in ADMIN_ONLY_ROLES:
            raise PermissionDenied(f"{person.name}担任“{ra.get_role_display()}”，只能由系统管理员重置密码",
                                   rule=ROLE_RULE)
        if not access.may(by, "org.manage_people", ra.unit) or (
                ra.include_subunits and not _covers_subtree(by, "org.manage_people", ra.unit)):
            raise PermissionDenied(f"{person.name}在“{ra.unit.name}”的角色超出您的管理范围，只能由系统管理员重置密码",
                                   rule=ROLE_RULE)


@transaction.atomic
def reset_password(person: Person, *, by: Actor, password: str | None = None,
                   now: datetime | None = None) -> SetPasswordLink | None:
    """重置密码. With ``password`` (typed by the administrator): set, and the
    owner must change it at the next sign-in. Without: the current password
    stops working and a one-time set-password link is returned, to be handed
    to the owner. Never returns a password. The owner's API tokens end.
    A 单位管理员 is refused for people beyond their reach (``_check_takeover``)."""
    now = now or timezone.now()
    person = _lock_person(person)
    _require_manage_people(by, person.unit, "您无权重置该人员的密码")
    if by is not None and person.user_id == by.pk:
        raise ValidationError("本人密码请在“我的账号”中修改")
    _check_takeover(by, person)
    if not person.is_active:
        raise ValidationError("该人员已停用，不能重置密码")
    record(person, "org.person.password_reset", by=by, data={"method": "set_by_admin" if password else "link"})
    if password:
        accounts.admin_set_password(person.user, by=by, password=password, now=now)
        return None
    return accounts.issue_set_password_link(person.user, by=by, now=now)


# ------------------------------------------------------------------ roles

ROLE_RULE = "SYS-04"
# Roles with a function across units: granted only by the system
# administrator, never by a 单位管理员 (SYS-04).
ADMIN_ONLY_ROLES = frozenset({Role.ADMIN, Role.REVIEWER, Role.ASSESSOR})


def _check_role_authority(by: Actor, person: Person, role: str, unit: Unit, include_subunits: bool, verb: str) -> None:
    """Who may grant or revoke ``role`` over ``unit`` for ``person`` (SYS-04).

    Nobody acts on their own roles (so nobody raises themselves, and an
    administrator cannot quietly widen their own reach); a 单位管理员 acts only
    over units in their own scope and never on the roles reserved to the
    system administrator.
    """
    if by is not None and person.user_id == by.pk:
        raise PermissionDenied(f"不能{verb}自己的角色，请由其他管理员办理", rule=ROLE_RULE)
    _require_manage_people(by, person.unit, f"您无权{verb}该人员的角色")
    if role in ADMIN_ONLY_ROLES and not _is_admin(by):
        label = Role(role).label if role in Role.values else role
        raise PermissionDenied(f"“{label}”角色只能由系统管理员{verb}", rule=ROLE_RULE)
    if not access.may(by, "org.manage_people", unit):
        raise PermissionDenied(f"您无权在“{unit.name}”范围内{verb}角色", rule=ROLE_RULE)
    if include_subunits and not _covers_subtree(by, "org.manage_people", unit):
        raise PermissionDenied(f"您的管理范围不包括“{unit.name}”的下级单位", rule=ROLE_RULE)


@transaction.atomic
def grant_role(person: Person, *, by: Actor, role: str, unit: Unit | None = None,
               include_subunits: bool = False, today: date | None = None) -> RoleAssignment:
    """Give ``person`` ``role`` over ``unit`` (default: their own unit).

    The role is held from ``today`` (the server's date). A grant by the system
    itself (``by=None``: demo, data carried over) records no start date: held
    since before the system knew of it.
    """
    person = _lock_person(person)
    unit = _lock_unit(unit) if unit is not None else person.unit
    _check_role_authority(by, person, role, unit, bool(include_subunits), "授予")
    errors = {}
    if role not in Role.values:
        errors["role"] = "请选择角色"
    if not person.is_active:
        errors["person"] = "该人员已停用，不能授予角色"
    if not unit.is_active:
        errors["unit"] = f"单位“{unit.name}”已停用"
    if not errors and RoleAssignment.objects.filter(person=person, role=role, unit=unit).exists():
        errors["role"] = f"{person.name}已在“{unit.name}”担任{Role(role).label}"
    _raise_if(errors)
    starts_on = None if by is None else (today or timezone.localdate())
    ra = RoleAssignment.objects.create(person=person, role=role, unit=unit, include_subunits=bool(include_subunits),
                                       starts_on=starts_on)
    record(person, "org.role.granted", by=by, data={
        "role": role, "unit": unit.pk, "unit_name": unit.name, "include_subunits": bool(include_subunits),
        "assignment": ra.pk, "starts_on": starts_on.isoformat() if starts_on else None,
    })
    return ra


def _end_assignment(ra: RoleAssignment, *, by: Actor, reason: str = "", today: date | None = None) -> None:
    """End a role: keep it as history (for capacity on a past date) and record it."""
    ended_on = today or timezone.localdate()
    data = {"role": ra.role, "unit": ra.unit_id, "unit_name": ra.unit.name,
            "include_subunits": ra.include_subunits, "assignment": ra.pk, "ended_on": ended_on.isoformat()}
    if reason:
        data["reason"] = reason
    starts_on = ra.starts_on if ra.starts_on is None or ra.starts_on <= ended_on else ended_on
    PastRoleAssignment.objects.create(person_id=ra.person_id, role=ra.role, unit_id=ra.unit_id,
                                      include_subunits=ra.include_subunits, starts_on=starts_on,
                                      ended_on=ended_on, reason=reason[:100])
    ra.delete()
    record(ra.person, "org.role.revoked", by=by, data=data)


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, by: Actor, today: date | None = None) -> None:
    try:
        ra = RoleAssignment.objects.select_for_update().select_related("person__unit", "unit").get(pk=assignment.pk)
    except RoleAssignment.DoesNotExist:
        raise ValidationError("该角色授权已不存在")
    _check_role_authority(by, ra.person, ra.role, ra.unit, ra.include_subunits, "撤销")
    _end_assignment(ra, by=by, today=today)
