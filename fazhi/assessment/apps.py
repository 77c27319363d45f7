from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, ReportFact, deferred

CLERK, HEAD, UNIT_ADMIN, ASSESSOR = "clerk", "head", "unit_admin", "assessor"

# Scoped by org.access: 考核员 holds these at the government with its
# sub-units, so sees and manages every unit; 经办人/单位负责人/单位管理员 see
# their own unit's values (and their sub-units' if so assigned).
PERMISSIONS = (
    Permission("assessment.view", "查看考核指标与驾驶舱", (CLERK, HEAD, UNIT_ADMIN, ASSESSOR)),
    Permission("assessment.manage", "设置考核权重、目标与年度结算", (ASSESSOR,)),
)

MANIFEST = Manifest(
    label="assessment",
    title="考核评价",
    menu=(
        MenuItem("考核指标", "assessment:table", "assessment.view"),
        MenuItem("单位排名", "assessment:ranking", "assessment.view"),
        MenuItem("领导驾驶舱", "assessment:cockpit", "assessment.view"),
        MenuItem("权重与结算", "assessment:weights", "assessment.manage"),
    ),
    permissions=PERMISSIONS,
    report_facts=(ReportFact("indicators", deferred("fazhi.assessment.selectors.unit_values")),),
)


class AssessmentConfig(AppConfig):
    name = "fazhi.assessment"
    label = "assessment"
    verbose_name = "考核评价"
