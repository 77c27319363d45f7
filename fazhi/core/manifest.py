"""Module manifests: what each app contributes to the shell.

Every app declares a ``MANIFEST`` in its ``apps.py`` — menu entries,
permissions (which roles grant them) and dashboard providers — and
``fazhi/modules.py`` lists the manifests explicitly, in menu order. No
autodiscovery: what is registered is what you read there.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module


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


@dataclass(frozen=True)
class PortalEntry:
    """One published item as the public sees it (a module's ``portal_latest``
    returns these). All text is escaped when shown."""

    title: str
    url: str
    published: date | None = None  # the date of the deliberate act of publication
    note: str = ""
    badge: str = ""  # e.g. a normative document's 有效 / 失效 / 废止 / 已修改
    badge_class: str = ""


@dataclass(frozen=True)
class PortalSection:
    """A section of the public portal that a module fills (``Manifest.portal_sections``).

    The types live in the kernel so that a domain module declares what it
    publishes without importing the portal (the portal reads the modules,
    never the other way round)."""

    key: str  # URL slug: /portal/<key>/
    title: str
    intro: str
    latest: Callable[[int], Sequence[PortalEntry]] | None = None


@dataclass(frozen=True)
class ReportFact:
    """What a module tells the annual report about a unit's year
    (``Manifest.report_facts``; read by ``fazhi.annual_report.facts``).

    ``provider(unit, year, *, today)`` answers for the key, which the report
    knows: "normative_docs", "major_decisions", "enforcement", "training"
    (that module's facts, a dict), "indicators" (the assessment's values, a
    list of dicts), "ledger_summary" (a dict), "ledger_overdue" and
    "ledger_next" (lists of measures). A key no installed module declares gives
    the report nothing, and the draft says the platform holds no records."""

    key: str
    provider: Callable


@dataclass(frozen=True)
class deferred:  # noqa: N801 (used like a function: deferred("fazhi.x.selectors.f"))
    """A provider named by its dotted path and imported when first called.

    apps.py is loaded before models may be imported, so a manifest cannot
    import its module's selectors; ``deferred("fazhi.<app>.selectors.f")``
    stands for ``f`` until the shell calls it, with the same arguments.
    """

    path: str

    def __call__(self, *args, **kwargs):
        module, _, name = self.path.rpartition(".")
        return getattr(import_module(module), name)(*args, **kwargs)


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
    portal_sections: tuple[PortalSection, ...] = ()  # the portal sections this module fills
    # Files its records keep with a SHA-256 (fazhi.core.stored_files; manage.py verify_files).
    stored_files: tuple = ()
    # What it tells the annual report (ReportFact); listed here, never discovered.
    report_facts: tuple[ReportFact, ...] = ()
