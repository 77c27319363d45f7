from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "fazhi.shell"
    label = "shell"
    verbose_name = "外壳"
