from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, ReportFact, deferred
from fazhi.core.stored_files import field_files

CLERK, HEAD, UNIT_ADMIN, ASSESSOR = "clerk", "head", "unit_admin", "assessor"


def _report_summary(unit, year, *, today):
    from fazhi.ledger.selectors import year_summary

    return year_summary(unit, year, today)


def _report_overdue(unit, year, *, today):
    from fazhi.ledger.selectors import overdue_measures

    return overdue_measures(unit, today)


def _report_next(unit, year, *, today):
    """The measures of the year after ``year`` (the report's 下一年度工作安排)."""
    from fazhi.ledger.selectors import measures_for_report

    return measures_for_report(unit, year + 1, today=today)


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
    dashboard=(deferred("fazhi.ledger.selectors.dashboard_items"),),
    report_facts=(ReportFact("ledger_summary", _report_summary), ReportFact("ledger_overdue", _report_overdue),
                  ReportFact("ledger_next", _report_next)),
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
