"""Service records are append-only (corrections are new records); the skills volunteers offer."""

from django.db import migrations

from shuren.core import append_only

SKILLS = [
    ("companionship", "陪伴关怀"),
    ("elderly_care", "助老服务"),
    ("tutoring", "课业辅导"),
    ("medical", "医疗保健"),
    ("legal", "法律咨询"),
    ("repairs", "维修"),
    ("cleaning", "环境清洁"),
    ("patrol", "治安巡逻"),
    ("events", "活动组织"),
    ("photography", "摄影宣传"),
    ("it", "电脑与手机"),
    ("translation", "翻译"),
    ("mediation", "调解"),
    ("driving", "驾驶"),
]


def seed(apps, schema_editor):
    Skill = apps.get_model("volunteering", "Skill")
    for position, (code, name) in enumerate(SKILLS):
        Skill.objects.get_or_create(code=code, defaults={"name": name, "position": position})


def unseed(apps, schema_editor):
    apps.get_model("volunteering", "Skill").objects.filter(code__in=[code for code, _name in SKILLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [
        migrations.RunPython(*append_only.operations("volunteering_servicerecord")),
        migrations.RunPython(seed, unseed),
    ]
