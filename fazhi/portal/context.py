"""Template context for the public portal: the navigation's sections.

Every public page (the portal's own and each module's public pages) shows
the same navigation; it comes from here, so a module's public views only say
which section is active and never import the portal.
"""

from django.utils.functional import SimpleLazyObject

from fazhi.portal import sections as portal_sections

PUBLIC_PREFIXES = ("/portal/", "/c/")


def portal(request):
    if not request.path.startswith(PUBLIC_PREFIXES):
        return {}
    return {"sections": SimpleLazyObject(portal_sections.sections)}
