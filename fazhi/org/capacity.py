"""Did a person hold a capacity on a date (SYS-02)?

Acts record people in a legal capacity: the 行政首长 who decides a major
decision, the members of a collective discussion, the head who approves an
extension, the reviewer who signs a review. DESIGN invariant 9: whoever is
recorded so must hold that role for that unit on that date. Roles held now
are ``RoleAssignment`` rows; roles that ended are ``PastRoleAssignment``
rows, so the question can be answered for any past date.

A role covers a unit when it is held over that unit, or over an ancestor
with ``include_subunits``. A start date of None means "held since before the
system recorded it" and covers every earlier date.

    require_capacity(head_person, Role.HEAD, decision.unit, on=held_on, what="决定的行政首长")
"""

from datetime import date

from django.db.models import Q

from fazhi.core.errors import ValidationError
from fazhi.org.models import PastRoleAssignment, Person, Role, RoleAssignment, Unit

CAPACITY_RULE = "SYS-02"


def _covering(unit: Unit) -> Q:
    ancestor_ids = [int(p) for p in unit.path.split("/") if p][:-1]
    return Q(unit_id=unit.pk) | Q(unit_id__in=ancestor_ids, include_subunits=True)


def _started_by(on: date) -> Q:
    return Q(starts_on__isnull=True) | Q(starts_on__lte=on)


def holds_on(person: Person, role: str, unit: Unit, on: date) -> bool:
    """Did ``person`` hold ``role`` over ``unit`` on the day ``on``?"""
    if person is None:
        return False
    current = RoleAssignment.objects.filter(_covering(unit) & _started_by(on), person=person, role=role)
    if person.is_active and current.exists():
        return True
    return PastRoleAssignment.objects.filter(
        _covering(unit) & _started_by(on), person=person, role=role, ended_on__gt=on,
    ).exists()


def holders_on(role: str, unit: Unit, on: date) -> list[Person]:
    """Everyone who held ``role`` over ``unit`` on ``on`` (for choosers)."""
    current = RoleAssignment.objects.filter(_covering(unit) & _started_by(on), role=role,
                                            person__is_active=True).values("person_id")
    past = PastRoleAssignment.objects.filter(_covering(unit) & _started_by(on), role=role,
                                             ended_on__gt=on).values("person_id")
    return list(Person.objects.filter(Q(pk__in=current) | Q(pk__in=past)).select_related("unit").order_by("name"))


def require_capacity(person: Person | None, role: str, unit: Unit, *, on: date, what: str,
                     field: str = "", rule: str = CAPACITY_RULE) -> None:
    """Refuse unless ``person`` held ``role`` over ``unit`` on ``on``.

    ``what`` names the capacity in the refusal ("决定的行政首长").
    """
    if person is not None and holds_on(person, role, unit, on):
        return
    label = Role(role).label if role in Role.values else role
    who = person.name if person is not None else "（未指定）"
    message = f"{who}在{on.isoformat()}不是“{unit.name}”的{label}，不能作为{what}记录"
    raise ValidationError(message, rule=rule, fields={field: [message]} if field else None)
