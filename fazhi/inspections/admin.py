"""Admin: read-mostly views for support staff. State changes go through the
services (the admin offers no edit of draws, selections or results)."""

from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin
from fazhi.inspections.models import (
    Draw,
    DrawWitness,
    Entity,
    EntityImport,
    Inspection,
    InspectionItem,
    Inspector,
    Plan,
    Task,
)


@admin.register(InspectionItem)
class InspectionItemAdmin(ReadOnlyAdmin):
    list_display = ("number", "version", "name", "unit", "kind", "status")
    list_filter = ("status", "kind")
    search_fields = ("number", "name")


@admin.register(Entity)
class EntityAdmin(ReadOnlyAdmin):
    list_display = ("credit_code", "name", "industry", "region", "risk_level", "last_inspected_on", "active")
    list_filter = ("risk_level", "active")
    search_fields = ("credit_code", "name")
    show_full_result_count = False


@admin.register(EntityImport)
class EntityImportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "original_name", "unit", "status", "total_rows", "error_count", "created_at")
    list_filter = ("status",)


@admin.register(Inspector)
class InspectorAdmin(ReadOnlyAdmin):
    list_display = ("officer", "unit", "fields", "active")


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "unit", "kind", "status")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "status", "planned_start", "planned_end")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("pk", "task", "status", "commitment", "committed_at", "drawn_at", "published_at")
    exclude = ("secret_seed",)  # fazhi-draw/1 only; later draws never store their seed


@admin.register(DrawWitness)
class DrawWitnessAdmin(ReadOnlyAdmin):
    list_display = ("task", "position", "name", "capacity", "kind", "commitment", "revealed_at")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("entity", "unit", "kind", "status", "result", "inspected_on", "publish_due", "published_at")
    list_filter = ("status", "kind", "result")
