"""The one export command of verifiable draws, specialised per kind of draw
(``inspections``' ``draw_export``, ``major_decisions``' ``expert_draw_export``):
``DIR/<prefix>-<id>/`` with receipt.json, params.json and the pool files —
what ``manage.py draw_verify`` reads. Draws not revealed yet are listed and skipped."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.errors import DomainError


class DrawExportCommand(BaseCommand):
    model: Any = None  # the draw model
    prefix = "draw"  # folder name: <prefix>-<id>
    noun = "抽取"

    def revealed(self, draw) -> bool:
        raise NotImplementedError

    def export(self, draw, folder: str) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("dir", help="导出目录")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--all", action="store_true", help=f"导出全部已揭示的{self.noun}")
        group.add_argument("--draw", type=int, action="append", help=f"导出指定编号的{self.noun}（可重复）")

    def handle(self, *args, dir, all=False, draw=None, **options):
        qs = self.model.objects.order_by("pk")
        if not all:
            qs = qs.filter(pk__in=draw)
            missing = set(draw) - set(qs.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"{self.noun}不存在：{', '.join(map(str, sorted(missing)))}")
        os.makedirs(dir, exist_ok=True)
        done = 0
        for d in qs.iterator():
            name = f"{self.prefix}-{d.pk}"
            if not self.revealed(d):
                self.stdout.write(f"跳过 {name}：尚未揭示种子")
                continue
            try:
                folder = self.export(d, os.path.join(dir, name))
            except (DomainError, OSError) as exc:
                raise CommandError(f"{name} 导出失败：{exc}")
            done += 1
            self.stdout.write(f"已导出 {folder}（承诺值 {d.commitment}）")
        self.stdout.write(f"共导出 {done} 次{self.noun}")
