"""Every non-trivial read of units and people, scoped to what a user may see.

Other modules read org through these functions and ``fazhi.org.access``.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from fazhi.core.errors import NotFound
from fazhi.org import access
from fazhi.org.models import Person, RoleAssignment, Unit


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    level: int  # indentation relative to the shallowest visible unit
    people_count: int


def units_for(user, permission: str = "org.view_units") -> QuerySet:
    """Units the user may reach under ``permission`` (active or not)."""
    return access.visible_units(user, permission)


def unit_tree(user, *, kind: str = "", name: str = "", active: bool | None = None) -> list[TreeRow]:
    """The visible part of the unit tree in display order: depth-first,
    siblings by ``sort_order`` then name. Filters keep tree order; a unit
    whose parent is filtered out keeps its indentation."""
    qs = units_for(user).annotate(
        people_count=Count("people", filter=Q(people__is_active=True))
    )
    units = list(qs.order_by("path"))
    if not units:
        return []
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for u in units:
        # A unit whose parent is not visible is a root of what this user sees.
        by_parent.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    for siblings in by_parent.values():
        siblings.sort(key=lambda u: (u.sort_order, u.name))
    ordered: list[Unit] = []
    stack = list(reversed(by_parent.get(None, [])))
    while stack:
        u = stack.pop()
        ordered.append(u)
        stack.extend(reversed(by_parent.get(u.pk, [])))
    top = min(u.depth for u in units)
    rows = []
    for u in ordered:
        if kind and u.kind != kind:
            continue
        if name and name not in u.name and name not in u.short_name:
            continue
        if active is not None and u.is_active != active:
            continue
        rows.append(TreeRow(u, u.depth - top, u.people_count))  # type: ignore[attr-defined]  # annotate() above
    return rows


def unit_choices(user, permission: str, *, active_only: bool = True) -> list[tuple[int, str]]:
    """(pk, indented name) for a select of units the user may use under ``permission``."""
    qs = units_for(user, permission)
    if active_only:
        qs = qs.filter(is_active=True)
    units = list(qs.order_by("path"))
    top = min((u.depth for u in units), default=0)
    return [(u.pk, f"{'　' * (u.depth - top)}{u.name}") for u in units]


def get_unit(user, pk, permission: str = "org.view_units") -> Unit:
    """The unit if the user may see it; NotFound otherwise (existence is private)."""
    unit = units_for(user, permission).select_related("parent").filter(pk=pk).first()
    if unit is None:
        raise NotFound()
    return unit


def _roles_prefetch() -> Prefetch:
    return Prefetch("roles", queryset=RoleAssignment.objects.select_related("unit").order_by("role", "unit__path"))


def people_for(user, *, unit: Unit | None = None, subunits: bool = True, role: str = "", name: str = "",
               active: bool | None = None) -> QuerySet:
    """People the user may see (``org.view_people``), with unit, account and
    roles loaded: a page of them costs a fixed number of queries."""
    qs = access.scope(Person.objects.all(), user, "org.view_people")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path) if subunits else qs.filter(unit=unit)
    if role:
        qs = qs.filter(pk__in=RoleAssignment.objects.filter(role=role).values("person_id"))
    if name:
        qs = qs.filter(Q(name__contains=name) | Q(user__username__icontains=name) | Q(post__contains=name))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.select_related("unit", "user").prefetch_related(_roles_prefetch())


def get_person(user, pk) -> Person:
    """Person detail if the user may see them; NotFound otherwise."""
    person = people_for(user).filter(pk=pk).first()
    if person is None:
        raise NotFound()
    return person


def unit_people(user, unit: Unit) -> list[Person]:
    """People of exactly ``unit`` the user may see."""
    return list(people_for(user).filter(unit=unit).order_by("-is_active", "name"))


def unit_role_assignments(unit: Unit) -> list[RoleAssignment]:
    """Who holds which role over ``unit`` (directly or from above with
    ``include_subunits``) — the unit detail page shows this."""
    ancestors = [p for p in unit.path.split("/") if p]
    ancestor_ids = [int(p) for p in ancestors[:-1]]
    return list(
        RoleAssignment.objects.filter(Q(unit=unit) | Q(unit_id__in=ancestor_ids, include_subunits=True))
        .filter(person__is_active=True)
        .select_related("person", "person__unit", "unit")
        .order_by("unit__path", "role", "person__name")
    )


def active_people_count(unit: Unit) -> int:
    return unit.people.filter(is_active=True).count()
