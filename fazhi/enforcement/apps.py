from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, PortalSection, ReportFact, deferred
from fazhi.core.stored_files import field_files

OFFICER, CLERK, HEAD, REVIEWER, ASSESSOR, UNIT_ADMIN = "officer", "clerk", "head", "reviewer", "assessor", "unit_admin"


# Who may do what (scoped by org.access to the enforcing unit, PenaltyCase.unit).
PERMISSIONS = (
    Permission("enforcement.view", "查看行政执法信息", (OFFICER, CLERK, HEAD, REVIEWER, ASSESSOR, UNIT_ADMIN)),
    # 执法人员/经办人: register cases, investigate, notify, hearings, service, execution, records, transfers.
    Permission("enforcement.handle_case", "办理行政处罚案件", (OFFICER, CLERK)),
    # 单位负责人: approve filing, decide, collective discussion, extensions, termination.
    Permission("enforcement.approve", "审批行政处罚案件", (HEAD,)),
    # 法制审核员 (ENF-04).
    Permission("enforcement.legal_review", "行政执法法制审核", (REVIEWER,)),
    # 公示 (ENF-11/19).
    Permission("enforcement.publish", "执法决定公示", (CLERK, HEAD)),
    # 单位管理员: officers and certificates (ENF-01/25).
    Permission("enforcement.manage_officers", "管理执法人员和执法证件", (UNIT_ADMIN,)),
    # 裁量基准 (ENF-24).
    Permission("enforcement.manage_benchmarks", "管理裁量基准", (UNIT_ADMIN, HEAD)),
)

MANIFEST = Manifest(
    label="enforcement",
    title="行政执法",
    menu=(
        MenuItem("行政处罚案件", "enforcement:case_list", "enforcement.view"),
        MenuItem("执法人员", "enforcement:officer_list", "enforcement.view"),
        MenuItem("裁量基准", "enforcement:benchmark_list", "enforcement.view"),
        MenuItem("两法衔接", "enforcement:transfer_list", "enforcement.view"),
        MenuItem("执法文书代字", "enforcement:code_list", "enforcement.manage_officers"),
    ),
    permissions=PERMISSIONS,
    dashboard=(deferred("fazhi.enforcement.selectors.dashboard_items"),),
    report_facts=(ReportFact("enforcement", deferred("fazhi.enforcement.report_facts.year_facts")),),
    portal_sections=(
        PortalSection(
            "enforcement", "行政执法公示",
            "执法主体、执法人员、执法事项清单及行政执法决定等事前、事中、事后公示信息。",
            latest=deferred("fazhi.enforcement.selectors.portal_latest"),
        ),
    ),
    stored_files=(field_files("enforcement.EvidenceFile", "执法全过程记录文件"),),
)


class EnforcementConfig(AppConfig):
    name = "fazhi.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self):
        from django.urls import reverse

        from fazhi.core import privacy
        from fazhi.enforcement import jobs
        from fazhi.enforcement.models import PublicationRecord
        from fazhi.org import access

        jobs.register()
        # 公示 of a decision: its title and text are checked for personal data (ENF-20, core.privacy).
        privacy.register(
            PublicationRecord, texts=lambda p: {"公示标题": p.title, "公示内容": p.content},
            can_decide=lambda user, p: access.allowed(user, "enforcement.publish", p.unit),
            page=lambda p: reverse("enforcement:case_detail", args=[p.case_id]),
            queryset=lambda: PublicationRecord.objects.select_related("unit", "case"))
