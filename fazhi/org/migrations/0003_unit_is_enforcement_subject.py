from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0002_role_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="is_enforcement_subject",
            field=models.BooleanField(
                default=False,
                help_text="非政府、部门、镇街的单位经法律法规授权以自己名义实施行政执法的，勾选此项",
                verbose_name="行政执法主体",
            ),
        ),
    ]
