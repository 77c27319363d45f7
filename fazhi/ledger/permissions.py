"""Who may do what in the ledger, on top of fazhi.org.access.

* ``ledger.manage`` (经办人/单位管理员): import plans, assign, split, issue,
  supervise. Held over the plan's unit itself, or over the government's
  法制机构 (the 依法治区办 sits in the 区司法局, ``Unit.is_legal_office``):
  holding it there manages the plans of that office's parent government.
* ``ledger.report`` (经办人/单位管理员): report progress for one's own unit
  on measures and tasks it leads or takes part in, answer supervision.
* ``ledger.approve`` (单位负责人): confirm or return one's unit's reports.
* ``ledger.view``: see plans and measures of units in scope (考核员 at the
  government with sub-units sees everything).
"""

from django.db.models import Q

from fazhi.org import access
from fazhi.org.models import Unit

VIEW, MANAGE, REPORT, APPROVE = "ledger.view", "ledger.manage", "ledger.report", "ledger.approve"


def managed_unit_ids(user) -> set[int] | None:
    """Units whose plans the user manages (None = all). Cached on the user."""
    cached = getattr(user, "_ledger_managed", False)
    if cached is not False:
        return cached
    if not getattr(user, "is_authenticated", False):
        result: set[int] | None = set()
    else:
        grants = access.grants(user, MANAGE)
        if grants is None:
            result = None
        else:
            result = set()
            if grants:
                result = set(access.visible_units(user, MANAGE).values_list("pk", flat=True))
                offices = Unit.objects.filter(is_legal_office=True, parent__isnull=False, pk__in=result)
                result |= set(offices.values_list("parent_id", flat=True))
    user._ledger_managed = result
    return result


def plan_q(user, field: str = "unit") -> Q:
    """Plans (their ``field`` unit) the user manages."""
    ids = managed_unit_ids(user)
    if ids is None:
        return Q()
    return Q(**{f"{field}_id__in": ids})


def can_manage_plan(user, unit: Unit) -> bool:
    """System (None) or a manager of ``unit``'s plans."""
    if user is None:
        return True
    ids = managed_unit_ids(user)
    return ids is None or unit.pk in ids


def can_report(user, unit: Unit) -> bool:
    return user is None or access.allowed(user, REPORT, unit)


def can_approve(user, unit: Unit) -> bool:
    return user is None or access.allowed(user, APPROVE, unit)
