"""Module manifests: what each app contributes to the shell.

Every app declares a ``MANIFEST`` in its ``apps.py`` — menu entries,
permissions (which roles grant them) and dashboard providers — and
``fazhi/modules.py`` lists the manifests explicitly, in menu order. No
autodiscovery: what is registered is what you read there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class MenuItem:
    title: str
    url_name: str
    permission: str | None = None  # shown only when the user holds it somewhere


@dataclass(frozen=True)
class Permission:
    code: str  # "<app>.<verb>_<thing>", e.g. "org.manage_units"
    title: str
    roles: tuple[str, ...]  # org.Role values that grant it within their scope


@dataclass(frozen=True)
class DashboardItem:
    """One line on the home dashboard."""

    kind: str  # "todo" | "due_soon" | "overdue"
    title: str
    url: str
    due: date | None = None
    module: str = ""
    note: str = ""


# provider(user, today) -> list[DashboardItem]
DashboardProvider = Callable[[object, date], list[DashboardItem]]


@dataclass(frozen=True)
class Manifest:
    label: str
    title: str
    menu: tuple[MenuItem, ...] = ()
    permissions: tuple[Permission, ...] = ()
    dashboard: tuple[DashboardProvider, ...] = field(default=())
    public: bool = False  # appears on the portal rather than the staff menu
    portal_sections: tuple = ()  # fazhi.portal.sections.Section entries this module fills
