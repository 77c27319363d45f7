"""Who may do what with a report, scoped by org.access to ``Report.unit``."""

from fazhi.org import access

VIEW = "annual_report.view"
DRAFT = "annual_report.draft"
REVIEW = "annual_report.review"
SUBMIT = "annual_report.submit"
PUBLISH = "annual_report.publish"

ACTION_PERMISSION = {"review": REVIEW, "return": REVIEW, "submit": SUBMIT, "publish": PUBLISH}


def can_view_report(user, report) -> bool:
    return access.allowed(user, VIEW, report.unit)


def can_draft_report(user, unit) -> bool:
    return access.allowed(user, DRAFT, unit)


def can_do(user, action: str, report) -> bool:
    return access.allowed(user, ACTION_PERMISSION[action], report.unit)


def system_or(user, permission: str, unit) -> bool:
    """``by=None`` is the system (demo loader, CLI); everyone else needs the permission."""
    return user is None or access.allowed(user, permission, unit)
