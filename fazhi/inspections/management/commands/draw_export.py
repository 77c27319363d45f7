"""Export revealed draws for independent verification.

    python manage.py draw_export --all DIR
    python manage.py draw_export --draw 12 DIR

Writes ``DIR/draw-<id>/`` with ``receipt.json`` and the three frozen pool
files (objects.tsv.gz, inspectors.tsv.gz, recusals.tsv.gz). Draws whose seed
is not revealed yet are listed and skipped (they have no receipt yet).
"""

import os

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.errors import DomainError
from fazhi.inspections import services
from fazhi.inspections.models import Draw, DrawStatus


class Command(BaseCommand):
    help = "导出随机抽取凭证及冻结名录，供 draw_verify 独立验证"

    def add_arguments(self, parser):
        parser.add_argument("dir", help="导出目录")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--all", action="store_true", help="导出全部已揭示的抽取")
        group.add_argument("--draw", type=int, action="append", help="导出指定编号的抽取（可重复）")

    def handle(self, *args, dir, all=False, draw=None, **options):
        qs = Draw.objects.order_by("pk")
        if not all:
            qs = qs.filter(pk__in=draw)
            missing = set(draw) - set(qs.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"抽取不存在：{', '.join(map(str, sorted(missing)))}")
        os.makedirs(dir, exist_ok=True)
        done = 0
        for d in qs.iterator():
            if d.status == DrawStatus.COMMITTED:
                self.stdout.write(f"跳过 draw-{d.pk}：尚未揭示种子")
                continue
            try:
                folder = services.export_draw(d, os.path.join(dir, f"draw-{d.pk}"))
            except (DomainError, OSError) as exc:
                raise CommandError(f"draw-{d.pk} 导出失败：{exc}")
            done += 1
            self.stdout.write(f"已导出 {folder}")
        self.stdout.write(f"共导出 {done} 次抽取")
