"""Demo data of the governance list, after the seed report on 富丰新城: "收集的9项小区治理清单已完成了6项",
party member 张天宝 claiming the repair of the lights, the property manager taking on the e-bike
chargers and fire doors, the volunteer team cleaning the lake, and small wishes of elders living alone.

Everything goes through the services (so the timeline and the audit log read as in real use). The
list is this quarter's (dates follow the day the demo is loaded): the unfinished items are due at
the quarter's end, except the road, past its deadline by a few days while the traffic police
answer (the reason is on its timeline). Re-running changes nothing once the community has a list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuren.orgs.models import Organization
from shuren.people.models import PartyMembership, PartyRelation, PartyStatus, Person

from .models import GovernanceItem, GovernanceList, GovernancePolicy

OVERDUE_ITEM = "争取恢复开通公园路双向行驶"
OVERDUE_DAYS = 5
OVERDUE_REASON = "逾期说明：交警大队正在评估路口信号灯改造方案，待书面答复后再与居民代表沟通。"


def quarter_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the quarter of ``today``."""
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    following = dt.date(first.year + 1, 1, 1) if first.month == 10 else dt.date(first.year, first.month + 3, 1)
    return first, following - dt.timedelta(days=1)


def list_title(today: dt.date) -> str:
    """The title of the demo's list: 富丰新城2026年第四季度治理清单 for a day of that quarter."""
    first, _last = quarter_of(today)
    return f"富丰新城{first.year}年第{'一二三四'[(first.month - 1) // 3]}季度治理清单"


# title, description, source, holder ("org:<name>" or a person's name, or ""), outcome
ITEMS = [
    (
        "电动车充电桩改造扩建",
        "充电棚不够用，晚上有人把电动车推进楼道充电，存在消防隐患。",
        "meeting",
        "org:富丰物业管理有限公司",
        "done",
    ),
    ("楼道杂物清理（1-5座）", "巡查发现1-5座楼道堆放纸箱、旧家具，堵塞消防通道。", "patrol", "张天宝", "done"),
    (
        "游泳池积水和落叶清理",
        "街坊会成员巡查时提出：泳池内积水和落叶容易滋生细菌。",
        "patrol",
        "org:富丰物业管理有限公司",
        "done",
    ),
    ("小区外围灯光恢复", "外围路灯多处不亮，居民夜间出行不便。", "appeal", "张天宝", "done"),
    (
        "喷泉水池和周边射灯恢复",
        "喷泉水池停用多年，周边射灯损坏。党员主动认领，督促物业采购和安装。",
        "meeting",
        "黄伯荣",
        "done",
    ),
    ("更换小区防火门", "部分楼栋防火门老化、闭门器失灵。", "meeting", "org:富丰物业管理有限公司", "done"),
    ("清洗人工湖", "人工湖水质变差、有异味。", "meeting", "org:大新青年志愿服务队", "submitted"),
    ("争取恢复开通公园路双向行驶", "公园路单向通行，居民绕行较远。需与交警部门沟通。", "meeting", "黄伯荣", "claimed"),
    (
        "党建广场增设公共卫生间",
        "党支部成员提出将泳池对出的更衣室改成公共卫生间，方便来党建广场活动的居民。",
        "staff",
        "",
        "open",
    ),
]
WISHES = [
    ("独居老人陈伯想请人帮忙更换家中灯泡", "陈伯82岁独居，家中客厅灯泡坏了一周。", "org:大新青年志愿服务队"),
    ("独居老人李婆婆希望有人陪同到医院复诊", "每月一次到区医院复诊，子女在外地工作。", ""),
]


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    staff = context.users.get("community_staff")
    verifier = context.users.get("secretary") or staff
    if estate is None or staff is None:
        return
    community = estate.community
    if GovernanceList.objects.filter(community=community, title__startswith="富丰新城").exists():
        return
    with transaction.atomic():
        _load(context, estate, community, staff, verifier)


def _holder(community: Any, name: str) -> dict[str, Any]:
    if not name:
        return {}
    if name.startswith("org:"):
        org = Organization.objects.filter(area=community, name=name[4:]).first()
        return {"organization": org} if org else {}
    person = Person.objects.filter(community=community, name=name).first()
    if person is None:
        person = Person.objects.create(community=community, name=name)
    if not PartyMembership.objects.filter(person=person).exists():
        PartyMembership.objects.create(
            person=person, status=PartyStatus.FORMAL, relation=PartyRelation.REGISTERED, joined_on=dt.date(1996, 7, 1)
        )
    return {"person": person}


def _load(context: Any, estate: Any, community: Any, staff: Any, verifier: Any) -> None:
    from . import selectors, services

    GovernancePolicy.objects.get_or_create(community=community, defaults={"claim_lapse_days": 14})
    today = timezone.localdate()
    first, last = quarter_of(today)
    batch = services.create_list(
        actor=staff, community=community, title=list_title(today), period_start=first, period_end=last
    )
    buildings = list(estate.buildings.order_by("pk")[:5])
    for n, (title, description, source, holder, outcome) in enumerate(ITEMS):
        building = buildings[0] if "楼道" in title and buildings else None
        item = services.create_item(
            actor=staff,
            title=title,
            description=description,
            estate=None if building else estate,
            building=building,
            area=None,
            # Meetings and appeals of the demo load after this app, so the links are left out here.
            source=source if source in ("patrol", "staff") else "staff",
            governance_list=batch,
            priority="high" if n < 3 else "normal",
            points=10 if outcome != "open" else 5,
        )
        _carry_out(services, item, community, staff, verifier, holder, outcome)
        if title == OVERDUE_ITEM:
            item.refresh_from_db()
            services.record_progress(actor=staff, item=item, version=item.version, text=OVERDUE_REASON)
            due = today - dt.timedelta(days=OVERDUE_DAYS)
        else:
            due = last
        GovernanceItem.objects.filter(pk=item.pk).update(due_on=due)
    for title, description, holder in WISHES:
        wish = services.create_item(
            actor=staff, title=title, description=description, estate=estate, kind="wish", source="staff", points=3
        )
        if holder:
            claim = services.claim_item(actor=staff, item=wish, version=wish.version, **_holder(community, holder))
            wish = claim.item
    resident = context.users.get("resident")
    if resident is not None and selectors.home_building(resident) is not None:
        services.make_wish(actor=resident, title="希望在1座楼下增设休息长椅", description="老人买菜回来想坐一坐。")


def _carry_out(services: Any, item: Any, community: Any, staff: Any, verifier: Any, holder: str, outcome: str) -> None:
    if outcome == "open":
        return
    services.claim_item(actor=staff, item=item, version=item.version, **_holder(community, holder))
    item.refresh_from_db()
    item = services.record_progress(
        actor=staff, item=item, version=item.version, text="已召集相关方现场查看，制定方案。"
    )
    if outcome == "claimed":
        return
    item = services.submit_item(actor=staff, item=item, version=item.version, text="已完成，现场照片见巡查记录。")
    if outcome == "submitted":
        return
    services.verify_item(actor=verifier, item=item, version=item.version, note="社区现场核实完成。")
