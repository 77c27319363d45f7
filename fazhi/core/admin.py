"""Read-only admin bases shared by every module.

Every change to a record goes through the module's services (and is
audited), so the admin is for looking, not for editing: these bases refuse
add, change and delete for everyone, superusers included.
"""

from django.contrib import admin


class _Refuses:
    """Refuses every write; viewing stays as the user's permissions allow."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(_Refuses, admin.ModelAdmin):
    """A ModelAdmin that lists and shows records but never writes them."""


class ReadOnlyInline(_Refuses, admin.TabularInline):
    """A tabular inline with the same refusal, and no empty extra rows."""

    extra = 0
    can_delete = False
    show_change_link = False
