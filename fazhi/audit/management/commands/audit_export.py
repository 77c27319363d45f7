"""python manage.py audit_export [--from-seq N] FILE — the chain as JSON Lines.

Each line is one entry's canonical content plus its "hash", so a third party
can re-verify it with hashlib and json alone (docs/modules/audit.md).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from fazhi.audit.verify import BATCH, iter_entries


def export_line(entry) -> str:
    content = entry.canonical_content()
    content["hash"] = entry.hash
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Command(BaseCommand):
    help = "导出留痕链（JSON Lines，每行一条：规范内容加 hash），供第三方独立校验。FILE 为 - 时写到标准输出。"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--from-seq", type=int, default=1, help="从第 N 号开始导出（默认 1）")

    def handle(self, *args, file: str, from_seq: int, **options):
        if from_seq < 1:
            raise CommandError("--from-seq 必须不小于 1")
        if file == "-":
            self._write(self.stdout._out, from_seq)
            return
        with open(file, "w", encoding="utf-8", newline="\n") as out:
            count = self._write(out, from_seq)
        self.stdout.write(f"已导出 {count} 条留痕记录到 {file}")

    def _write(self, out, from_seq: int) -> int:
        count = 0
        for entry in iter_entries(after_seq=from_seq - 1, batch=BATCH):
            out.write(export_line(entry) + "\n")
            count += 1
        return count
