"""python manage.py verify_files — every file a record keeps (evidence,
attachments, uploaded imports, a draw's frozen pools) is read and its SHA-256
compared with the record's. Exit 0 and "OK <n> files" when all match; exit 1
listing each missing or changed file with its record otherwise."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.stored_files import digest, providers

SHOWN = 50


class Command(BaseCommand):
    help = "校验存储的文件：逐个重算 SHA-256 并与记录核对（证据、附件、导入文件、冻结名录），有缺失或不符时退出码 1。"

    def handle(self, *args, **options):
        counts: Counter = Counter()
        problems: list[str] = []
        for _label, provider in providers():
            for f in provider():
                counts[f.kind] += 1
                try:
                    actual = digest(f)
                except (FileNotFoundError, OSError) as exc:
                    problems.append(f"MISSING {f.kind} {f.ref} {f.name}（{exc.__class__.__name__}）")
                    continue
                if actual != f.sha256:
                    problems.append(f"CHANGED {f.kind} {f.ref} {f.name} 记录 {f.sha256[:12]}… 实际 {actual[:12]}…")
        total = sum(counts.values())
        if options["verbosity"] >= 2:
            for kind, n in sorted(counts.items()):
                self.stdout.write(f"{kind}：{n}")
        if not problems:
            self.stdout.write(f"OK {total} files")
            return
        for line in problems[:SHOWN]:
            self.stdout.write(line)
        if len(problems) > SHOWN:
            self.stdout.write(f"……另有 {len(problems) - SHOWN} 个")
        raise CommandError(f"文件校验未通过：{len(problems)} 个文件缺失或与记录不符（共 {total} 个）", returncode=1)
