from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission


def _dashboard(user, today):
    # Imported late: apps.py is read before the models are ready.
    from fazhi.workdays.selectors import dashboard_items

    return dashboard_items(user, today)


MANIFEST = Manifest(
    label="workdays",
    title="工作日历",
    menu=(MenuItem("工作日历", "workdays:calendar", None),),
    permissions=(
        # Everyone signed in reads the calendar; only administrators change it.
        Permission("workdays.manage_calendar", "维护节假日安排", ()),
    ),
    dashboard=(_dashboard,),
)


class WorkdaysConfig(AppConfig):
    name = "fazhi.workdays"
    label = "workdays"
    verbose_name = "工作日历"
