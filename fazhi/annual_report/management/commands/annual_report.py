"""python manage.py annual_report --unit UNIT --year YEAR --out FILE.docx

UNIT is a unit's full or short name. Generates the draft (as the system) if
the unit has no report on the year, then writes the .docx. An existing report
is written as it stands (not re-generated: staff edits and the workflow are
the pages' business).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from fazhi.annual_report import documents, services
from fazhi.annual_report.models import Report
from fazhi.core.errors import DomainError
from fazhi.org.models import Unit


class Command(BaseCommand):
    help = "生成（如尚无）并导出单位年度法治政府建设情况报告（.docx）"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位全称或简称")
        parser.add_argument("--year", required=True, help="报告年度，如 2025")
        parser.add_argument("--out", required=True, help="输出文件路径（.docx）")

    def handle(self, *args, unit, year, out, **opts):
        name = unit.strip()
        units = list(Unit.objects.filter(Q(name=name) | Q(short_name=name)))
        exact = [u for u in units if u.name == name]
        if exact:
            units = exact
        if not units:
            raise CommandError(f"找不到单位“{name}”：请填写单位全称或简称")
        if len(units) > 1:
            raise CommandError(f"简称“{name}”对应多个单位（{'、'.join(u.name for u in units)}），请填写单位全称")
        target = Path(out)
        if target.suffix.lower() != ".docx":
            raise CommandError("输出文件应以 .docx 结尾")
        if not target.parent.exists():
            raise CommandError(f"输出目录不存在：{target.parent}")
        today = timezone.localdate()
        try:
            y = services.check_year(year, today)
            report = Report.objects.filter(unit=units[0], year=y).select_related("unit").first()
            if report is None:
                report = services.generate_report(units[0], y, by=None, today=today)
                self.stdout.write(f"已生成报告草稿：{report.title}")
        except DomainError as exc:
            raise CommandError(str(exc))
        data = documents.report_docx(report)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {target}：{exc.strerror}")
        self.stdout.write(f"已导出：{target}（{report.get_status_display()}，{len(data)} 字节）")
