"""List every place-dependent rule with the value in force.

    manage.py local_rules              # a table: key, value, 设置/默认, unit, rule
    manage.py local_rules --markdown   # the table of docs/deploy.md
"""

from django.core.management.base import BaseCommand

from fazhi import modules
from fazhi.core import local_rules


class Command(BaseCommand):
    help = "列出各模块的地方规则（期限、阈值、目标）及当前取值"

    def add_arguments(self, parser):
        parser.add_argument("--markdown", action="store_true", help="输出 docs/deploy.md 中的表格")

    def handle(self, *args, markdown=False, **options):
        groups = modules.local_rules()
        if markdown:
            self.stdout.write(local_rules.markdown(groups), ending="")
            return
        for group in groups:
            self.stdout.write(f"{group.title}（{group.setting}）")
            for rule in group.rules:
                value, source = group.value(rule)
                self.stdout.write(f"  {group.setting}__{rule.key.upper():<34} {local_rules.shown(value):<12} "
                                  f"{source} {rule.unit} {rule.rule_id}")
