"""Admin: read-only views of the enforcement records. Every change goes
through ``services`` (and the staff pages), so nothing can bypass the legal
order of a case (workflow.CASE_WORKFLOW) or the audit trail; the admin is
for looking, not for editing."""

from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin, ReadOnlyInline
from fazhi.enforcement import models


class CertificateInline(ReadOnlyInline):
    model = models.Certificate
    fields = ("number", "kind", "field", "valid_from", "valid_to", "status")


class AnnualCheckInline(ReadOnlyInline):
    model = models.AnnualCheck
    fields = ("year", "result", "checked_on", "note")


class BenchmarkInline(ReadOnlyInline):
    model = models.Benchmark
    fields = ("severity", "fine_min", "fine_max", "other_penalties")


class CaseOfficerInline(ReadOnlyInline):
    model = models.CaseOfficer
    fields = ("officer", "certificate_no", "role", "assigned_on")


class EvidenceInline(ReadOnlyInline):
    model = models.EvidenceFile
    fields = ("record_type", "kind", "title", "original_name", "size", "sha256", "captured_by_name", "captured_at")


@admin.register(models.Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "unit", "category", "has_legal_qualification", "is_active")
    list_filter = ("is_active", "has_legal_qualification")
    search_fields = ("person__name", "certificates__number")
    list_select_related = ("person", "unit")
    inlines = (CertificateInline,)


@admin.register(models.Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "officer", "unit", "field", "valid_from", "valid_to", "status")
    list_filter = ("status", "kind")
    search_fields = ("number", "officer__person__name")
    list_select_related = ("officer__person", "unit")
    date_hierarchy = "valid_to"
    inlines = (AnnualCheckInline,)


@admin.register(models.EnforcementCode)
class EnforcementCodeAdmin(ReadOnlyAdmin):
    list_display = ("unit", "case_prefix", "decision_prefix")
    search_fields = ("unit__name", "case_prefix", "decision_prefix")


@admin.register(models.ViolationType)
class ViolationTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit", "field", "is_active")
    list_filter = ("is_active", "field")
    search_fields = ("code", "name", "legal_basis", "penalty_basis")
    list_select_related = ("unit",)
    inlines = (BenchmarkInline,)


@admin.register(models.PenaltyCase)
class PenaltyCaseAdmin(ReadOnlyAdmin):
    # The party's ID number, address and phone are deliberately not listed.
    list_display = ("display_no", "cause", "unit", "procedure", "status", "party_name", "filed_on", "decision_due",
                    "decision_no", "fine_amount")
    list_filter = ("status", "procedure", "party_kind")
    search_fields = ("case_no", "decision_no", "cause", "party_name")
    list_select_related = ("unit",)
    date_hierarchy = "discovered_on"
    inlines = (CaseOfficerInline, EvidenceInline)


@admin.register(models.CaseExtension)
class CaseExtensionAdmin(ReadOnlyAdmin):
    list_display = ("case", "days", "old_due", "new_due", "approved_on", "approved_by_name")
    search_fields = ("case__case_no", "case__cause", "basis")
    list_select_related = ("case",)


@admin.register(models.LegalReview)
class LegalReviewAdmin(ReadOnlyAdmin):
    list_display = ("case", "result", "reviewed_on", "reviewer_name", "reviewer_qualified")
    list_filter = ("result",)
    search_fields = ("case__case_no", "case__cause", "reviewer_name")
    list_select_related = ("case",)


@admin.register(models.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("case", "method", "amount", "surcharge", "paid_on", "bank_receipt_no")
    list_filter = ("method",)
    search_fields = ("bank_receipt_no", "case__case_no", "case__decision_no")
    list_select_related = ("case",)


@admin.register(models.EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "case", "record_type", "kind", "size", "sha256", "captured_by_name", "captured_at")
    list_filter = ("record_type", "kind")
    search_fields = ("sha256", "original_name", "title", "case__case_no")
    list_select_related = ("case",)


@admin.register(models.PublicationRecord)
class PublicationRecordAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "unit", "status", "decision_date", "due", "published_on", "display_until",
                    "withdrawn_on")
    list_filter = ("status", "kind")
    search_fields = ("title", "case__case_no", "case__decision_no")
    list_select_related = ("unit",)


@admin.register(models.PoliceTransfer)
class PoliceTransferAdmin(ReadOnlyAdmin):
    list_display = ("case", "receiving_organ", "suspected_crime", "transferred_on", "status", "reply_on")
    list_filter = ("status",)
    search_fields = ("case__case_no", "case__cause", "receiving_organ", "suspected_crime")
    list_select_related = ("case",)
