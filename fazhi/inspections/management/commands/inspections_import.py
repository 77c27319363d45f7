"""Import the object pool from a .csv or .xlsx file, synchronously, all or nothing.

    python manage.py inspections_import FILE [--unit UNIT]

Same importer as the page (``services.start_import`` + ``services.run_import``);
prints progress and the error report; exits 1 when the import fails.
"""

import os

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from fazhi.core.errors import DomainError
from fazhi.inspections import services
from fazhi.inspections.models import ImportStatus
from fazhi.org.models import Unit


class Command(BaseCommand):
    help = "导入检查对象名录（.csv 或 .xlsx），全部成功才写入"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", help="导入单位（名称、简称或编号；默认第一个顶级单位）")
        parser.add_argument("--every", type=int, default=100_000, help="每处理多少行显示一次进度")

    def handle(self, *args, file, unit=None, every=100_000, **options):
        if not os.path.isfile(file):
            raise CommandError(f"文件不存在：{file}")
        if unit:
            q = Q(name=unit) | Q(short_name=unit)
            if unit.isdigit():
                q |= Q(pk=int(unit))
            target = Unit.objects.filter(q).first()
        else:
            target = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if target is None:
            raise CommandError(f"单位不存在：{unit or '（无顶级单位）'}")
        try:
            with open(file, "rb") as f:
                imp = services.start_import(File(f, name=os.path.basename(file)), by=None, unit=target)
        except DomainError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"导入批次 {imp.pk}：{file}（{imp.get_format_display()}）")
        imp = services.run_import(imp.pk, progress_every=every, stdout=self.stdout)
        for e in imp.errors:
            self.stdout.write(f"第{e['row']}行 [{e['column']}] {e['value']}：{e['message']}")
        if imp.error_count > len(imp.errors):
            self.stdout.write(f"……另有 {imp.error_count - len(imp.errors)} 处错误未列出")
        if imp.status != ImportStatus.SUCCEEDED:
            raise CommandError(imp.message)
        self.stdout.write(self.style.SUCCESS(imp.message))
