"""Service records keep the minutes the check-in proposed. On SQLite an added column may rebuild
the table, which drops its triggers: the append-only triggers are installed again (idempotent)."""

from django.db import migrations, models

from shuren.core import append_only


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0002_append_only_and_skills")]

    operations = [
        migrations.AddField(
            model_name="servicerecord",
            name="proposed_minutes",
            field=models.IntegerField(blank=True, null=True, verbose_name="proposed minutes"),
        ),
        # Reinstall only: going back to 0002 keeps the triggers 0002 installed.
        migrations.RunPython(append_only.operations("volunteering_servicerecord")[0], migrations.RunPython.noop),
    ]
