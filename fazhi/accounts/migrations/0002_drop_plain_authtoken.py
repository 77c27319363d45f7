"""Tokens of DRF's ``authtoken`` were stored in clear (``authtoken_token.key``):
anyone with a copy of the database or a backup could use them. They are not
carried over — their holders sign in again (POST /api/v1/auth/token/) and get
an expiring, hashed ``accounts.ApiToken``. The old table is dropped so that no
clear secret stays in the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
