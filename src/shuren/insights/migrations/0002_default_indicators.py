"""The default evaluation index of "acquainted community" creation (创熟评估指标): twelve
indicators over the KPIs, weights adding up to 100. Administrators change them as data."""

from decimal import Decimal

from django.db import migrations

INDICATORS = [
    # code, name, formula, unit, target, weight, direction
    ("response", "诉求响应率", "response_rate", "%", "95", "12", "higher"),
    ("resolution", "诉求解决率", "resolution_rate", "%", "90", "12", "higher"),
    ("satisfaction", "群众满意率", "satisfaction_rate", "%", "90", "12", "higher"),
    ("on-time", "按期办结率", "on_time_rate", "%", "90", "8", "higher"),
    ("repeats", "重复诉求占比", "repeats / received * 100", "%", "5", "6", "lower"),
    ("list-completion", "治理清单完成率", "items_completion", "%", "80", "10", "higher"),
    ("deliberation", "协商议事（每月会议）", "meetings_held / months", "次", "2", "8", "higher"),
    ("building-leaders", "楼长覆盖率", "leader_coverage", "%", "100", "8", "higher"),
    ("branches", "支部建在小区上", "branch_coverage", "%", "100", "6", "higher"),
    ("stations", "一小区一站点", "station_coverage", "%", "100", "6", "higher"),
    ("service-hours", "志愿服务时长（每千人每月）", "service_hours_per_1000 / months", "小时", "30", "6", "higher"),
    ("volunteers", "注册志愿者占比", "volunteer_share", "%", "5", "6", "higher"),
]


def add(apps, schema_editor):
    Indicator = apps.get_model("insights", "Indicator")
    for position, (code, name, formula, unit, target, weight, direction) in enumerate(INDICATORS, start=1):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "formula": formula,
                "unit": unit,
                "target": Decimal(target),
                "weight": Decimal(weight),
                "direction": direction,
                "position": position,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("insights", "Indicator").objects.filter(code__in=[row[0] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
