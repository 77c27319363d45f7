from django.contrib import admin

from fazhi.annual_report.models import Report
from fazhi.core.admin import ReadOnlyAdmin


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through services (and is audited)."""

    list_display = ["title", "unit", "year", "status", "submit_due", "publish_due", "submitted_on", "published_on"]
    list_filter = ["status", "year"]
