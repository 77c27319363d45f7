"""Admin: read-only, like every module's; changes go through the services."""

from django.contrib import admin

from fazhi.consultations import models
from fazhi.core.admin import ReadOnlyAdmin


@admin.register(models.Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "state", "start_on", "end_on", "summary_published_on")
    list_filter = ("state",)


@admin.register(models.Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("consultation", "article_no", "submitted_at", "adoption")
    list_filter = ("adoption",)
