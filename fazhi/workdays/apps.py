from django.apps import AppConfig

from fazhi.core.manifest import Manifest, MenuItem, Permission, deferred

MANIFEST = Manifest(
    label="workdays",
    title="工作日历",
    menu=(MenuItem("工作日历", "workdays:calendar", None),),
    permissions=(
        # Everyone signed in reads the calendar; only administrators change it.
        Permission("workdays.manage_calendar", "维护节假日安排", ()),
    ),
    dashboard=(deferred("fazhi.workdays.selectors.dashboard_items"),),
)


class WorkdaysConfig(AppConfig):
    name = "fazhi.workdays"
    label = "workdays"
    verbose_name = "工作日历"
