"""The categories the seed reports name (e-bike charging, high-rise littering, illegal parking, pool
hygiene, lifts, noise, dogs, disputes ...), with deadlines in working hours. Administrators edit
them, add others and change the deadlines to local rules."""

from django.db import migrations

# (code, name, English name, parent code, response hours, resolution hours, published on the board)
CATEGORIES = [
    ("environment", "环境卫生", "Environment and sanitation", None, 2, 40, True),
    ("litter", "垃圾清运", "Rubbish collection", "environment", 2, 16, True),
    ("high-rise-littering", "高空抛物", "Throwing objects from height", "environment", 2, 40, True),
    ("pool-hygiene", "泳池卫生", "Swimming-pool hygiene", "environment", 4, 40, True),
    ("greenery", "绿化养护", "Greenery upkeep", "environment", 4, 80, True),
    ("safety", "消防安全", "Fire safety", None, 1, 24, True),
    ("ebike-charging", "电动车违规充电", "Unsafe e-bike charging", "safety", 1, 16, True),
    ("fire-passage", "消防通道堵塞", "Blocked fire passage", "safety", 1, 8, True),
    ("traffic", "交通停车", "Traffic and parking", None, 2, 24, True),
    ("illegal-parking", "违章停车", "Illegal parking", "traffic", 2, 16, True),
    ("parking-space", "停车位管理", "Parking spaces", "traffic", 4, 80, True),
    ("facilities", "设施维修", "Repairs to facilities", None, 2, 40, True),
    ("lift", "电梯故障", "Lift out of order", "facilities", 1, 16, True),
    ("water-supply", "供水排水", "Water supply and drains", "facilities", 1, 16, True),
    ("lighting", "路灯照明", "Lighting", "facilities", 4, 40, True),
    ("road", "道路破损", "Damaged paths and roads", "facilities", 4, 80, True),
    ("neighbours", "邻里关系", "Neighbours", None, 4, 40, True),
    ("noise", "噪音扰民", "Noise", "neighbours", 2, 24, True),
    ("dogs", "不文明养犬", "Dogs", "neighbours", 2, 40, True),
    ("dispute", "邻里纠纷", "Dispute between neighbours", "neighbours", 4, 80, False),
    ("property-service", "物业服务", "Property management service", None, 2, 40, True),
    ("other", "其他诉求", "Other", None, 4, 80, True),
]


def seed(apps, schema_editor):
    Category = apps.get_model("appeals", "Category")
    codes = {}
    for order, (code, name, name_en, parent, response, resolution, published) in enumerate(CATEGORIES, start=1):
        category, _created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "parent": codes.get(parent),
                "response_hours": response,
                "resolution_hours": resolution,
                "is_published": published,
                "sort_order": order * 10,
            },
        )
        codes[code] = category


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
