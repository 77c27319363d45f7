"""Recompute a draw from an exported folder alone — no database access.

    python manage.py draw_verify DIR/draw-12
    python manage.py draw_verify DIR/draw-12 --commitment 3f5a…   # the value published at the freeze

Prints ``OK`` and exits 0 when the recomputed selection and teams match the
receipt; exits 1 printing the first difference otherwise (RAND-05). The
receipt's commitment binds the seeds, the pool files and the parameters: it
must be the one the portal published at the freeze — give it with
``--commitment`` to have it checked, otherwise compare the value printed on
stderr yourself.
"""

import json
import os
import sys

from django.core.management.base import BaseCommand

from fazhi.core import draw as algo


class Command(BaseCommand):
    help = "从导出的目录重算随机抽取并与凭证比对（不访问数据库）"
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("folder", help="draw_export 导出的某次抽取的目录（含 receipt.json 和名录文件）")
        parser.add_argument("--commitment", default=None,
                            help="冻结时在门户网站公开的承诺值（64位十六进制）：凭证中的承诺值须与之相同")

    def handle(self, *args, folder, commitment=None, **options):
        difference = algo.verify_folder(folder, expected_commitment=commitment)
        if difference is not None:
            self.stderr.write(f"不一致：{difference}")
            self.stdout.write(f"FAIL: {difference}")
            sys.exit(1)
        self.stdout.write("OK")
        receipt = _receipt(folder)
        if commitment is None:
            self.stderr.write(f"承诺值 {receipt.get('commitment')}：请与冻结时在门户网站公开的承诺值核对"
                              "（或用 --commitment 指定，由本程序核对）")
        if receipt.get("algorithm") == algo.ALGORITHM_V1:
            self.stderr.write("注意：这是 fazhi-draw/1 凭证，其分层配额未纳入承诺值，请与冻结时公开的分层配额核对")


def _receipt(folder) -> dict:
    with open(os.path.join(folder, algo.RECEIPT_FILE), encoding="utf-8") as f:
        return json.load(f)
