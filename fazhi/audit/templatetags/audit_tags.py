"""``{% load audit_tags %}`` then ``{% trail_url obj %}`` -> the URL of obj's trail."""

from django import template

from fazhi.audit.views import trail_url as _trail_url

register = template.Library()


@register.simple_tag
def trail_url(obj) -> str:
    if obj is None or getattr(obj, "pk", None) is None:
        return ""
    return _trail_url(obj._meta.label_lower, obj.pk)
