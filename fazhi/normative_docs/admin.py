"""Admin: read-only views of the records. Every change goes through
services (and the staff pages); the admin is for looking, not for editing,
so nothing can bypass the legal order or the audit trail."""

from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin
from fazhi.normative_docs import models


@admin.register(models.NormDoc)
class NormDocAdmin(ReadOnlyAdmin):
    list_display = ("title", "doc_number", "registration_no", "issuer", "status", "filing_status", "published_on",
                    "valid_until")
    list_filter = ("status", "filing_status", "touches_market")
    search_fields = ("title", "doc_number", "registration_no")


@admin.register(models.IssuerCode)
class IssuerCodeAdmin(ReadOnlyAdmin):
    list_display = ("unit", "number_prefix", "registration_prefix")


for model in (models.DocVersion, models.FairCompetitionReview,
              models.LegalReview, models.Discussion, models.Filing, models.FilingReview, models.CorrectionOrder,
              models.CleanupCampaign, models.CleanupDecision, models.ReviewProposal):
    admin.site.register(model, ReadOnlyAdmin)
