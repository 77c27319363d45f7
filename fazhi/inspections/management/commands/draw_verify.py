"""Recompute a draw from an exported folder alone — no database access.

    python manage.py draw_verify DIR/draw-12

Prints ``OK`` and exits 0 when the recomputed selection and teams match the
receipt; exits 1 printing the first difference otherwise (RAND-05).
"""

import sys

from django.core.management.base import BaseCommand

from fazhi.inspections import draw as algo


class Command(BaseCommand):
    help = "从导出的目录重算随机抽取并与凭证比对（不访问数据库）"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("folder", help="draw_export 导出的某次抽取的目录（含 receipt.json 和名录文件）")

    def handle(self, *args, folder, **options):
        difference = algo.verify_folder(folder)
        if difference is None:
            self.stdout.write("OK")
            return
        self.stderr.write(f"不一致：{difference}")
        self.stdout.write(f"FAIL: {difference}")
        sys.exit(1)
