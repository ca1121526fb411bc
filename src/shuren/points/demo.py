"""Demo data of the points ledger (积分制 / 积分兑换) in 大新社区, after the seed reports on "党员+积分"
and "社区居民+积分": a party members' rule for volunteer service, points that expire after two
years, credits replayed by the sweep from the demo's confirmed volunteer hours, verified list items,
meeting attendance and closed appeals, a catalogue of rewards from partner units, and redemptions
(one collected, one waiting with its collection code).

The volunteer (陈志强) and the resident (林小梅) always end up with points and something to redeem,
whether or not the volunteering demo has recorded hours. Re-running is safe: rules, rewards and
adjustments are found by their names and keys, the sweep credits each event once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind

from .models import EventKind, PointsPolicy, Redemption, RedemptionStatus, Reward, Rule, Scheme

# name, supplier (member unit) or "", cost, stock, per person, pickup, description
REWARDS = [
    ("环保购物袋", "", 20, 60, None, "大新社区党群服务中心一楼服务台", "可折叠环保购物袋一个。"),
    ("大米（5斤装）", "", 60, 30, 1, "大新社区党群服务中心一楼服务台", "每人每季度限兑一次。"),
    (
        "家庭用电安全上门检查",
        "桂城供电服务中心",
        50,
        20,
        1,
        "预约后上门",
        "供电服务中心工作人员上门检查家庭线路、插座和电动车充电安全。",
    ),
    (
        "长者健康体检套餐",
        "南海区第二人民医院",
        120,
        10,
        1,
        "南海区第二人民医院体检中心",
        "血压、血糖、心电图及医生问诊。",
    ),
    ("社区理发券", "", 30, 40, 2, "富丰新城党群服务站（每周六上午）", "志愿者义剪服务，凭码理发一次。"),
]


def load(context: Any) -> None:
    community = _community(context)
    staff = context.users.get("community_staff")
    if community is None or staff is None:
        return
    with transaction.atomic():
        _load(context, community, staff)


def _community(context: Any) -> Area | None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    if estate is not None:
        return estate.community
    return Area.objects.filter(kind=AreaKind.COMMUNITY, name="大新社区").first()


def _load(context: Any, community: Area, staff: Any) -> None:
    from . import services

    PointsPolicy.objects.get_or_create(community=community, defaults={"expiry_months": 24})
    Rule.objects.get_or_create(
        name="党员志愿服务每小时（党员+积分）",
        community=community,
        defaults={
            "event": EventKind.SERVICE_HOUR,
            "scheme": Scheme.PARTY_MEMBER,
            "points": 15,
            "party_members_only": True,
            "valid_from": dt.date(2024, 1, 1),
        },
    )
    # Credits for everything the other demos recorded (their signals may have fired already).
    services.sweep()
    rewards = {}
    for name, supplier_name, cost, stock, limit, pickup, description in REWARDS:
        supplier = Organization.objects.filter(area=community, name=supplier_name).first() if supplier_name else None
        rewards[name], _created = Reward.objects.get_or_create(
            community=community,
            name=name,
            defaults={
                "supplier": supplier,
                "cost": cost,
                "stock": stock,
                "per_person_limit": limit,
                "pickup": pickup,
                "description": description,
            },
        )
    for username, points, reason in (
        ("volunteer", 160, "2024年社区志愿服务积分补录"),
        ("resident", 90, "2024年参与社区议事和巡查积分补录"),
    ):
        _top_up(services, staff, context.users.get(username), points, reason)
    _redeem(services, context.users.get("resident"), rewards["环保购物袋"], fulfil_by=staff)
    _redeem(services, context.users.get("volunteer"), rewards["社区理发券"], fulfil_by=None)


def _top_up(services: Any, staff: Any, user: Any, points: int, reason: str) -> None:
    """Make sure the demo login has points to redeem, once (the adjustment's key is fixed)."""
    person = Person.objects.filter(user=user).first() if user is not None else None
    if person is None:
        return
    account = services.person_account(person)
    if account.balance >= points:
        return
    services.adjust_points(actor=staff, account=account, points=points, reason=reason, key=f"demo:{person.pk}")


def _redeem(services: Any, user: Any, reward: Reward, *, fulfil_by: Any) -> None:
    person = Person.objects.filter(user=user).first() if user is not None else None
    if person is None or Redemption.objects.filter(account__person=person, reward=reward).exists():
        return
    if services.person_account(person).balance < reward.cost:
        return
    redemption = services.redeem_reward(actor=user, reward=reward)
    if fulfil_by is not None and redemption.status == RedemptionStatus.PENDING:
        services.fulfil_redemption(actor=fulfil_by, redemption=redemption)
