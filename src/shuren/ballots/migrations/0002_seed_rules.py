"""The two rules of Civil Code art. 278 (民法典第二百七十八条). Every matter needs the participation of
owners holding at least two thirds of the exclusive area and of at least two thirds of the owners.
Items 6-8 (raising the maintenance fund, altering or rebuilding buildings and their
facilities — installing a lift — and changing the use of common parts or running a business on them)
need the agreement of at least three quarters of the participating area and of the participating
owners; every other matter more than half of both. Local rules are added as further rows."""

from django.db import migrations

RULES = [
    {
        "code": "civil-code-278-ordinary",
        "name": "一般事项（民法典第二百七十八条）",
        "legal_basis": "《民法典》第278条第2款：经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意",
        "participation_numerator": 2,
        "participation_denominator": 3,
        "participation_strict": False,
        "pass_numerator": 1,
        "pass_denominator": 2,
        "pass_strict": True,
        "pass_base": "participating",
        "is_major": False,
    },
    {
        "code": "civil-code-278-major",
        "name": "重大事项（民法典第二百七十八条第六至八项）",
        "legal_basis": "《民法典》第278条第2款：经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意",
        "participation_numerator": 2,
        "participation_denominator": 3,
        "participation_strict": False,
        "pass_numerator": 3,
        "pass_denominator": 4,
        "pass_strict": False,
        "pass_base": "participating",
        "is_major": True,
    },
]


def seed(apps, schema_editor):
    BallotRule = apps.get_model("ballots", "BallotRule")
    for rule in RULES:
        BallotRule.objects.get_or_create(code=rule["code"], defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("ballots", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
