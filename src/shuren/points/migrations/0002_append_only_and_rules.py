"""Ledger transactions and entries are append-only (mistakes are reversed, never edited); the default
rules, valid everywhere from 2024 until a community or the administrator changes them."""

import datetime as dt

from django.db import migrations

from shuren.core import append_only

RULES = [
    # (event, scheme, points, party members only, name)
    ("service_hour", "resident", 10, False, "志愿服务每小时"),
    ("governance_item", "resident", 10, False, "认领治理清单事项并经核实"),
    ("meeting_attendance", "resident", 5, False, "参加议事会议"),
    ("valid_appeal", "resident", 2, False, "反映的诉求已办结"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("points", "Rule")
    for event, scheme, points, party_only, name in RULES:
        Rule.objects.get_or_create(
            event=event,
            community=None,
            party_members_only=party_only,
            defaults={
                "name": name,
                "scheme": scheme,
                "points": points,
                "valid_from": dt.date(2024, 1, 1),
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("points", "Rule").objects.filter(community=None, name__in=[r[4] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [
        migrations.RunPython(*append_only.operations("points_ledgertransaction", "points_ledgerentry")),
        migrations.RunPython(seed, unseed),
    ]
