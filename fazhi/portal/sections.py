"""The portal's sections: what the public can read, one section per kind.

A section knows its title and intro, and — once its module exists — a
function returning the *published* entries, newest first, read through that
module's selectors (the portal never queries another app's models itself)::

    PortalSection(
        "normative-docs", "规范性文件库", "...",
        latest=normative_docs.selectors.portal_latest,   # (limit) -> list[PortalEntry]
    )

Sections are listed here by hand, in display order. A module that brings
new published content either fills in ``latest`` of its section below or
appends a section to ``SECTIONS``. (Once ``Manifest`` has a
``portal_sections`` field, manifests' sections replace the placeholders of
the same key; see ``sections()``.)

Sections without ``latest`` — or with nothing published — show
“暂无公开内容”.
"""

import logging

# The types are the kernel's (modules declare their sections without importing the portal).
from fazhi.core.manifest import PortalEntry, PortalSection

__all__ = ["PortalEntry", "PortalSection", "SECTIONS", "sections", "get", "entries", "page_url",
           "empty_explanation"]

log = logging.getLogger("fazhi.portal")


SECTIONS: tuple[PortalSection, ...] = (
    PortalSection(
        "normative-docs", "规范性文件库",
        "本级政府及其部门依法制定并统一登记、编号、公布的行政规范性文件，含有效性状态。",
    ),
    PortalSection(
        "major-decisions", "重大行政决策目录",
        "年度重大行政决策事项目录、决策草案公开征求意见及决策结果。",
    ),
    PortalSection(
        "enforcement", "行政执法公示",
        "执法主体、执法人员、执法事项清单及行政执法决定等事前、事中、事后公示信息。",
    ),
    PortalSection(
        "inspections", "双随机抽查结果",
        "“双随机、一公开”抽查计划、随机抽取结果及检查结果。",
    ),
    PortalSection(
        "disclosure", "政府信息公开",
        "主动公开的政府信息、依申请公开指南及政府信息公开工作年度报告。",
    ),
)


# The real page of each section (its module's portal index, with search and
# filters). The navigation links there; /portal/<key>/ redirects there. A
# section without one (政府信息公开) keeps the generic section page.
SECTION_PAGES: dict[str, str] = {
    "normative-docs": "normative_docs_portal:library",
    "major-decisions": "major_decisions_portal:index",
    "enforcement": "enforcement_portal:index",
    "inspections": "inspections_portal:index",
    "reports": "annual_report_portal:index",
}

# What an empty section tells the public instead of a bare “暂无公开内容”.
EMPTY_EXPLANATIONS: dict[str, str] = {
    "normative-docs": "规范性文件经统一登记、编号后公布，公布后即在此列出。",
    "major-decisions": "年度决策事项目录和决策结果经决策机关公布后在此列出。",
    "enforcement": "行政执法决定自作出之日起7个工作日内公示，公示期满后撤下。",
    "inspections": "抽查检查结果自检查结束之日起20个工作日内公示。",
    "disclosure": "政府信息公开栏目正在建设，可先查阅本网站其他栏目。",
    "reports": "上一年度法治政府建设情况报告于每年4月1日前公开。",
}


def page_url(section: "PortalSection") -> str:
    """Where the navigation takes the public for ``section``."""
    from django.urls import NoReverseMatch, reverse

    name = SECTION_PAGES.get(section.key)
    if name:
        try:
            return reverse(name)
        except NoReverseMatch:
            pass
    return reverse("portal:section", args=[section.key])


def empty_explanation(section: "PortalSection") -> str:
    return EMPTY_EXPLANATIONS.get(section.key, "本栏目的内容依法公布后在此列出。")


def sections() -> tuple[PortalSection, ...]:
    """SECTIONS, with any section a manifest declares replacing the placeholder of its key."""
    from fazhi import modules

    declared: dict[str, PortalSection] = {}
    extra: list[PortalSection] = []
    known = {s.key for s in SECTIONS}
    for m in modules.manifests():
        for s in getattr(m, "portal_sections", ()):
            declared[s.key] = s
            if s.key not in known:
                extra.append(s)
    return tuple(declared.get(s.key, s) for s in SECTIONS) + tuple(extra)


def get(key: str) -> PortalSection | None:
    return next((s for s in sections() if s.key == key), None)


def entries(section: PortalSection, limit: int) -> tuple[list[PortalEntry], bool]:
    """The section's published entries and whether loading them failed.

    A failing module must not take the public home page down: it is logged and
    the section says it is temporarily unavailable.
    """
    if section.latest is None:
        return [], False
    try:
        return list(section.latest(limit))[:limit], False
    except Exception:
        log.exception("portal section %s failed", section.key)
        return [], True
