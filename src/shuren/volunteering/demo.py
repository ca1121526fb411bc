"""Demo data of volunteering in 大新社区, after the seed reports: the youth volunteer team (grown
from 5 to 155) and an elders' care team, registered volunteers with skills, two registrations
awaiting approval, finished activities with confirmed hours (one corrected), the party members'
progress toward their 50 hours (some behind), upcoming activities — one full with a waiting list,
one running now for trying the QR check-in — and a cancelled one.

The ``volunteer`` login (陈志强) has hours and a confirmed place on an upcoming activity. Activities
go through the services; the past ones are created ahead and then moved back in time, with their
check-ins written as they would have been. Re-running changes nothing once the data is there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.orgs.models import Membership, MembershipRole, Organization, OrganizationKind
from shuren.people.models import PartyMembership, PartyRelation, PartyStatus, Person

from .models import (
    Activity,
    ActivityStatus,
    CheckIn,
    ProfileStatus,
    ServiceRecord,
    SignUp,
    Skill,
    VolunteeringPolicy,
    VolunteerProfile,
)

MARKER = "富丰新城人工湖清洁行动"
YOUTH_TEAM = "大新青年志愿服务队"
CARE_TEAM = "富丰新城长者关爱服务队"

# name, party member?, skills, availability, teams, hours recorded before the platform (纸质台账)
VOLUNTEERS = [
    ("陈志强", False, ["photography", "it"], ["weekend_morning", "weekend_afternoon"], [YOUTH_TEAM], 0),
    ("黄伯荣", True, ["patrol", "mediation"], ["weekday_morning", "weekday_afternoon"], [CARE_TEAM], 30),
    ("张天宝", True, ["repairs", "events"], ["weekend_morning"], [YOUTH_TEAM], 18),
    ("欧阳丽华", True, ["legal"], ["weekday_evening"], [], 4),
    ("梁志明", True, ["driving", "elderly_care"], ["weekday_afternoon", "weekend_afternoon"], [CARE_TEAM], 28),
    ("区美玲", True, ["medical"], ["weekend_morning"], [CARE_TEAM], 0),
    ("何嘉欣", False, ["tutoring", "translation"], ["weekday_evening"], [YOUTH_TEAM], 0),
    ("吴伟强", False, ["cleaning"], ["weekend_morning"], [YOUTH_TEAM], 0),
    ("罗晓彤", False, ["companionship", "elderly_care"], ["weekday_morning"], [CARE_TEAM], 0),
]
APPLICANTS = [("麦子健", ["it", "photography"], "大学生，寒暑假在社区"), ("谭月娥", ["companionship"], "退休教师")]

# Days of the week an activity may fall on (Monday is 0): about today + days, on the nearest such day.
ANY_DAY, WEEKEND, WORKDAY = frozenset(range(7)), frozenset({5, 6}), frozenset(range(5))
SATURDAY = frozenset({5})
# title, days from today, start hour (9.5: 09:30), hours, capacity, skills, team, who served, days
PAST = [
    (
        "富丰新城人工湖清洁行动",
        -200,
        8.5,
        4,
        12,
        ["cleaning"],
        YOUTH_TEAM,
        ["陈志强", "黄伯荣", "张天宝", "梁志明", "吴伟强"],
        WEEKEND,
    ),
    ("长者义剪进小区", -150, 9, 3, 6, ["elderly_care"], CARE_TEAM, ["黄伯荣", "梁志明", "罗晓彤", "区美玲"], ANY_DAY),
    ("反诈宣传进楼道", -90, 19, 2, 8, ["events"], YOUTH_TEAM, ["陈志强", "张天宝", "欧阳丽华", "何嘉欣"], ANY_DAY),
    ("课后托管班课业辅导", -60, 16.5, 2, 5, ["tutoring"], YOUTH_TEAM, ["何嘉欣", "陈志强", "黄伯荣"], WORKDAY),
    ("独居长者上门探访", -25, 9, 3, 6, ["companionship"], CARE_TEAM, ["黄伯荣", "梁志明", "罗晓彤", "张天宝"], WORKDAY),
]
# title, days from today (at least), start hour, hours, capacity, skills, team, points/hour, signed up
# (name, status), days
UPCOMING = [
    (
        "周末长者陪伴探访",
        3,
        9,
        3,
        6,
        ["companionship", "elderly_care"],
        CARE_TEAM,
        0,
        [("陈志强", "confirmed"), ("罗晓彤", "confirmed"), ("梁志明", "confirmed")],
        SATURDAY,
    ),
    (
        "富丰新城垃圾分类督导",
        6,
        18.5,
        2,
        2,
        ["cleaning"],
        YOUTH_TEAM,
        15,
        [("吴伟强", "confirmed"), ("张天宝", "confirmed"), ("何嘉欣", "waitlisted")],
        ANY_DAY,
    ),
    ("社区手机课：教长者用手机挂号", 10, 14.5, 2, 4, ["it"], YOUTH_TEAM, 0, [("黄伯荣", "confirmed")], WORKDAY),
]
# The activity running when the demo is loaded (for trying the QR check-in) starts 20 minutes before;
# loaded outside these hours, it is the next morning's instead.
RUNNING_FROM, RUNNING_UNTIL = dt.time(8, 50), dt.time(19, 50)


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    staff = context.users.get("community_staff")
    if estate is None or staff is None:
        return
    community = estate.community
    if Activity.objects.filter(area=community, title=MARKER).exists():
        return
    _load(context, estate, community, staff)


def _team(community: Any, name: str) -> Organization:
    team, _created = Organization.objects.get_or_create(
        area=community, name=name, defaults={"kind": OrganizationKind.VOLUNTEER_TEAM}
    )
    return team


def _person(community: Any, name: str) -> Person:
    person = Person.objects.filter(community=community, name=name).first()
    return person or Person.objects.create(community=community, name=name)


def _load(context: Any, estate: Any, community: Any, staff: Any) -> None:
    from . import services

    now = timezone.now()
    today = timezone.localdate()
    VolunteeringPolicy.objects.get_or_create(
        community=community, defaults={"party_member_target_hours": 50, "approval_required": True}
    )
    teams = {name: _team(community, name) for name in (YOUTH_TEAM, CARE_TEAM)}
    skills = {s.code: s for s in Skill.objects.all()}
    people: dict[str, Person] = {}
    for name, party, skill_codes, availability, team_names, _hours in VOLUNTEERS:
        person = people[name] = _person(community, name)
        if party and not PartyMembership.objects.filter(person=person).exists():
            PartyMembership.objects.create(person=person, status=PartyStatus.FORMAL, relation=PartyRelation.REGISTERED)
        profile, _created = VolunteerProfile.objects.get_or_create(
            person=person,
            defaults={
                "community": community,
                "status": ProfileStatus.APPROVED,
                "availability": availability,
                "applied_at": now - dt.timedelta(days=300),
                "decided_at": now - dt.timedelta(days=299),
                "decided_by": staff,
            },
        )
        profile.skills.set([skills[c] for c in skill_codes if c in skills])
        for team_name in team_names:
            if not Membership.objects.filter(organization=teams[team_name], person=person, to_on=None).exists():
                Membership.objects.create(
                    organization=teams[team_name], person=person, role=MembershipRole.MEMBER, from_on=today
                )
    for name, skill_codes, introduction in APPLICANTS:
        person = _person(community, name)
        profile, _created = VolunteerProfile.objects.get_or_create(
            person=person,
            defaults={
                "community": community,
                "availability": ["weekend_morning"],
                "introduction": introduction,
                "applied_at": now - dt.timedelta(days=2),
            },
        )
        profile.skills.set([skills[c] for c in skill_codes if c in skills])

    def at(days: int, hour: float, weekdays: frozenset[int] = ANY_DAY) -> dt.datetime:
        """``hour`` (9.5: 09:30) on the day nearest today + ``days`` among ``weekdays``: later for
        the coming activities, earlier for the past ones."""
        step = 1 if days >= 0 else -1
        day = today + dt.timedelta(days=days)
        while day.weekday() not in weekdays:
            day += dt.timedelta(days=step)
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, int(hour), int(round(hour % 1 * 60))))

    def create(
        title: str,
        days: int,
        hour: float,
        hours: float,
        capacity: int,
        codes: list[str],
        team: str,
        pph: int = 0,
        weekdays: frozenset[int] = ANY_DAY,
    ):
        # Created for the future (as staff would have), then placed at its real time.
        ahead = now + dt.timedelta(days=1)
        activity = services.create_activity(
            actor=staff,
            title=title,
            description="",
            location="富丰新城党群服务站集合",
            estate=estate,
            starts_at=ahead,
            ends_at=ahead + dt.timedelta(hours=hours),
            capacity=capacity,
            skills=[skills[c] for c in codes if c in skills],
            points_per_hour=pph,
            team=teams[team],
            publish=True,
        )
        starts = at(days, hour, weekdays)
        Activity.objects.filter(pk=activity.pk).update(
            starts_at=starts, ends_at=starts + dt.timedelta(hours=hours), signup_closes_at=None
        )
        activity.refresh_from_db()
        return activity

    def place(activity: Activity, person: Person, status: str, queued: dt.datetime) -> SignUp:
        return SignUp.objects.create(
            activity=activity, person=person, user=person.user, status=status, queued_at=queued
        )

    first_record = None
    for title, days, hour, hours, capacity, codes, team, served, weekdays in PAST:
        activity = create(title, days, hour, hours, capacity, codes, team, weekdays=weekdays)
        Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.FINISHED)
        activity.refresh_from_db()
        for n, name in enumerate(served):
            signup = place(activity, people[name], "confirmed", activity.starts_at - dt.timedelta(days=5, minutes=n))
            CheckIn.objects.create(
                signup=signup,
                checked_in_at=activity.starts_at - dt.timedelta(minutes=10),
                checked_in_by="qr",
                checked_out_at=activity.ends_at + dt.timedelta(minutes=5),
                checked_out_by="qr" if n % 3 else "organiser",
            )
            record = services.confirm_hours(actor=staff, signup=signup)
            first_record = first_record or record
    if first_record is not None:
        services.correct_record(actor=staff, record=first_record, minutes=-30, reason="提前半小时离开，按签到表更正")
    # Hours served before the platform, from the paper ledger (纸质台账补录).
    ledger_day = min(today, dt.date(today.year, 6, 30))
    for name, _party, _skills, _availability, _teams, hours in VOLUNTEERS:
        if hours:
            ServiceRecord.objects.create(
                person=people[name],
                served_on=ledger_day,
                minutes=hours * 60,
                description="上半年社区志愿服务（纸质台账补录）",
                confirmed_by=staff,
                confirmed_at=now,
                scope=community.path,
            )
    for title, days, hour, hours, capacity, codes, team, pph, signed, weekdays in UPCOMING:
        activity = create(title, days, hour, hours, capacity, codes, team, pph, weekdays)
        for n, (name, status) in enumerate(signed):
            place(activity, people[name], status, now - dt.timedelta(hours=10 - n))
    # Running now: the volunteer can scan the QR code (the organiser's poster page) to check in.
    running = create("楼道消防通道清理", 0, 9, 3, 8, ["cleaning", "patrol"], YOUTH_TEAM)
    local = timezone.localtime(now)
    if RUNNING_FROM <= local.time() <= RUNNING_UNTIL:
        starts = (now - dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
        starts -= dt.timedelta(minutes=starts.minute % 5)
    else:  # at night: tomorrow (or this) morning's, open for sign-up
        starts = at(0 if local.time() < RUNNING_FROM else 1, 9)
    Activity.objects.filter(pk=running.pk).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=3))
    for n, name in enumerate(("陈志强", "张天宝", "吴伟强")):
        place(running, people[name], "confirmed", starts - dt.timedelta(days=1, minutes=n))
    cancelled = create("邻里节游园志愿服务", 12, 18, 3, 10, ["events"], YOUTH_TEAM, weekdays=WEEKEND)
    place(cancelled, people["何嘉欣"], "confirmed", now - dt.timedelta(days=1))
    services.cancel_activity(
        actor=staff, activity=cancelled, version=cancelled.version, reason="场地改造，活动延期，另行通知"
    )
    # The grid worker's own draft for their grid.
    grid_worker = context.users.get("grid_worker")
    grid = context.areas.get(f"{context.district.path}.01.017.01")
    if grid_worker is not None and grid is not None:
        ahead = at(14, 15)
        services.create_activity(
            actor=grid_worker,
            title="第一网格楼长例会后楼道巡查",
            location="1座架空层",
            area=grid,
            starts_at=ahead,
            ends_at=ahead + dt.timedelta(hours=2),
            capacity=5,
            skills=[skills["patrol"]] if "patrol" in skills else [],
        )
