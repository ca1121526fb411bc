"""Synthetic volunteering of a community for benchmarks (``shuren seed-scale --activity``).

Two years of the volunteering the seed articles describe, in proportion to the community's
residents:

* party members: ``PARTY_SHARE`` of the residents, among the adults (formal or probationary;
  registered here, mobile, or in-service members reporting to the community),
  ``PARTY_VOLUNTEER_SHARE`` of them volunteers;
* volunteers: ``VOLUNTEER_SHARE`` of the residents, with skills, availability and an approved
  registration (a few await approval, a few are suspended), members of the community's five
  volunteer teams (``orgs.Organization(kind=volunteer_team)``, one captain each);
* activities of the teams, finished (a few cancelled, a few upcoming and open for sign-up, none
  full), at the community or one of its grids, starting in the daytime (``timing.FIRST_START`` to
  ``timing.LAST_START``) on a day that suits them (what the title says: 周末 on a weekend; visits
  and classes on working days, as chinese-calendar knows them; summer classes in July and August),
  with confirmed sign-ups (some cancelled, some on the waiting list,
  some who did not come), check-ins and check-outs by QR code or by the organiser, and a confirmed
  ``ServiceRecord`` for everyone who came, with the minutes the check-in proposed (the organiser
  entered other minutes for some; a few records are corrected later);
* how much: each volunteer serves at their own pace, up to a few activities a month; party members
  aim at the 50 hours a year of 双50 (about 1.6 activities of 2-3 hours a month; activities that
  fill up leave the median party member somewhat behind, some far ahead), other volunteers less
  (half an activity a month is typical), a fifth hardly at all. Most volunteers
  (``REGISTERED_BEFORE``) registered before the two years, the others during them.

Every row satisfies the database's constraints and the services' invariants: at most ``capacity``
confirmed sign-ups, check-out after check-in, one original record per sign-up, corrections that
keep the total above zero, references as ``services.activities.reference_for`` makes them. The
records are returned (``VolunteeringOutcome.credits``) for the points ledger. Rows are written
through ``synthetic.bulk_rows`` (COPY on PostgreSQL): no audit events, no signals.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from shuren.core.workdays import WorkingCalendar
from shuren.orgs.models import Membership, MembershipRole, Organization, OrganizationKind
from shuren.people.models import PartyMembership, PartyRelation, PartyStatus, Person
from shuren.places.models import Area, AreaKind, Estate
from shuren.synthetic import timing
from shuren.synthetic.bulk_rows import BulkWriter, token, utc
from shuren.volunteering.models import (
    Activity,
    ActivityStatus,
    Availability,
    CheckIn,
    CheckInMethod,
    ProfileStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    Skill,
    VolunteerProfile,
)

HISTORY_DAYS = 730
VOLUNTEER_SHARE = 0.05
PARTY_SHARE = 0.035  # of the adult residents
PARTY_VOLUNTEER_SHARE = 0.8
PARTY_HOURS_MEDIAN = 50.0  # a year: the target (activities that fill up leave some behind it)
OTHER_MONTHLY_MEDIAN = 0.5  # activities a month of an active volunteer who is not a party member
REGISTERED_BEFORE = 0.7  # of the volunteers: registered before the two years
DORMANT_SHARE = 0.2
DAY = 86400.0

# name, led by party members, skills its activities ask for
TEAMS = [
    ("党员先锋志愿服务队", True, ["patrol", "events", "mediation"]),
    ("青年志愿服务队", False, ["events", "photography", "it", "tutoring"]),
    ("长者关爱服务队", False, ["companionship", "elderly_care", "medical"]),
    ("平安巡逻队", False, ["patrol", "driving"]),
    ("环境卫生志愿队", False, ["cleaning", "repairs"]),
]
# title, team, hours (choices), start hours (choices, 9.5: 09:30, all within timing.FIRST_START and
# timing.LAST_START), where ({e} an estate of the community), days: what the title says (周末 …) or,
# where it says nothing, "workday", "weekend", "summer" (working days of July and August) or "any"
_Template = tuple[str, int, list[float], list[float], str, str]
ACTIVITIES: list[_Template] = [
    ("{e}垃圾分类督导", 4, [1.5, 2], [8.5, 18.5], "{e}垃圾分类投放点", "any"),
    ("{e}人工湖清洁行动", 4, [3, 4], [8.5, 9], "{e}中心花园集合", "weekend"),
    ("社区环境大扫除", 4, [2, 3], [8.5, 15], "社区党群服务中心门口", "weekend"),
    ("长者义剪进小区", 2, [2.5, 3], [9, 14.5], "{e}党群服务站", "any"),
    ("独居长者上门探访", 2, [2, 3], [9, 15], "社区党群服务中心集合", "workday"),
    ("长者智能手机课", 1, [2], [9, 14.5], "社区长者饭堂", "workday"),
    ("反诈宣传进楼道", 1, [2], [19], "{e}各楼栋大堂", "any"),
    ("暑期托管班课业辅导", 1, [3], [9, 14.5], "社区青少年活动室", "summer"),
    ("周末平安巡逻", 3, [2, 3], [19, 19.5], "{e}北门岗亭", "weekend"),
    ("防溺水安全宣传", 3, [2], [15, 16], "{e}人工湖边", "any"),
    ("党员先锋岗值守", 0, [2, 3], [8.5, 14.5], "社区党群服务中心", "workday"),
    ("文明养犬宣传", 0, [1.5, 2], [8.5, 18.5], "{e}中心花园", "weekend"),
    ("{e}消防通道清理", 0, [2, 3], [9, 15], "{e}物业服务中心集合", "any"),
    ("义诊和健康讲座", 2, [3], [9], "社区党群服务中心二楼", "weekend"),
]
HOUR_MINUTES = [0, 0, 30]  # added to a start hour, never past timing.LAST_START
INTRODUCTIONS = ["退休教师，时间比较充裕", "在职党员，周末可以参加", "大学生，寒暑假在社区", "", "", ""]
WORKPLACES = ["区人民医院", "区税务局", "市第三中学", "区供电局", "街道社区卫生服务中心", "区法院"]
CORRECTION_REASONS = ["签退时间记录有误，按实际服务时间补录", "提前离开，按实际服务时间核减"]
CANCEL_REASONS = ["暴雨预警，活动取消", "场地临时被占用，活动改期"]


@dataclass(frozen=True)
class ServiceCredit:
    """One confirmed service record, as the points ledger credits it."""

    record_id: int
    person_id: int
    minutes: int  # a correction: the signed difference
    served_on: dt.date
    confirmed_at: float
    rate: int  # the activity's points per hour; 0: the rule's
    title: str
    corrects: int | None = None


@dataclass
class VolunteeringOutcome:
    """What the other generators build on: who volunteers and what they served."""

    volunteers: dict[int, str] = field(default_factory=dict)  # approved volunteers: person id -> name
    party_members: dict[int, str] = field(default_factory=dict)  # person id -> name
    teams: dict[int, str] = field(default_factory=dict)  # organisation id -> name
    credits: list[ServiceCredit] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class _Volunteer:
    pk: int
    name: str
    is_party_member: bool
    from_t: float  # may serve from (approved)
    until_t: float  # until (suspended, or now)
    monthly: float  # activities a month
    status: str


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _age(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def seed_volunteering(
    community: Area, *, staff: list[int], rng: random.Random, now: float, writer: BulkWriter
) -> VolunteeringOutcome:
    """Write the community's party members, volunteers, teams, activities, sign-ups, check-ins and
    service records of the ``HISTORY_DAYS`` before ``now`` (epoch seconds); ``staff`` are the user
    ids of the community's staff, who organise and confirm. The same ``rng`` gives the same rows."""
    return _Volunteering(community, staff, rng, now, writer).run()


class _Volunteering:
    def __init__(self, community: Area, staff: list[int], rng: random.Random, now: float, writer: BulkWriter) -> None:
        self.community, self.staff, self.rng, self.now, self.writer = community, staff, rng, now, writer
        self.tz = timezone.get_current_timezone()
        self.calendar = WorkingCalendar()
        self.today = dt.datetime.fromtimestamp(now, tz=self.tz).date()
        self.start = now - HISTORY_DAYS * DAY
        self.outcome = VolunteeringOutcome()
        self.volunteers: list[_Volunteer] = []
        self.skills = list(Skill.objects.values_list("code", "pk"))
        self.skill_ids = dict(self.skills)
        self.grids = list(Area.objects.filter(parent=community, kind=AreaKind.GRID).values_list("pk", "path"))
        self.estates = list(Estate.objects.filter(community=community).values_list("pk", "name"))

    # --- people -----------------------------------------------------------------------------------

    def run(self) -> VolunteeringOutcome:
        residents = list(
            Person.objects.filter(community=self.community).order_by("pk").values_list("pk", "name", "birth_date")
        )
        if not residents:
            return self.outcome
        party = self._party_members(residents)
        volunteers = self.volunteers = self._volunteers(residents, party)
        teams = self._teams(volunteers)
        self._activities(volunteers, teams)
        return self.outcome

    def _party_members(self, residents: list[tuple[int, str, dt.date | None]]) -> dict[int, str]:
        rng, today = self.rng, self.today
        adults = [r for r in residents if (_age(r[2], today) or 40) >= 18]
        chosen = rng.sample(adults, min(len(adults), round(len(residents) * PARTY_SHARE)))
        table, ids = self.writer.table(PartyMembership), self.writer.ids(PartyMembership)
        for pk, _name, birth in chosen:
            born = birth or dt.date(1975, 6, 1)
            joined = born + dt.timedelta(days=rng.randint(18 * 365, max(18 * 365 + 1, (today - born).days - 30)))
            relation = rng.choices(
                [PartyRelation.REGISTERED, PartyRelation.IN_SERVICE, PartyRelation.MOBILE], [55, 40, 5]
            )[0]
            recorded = utc(self.start - rng.uniform(0, 365) * DAY)
            table.add(
                id=ids(),
                person_id=pk,
                status=PartyStatus.FORMAL if rng.random() < 0.93 else PartyStatus.PROBATIONARY,
                relation=relation,
                joined_on=min(joined, today),
                workplace=rng.choice(WORKPLACES) if relation == PartyRelation.IN_SERVICE else "",
                reported_on=recorded.date() if relation == PartyRelation.IN_SERVICE else None,
                created_at=recorded,
                updated_at=recorded,
            )
        self.outcome.party_members = {pk: name for pk, name, _b in chosen}
        self.outcome.counts["party members"] += len(chosen)
        return self.outcome.party_members

    def _volunteers(self, residents: list[tuple[int, str, dt.date | None]], party: dict[int, str]) -> list[_Volunteer]:
        rng, today, now = self.rng, self.today, self.now
        wanted = round(len(residents) * VOLUNTEER_SHARE)
        members = [r for r in residents if r[0] in party and rng.random() < PARTY_VOLUNTEER_SHARE]
        others = [r for r in residents if r[0] not in party and 16 <= (_age(r[2], today) or 40) <= 75]
        chosen = members + rng.sample(others, max(0, min(len(others), wanted - len(members))))
        chosen.sort()
        profiles, ids = self.writer.table(VolunteerProfile), self.writer.ids(VolunteerProfile)
        skills_of = self.writer.table(VolunteerProfile.skills.through)
        skill_ids = self.writer.ids(VolunteerProfile.skills.through)
        availability = list(Availability.values)
        volunteers = []
        for pk, name, _birth in chosen:
            is_member = pk in party
            # Most registered before the two years (a community's volunteers are years in the making).
            before = rng.random() < REGISTERED_BEFORE
            applied = (
                now - (rng.uniform(HISTORY_DAYS, 3 * HISTORY_DAYS) if before else rng.uniform(7, HISTORY_DAYS)) * DAY
            )
            roll = rng.random()
            approved: float | None = applied + rng.uniform(0.2, 6) * DAY
            status, decided, until, note = ProfileStatus.APPROVED, approved, now, ""
            if roll < 0.03:  # a recent registration awaiting approval
                status, applied, approved, decided = ProfileStatus.APPLIED, now - rng.uniform(0.5, 20) * DAY, None, None
            elif roll < 0.04:  # approved first, suspended later
                status, note = ProfileStatus.SUSPENDED, "多次报名后未到场，暂停报名资格"
                until = decided = min(now - DAY, approved + rng.uniform(60, 400) * DAY)  # type: ignore[operator]
            profile = ids()
            profiles.add(
                id=profile,
                person_id=pk,
                community_id=self.community.pk,
                status=status,
                availability=_json_list(sorted(rng.sample(availability, rng.randint(1, 3)), key=availability.index)),
                introduction=rng.choice(INTRODUCTIONS),
                applied_at=utc(applied),
                decided_at=utc(decided) if decided else None,
                decided_by_id=rng.choice(self.staff) if decided else None,
                decision_note=note,
                scope=self.community.path,
                created_at=utc(applied),
                updated_at=utc(decided or applied),
                version=1 if status == ProfileStatus.APPLIED else (3 if status == ProfileStatus.SUSPENDED else 2),
            )
            for _code, skill in rng.sample(self.skills, rng.randint(1, 3)):
                skills_of.add(id=skill_ids(), volunteerprofile_id=profile, skill_id=skill)
            if is_member:
                hours = min(150.0, PARTY_HOURS_MEDIAN * math.exp(rng.gauss(0, 0.5)))
                monthly = hours / 12 / 2.6
            elif rng.random() < DORMANT_SHARE:
                monthly = 0.03
            else:
                monthly = min(4.0, OTHER_MONTHLY_MEDIAN * math.exp(rng.gauss(0, 0.7)))
            start = approved + DAY if approved else now + DAY
            volunteers.append(_Volunteer(pk, name, is_member, start, until, monthly, status))
            if status == ProfileStatus.APPROVED:
                self.outcome.volunteers[pk] = name
        self.outcome.counts["volunteers"] += len(volunteers)
        return volunteers

    def _teams(self, volunteers: list[_Volunteer]) -> list[int]:
        rng = self.rng
        created = utc(self.start - 365 * DAY)
        organizations, org_ids = self.writer.table(Organization), self.writer.ids(Organization, block=50)
        teams = []
        for name, is_red, _skills in TEAMS:
            pk = org_ids()
            organizations.add(
                id=pk,
                kind=OrganizationKind.VOLUNTEER_TEAM,
                name=f"{self.community.name}{name}",
                area_id=self.community.pk,
                is_red=is_red,
                scope=self.community.path,
                created_at=created,
                updated_at=created,
            )
            teams.append(pk)
            self.outcome.teams[pk] = f"{self.community.name}{name}"
        memberships, ids = self.writer.table(Membership), self.writer.ids(Membership)
        captains: set[int] = set()
        for volunteer in volunteers:
            first = 0 if volunteer.is_party_member and rng.random() < 0.6 else rng.randrange(1, len(teams))
            joined = {first} | ({rng.randrange(len(teams))} if rng.random() < 0.1 else set())
            for index in sorted(joined):
                role = MembershipRole.MEMBER
                if index not in captains and volunteer.status == ProfileStatus.APPROVED:
                    captains.add(index)
                    role = MembershipRole.CAPTAIN
                since = utc(volunteer.from_t - DAY)
                memberships.add(
                    id=ids(),
                    organization_id=teams[index],
                    person_id=volunteer.pk,
                    role=role,
                    from_on=since.astimezone(self.tz).date(),
                    created_at=since,
                    updated_at=since,
                )
        return teams

    # --- activities -------------------------------------------------------------------------------

    def _activities(self, volunteers: list[_Volunteer], teams: list[int]) -> None:
        rng = self.rng
        first = dt.datetime.fromtimestamp(self.start, tz=self.tz).date().replace(day=1)
        month = first
        while month <= self.today:
            following = (month + dt.timedelta(days=32)).replace(day=1)
            begin = max(self.start, dt.datetime.combine(month, dt.time.min, tzinfo=self.tz).timestamp())
            end = min(self.now - DAY, dt.datetime.combine(following, dt.time.min, tzinfo=self.tz).timestamp())
            if end > begin:
                share = (end - begin) / (30.4 * DAY)
                tokens = [
                    v
                    for v in volunteers
                    if v.until_t > begin and v.from_t < end
                    for _ in range(_poisson(rng, v.monthly * share))
                ]
                rng.shuffle(tokens)
                self._month(tokens, begin, end, teams)
            month = following
        self._upcoming(volunteers, teams)

    def _day(self, template: _Template, day: dt.date, earliest: dt.date, latest: dt.date) -> dt.date | None:
        """The day nearest ``day`` within ``earliest``..``latest`` that suits the template: what its
        title says (周末 …), else its own rule; None when there is none (暑期 outside the summer)."""
        rule = timing.day_rule(template[0])
        if rule == timing.ANY:
            rule = template[5]
        if rule == "summer":
            if day.month not in (7, 8):
                return None
            rule = timing.WORKDAY
        return timing.fitting_day(rule, day, self.calendar.is_working_day, earliest=earliest, latest=latest)

    def _start(self, template: _Template, day: dt.date, *, minutes: bool = True) -> float:
        """The template's start on ``day``: one of its hours, sometimes half an hour later."""
        hours = self.rng.choice(template[3]) + (self.rng.choice(HOUR_MINUTES) / 60 if minutes else 0)
        return timing.local_moment(day, timing.clamp_start(hours)).timestamp()

    def _month(self, tokens: list[_Volunteer], begin: float, end: float, teams: list[int]) -> None:
        rng = self.rng
        misses = 0.0
        first = dt.datetime.fromtimestamp(begin, tz=self.tz).date()
        last = dt.datetime.fromtimestamp(end, tz=self.tz).date()
        while tokens and misses < 3:
            template = rng.choice(ACTIVITIES)
            capacity = rng.choice([8, 10, 12, 15, 20, 25, 30])
            drawn = dt.datetime.fromtimestamp(rng.uniform(begin, end), tz=self.tz).date()
            day = self._day(template, drawn, first, last)
            if day is None:  # none that suits it this month (暑期 in winter): another kind
                misses += 0.1
                continue
            hours = rng.choice(template[2])
            starts = self._start(template, day)
            ends = starts + hours * 3600
            if ends > self.now - 3600:  # not over yet: the same day a week earlier
                starts, ends = starts - 7 * DAY, ends - 7 * DAY
            wanted = max(1, min(len(tokens), round(capacity * rng.uniform(0.55, 1.0))))
            taken: list[_Volunteer] = []
            seen: set[int] = set()
            rest: list[_Volunteer] = []
            for volunteer in tokens:
                if (
                    len(taken) < wanted
                    and volunteer.pk not in seen
                    and volunteer.from_t < starts - DAY
                    and volunteer.until_t > ends
                ):
                    taken.append(volunteer)
                    seen.add(volunteer.pk)
                else:
                    rest.append(volunteer)
            if not taken:  # who is left cannot serve on that day (registered or suspended meanwhile)
                misses += 1
                continue
            tokens[:] = rest
            self._activity(template, teams, capacity, starts, ends, taken, finished=True)

    def _upcoming(self, volunteers: list[_Volunteer], teams: list[int]) -> None:
        """A few activities of the coming two weeks, published and open for sign-up, with places
        taken."""
        rng = self.rng
        active = [v for v in volunteers if v.status == ProfileStatus.APPROVED and v.monthly > 0.3]
        made = 0
        for _ in range(10 * max(1, round(len(volunteers) / 100))):
            if made == max(1, round(len(volunteers) / 100)):
                break
            template = rng.choice(ACTIVITIES)
            wanted = self.today + dt.timedelta(days=rng.randint(2, 14))
            day = self._day(template, wanted, self.today + dt.timedelta(days=2), self.today + dt.timedelta(days=20))
            if day is None:
                continue
            starts = self._start(template, day, minutes=False)
            capacity = rng.choice([8, 10, 12, 15])
            taken = rng.sample(active, min(len(active), rng.randint(1, capacity - 1)))
            self._activity(template, teams, capacity, starts, starts + rng.choice(template[2]) * 3600, taken)
            made += 1

    def _activity(
        self,
        template: _Template,
        teams: list[int],
        capacity: int,
        starts: float,
        ends: float,
        taken: list[_Volunteer],
        *,
        finished: bool = False,
    ) -> None:
        rng, writer, counts = self.rng, self.writer, self.outcome.counts
        title_text, team_index, _hours, _starts, where, _days = template
        _estate, estate_name = rng.choice(self.estates) if self.estates else (None, self.community.name)
        title, location = title_text.format(e=estate_name), where.format(e=estate_name)
        area_id, scope = self.community.pk, self.community.path
        if self.grids and rng.random() < 0.5:
            area_id, scope = rng.choice(self.grids)
        published = min(starts - rng.uniform(3, 10) * DAY, self.now - rng.uniform(1, 24) * 3600)
        created = published - rng.uniform(0, 2) * DAY
        closes = starts - 12 * 3600 if rng.random() < 0.3 else None
        cancelled = finished and rng.random() < 0.02
        status = ActivityStatus.PUBLISHED
        if finished:
            status = ActivityStatus.CANCELLED if cancelled else ActivityStatus.FINISHED
        organizer = rng.choice(self.staff)
        rate = rng.choice([15, 20]) if rng.random() < 0.15 else 0
        pk = writer.ids(Activity)()
        local_created = dt.datetime.fromtimestamp(created, tz=self.tz)
        writer.table(Activity).add(
            id=pk,
            reference=f"HD{local_created:%Y}-{pk:06d}",  # as services.activities.reference_for
            title=title,
            description=f"{TEAMS[team_index][0]}组织，欢迎报名。",
            location=location,
            team_id=teams[team_index],
            organizer_id=organizer,
            starts_at=utc(starts),
            ends_at=utc(ends),
            signup_closes_at=utc(closes) if closes else None,
            capacity=capacity,
            points_per_hour=rate,
            status=status,
            checkin_token=token(rng),
            published_at=utc(published),
            cancelled_reason=rng.choice(CANCEL_REASONS) if cancelled else "",
            area_id=area_id,
            scope=scope,
            created_at=utc(created),
            updated_at=utc(min(self.now, ends + 3600) if finished else published),
            version=3 if finished else 2,
        )
        wanted_skills = TEAMS[team_index][2]
        through, through_ids = writer.table(Activity.skills_wanted.through), writer.ids(Activity.skills_wanted.through)
        for code in rng.sample(wanted_skills, rng.randint(0, min(2, len(wanted_skills)))):
            if code in self.skill_ids:
                through.add(id=through_ids(), activity_id=pk, skill_id=self.skill_ids[code])
        counts["activities"] += 1
        signups, signup_ids = writer.table(SignUp), writer.ids(SignUp, block=5000)
        deadline = min(closes or starts, self.now - 60)
        for n, volunteer in enumerate(taken):
            opens = max(published, volunteer.from_t)  # signed up once published and approved
            at = min(deadline, opens + (deadline - opens) * rng.random() ** 2)
            signup = signup_ids()
            signups.add(
                id=signup,
                activity_id=pk,
                person_id=volunteer.pk,
                status=SignUpStatus.CONFIRMED,
                queued_at=utc(at),
                created_at=utc(at),
                updated_at=utc(at),
            )
            counts["sign-ups"] += 1
            if finished and not cancelled and (rng.random() > 0.04 or n == 0):  # a few do not come
                self._served(pk, signup, volunteer, starts, ends, organizer, rate, title, scope)
        # Sign-ups given back before the day, and a waiting list that a full activity kept.
        extra = [v for v in self.rng.sample(taken, min(len(taken), 2)) if rng.random() < 0.15]
        for volunteer in extra:
            opens = max(published, volunteer.from_t)
            at = min(deadline, opens + (deadline - opens) * rng.random() * 0.5)
            signups.add(
                id=signup_ids(),
                activity_id=pk,
                person_id=volunteer.pk,
                status=SignUpStatus.CANCELLED,
                queued_at=utc(at),
                cancelled_at=utc(at + (deadline - at) * rng.random()),
                created_at=utc(at),
                updated_at=utc(at),
            )
            counts["sign-ups"] += 1
        if len(taken) == capacity and rng.random() < 0.5:
            inside = {v.pk for v in taken}
            waiting = [
                v.pk
                for v in rng.sample(self.volunteers, min(5, len(self.volunteers)))
                if v.pk not in inside and v.from_t < deadline and v.until_t > ends
            ]
            for person in waiting[: rng.randint(1, 3)]:
                at = published + (deadline - published) * (0.8 + 0.2 * rng.random())
                signups.add(
                    id=signup_ids(),
                    activity_id=pk,
                    person_id=person,
                    status=SignUpStatus.WAITLISTED,
                    queued_at=utc(at),
                    created_at=utc(at),
                    updated_at=utc(at),
                )
                counts["sign-ups"] += 1

    def _served(
        self,
        activity: int,
        signup: int,
        volunteer: _Volunteer,
        starts: float,
        ends: float,
        organizer: int,
        rate: int,
        title: str,
        scope: str,
    ) -> None:
        """The check-in, check-out and confirmed record of one volunteer who came."""
        rng, writer = self.rng, self.writer
        arrived = max(starts - 1800, starts + rng.gauss(-5, 8) * 60)
        by_qr = rng.random() < 0.8
        checked_out = ends + rng.gauss(5, 12) * 60
        left: float | None = checked_out
        if rng.random() < 0.05 or checked_out <= arrived:
            left = None  # forgot to check out: the end of the activity counts
        out_by = (CheckInMethod.QR if rng.random() < 0.85 else CheckInMethod.ORGANISER) if left else ""
        writer.table(CheckIn).add(
            id=writer.ids(CheckIn, block=5000)(),
            signup_id=signup,
            checked_in_at=utc(arrived),
            checked_in_by=CheckInMethod.QR if by_qr else CheckInMethod.ORGANISER,
            checked_out_at=utc(left) if left else None,
            checked_out_by=out_by,
            recorded_by_id=None if by_qr else organizer,
        )
        # As services.records.proposed_minutes: the check-in to the check-out, clipped to the window.
        proposed = max(0, int((min(left or ends, ends) - max(arrived, starts)) // 60))
        minutes = proposed
        if not proposed or rng.random() < 0.08:  # the organiser entered the minutes served
            minutes = max(30, int(round((ends - starts) / 60 * rng.choice([0.5, 0.75, 1.0]) / 30)) * 30)
        confirmed = min(self.now - 60, ends + rng.uniform(0.3, 72) * 3600)
        served_on = dt.datetime.fromtimestamp(starts, tz=self.tz).date()
        records = writer.table(ServiceRecord)
        record_ids = writer.ids(ServiceRecord, block=5000)
        record = record_ids()
        records.add(
            id=record,
            person_id=volunteer.pk,
            activity_id=activity,
            signup_id=signup,
            served_on=served_on,
            minutes=minutes,
            proposed_minutes=proposed,
            description=title[:200],
            confirmed_by_id=organizer,
            confirmed_at=utc(confirmed),
            scope=scope,
        )
        credits = self.outcome.credits
        credits.append(ServiceCredit(record, volunteer.pk, minutes, served_on, confirmed, rate, title))
        self.outcome.counts["service records"] += 1
        if rng.random() < 0.005 and confirmed < self.now - 2 * DAY:
            change = 30 if rng.random() < 0.5 or minutes <= 30 else -30
            at = min(self.now - 60, confirmed + rng.uniform(1, 20) * DAY)
            correction = record_ids()
            records.add(
                id=correction,
                person_id=volunteer.pk,
                activity_id=activity,
                signup_id=signup,
                corrects_id=record,
                served_on=served_on,
                minutes=change,
                description=title[:200],
                reason=CORRECTION_REASONS[0 if change > 0 else 1],
                confirmed_by_id=organizer,
                confirmed_at=utc(at),
                scope=scope,
            )
            credits.append(ServiceCredit(correction, volunteer.pk, change, served_on, at, rate, title, record))
            self.outcome.counts["service records"] += 1


def _json_list(values: list[str]) -> str:
    import json

    return json.dumps(values)


def expected_rows(residents: int) -> int:
    """About how many sign-up, check-in, record and ledger rows ``residents`` residents' two years of
    volunteering make (for deciding whether a load is large)."""
    return int(residents * 1.2 * 6)
