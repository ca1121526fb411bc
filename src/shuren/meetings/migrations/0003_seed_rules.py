"""Default rules of procedure for each kind of meeting. Communities change them to their own
rules (a council that needs two thirds present, a stairwell meeting counted by household ...).

Quorum is a share of the voting members invited; the majority is a share of the voting members
present (or of the votes for and against). Salons discuss and take no binding resolutions."""

from django.db import migrations

# kind: (quorum n, d, strict, majority n, d, strict, of present, named by default, takes resolutions)
RULES = {
    "joint": (1, 2, True, 1, 2, True, True, False, True),
    "council": (2, 3, False, 1, 2, True, True, True, True),
    "round_table": (1, 2, True, 1, 2, True, True, False, True),
    "salon": (1, 2, False, 1, 2, True, True, False, False),
    "grid_day": (1, 2, True, 1, 2, True, True, False, True),
    "stairwell": (1, 2, True, 1, 2, True, True, True, True),
    "hall": (2, 3, False, 1, 2, True, True, True, True),
}


def seed(apps, schema_editor):
    MeetingRule = apps.get_model("meetings", "MeetingRule")
    for kind, (qn, qd, qs, mn, md, ms, present, named, binding) in RULES.items():
        MeetingRule.objects.get_or_create(
            kind=kind,
            defaults={
                "quorum_numerator": qn,
                "quorum_denominator": qd,
                "quorum_strict": qs,
                "majority_numerator": mn,
                "majority_denominator": md,
                "majority_strict": ms,
                "majority_of_present": present,
                "votes_named_by_default": named,
                "takes_resolutions": binding,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
