"""Separation of duties (SYS-01).

A person may not approve, confirm or review what they themselves submitted
or drafted, whatever roles they hold (DESIGN invariant 9). The incompatible
posts are 经办 and 审批/审核: 行政事业单位内部控制规范（试行）（财会〔2012〕21号）
第十二条 (不相容岗位相互分离); for enforcement also 行政处罚法第五十八条 (法制审核
by others than the investigators).

Services call ``ensure_not_own`` after authorising and before changing:

    ensure_not_own(by, report.submitted_by, what="确认本人填报的进展")
"""

from fazhi.core.actors import Actor
from fazhi.core.errors import PermissionDenied

SOD_RULE = "SYS-01"


def _user_id(who) -> int | None:
    """The account id of a User, a Person (``user_id``) or a raw id."""
    if who is None:
        return None
    if isinstance(who, int):
        return who
    if hasattr(who, "user_id"):  # org.Person
        return who.user_id
    return getattr(who, "pk", None)


def is_own(by: Actor, *authors) -> bool:
    """Is the acting user one of ``authors`` (Users, Persons or user ids)?"""
    me = _user_id(by)
    return me is not None and any(_user_id(a) == me for a in authors)


def ensure_not_own(by: Actor, *authors, what: str) -> None:
    """Refuse when ``by`` is one of ``authors``. ``by=None`` (the system) passes."""
    if is_own(by, *authors):
        raise PermissionDenied(f"不能{what}：本人经办的事项须由他人审批或审核（职责分离）", rule=SOD_RULE)
