"""Demo meetings of 大新社区, after the seed reports: the joint meeting (联席会议) of the 富丰新城 party
branch, building leaders, volunteers and the property manager that decided the e-bike chargers and
the stairwell clean-up (one action item already done); an upcoming round table (圆桌议事) on the
park road; and a published stairwell meeting (楼道会议) of 1座.

Everything goes through the services, so the timelines, arithmetic and audit log read as in real
use. Re-running changes nothing once the joint meeting exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.orgs.models import Organization, OrganizationKind
from shuren.places.models import Building

from . import services
from .models import AgendaKind, Meeting, MeetingKind

JOINT_TITLE = "富丰新城党建联席会议"
QUARTERS = "一二三四"


def joint_title(day: dt.date) -> str:
    """The story's joint meeting, named after the quarter it is held in."""
    return f"{JOINT_TITLE}（第{QUARTERS[(day.month - 1) // 3]}季度）"


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    staff = context.users.get("community_staff")
    if estate is None or staff is None or Meeting.objects.filter(title__startswith=JOINT_TITLE).exists():
        return
    with transaction.atomic():
        _joint_meeting(context, estate, staff)
        _round_table(estate, staff)
        _stairwell_meeting(context, estate, staff)


def _org(community: Any, kind: str) -> Organization | None:
    return Organization.objects.filter(area=community, kind=kind).order_by("pk").first()


def _joint_meeting(context: Any, estate: Any, staff: Any) -> None:
    community = estate.community
    starts = _at(-14, 19)
    meeting = services.schedule_meeting(
        actor=staff,
        kind=MeetingKind.JOINT,
        title=joint_title(timezone.localtime(starts).date()),
        description="支部建在小区上：党支部、楼长、志愿者和物业共商小区治理清单。",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="富丰新城党群服务站",
        area=community,
        estate=estate,
    )
    branch = _org(community, OrganizationKind.PARTY_BRANCH)
    manager = _org(community, OrganizationKind.PROPERTY_MANAGER)
    volunteers = _org(community, OrganizationKind.VOLUNTEER_TEAM)
    if branch is not None:
        services.invite_organization(actor=staff, meeting=meeting, organization=branch, itself=True, members=True)
    services.invite_by_role(actor=staff, meeting=meeting, role=Role.BUILDING_LEADER)
    services.invite_by_role(actor=staff, meeting=meeting, role=Role.VOLUNTEER)
    if volunteers is not None:
        services.invite_organization(actor=staff, meeting=meeting, organization=volunteers, is_voting=False)
    if manager is not None:
        services.invite_organization(actor=staff, meeting=meeting, organization=manager)
    services.add_agenda_item(
        actor=staff,
        meeting=meeting,
        kind=AgendaKind.STUDY,
        title="第一议题：学习基层治理有关精神",
        presenter="社区党委",
    )
    charging = services.add_agenda_item(
        actor=staff,
        meeting=meeting,
        kind=AgendaKind.DECISION,
        title="电动车充电桩改造扩建",
        notes="充电棚不够用，晚上有人把电动车推进楼道充电，存在消防隐患。",
        presenter="富丰物业",
    )
    services.add_agenda_item(
        actor=staff, meeting=meeting, kind=AgendaKind.DISCUSSION, title="1-5座楼道杂物清理", presenter="楼长代表"
    )
    meeting = services.set_checkin(actor=staff, meeting=meeting, version=meeting.version, open=True)
    invitations = list(meeting.invitations.order_by("pk"))
    # All but one invitee came; the property manager sent its project manager.
    for invitation in invitations[:-1] if len(invitations) > 2 else invitations:
        services.sign_in_invitee(actor=staff, invitation=invitation)
    services.sign_in_walk_in(actor=staff, meeting=meeting, name="周女士", representing="1座业主")
    services.save_minutes(
        actor=staff,
        meeting=meeting,
        text=(
            "一、学习第一议题。\n"
            "二、物业通报充电棚使用情况：现有充电位120个，夜间排队，部分居民推车进楼充电。\n"
            "三、议定：在2座、5座旁新增充电位80个，物业负责施工，党支部和楼长负责宣传引导。\n"
            "四、楼道杂物清理由楼长牵头，志愿者配合，两周内完成。"
        ),
    )
    meeting.refresh_from_db()
    resolution = services.record_resolution(
        actor=staff,
        meeting=meeting,
        text="在2座、5座旁新增电动车充电位80个，一个月内完工；完工后楼道内禁止停放和充电。",
        votes_for=max(meeting.attendances.filter(is_voting=True).count() - 1, 1),
        votes_against=0,
        votes_abstain=1 if meeting.attendances.filter(is_voting=True).count() > 1 else 0,
        agenda_item=charging,
    )
    services.record_outcome(actor=staff, item=charging, outcome="通过，物业一个月内完成施工。")
    leader = context.users.get("building_leader")
    today = timezone.localdate()
    if manager is not None:
        services.add_action_item(
            actor=staff,
            meeting=meeting,
            resolution=resolution,
            title="新增充电位80个（2座、5座旁）",
            owner_organization=manager,
            due_on=today + dt.timedelta(days=16),
        )
    cleanup = services.add_action_item(
        actor=staff,
        meeting=meeting,
        title="牵头清理1-5座楼道杂物",
        owner_user=leader,
        owner_name="" if leader else "楼长代表",
        due_on=today - dt.timedelta(days=1),
    )
    if leader is not None:
        cleanup = services.update_action_item(
            actor=leader, item=cleanup, version=cleanup.version, text="已清理1-3座，4-5座本周末完成", progress=60
        )
        services.update_action_item(
            actor=leader,
            item=cleanup,
            version=cleanup.version,
            text="1-5座楼道杂物全部清理完毕，消防通道畅通",
            progress=100,
            status="done",
        )
    services.add_action_item(
        actor=staff,
        meeting=meeting,
        title="充电位建成前每晚巡查楼道充电情况",
        owner_name="大新青年志愿服务队",
        due_on=today + dt.timedelta(days=16),  # until the charging points are built
    )
    meeting.refresh_from_db()
    services.end_meeting(actor=staff, meeting=meeting, version=meeting.version)


def _round_table(estate: Any, staff: Any) -> None:
    starts = _at(6, 19)
    meeting = services.schedule_meeting(
        actor=staff,
        kind=MeetingKind.ROUND_TABLE,
        title="圆桌议事：争取恢复公园路双向行驶",
        description="居民、业委会、物业和交警中队代表共同商议公园路通行方案。",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1, minutes=30),
        location="大新社区党群服务中心二楼",
        area=estate.community,
        estate=estate,
    )
    services.invite_by_role(actor=staff, meeting=meeting, role=Role.BUILDING_LEADER)
    owners = _org(estate.community, OrganizationKind.OWNERS_COMMITTEE)
    if owners is not None:
        services.invite_organization(actor=staff, meeting=meeting, organization=owners)
    services.add_agenda_item(actor=staff, meeting=meeting, title="公园路通行现状和居民意见", presenter="网格员")


def _stairwell_meeting(context: Any, estate: Any, staff: Any) -> None:
    building = Building.objects.filter(estate=estate, number="1座").first()
    if building is None:
        return
    starts = _at(-7, 20)
    meeting = services.schedule_meeting(
        actor=staff,
        kind=MeetingKind.STAIRWELL,
        title="1座楼道会议：电动车不进楼",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        location="1座首层大堂",
        building=building,
    )
    services.invite_by_role(actor=staff, meeting=meeting, role=Role.BUILDING_LEADER)
    services.invite_by_role(actor=staff, meeting=meeting, role=Role.RESIDENT)
    meeting = services.set_checkin(actor=staff, meeting=meeting, version=meeting.version, open=True)
    for invitation in meeting.invitations.all():
        services.sign_in_invitee(actor=staff, invitation=invitation)
    voters = {a.pk: "for" for a in meeting.attendances.filter(is_voting=True)}
    services.save_minutes(
        actor=staff,
        meeting=meeting,
        text="楼长通报近期电动车上楼充电情况，住户一致同意电动车不进楼道、不进电梯，楼长每周巡查。",
    )
    services.record_resolution(
        actor=staff,
        meeting=meeting,
        text="1座住户约定：电动车不进楼道、不进电梯，统一到充电棚充电。",
        vote_mode="named",
        named_votes=voters,
    )
    meeting.refresh_from_db()
    meeting = services.end_meeting(actor=staff, meeting=meeting, version=meeting.version)
    services.publish_meeting(actor=staff, meeting=meeting, version=meeting.version)
