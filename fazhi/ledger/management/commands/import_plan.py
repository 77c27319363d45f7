"""python manage.py import_plan FILE --unit UNIT [--year YEAR] [--part N] [--confirm]

Reads an implementation plan (.txt or .docx), prints one line per measure
(number, area, first 20 characters, units) and a last line ``measures: N``.
Saves only with ``--confirm``, through the same service as the upload page.
A multi-document file takes the document with most measures, or ``--part N``.
"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.errors import DomainError
from fazhi.ledger import parser, services


class Command(BaseCommand):
    help = "导入实施方案（预览；加 --confirm 才保存）"

    def add_arguments(self, p):
        p.add_argument("file")
        p.add_argument("--unit", required=True, help="制定单位（全称或简称）")
        p.add_argument("--year", type=int, help="起始年度（方案标题中没有年度时必填）")
        p.add_argument("--year-end", type=int, help="截止年度")
        p.add_argument("--part", type=int, help="多篇文档的文件中取第几篇（从1开始）")
        p.add_argument("--confirm", action="store_true", help="确认保存")

    def handle(self, *args, file, unit, year, year_end, part, confirm, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        data = path.read_bytes()
        try:
            owner = services.find_unit(unit)
            text = parser.read_docx(data) if data[:4] == b"PK\x03\x04" else _decode(data)
            parsed = parser.parse_plan(text, part=part)
            pv = services.preview(parsed)
        except DomainError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"方案：{parsed.title}（{owner.name}）")
        for w in pv.warnings:
            self.stdout.write(f"提示：{w}")
        for m in parsed.measures:
            units = "、".join(m.units) if m.units else "（未列单位）"
            deadline = f" 时限：{m.deadline_text}" if m.deadline_text else ""
            self.stdout.write(f"{m.number}\t{m.area}\t{m.text[:20]}\t{units}{deadline}")
        if confirm:
            try:
                plan = services.import_plan(parsed, unit=owner, by=None, source_sha256=hashlib.sha256(data).hexdigest(),
                                            source_name=path.name, source_text=parsed.text,
                                            year_start=year, year_end=year_end)
            except DomainError as exc:
                raise CommandError(str(exc))
            self.stderr.write(f"已保存：方案 #{plan.pk}，待分工下达")
        else:
            self.stderr.write("仅预览，未保存（加 --confirm 保存）")
        self.stdout.write(f"measures: {len(parsed.measures)}")


def _decode(data: bytes) -> str:
    from fazhi.core.text import clean

    for enc in ("utf-8-sig", "gb18030"):
        try:
            return clean(data.decode(enc))
        except UnicodeDecodeError:
            continue
    raise CommandError("无法识别文件编码（请使用 UTF-8 或 GB18030 编码的文本，或 .docx）")
