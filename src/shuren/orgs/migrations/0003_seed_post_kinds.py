"""The posts the seed reports describe: 楼长-巷长-街长 (party-member building leaders among them) and
the "六员" that members take under 设岗定责. Administrators may add, rename or reorder kinds."""

from django.db import migrations

KINDS = [
    ("building_leader", "楼长", "building", 30, "联系本楼住户，收集诉求和意见，每月入户走访，张贴楼道公告，组织楼道会议。"),
    ("unit_leader", "单元长", "building", 30, "协助楼长联系本单元住户，及时反映问题。"),
    ("lane_leader", "巷长", "lane", None, "巡查本巷环境与安全，调解邻里纠纷，反映群众诉求。"),
    ("street_leader", "街长", "street", None, "统筹本街巷长，协调商户和共建单位，督促问题整改。"),
    ("policy_explainer", "政策宣传员", "area", None, "宣传党的政策和社区事务。"),
    ("liaison", "民情联络员", "area", None, "收集民情民意，联系服务群众。"),
    ("mediator", "矛盾调解员", "area", None, "调解邻里矛盾纠纷。"),
    ("civility_monitor", "文明督导员", "area", None, "督导垃圾分类、文明养犬、电动车规范停放。"),
    ("safety_patroller", "安全巡查员", "area", None, "巡查消防、电动车充电等安全隐患。"),
    ("volunteer_organiser", "志愿服务员", "area", None, "组织和参与志愿服务活动。"),
]


def seed(apps, schema_editor):
    PostKind = apps.get_model("orgs", "PostKind")
    for position, (code, name, level, interval, duties) in enumerate(KINDS, start=1):
        PostKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "visit_interval_days": interval,
                "duties": duties,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_posts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
