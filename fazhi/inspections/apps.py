from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, PortalSection, deferred
from fazhi.core.stored_files import field_files
from fazhi.inspections.stored_files import draw_files

OFFICER, CLERK, HEAD, REVIEWER, ASSESSOR, UNIT_ADMIN = "officer", "clerk", "head", "reviewer", "assessor", "unit_admin"


# Scoped by org.access to the record's unit (the department that owns the item,
# plan, task or draw; for a joint plan, its lead department).
PERMISSIONS = (
    Permission("inspections.view", "查看双随机抽查", (OFFICER, CLERK, HEAD, REVIEWER, ASSESSOR, UNIT_ADMIN)),
    # 抽查事项清单 (RAND-02/04).
    Permission("inspections.manage_items", "管理抽查事项清单", (CLERK, UNIT_ADMIN)),
    # 检查对象名录库 and 执法检查人员名录库, imports (RAND-03).
    Permission("inspections.manage_pools", "管理检查对象库和检查人员库", (CLERK, UNIT_ADMIN)),
    # Annual and joint plans, tasks (RAND-09).
    Permission("inspections.plan", "编制抽查计划和任务", (CLERK,)),
    Permission("inspections.approve", "审批抽查计划", (HEAD,)),
    # Commit to a seed, freeze the pools, reveal and draw (RAND-05).
    Permission("inspections.draw", "执行随机抽取", (CLERK, HEAD)),
    # Results per object with the officers' records.
    Permission("inspections.record_result", "录入检查结果", (OFFICER, CLERK)),
    # 一公开 (RAND-07).
    Permission("inspections.publish", "公示抽查结果", (CLERK, HEAD)),
)

MANIFEST = Manifest(
    label="inspections",
    title="双随机、一公开",
    menu=(
        MenuItem("抽查事项清单", "inspections:item_list", "inspections.view"),
        MenuItem("检查对象名录库", "inspections:entity_list", "inspections.view"),
        MenuItem("检查人员名录库", "inspections:inspector_list", "inspections.view"),
        MenuItem("抽查计划和任务", "inspections:plan_list", "inspections.view"),
        MenuItem("随机抽取", "inspections:draw_list", "inspections.view"),
        MenuItem("检查结果与公示", "inspections:inspection_list", "inspections.view"),
        MenuItem("抽查统计", "inspections:stats", "inspections.view"),
    ),
    permissions=PERMISSIONS,
    dashboard=(deferred("fazhi.inspections.selectors.dashboard_items"),),
    portal_sections=(
        PortalSection(
            "inspections", "双随机抽查结果",
            "随机抽查事项清单、抽查计划、可验证的随机抽取（种子承诺、名录哈希、抽取凭证）及抽查结果公示。",
            latest=deferred("fazhi.inspections.selectors.portal_latest"),
        ),
    ),
    stored_files=(
        field_files("inspections.InspectionAttachment", "检查记录附件", in_storage=False),
        field_files("inspections.EntityImport", "检查对象导入文件", in_storage=False),
        draw_files,
    ),
)


class InspectionsConfig(AppConfig):
    name = "fazhi.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"

    def ready(self):
        from django.urls import reverse

        from fazhi.core import privacy
        from fazhi.inspections import jobs
        from fazhi.inspections.models import Inspection
        from fazhi.org import access

        jobs.register()
        # 一公开 of a result: its text is checked for personal data (RAND-07, core.privacy).
        privacy.register(
            Inspection, texts=lambda i: {"公示内容": i.findings, "事由说明": i.reason_note},
            can_decide=lambda user, i: access.allowed(user, "inspections.publish", i.unit),
            page=lambda i: reverse("inspections:inspection_detail", args=[i.pk]),
            title=lambda i: f"{i.entity.name} 检查结果",
            queryset=lambda: Inspection.objects.select_related("unit", "entity"))
