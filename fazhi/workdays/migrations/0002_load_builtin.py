"""Load the built-in calendar (chinesecalendar package) so that every fresh
database — including the test database — has the real holiday table.
Idempotent: years already present are left alone."""

from django.db import migrations


def forwards(apps, schema_editor):
    from fazhi.workdays.builtin import load_builtin_for_migration

    load_builtin_for_migration(apps)


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
