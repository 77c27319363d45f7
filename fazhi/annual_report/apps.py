from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, PortalSection, deferred

CLERK, HEAD, REVIEWER, ASSESSOR, UNIT_ADMIN = "clerk", "head", "reviewer", "assessor", "unit_admin"


# Scoped by org.access to the reporting unit (Report.unit).
PERMISSIONS = (
    Permission("annual_report.view", "查看法治政府建设年度报告", (CLERK, HEAD, REVIEWER, ASSESSOR, UNIT_ADMIN)),
    # 经办人: generate the draft from the records, edit the narrative.
    Permission("annual_report.draft", "起草法治政府建设年度报告", (CLERK,)),
    # 单位负责人: 审核 / 退回修改.
    Permission("annual_report.review", "审核法治政府建设年度报告", (HEAD,)),
    # 报送 (RPT-03/04) and 公开 (RPT-01).
    Permission("annual_report.submit", "报送法治政府建设年度报告", (CLERK, HEAD)),
    Permission("annual_report.publish", "公开法治政府建设年度报告", (CLERK, HEAD)),
)

MANIFEST = Manifest(
    label="annual_report",
    title="法治政府建设年度报告",
    menu=(MenuItem("年度报告", "annual_report:list", "annual_report.view"),),
    permissions=PERMISSIONS,
    dashboard=(deferred("fazhi.annual_report.selectors.dashboard_items"),),
    portal_sections=(
        PortalSection(
            "reports", "法治政府建设年度报告",
            "本级政府及其部门每年4月1日前公开的上一年度法治政府建设情况报告。",
            latest=deferred("fazhi.annual_report.selectors.portal_latest"),
        ),
    ),
)


class AnnualReportConfig(AppConfig):
    name = "fazhi.annual_report"
    label = "annual_report"
    verbose_name = "法治政府建设年度报告"

    def ready(self):
        from django.urls import reverse

        from fazhi.annual_report import services
        from fazhi.annual_report.models import Report
        from fazhi.annual_report.permissions import PUBLISH
        from fazhi.core import privacy
        from fazhi.org import access

        # 公开 of the report: its text is checked for personal data (core.privacy).
        privacy.register(
            Report, texts=services.publication_texts,
            can_decide=lambda user, r: access.allowed(user, PUBLISH, r.unit),
            page=lambda r: reverse("annual_report:detail", args=[r.pk]), title=lambda r: r.title,
            queryset=lambda: Report.objects.select_related("unit"))
