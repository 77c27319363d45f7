"""System checks of the whole deployment (registered in ShellConfig.ready)."""

from django.core.checks import Error


def local_rules(app_configs=None, **kwargs):
    """fazhi.E101: every place-dependent rule set in the environment or the
    settings exists and has the type of its default (a typo in
    FAZHI_NORMDOCS__FILLING_DAYS must not leave the national default silently
    in force)."""
    from fazhi import modules
    from fazhi.core.local_rules import problems

    return [Error(message, id="fazhi.E101", hint="可设的地方规则见 manage.py local_rules 或 docs/deploy.md")
            for message in problems(modules.local_rules())]
