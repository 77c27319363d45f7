from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission

# Every role of org.Role: any role held over a unit lets its holder read the
# trails of that unit's records. Listed by hand (no import of org models here,
# apps.py is loaded before models); keep in step with org.Role.
ALL_ROLES = ("admin", "unit_admin", "clerk", "head", "reviewer", "officer", "assessor")

MANIFEST = Manifest(
    label="audit",
    title="留痕",
    menu=(MenuItem("留痕记录", "audit:entry_list", "audit.view_all"),),
    permissions=(
        # The whole log is for administrators and assessors.
        Permission("audit.view_all", "查看全部留痕记录", ("assessor",)),
        # Trails of single records: whoever holds any role over the record's unit.
        Permission("audit.view_trail", "查看本单位记录的留痕", ALL_ROLES),
    ),
)


class AuditConfig(AppConfig):
    name = "fazhi.audit"
    label = "audit"
    verbose_name = "留痕"
