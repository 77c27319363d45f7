"""The one permission helper every module uses.

A permission (declared in a module manifest, listed in fazhi/modules.py) is
granted by roles. A role is held over a unit and, if ``include_subunits``,
over every unit below it. So "may user U do P on a record of unit X?" is:
does U hold a role that grants P, over X or an ancestor of X with
include_subunits? 系统管理员 holds every permission everywhere.

Cross-unit functions (法制审核员, 考核员) are expressed the same way: they
are assigned at the government unit with include_subunits, and their roles
grant only review/assessment permissions — so they see across units for
their function and cannot edit another unit's records.

Usage in selectors:  ``scope(Record.objects.all(), user, "x.view_record")``
Usage in services:   ``ensure(allowed(user, "x.change_record", record.unit))``
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from fazhi.core.errors import PermissionDenied
from fazhi.org.models import Person, Role, RoleAssignment, Unit


@dataclass(frozen=True)
class Grant:
    unit_id: int
    path: str
    include_subunits: bool

    def covers(self, unit: Unit) -> bool:
        if unit.pk == self.unit_id:
            return True
        return self.include_subunits and unit.path.startswith(self.path) and unit.pk != self.unit_id


def _roles_for(permission: str) -> tuple[str, ...]:
    from fazhi.modules import permissions

    try:
        return permissions()[permission].roles
    except KeyError:
        # A typo in a permission code must fail loudly, not deny silently.
        raise LookupError(f"unknown permission {permission!r}; declare it in a module manifest")


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def _assignments(user) -> list[tuple[str, Grant]]:
    """All (role, grant) of a user, cached on the user object per request."""
    cached = getattr(user, "_fazhi_grants", None)
    if cached is not None:
        return cached
    person = person_of(user)
    rows = []
    if person is not None and person.is_active:
        for ra in RoleAssignment.objects.filter(person=person, unit__is_active=True).select_related("unit"):
            rows.append((ra.role, Grant(ra.unit_id, ra.unit.path, ra.include_subunits)))
    user._fazhi_grants = rows
    return rows


def is_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(role == Role.ADMIN for role, _ in _assignments(user))


def has_role(user, role: str) -> bool:
    return is_admin(user) or any(r == role for r, _ in _assignments(user))


def grants(user, permission: str) -> list[Grant] | None:
    """The grants through which ``user`` holds ``permission``; None = everywhere."""
    roles = _roles_for(permission)
    if is_admin(user):
        return None
    return [g for role, g in _assignments(user) if role in roles]


def allowed(user, permission: str, unit: Unit | None = None) -> bool:
    """May ``user`` exercise ``permission`` on records of ``unit``?

    With ``unit=None`` the question is "anywhere at all" (menus, list pages).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    g = grants(user, permission)
    if g is None:
        return True
    if unit is None:
        return bool(g)
    return any(grant.covers(unit) for grant in g)


def district_wide(user, permission: str) -> bool:
    """Does ``user`` hold ``permission`` over a whole top-level unit and
    everything below it? For acts that have no unit of their own and bind the
    whole district (the audit chain, indicator weights): holding the
    permission on one 科室 must not open them (issue 11 §1)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    g = grants(user, permission)
    if g is None:
        return True
    return any(grant.include_subunits and grant.path.count("/") == 1 for grant in g)


def require(user, permission: str, unit: Unit | None = None) -> None:
    if not allowed(user, permission, unit):
        raise PermissionDenied()


def may(by, permission: str, unit: Unit | None = None) -> bool:
    """``allowed`` for a service's actor: ``by=None`` is the system (a job, a
    management command, demo data), which may do everything."""
    return by is None or allowed(by, permission, unit)


def require_actor(by, permission: str, unit: Unit | None = None,
                  message: str = "您没有执行此操作的权限") -> None:
    """A service's permission check: refuses with ``message`` unless ``may``."""
    if not may(by, permission, unit):
        raise PermissionDenied(message)


def unit_q(user, permission: str, field: str = "unit") -> Q:
    """A filter for records whose ``field`` (a FK to Unit) the user may reach
    under ``permission``. ``field=""`` filters Unit rows themselves."""
    g = grants(user, permission) if getattr(user, "is_authenticated", False) else []
    if g is None:
        return Q()
    prefix = f"{field}__" if field else ""
    q = Q(pk__in=[])
    for grant in g:
        q |= Q(**{f"{prefix}pk": grant.unit_id})
        if grant.include_subunits:
            q |= Q(**{f"{prefix}path__startswith": grant.path})
    return q


def scope(queryset: QuerySet, user, permission: str, field: str = "unit") -> QuerySet:
    """Restrict a queryset to the records the user may see under ``permission``."""
    return queryset.filter(unit_q(user, permission, field))


def visible_units(user, permission: str) -> QuerySet:
    return Unit.objects.filter(unit_q(user, permission, field=""))


def require_page(user, permission: str, unit: Unit | None = None) -> None:
    """``require`` for page views: answers 403 through Django's handler."""
    from django.core.exceptions import PermissionDenied as HttpForbidden

    if not allowed(user, permission, unit):
        raise HttpForbidden("您没有执行此操作的权限")
