"""Demo organisations of 大新社区 modelled on the seed reports: the community party committee with a
branch built in 富丰新城, a red owners' committee, the property manager, a neighbours' association,
a youth volunteer team, member units of the big party committee with what they pledge, the estate's
service station; 黄伯荣 as the party-member building leader of two buildings in grid 1."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shuren.people.models import LeagueProfile, PartyMembership, PartyRelation, PartyStatus, Person

from .models import Membership, MembershipRole, Organization, OrganizationKind, PostAssignment, PostKind, ServiceStation

# kind, name, in the estate?, red?, pledged resources
ORGANISATIONS = [
    (OrganizationKind.PARTY_COMMITTEE, "大新社区党委", False, False, ""),
    (OrganizationKind.PARTY_BRANCH, "富丰新城小区党支部", True, False, ""),
    (OrganizationKind.LEAGUE_BRANCH, "大新社区团支部", False, False, ""),
    (OrganizationKind.RESIDENTS_COMMITTEE, "大新社区居民委员会", False, False, ""),
    (OrganizationKind.OWNERS_COMMITTEE, "富丰新城业主委员会", True, True, ""),
    (OrganizationKind.PROPERTY_MANAGER, "富丰物业管理有限公司", True, False, ""),
    (OrganizationKind.NEIGHBOURS_ASSOCIATION, "大新街坊会", False, False, ""),
    (OrganizationKind.VOLUNTEER_TEAM, "大新青年志愿服务队", False, False, ""),
    (OrganizationKind.MEMBER_UNIT, "桂城供电服务中心", False, False, "每季度上门检修楼道线路；用电安全讲座"),
    (OrganizationKind.MEMBER_UNIT, "南海区第二人民医院", False, False, "每月义诊一次；长者健康档案"),
]


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    if estate is None:
        return
    community = estate.community
    orgs = {}
    for kind, name, in_estate, red, pledged in ORGANISATIONS:
        orgs[name], _created = Organization.objects.update_or_create(
            area=community,
            name=name,
            defaults={
                "kind": kind,
                "estate": estate if in_estate else None,
                "is_red": red,
                "pledged_resources": pledged,
            },
        )
    ServiceStation.objects.update_or_create(
        community=community,
        name="富丰新城党群服务站",
        defaults={"estate": estate, "address": "富丰新城1座首层", "opening_hours": "周一至周六 9:00-18:00"},
    )
    leader = Person.objects.filter(community=community, name="黄伯荣").first()
    if leader is None:
        return
    leader.user = context.users.get("building_leader")
    leader.save()
    branch = orgs["富丰新城小区党支部"]
    PartyMembership.objects.update_or_create(
        person=leader,
        defaults={
            "status": PartyStatus.FORMAL,
            "relation": PartyRelation.REGISTERED,
            "branch": branch,
            "joined_on": dt.date(1978, 7, 1),
        },
    )
    Membership.objects.get_or_create(
        organization=branch, person=leader, to_on=None, defaults={"role": MembershipRole.MEMBER}
    )
    volunteer = Person.objects.filter(community=community, name="陈志强").first()
    if volunteer is not None:
        volunteer.user = context.users.get("volunteer")
        volunteer.save()
        LeagueProfile.objects.update_or_create(
            person=volunteer,
            defaults={
                "branch": orgs["大新社区团支部"],
                "traits": "开朗，做事细心",
                "needs": "希望认识本地朋友；周末有空",
                "abilities": "摄影、电脑维修",
                "willingness": "青年志愿服务、社区活动拍摄",
            },
        )
        Membership.objects.get_or_create(
            organization=orgs["大新青年志愿服务队"],
            person=volunteer,
            to_on=None,
            defaults={"role": MembershipRole.MEMBER},
        )
    leader_post = PostKind.objects.get(code=PostKind.BUILDING_LEADER)
    grid = context.areas[f"{context.district.path}.01.017.01"]
    if not PostAssignment.objects.current().filter(kind=leader_post, person=leader).exists():
        assignment = PostAssignment.objects.create(
            kind=leader_post, person=leader, area=grid, from_on=dt.date(2024, 1, 1)
        )
        assignment.buildings.set(estate.buildings.filter(grid=grid, number__in=["1座", "4座"]))
