"""Demo proposals of 富丰新城 (大新社区), after the seed reports on e-bikes charged in stairwells:
residents of 3座 proposed a charging station and their neighbours co-signed it past the threshold;
黄伯荣 (`building_leader`) proposes stairwell lights for 1座 and is still collecting — 林小梅
(`resident`) can co-sign it; an estate-wide proposal for a children's playground has its answer
published. Neighbours of 3座 have accounts without a password (they exist to sign)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.people.models import Person, Residence, ResidenceRelation, ResidenceStatus
from shuren.people.residency import places_of
from shuren.places.models import Dwelling

from . import services
from .models import Proposal, ProposalPolicy

NEIGHBOURS_3 = [
    ("周丽华", "101"),
    ("吴国强", "102"),
    ("郑美玲", "201"),
    ("王志明", "202"),
    ("冯秀英", "301"),
    ("陈建军", "302"),
    ("褚桂芳", "401"),
    ("卫海涛", "402"),
    ("蒋淑贞", "501"),
    ("沈家豪", "502"),
    ("韩月娥", "601"),
    ("杨少华", "602"),
    ("朱永康", "701"),
]


def _neighbour(estate: Any, name: str, room: str) -> User:
    """A resident of 3座 1单元 with an account that cannot sign in (it only signs proposals)."""
    dwelling = Dwelling.objects.get(
        unit__building__estate=estate, unit__building__number="3座", unit__number="1单元", room=room
    )
    username = f"fufeng3-{room}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=name)
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=Role.RESIDENT, area=dwelling.unit.building.grid)
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person(community=estate.community, name=name, user=user, scope=dwelling.scope)
        person.save()
    Residence.objects.get_or_create(
        person=person,
        dwelling=dwelling,
        defaults={"relation": ResidenceRelation.OWNER, "status": ResidenceStatus.PERMANENT},
    )
    return user


def _link(context: Any, username: str, name: str, estate: Any) -> User | None:
    """Give a demo login the registry's person of the same name (1座 residents), once."""
    user = context.users.get(username)
    if user is None:
        return None
    if not Person.objects.filter(user=user).exists():
        Person.objects.filter(community=estate.community, name=name, user__isnull=True).update(user=user)
    return user if Person.objects.filter(user=user).exists() else None


def _key(user: User, prefix: str) -> str:
    return next(p.key for p in places_of(user) if p.key.startswith(prefix))


def _backdate(proposal: Proposal, days: int) -> None:
    shift = dt.timedelta(days=days)
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=proposal.created_at - shift, signing_closes_at=proposal.signing_closes_at - shift
    )
    for event in proposal.events.all():
        type(event).objects.filter(pk=event.pk).update(at=event.at - shift)


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    if estate is None:
        return
    ProposalPolicy.objects.get_or_create(
        community=estate.community, defaults={"signature_threshold": 10, "signing_days": 30}
    )
    neighbours = [_neighbour(estate, name, room) for name, room in NEIGHBOURS_3]
    staff = context.users.get("community_staff")

    if not Proposal.objects.filter(title="3座架空层加装电动车集中充电桩").exists():
        author = neighbours[0]
        proposal = services.submit_proposal(
            actor=author,
            title="3座架空层加装电动车集中充电桩",
            body=(
                "3座住户电动车多，晚上常有人把电动车推进电梯、从窗口拉飞线充电，去年隔壁小区就因此起过火。"
                "建议在3座架空层划出车棚，加装带定时断电和烟感报警的集中充电桩，费用从公共收益中列支，"
                "充电按次扫码付费。"
            ),
            place_key=_key(author, "building"),
        )
        for signer in neighbours[1:12]:
            services.sign_proposal(actor=signer, proposal=proposal)
        _backdate(proposal, 12)

    building_leader = _link(context, "building_leader", "黄伯荣", estate)
    resident = _link(context, "resident", "林小梅", estate)
    volunteer = _link(context, "volunteer", "陈志强", estate)
    if building_leader and not Proposal.objects.filter(title="1座楼道更换声控感应灯").exists():
        proposal = services.submit_proposal(
            actor=building_leader,
            title="1座楼道更换声控感应灯",
            body="1座1单元、2单元楼道灯坏了好几盏，老人晚上上下楼看不清台阶。建议全部换成声控感应灯，省电又安全。",
            place_key=_key(building_leader, "building"),
        )
        if volunteer:
            services.sign_proposal(actor=volunteer, proposal=proposal)
        _backdate(proposal, 3)

    if staff and not Proposal.objects.filter(title="中心花园增设儿童游乐设施").exists():
        author = neighbours[12]
        proposal = services.submit_proposal(
            actor=author,
            title="中心花园增设儿童游乐设施",
            body="小区孩子多，中心花园只有草地。建议在东侧空地增设滑梯、秋千等游乐设施，铺设塑胶地面。",
            place_key=_key(author, "estate"),
        )
        signers = neighbours[:12] + [u for u in (resident, volunteer) if u]
        for signer in signers[:10]:
            services.sign_proposal(actor=signer, proposal=proposal)
        proposal.refresh_from_db()
        services.answer(
            actor=staff,
            proposal=proposal,
            kind="partly",
            text=(
                "经社区联席会议研究：同意在中心花园东侧增设儿童游乐设施，由社区微改造项目出资，"
                "物业负责日常维护；塑胶地面改为透水砖铺设以利排水。预计下季度完工。"
            ),
            publish=True,
        )
        _backdate(proposal, 40)
