from django.contrib import admin

from fazhi.annual_report.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: every change goes through services (and is audited)."""

    list_display = ["title", "unit", "year", "status", "submit_due", "publish_due", "submitted_on", "published_on"]
    list_filter = ["status", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
