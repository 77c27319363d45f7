"""Reads of the audit chain, with their visibility rules.

* administrators and holders of ``audit.view_all`` see everything;
* anyone else sees the entries whose ``unit`` one of their role assignments
  covers (``audit.view_trail``, granted by every role);
* entries without a unit are for the first group only.
"""

from django.db.models import QuerySet

from fazhi.audit.models import AuditEntry
from fazhi.org import access


def can_view_all(user) -> bool:
    return access.is_admin(user) or access.allowed(user, "audit.view_all")


def trail_visible_to(user, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """The entries of one object that ``user`` may read, oldest first.

    Empty means "not found" to the caller: whether a trail exists at all is
    private to those who may read it.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("seq")
    if can_view_all(user):
        return qs
    return access.scope(qs, user, "audit.view_trail")


def entries_for_list(*, action: str = "", actor: str = "", unit=None, object_type: str = "",
                     date_from=None, date_to=None) -> QuerySet[AuditEntry]:
    """The whole log, filtered; callers check ``can_view_all`` first.

    ``date_from``/``date_to`` are aware datetimes (from inclusive, to exclusive).
    """
    qs = AuditEntry.objects.select_related("unit")
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
