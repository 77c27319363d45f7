"""The public portal: read-only, no sign-in, only what has been published."""

from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from fazhi.portal import search as portal_search
from fazhi.portal import sections as portal_sections

HOME_LIMIT = 8
SECTION_LIMIT = 200
MAX_PAGE = 10_000  # page numbers above this are refused (400), never a 500


def _base_context(active: str = "") -> dict:
    return {
        "sections": portal_sections.sections(),
        "active": active,
        "district_name": settings.FAZHI_DISTRICT_NAME,
    }


def bounded_int(value, *, low: int, high: int, default: int | None = None) -> int | None:
    """An integer query parameter within [low, high]; anything else is ``default``."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return n if low <= n <= high else default


def query_id(value) -> int | None:
    """An id or year from the query string; out of range (a database integer) is no filter."""
    return bounded_int(value, low=1, high=2**62 - 1)


@dataclass(frozen=True)
class OpenDraft:
    """A draft open for public comment today (a normative document or a major decision)."""

    title: str
    url: str
    kind: str
    unit: str
    end_on: date


def open_drafts(today: date) -> list[OpenDraft]:
    """Drafts in public consultation on ``today``, the earliest end date first (NDOC-04, MDEC-04)."""
    from fazhi.major_decisions import selectors as md
    from fazhi.normative_docs import selectors as nd

    out = []
    for c in nd.open_consultations(today)[:20]:
        out.append(OpenDraft(c.doc.title, reverse("normative_docs_portal:consultation", args=[c.pk]),
                             "规范性文件", c.doc.issuer.name if c.doc.issuer_id else "", c.end_on))
    for c in md.open_consultations(today)[:20]:
        out.append(OpenDraft(c.decision.title, reverse("major_decisions_portal:consultation_detail", args=[c.pk]),
                             "重大行政决策", c.decision.sponsor_unit.name, c.end_on))
    out.sort(key=lambda d: (d.end_on, d.title))
    return out


def normative_docs_latest(limit: int, today: date) -> list[portal_sections.PortalEntry]:
    """The latest published normative documents with their number and validity label
    (read-only use of normative_docs.selectors.public_docs and NormDoc.life_label)."""
    from fazhi.normative_docs import selectors as nd

    out = []
    for d in nd.public_docs()[:limit]:
        label = d.life_label(today)
        out.append(portal_sections.PortalEntry(
            d.title, reverse("normative_docs_portal:detail", args=[d.pk]), d.published_on, note=d.doc_number,
            badge=label, badge_class=portal_search.ND_BADGES.get(label, "")))
    return out


@login_not_required
@require_GET
def home(request):
    today = timezone.localdate()
    blocks = []
    for s in portal_sections.sections():
        if s.key == "normative-docs" and s.latest is not None:
            # The library's entries carry their validity (有效 / 失效 / 废止 / 已修改).
            s = replace(s, latest=lambda limit: normative_docs_latest(limit, today))
        items, failed = portal_sections.entries(s, HOME_LIMIT)
        blocks.append({"section": s, "items": items, "failed": failed})
    try:
        drafts, drafts_failed = open_drafts(today), False
    except Exception:
        portal_sections.log.exception("portal open drafts failed")
        drafts, drafts_failed = [], True
    return render(request, "portal/home.html", {
        **_base_context(), "blocks": blocks, "drafts": drafts, "drafts_failed": drafts_failed, "today": today,
    })


@login_not_required
@require_GET
def section(request, key: str):
    s = portal_sections.get(key)
    if s is None:
        raise Http404("栏目不存在")
    if key in portal_sections.SECTION_PAGES:
        return redirect(portal_sections.page_url(s))
    items, failed = portal_sections.entries(s, SECTION_LIMIT)
    return render(request, "portal/section.html", {
        **_base_context(active=s.key), "section": s, "items": items, "failed": failed,
    })


@login_not_required
@require_GET
def search(request):
    """全站检索: every published section, grouped; ``section=`` pages through one of them."""
    q = portal_search.normalize(request.GET.get("q"))
    only = request.GET.get("section") or ""
    if only not in portal_search.TITLES:
        only = ""
    page = bounded_int(request.GET.get("page"), low=1, high=MAX_PAGE, default=None)
    status = 200
    if request.GET.get("page") not in (None, "") and page is None:
        status, page = 400, 1
    page = page or 1
    today = timezone.localdate()
    if only:
        size = portal_search.PAGE_SIZE
        groups = portal_search.search(q, today=today, only=only, limit=size, offset=(page - 1) * size)
    else:
        size = portal_search.PER_SECTION
        groups = portal_search.search(q, today=today, limit=size)
    group = groups[0] if only and groups else None
    pages = max(1, -(-group.count // size)) if group else 1
    return render(request, "portal/search.html", {
        **_base_context(active="search"), "q": q, "groups": groups, "only": only,
        "only_title": portal_search.TITLES.get(only, ""), "page": page, "pages": pages,
        "total": sum(g.count for g in groups), "bad_page": status == 400,
    }, status=status)


@login_not_required
@require_GET
def certificate(request, number: str):
    """/c/<证件号>/ — the certificate check for one number, short enough for a QR code
    on the certificate (ENF-01, ENF-19). Same check and rate limit as the form."""
    from fazhi.portal.modules.enforcement import views as enf

    return enf.certificate_result(request, number)
