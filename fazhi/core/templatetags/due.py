"""{% due_cell deadline today %}: a deadline in the dashboard's colours (fazhi.core.due)."""

from django import template

from fazhi.core.due import due_state
from fazhi.workdays.calendar import Calendar

register = template.Library()


@register.simple_tag(takes_context=True)
def due_cell(context, due, today, done=False, judged_on=None, provisional=False):
    # one calendar per rendered page, however many rows (its years are read once)
    calendar = context.render_context.get("fazhi_due_calendar")
    if calendar is None:
        calendar = context.render_context["fazhi_due_calendar"] = Calendar()
    return due_state(due, today, done=bool(done), judged_on=judged_on, provisional=provisional,
                     calendar=calendar)
