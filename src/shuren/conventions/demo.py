"""Demo convention of 富丰新城: the e-bike rules (电瓶车管理公约). Version 1 was adopted by the
community's joint meeting; version 2, adding charging hours and the new charging station of 3座,
is in discussion with comments from residents of 1座 (林小梅, 陈志强, 黄伯荣 when their demo
logins are linked to the registry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.people.models import Person

from . import services
from .models import Convention
from .selectors import may_comment

TITLE = "富丰新城电瓶车管理公约"
V1 = """为保障全体业主、住户生命财产安全，经业主、住户共同协商，制定本公约。
一、电瓶车一律停放在小区指定车棚，不得停放在楼道、消防通道、电梯厅等公共区域。
二、严禁将电瓶车推入电梯、楼道或带入室内。
三、严禁私拉电线、从窗口拉“飞线”给电瓶车充电。
四、充电一律在车棚集中充电桩进行，充电时人不远离。
五、发现违反本公约的行为，住户可向楼长、网格员或物业反映，由物业劝导整改。
六、本公约自联席会议通过之日起施行。"""
V2 = """为保障全体业主、住户生命财产安全，经业主、住户共同协商，制定本公约。
一、电瓶车一律停放在小区指定车棚，不得停放在楼道、消防通道、电梯厅等公共区域。
二、严禁将电瓶车推入电梯、楼道或带入室内。
三、严禁私拉电线、从窗口拉“飞线”给电瓶车充电。
四、充电一律在车棚或3座架空层集中充电桩进行，充电时间为每日6:00至23:00，充满自动断电。
五、电瓶车电池老化、鼓包的，应及时更换，不得在车棚内存放废旧电池。
六、发现违反本公约的行为，住户可向楼长、网格员或物业反映，由物业劝导整改；屡劝不改的，在楼道群内提醒。
七、本公约自通过之日起施行。"""
COMMENTS = [
    ("resident", "赞成增加充电时段。建议夜间23点后也能给外卖骑手留几个充电口。"),
    ("volunteer", "废旧电池回收点能不能设在党群服务站？居民不知道交到哪里。"),
    ("building_leader", "“在楼道群内提醒”要注意别点名道姓，先私下沟通。"),
]


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    staff = context.users.get("community_staff")
    if estate is None or staff is None or Convention.objects.filter(title=TITLE).exists():
        return
    convention = services.create_convention(
        actor=staff,
        title=TITLE,
        text=V1,
        area=estate.community,
        estate=estate,
        change_summary="首次制定",
    )
    v1 = convention.versions.get(number=1)
    services.open_discussion(actor=staff, version=v1)
    services.adopt_version(
        actor=staff,
        version=v1,
        via="meeting",
        reference="大新社区富丰新城2023年第4次联席会议决议",
        adopted_on=timezone.localdate() - dt.timedelta(days=200),
    )
    convention.refresh_from_db()
    v2 = services.start_version(
        actor=staff, convention=convention, change_summary="增加充电时段、3座充电桩和废旧电池管理"
    )
    v2 = services.edit_draft(actor=staff, version=v2, text=V2, change_summary="增加充电时段、3座充电桩和废旧电池管理")
    v2 = services.open_discussion(actor=staff, version=v2)
    for username, text in COMMENTS:
        user = context.users.get(username)
        if user is not None and Person.objects.filter(user=user).exists() and may_comment(user, v2):
            services.add_comment(actor=user, version=v2, text=text)
