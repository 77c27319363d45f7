from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "fazhi.shell"
    label = "shell"
    verbose_name = "外壳"

    def ready(self):
        from django.core.checks import register

        from fazhi.shell import checks

        register(checks.local_rules)
