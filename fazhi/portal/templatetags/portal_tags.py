"""Template helpers of the public portal."""

from django import template

from fazhi.portal import sections as portal_sections

register = template.Library()


@register.filter
def section_url(section) -> str:
    """The real page of a portal section (its module's index), for the navigation."""
    return portal_sections.page_url(section)


@register.filter
def empty_explanation(section) -> str:
    return portal_sections.empty_explanation(section)
