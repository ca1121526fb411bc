"""Seed the chain head and make the audit table append-only in the database itself."""

from django.db import migrations

from shuren.audit import triggers


def install_triggers(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    triggers.remove(schema_editor.connection)


def seed_chain_head(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    ChainHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(seed_chain_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
