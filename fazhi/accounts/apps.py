from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission

MANIFEST = Manifest(
    label="accounts",
    title="账号安全",
    menu=(MenuItem("登录锁定", "accounts:lockouts", "accounts.manage_lockouts"),),
    # No role grants it: 系统管理员 only (they hold every permission).
    permissions=(Permission("accounts.manage_lockouts", "解除登录锁定", ()),),
)


class AccountsConfig(AppConfig):
    name = "fazhi.accounts"
    label = "accounts"
    verbose_name = "账号安全"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from fazhi.accounts import jobs, middleware

        # Django's own extension point for sign-in: the new session knows
        # whether an administrator-set password must be changed first.
        user_logged_in.connect(middleware.stamp_session, dispatch_uid="fazhi.accounts.stamp_session")
        jobs.register()
