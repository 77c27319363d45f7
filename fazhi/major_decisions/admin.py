"""Admin: read-only views of the records. Every change goes through services
(and the staff pages), so nothing can bypass the legal order or the audit trail."""

from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin
from fazhi.major_decisions import models


@admin.register(models.Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "sponsor_unit", "status", "launched_on", "published_on")
    list_filter = ("status", "category")
    search_fields = ("title",)


@admin.register(models.Catalogue)
class CatalogueAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "year", "status", "version", "published_on")


@admin.register(models.Responsibility)
class ResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ("decision", "step", "capacity", "name", "post", "unit_name", "acted_on")
    search_fields = ("name",)


for model in (models.CatalogueEntry, models.CatalogueAdjustment, models.CataloguePublication,
              models.ExpertPool, models.Expert, models.ExpertReview, models.ExpertDraw,
              models.ExpertOpinion, models.RiskAssessment, models.LegalReview, models.Discussion, models.DiscussionVote,
              models.ExecutionReport, models.PostEvaluation, models.DecisionChange, models.Attachment):
    admin.site.register(model, ReadOnlyAdmin)
