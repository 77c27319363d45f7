from datetime import timedelta

from django import template

register = template.Library()

WEEKDAYS = "一二三四五六日"


@register.filter
def minutes(value) -> int | str:
    """A timedelta as whole minutes (for the lock-out page)."""
    if isinstance(value, timedelta):
        return int(value.total_seconds() // 60)
    return ""


@register.filter
def weekday(value) -> str:
    """周一 … 周日 for a date."""
    try:
        return f"周{WEEKDAYS[value.weekday()]}"
    except AttributeError:
        return ""
