"""Reads of the audit chain, with their visibility rules.

* administrators see everything;
* holders of ``audit.view_all`` (考核员) see the whole log *of the units their
  grant covers* — a 考核员 role on one 科室 opens that 科室, not the district;
* anyone else sees the entries whose ``unit`` one of their role assignments
  covers (``audit.view_trail``, granted by every role);
* entries without a unit (system-wide: calendar, settings) are for
  administrators and for holders of ``audit.view_all`` over a whole top-level
  unit and everything below it.
"""

from django.db.models import QuerySet

from fazhi.audit.models import AuditEntry
from fazhi.org import access


def can_view_all(user) -> bool:
    """May ``user`` open the log list at all (within their scope)?"""
    return access.is_admin(user) or access.allowed(user, "audit.view_all")


def covers_everything(user) -> bool:
    """Does ``user`` see the whole log (and so may verify the whole chain)?"""
    return access.district_wide(user, "audit.view_all")


def _log_scope(qs: QuerySet, user) -> QuerySet:
    if covers_everything(user):
        return qs
    return access.scope(qs, user, "audit.view_all")


def trail_visible_to(user, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """The entries of one object that ``user`` may read, oldest first.

    Empty means "not found" to the caller: whether a trail exists at all is
    private to those who may read it.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("seq")
    if covers_everything(user):
        return qs
    return qs.filter(access.unit_q(user, "audit.view_trail") | access.unit_q(user, "audit.view_all"))


def entries_for_list(user, *, action: str = "", actor: str = "", unit=None, object_type: str = "",
                     date_from=None, date_to=None) -> QuerySet[AuditEntry]:
    """The log as far as ``user`` may read it, filtered; callers check
    ``can_view_all`` first.

    ``date_from``/``date_to`` are aware datetimes (from inclusive, to exclusive).
    """
    qs = _log_scope(AuditEntry.objects.select_related("unit"), user)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name__contains=actor)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from is not None:
        qs = qs.filter(at__gte=date_from)
    if date_to is not None:
        qs = qs.filter(at__lt=date_to)
    return qs
