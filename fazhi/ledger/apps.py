from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission
from fazhi.core.stored_files import field_files

CLERK, HEAD, UNIT_ADMIN, ASSESSOR = "clerk", "head", "unit_admin", "assessor"


def _dashboard(user, today):
    # Imported here: apps.py is loaded before models may be imported.
    from fazhi.ledger.selectors import dashboard_items

    return dashboard_items(user, today)


# Scoped by org.access. ledger.manage held at the government, or at its
# 法制机构 (依法治区办 in the 区司法局), manages that government's plans.
PERMISSIONS = (
    Permission("ledger.view", "查看任务清单与推进台账", (CLERK, HEAD, UNIT_ADMIN, ASSESSOR)),
    Permission("ledger.manage", "导入方案、分工、下达、督办", (CLERK, UNIT_ADMIN)),
    Permission("ledger.report", "报送本单位推进情况、回复督办", (CLERK, UNIT_ADMIN)),
    Permission("ledger.approve", "审核本单位推进情况", (HEAD,)),
)

MANIFEST = Manifest(
    label="ledger",
    title="任务清单与推进台账",
    menu=(
        MenuItem("实施方案", "ledger:plan_list", "ledger.view"),
        MenuItem("本单位任务", "ledger:my_measures", "ledger.view"),
        MenuItem("逾期措施", "ledger:overdue", "ledger.view"),
        MenuItem("督办问责", "ledger:supervision_list", "ledger.view"),
    ),
    permissions=PERMISSIONS,
    dashboard=(_dashboard,),
    stored_files=(field_files("ledger.ReportAttachment", "推进情况附件"),),
)


class LedgerConfig(AppConfig):
    name = "fazhi.ledger"
    label = "ledger"
    verbose_name = "任务清单与推进台账"

    def ready(self):
        from fazhi.core import jobs
        from fazhi.ledger import services

        jobs.register("ledger.reminders", services.send_reminders, every_seconds=3600)
