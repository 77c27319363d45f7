from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission

MANIFEST = Manifest(
    label="audit",
    title="留痕",
    menu=(MenuItem("留痕记录", "audit:entry_list", "audit.view_all"),),
    permissions=(
        # Trails of single records are visible to whoever may see the record;
        # the whole log is for administrators and assessors.
        Permission("audit.view_all", "查看全部留痕记录", ("assessor",)),
    ),
)


class AuditConfig(AppConfig):
    name = "fazhi.audit"
    label = "audit"
    verbose_name = "留痕"
