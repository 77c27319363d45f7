from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission

R_ADMIN, R_UNIT_ADMIN, R_CLERK, R_HEAD, R_REVIEWER, R_OFFICER, R_ASSESSOR = (
    "admin", "unit_admin", "clerk", "head", "reviewer", "officer", "assessor",
)
ALL_STAFF = (R_UNIT_ADMIN, R_CLERK, R_HEAD, R_REVIEWER, R_OFFICER, R_ASSESSOR)

MANIFEST = Manifest(
    label="org",
    title="组织与人员",
    menu=(
        MenuItem("单位管理", "org:unit_list", "org.view_units"),
        MenuItem("人员与角色", "org:person_list", "org.view_people"),
    ),
    permissions=(
        Permission("org.view_units", "查看单位", ALL_STAFF),
        Permission("org.manage_units", "管理单位（新增、修改、停用下级单位）", (R_UNIT_ADMIN,)),
        # Clerks see their colleagues (to name handlers); reviewers and
        # officers need no staff list. Assessors follow staffing across units.
        Permission("org.view_people", "查看人员", (R_UNIT_ADMIN, R_CLERK, R_HEAD, R_ASSESSOR)),
        Permission("org.manage_people", "管理人员与角色", (R_UNIT_ADMIN,)),
    ),
)


class OrgConfig(AppConfig):
    name = "fazhi.org"
    label = "org"
    verbose_name = "组织与人员"
