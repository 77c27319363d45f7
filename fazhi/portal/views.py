"""The public portal: read-only, no sign-in, only what has been published."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi.portal import sections as portal_sections

HOME_LIMIT = 8
SECTION_LIMIT = 200


def _base_context(active: str = "") -> dict:
    return {
        "sections": portal_sections.sections(),
        "active": active,
        "district_name": settings.FAZHI_DISTRICT_NAME,
    }


@login_not_required
@require_GET
def home(request):
    blocks = []
    for s in portal_sections.sections():
        items, failed = portal_sections.entries(s, HOME_LIMIT)
        blocks.append({"section": s, "items": items, "failed": failed})
    return render(request, "portal/home.html", {**_base_context(), "blocks": blocks})


@login_not_required
@require_GET
def section(request, key: str):
    s = portal_sections.get(key)
    if s is None:
        raise Http404("栏目不存在")
    items, failed = portal_sections.entries(s, SECTION_LIMIT)
    return render(request, "portal/section.html", {
        **_base_context(active=s.key), "section": s, "items": items, "failed": failed,
    })
