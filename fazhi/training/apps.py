from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, ReportFact, deferred

CLERK, HEAD, UNIT_ADMIN, OFFICER, ASSESSOR = "clerk", "head", "unit_admin", "officer", "assessor"


# Scoped by org.access: a role held over a unit (and, with include_subunits,
# the units below it). Sessions and exams are checked against the organising
# unit; hours and the shortfall list against the person's unit.
PERMISSIONS = (
    Permission("training.view", "查看培训与考试", (CLERK, HEAD, UNIT_ADMIN, OFFICER, ASSESSOR)),
    # 组织单位的经办人/单位管理员: sessions, attendance, imports, exams, scores.
    Permission("training.manage", "组织培训、登记考勤与成绩", (CLERK, UNIT_ADMIN)),
    # Everyone's hours in scope and the shortfall list (ENF-26). 考核员 holds it
    # at the government with its subunits, so sees every unit.
    Permission("training.view_all", "查看人员学时与达标情况", (CLERK, HEAD, UNIT_ADMIN, ASSESSOR)),
)

MANIFEST = Manifest(
    label="training",
    title="学法用法",
    menu=(
        MenuItem("培训与学法", "training:session_list", "training.view"),
        MenuItem("学时达标情况", "training:shortfall", "training.view_all"),
        MenuItem("我的学法记录", "training:my_record", None),
    ),
    permissions=PERMISSIONS,
    dashboard=(deferred("fazhi.training.selectors.dashboard_items"),),
    report_facts=(ReportFact("training", deferred("fazhi.training.report_facts.year_facts")),),
)


class TrainingConfig(AppConfig):
    name = "fazhi.training"
    label = "training"
    verbose_name = "学法用法"
