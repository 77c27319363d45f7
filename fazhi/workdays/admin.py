from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin
from fazhi.workdays.models import CalendarYear, Holiday


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """Read-only: the calendar changes only through services (audited)."""

    list_display = ("year", "confirmed", "source", "confirmed_at")
    list_filter = ("confirmed",)


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "festival", "year", "source")
    list_filter = ("kind", "year")
    date_hierarchy = "date"
