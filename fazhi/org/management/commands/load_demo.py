"""``manage.py load_demo``: the demo district, idempotently (``make run`` calls
it every time). Prints the demo log-ins at the end of every run.

Each module contributes a loader ``load(out) -> list[DemoLogin] | None``;
they run in the order listed, in one transaction, after org (which every
other module's demo data hangs off). Adding a module's demo data = one line
in fazhi.modules.demo_loaders().
"""

import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.core.errors import DomainError


def loaders():
    # The list lives with the other explicit registrations in fazhi/modules.py,
    # so org (a foundation app) never imports a domain app.
    from fazhi.modules import demo_loaders

    return demo_loaders()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table(logins) -> str:
    header = ("用户名", "姓名", "单位", "角色", "密码")
    rows = [header] + [(x.username, x.name, x.unit, x.roles, x.password) for x in logins]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "载入演示数据（示范区：单位、人员、角色等），可重复运行，不会重复创建"

    def handle(self, *args, **options):
        logins = []
        try:
            with transaction.atomic():
                for loader in loaders():
                    logins.extend(loader(self.stdout) or [])
        except DomainError as exc:
            raise CommandError(f"演示数据载入失败：{exc}")
        self.stdout.write("")
        self.stdout.write("演示账号（密码在首次创建时设置；如已在系统中修改，以修改后的为准）：")
        self.stdout.write(login_table(logins))
