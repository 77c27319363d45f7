from django.apps import AppConfig

from fazhi.core.manifest import Manifest

MANIFEST = Manifest(
    label="annual_report",
    title="法治政府建设年度报告",
)


class AnnualReportConfig(AppConfig):
    name = "fazhi.annual_report"
    label = "annual_report"
    verbose_name = "法治政府建设年度报告"
