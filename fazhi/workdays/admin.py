from django.contrib import admin

from fazhi.workdays.models import CalendarYear, Holiday


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Read-only: the calendar changes only through services (audited)."""

    list_display = ("year", "confirmed", "source", "confirmed_at")
    list_filter = ("confirmed",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "festival", "year", "source")
    list_filter = ("kind", "year")
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
