"""python manage.py audit_verify — exit 0 and "OK <n> entries" if the chain
is intact, exit 1 naming the first bad entry otherwise."""

from django.core.management.base import BaseCommand, CommandError

from fazhi.audit.verify import BATCH, verify_chain


class Command(BaseCommand):
    help = "校验留痕链：逐条重算哈希并核对前后衔接，发现问题时指出第一条有问题的记录（退出码 1）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help=f"每批读取条数（默认 {BATCH}）")

    def handle(self, *args, batch: int, **options):
        if batch < 1:
            raise CommandError("--batch 必须大于 0")
        result = verify_chain(batch=batch)
        if result.ok:
            self.stdout.write(f"OK {result.count} entries")
            if options["verbosity"] >= 2:
                self.stdout.write(f"链头哈希 {result.head_hash}")
            return
        where = f"seq={result.bad_seq} id={result.bad_id if result.bad_id is not None else '-'}"
        self.stdout.write(f"BAD {where} {result.reason}")
        raise CommandError(
            f"留痕链校验未通过：第一条有问题的记录 {where}：{result.reason}（此前 {result.count} 条完好）",
            returncode=1,
        )
