from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission

MANIFEST = Manifest(
    label="core",
    title="系统设置",
    menu=(MenuItem("地方规则", "shell:local_rules", "core.manage_local_rules"),),
    # No role grants it: 系统管理员 only (they hold every permission). The
    # rules bind the whole district, so no unit's administrator changes them.
    permissions=(Permission("core.manage_local_rules", "查看和修改地方规则（期限、阈值、目标）", ()),),
)


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "公共"
