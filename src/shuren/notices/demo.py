"""Demo notices of 富丰新城: the building leader's water-cut notice to 1座 (some households told at the
door, the rest waiting on 我的楼栋), and the community's public notice of the fire drill to the whole
estate. No group robot: the demo sends nothing to WeCom.

Everything goes through the services; re-running changes nothing once the notices exist.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from . import selectors, services
from .models import Notice


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    staff = context.users.get("community_staff")
    leader = context.users.get("building_leader")
    if estate is None or staff is None or Notice.objects.filter(estate=estate).exists():
        return
    if selectors.reach(staff, selectors.WRITE).empty:  # the roles do not hold the notices' actions
        return
    with transaction.atomic():
        drill = services.create_notice(
            actor=staff,
            title="富丰新城消防演练通知",
            body="社区将于本周六上午10:00在小区中心广场举行消防演练，届时请各位居民配合，演练期间请勿使用电梯。",
            estate=estate,
            is_public=True,
        )
        services.publish_notice(actor=staff, notice=drill, version=drill.version)
        building = estate.buildings.filter(number="1座").first()
        if leader is None or building is None or selectors.reach(leader, selectors.WRITE).empty:
            return
        water = services.create_notice(
            actor=leader,
            title="1座停水通知",
            body="因二次供水设施检修，明天9:00至17:00停水，请提前储水。行动不便的住户可联系楼长帮忙。",
            building=building,
            urgency="urgent",
        )
        water = services.publish_notice(actor=leader, notice=water, version=water.version)
        for household in list(water.targets.order_by("dwelling__unit__number", "dwelling__room"))[::2]:
            services.mark_told(actor=leader, household=household)
