"""Synthetic meetings of a community for benchmarks (``shuren seed-scale --activity``).

Two years of the meetings the seed articles describe, in proportion to the community's residents
(for 8,000 residents about five a month): a joint meeting (联席会议) every month, a deliberation
council (议事会) every other month, each grid's deliberation day (网格议事日) every quarter, a
stairwell meeting (楼道会议) of some stairwell unit every month, and now and then a co-governance
salon, a red deliberation hall and a round table. For each meeting:

* invitations of people (party members, volunteers, the residents of the grid or stairwell) and of
  organisations (the residents' committee, property managers, volunteer teams), with their replies;
* sign-ins (by QR code or by staff, a few walk-ins), the agenda (the first agenda item is study),
  minutes, and resolutions decided by the kind's rules of procedure (``meetings.rules.decide``:
  counted or, where the rule records names, named votes; salons record a conclusion without a
  vote);
* action items with their progress updates, most of them done;
* the timeline (scheduled, invited, sign-in opened, signed in, ended, minutes, resolutions, action
  items, published).

Past meetings are held or published (a few cancelled), the next weeks' are scheduled. Guarantees:
every constraint of ``meetings.models`` (one invitation and one attendance per person, an owner for
every action item, end after start), the counts a resolution stores are those of its meeting's
invitations and attendance, references as ``services.scheduling.reference_for`` makes them. The
attendances of people at held meetings are returned for the points ledger. No audit events.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from shuren.meetings.models import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    AgendaKind,
    Attendance,
    CheckInMethod,
    Choice,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingEvent,
    MeetingKind,
    MeetingRule,
    MeetingStatus,
    Minutes,
    Resolution,
    ResolutionVote,
    VoteMode,
)
from shuren.meetings.rules import decide
from shuren.people.models import Person, Residence
from shuren.places.models import Area, AreaKind, Building, Estate, Unit
from shuren.synthetic.bulk_rows import BulkWriter, token, utc

HISTORY_DAYS = 730
RESIDENTS = 8_000
OVERDUE_DAYS = 10  # an action item still under way is at most this far past its deadline
DAY = 86400.0
# kind: meetings a month (for 8,000 residents), where (community, grid, unit), people invited
PER_MONTH = {
    MeetingKind.JOINT: (1.0, "community", (8, 14)),
    MeetingKind.COUNCIL: (0.5, "community", (12, 18)),
    MeetingKind.GRID_DAY: (4 / 3, "grid", (10, 20)),
    MeetingKind.STAIRWELL: (1.0, "unit", (8, 16)),
    MeetingKind.SALON: (1 / 3, "community", (10, 16)),
    MeetingKind.HALL: (1 / 3, "community", (8, 12)),
    MeetingKind.ROUND_TABLE: (1 / 3, "community", (8, 12)),
}
TITLES: dict[str, str] = {
    MeetingKind.JOINT: "{y}年{m}月社区党建联席会议",
    MeetingKind.COUNCIL: "社区议事会：{t}",
    MeetingKind.GRID_DAY: "{g}网格议事日",
    MeetingKind.STAIRWELL: "{u}楼道会议：{t}",
    MeetingKind.SALON: "共治沙龙：{t}",
    MeetingKind.HALL: "红色议事厅：{t}",
    MeetingKind.ROUND_TABLE: "圆桌议事：{t}",
}
TOPICS = [
    "停车秩序整治方案",
    "电动车集中充电设施建设",
    "老旧小区改造进度",
    "物业服务质量评议",
    "中心花园微改造",
    "楼道堆物清理",
    "垃圾分类督导安排",
    "长者饭堂运营",
    "加装电梯意见征集",
    "文明养犬公约",
]
STUDY = "第一议题：学习上级有关基层治理的最新精神"
LOCATIONS = ["社区党群服务中心会议室", "社区红色议事厅", "{e}党群服务站", "{e}架空层"]
OUTCOMES = ["与会人员充分讨论，形成一致意见", "会议听取情况汇报，提出改进意见", "同意按方案推进，下次会议通报进展"]
MINUTES = "会议由社区工作人员主持。与会人员围绕{t}进行了讨论，形成决议如下：{r}。"
RESOLUTIONS = ["同意{t}方案，由物业牵头一个月内落实", "{t}：成立工作小组，每月通报进展", "{t}：先行试点，三个月后评估"]
ACTIONS = ["{t}：制定实施计划", "{t}：张贴公示并征求意见", "{t}：组织现场整改", "{t}：向居民反馈落实情况"]
UPDATES = ["已完成现场勘查", "已召开协调会，明确责任分工", "已按计划完成"]
WALK_INS = ["陈阿姨", "李伯", "黄先生", "周女士"]


@dataclass(frozen=True)
class AttendanceCredit:
    """A person's attendance at a held meeting, as the points sweep credits it."""

    attendance_id: int
    person_id: int
    meeting_title: str
    meeting_on: dt.date
    posted_at: float  # when the hourly sweep would have credited it


@dataclass
class MeetingsOutcome:
    attendances: list[AttendanceCredit] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def seed_meetings(
    community: Area,
    *,
    staff: list[int],
    people: dict[int, str],
    organizations: dict[int, str],
    rng: random.Random,
    now: float,
    writer: BulkWriter,
) -> MeetingsOutcome:
    """Write the community's meetings of the ``HISTORY_DAYS`` before ``now`` (epoch seconds) and of
    the next three weeks. ``people`` are the party members and volunteers invited to community
    meetings (id -> name), ``organizations`` the organisations invited (id -> name), ``staff`` the
    user ids of the community's staff, who convene. The same ``rng`` gives the same rows."""
    return _Meetings(community, staff, people, organizations, rng, now, writer).run()


@dataclass
class _Invitee:
    person_id: int | None
    organization_id: int | None
    name: str
    invited_as: str


class _Meetings:
    def __init__(
        self,
        community: Area,
        staff: list[int],
        people: dict[int, str],
        organizations: dict[int, str],
        rng: random.Random,
        now: float,
        writer: BulkWriter,
    ) -> None:
        self.community, self.staff, self.rng, self.now, self.writer = community, staff, rng, now, writer
        self.people = sorted(people.items())
        self.organizations = sorted(organizations.items())
        self.tz = timezone.get_current_timezone()
        self.outcome = MeetingsOutcome()
        self.rules = {rule.kind: rule for rule in MeetingRule.objects.all()}
        self.grids = list(Area.objects.filter(parent=community, kind=AreaKind.GRID).values_list("pk", "path", "name"))
        self.estates = dict(Estate.objects.filter(community=community).values_list("pk", "name"))
        buildings = {
            pk: (estate, grid, scope, number)
            for pk, estate, grid, scope, number in Building.objects.filter(estate__community=community).values_list(
                "pk", "estate_id", "grid_id", "scope", "number"
            )
        }
        self.units = [
            (pk, building, *buildings[building], number)
            for pk, building, number in Unit.objects.filter(building__estate__community=community)
            .order_by("pk")
            .values_list("pk", "building_id", "number")
        ]
        names: dict[int, str] = {}
        self.by_grid: dict[str, list[int]] = defaultdict(list)
        for pk, name, scope in (
            Person.objects.filter(community=community).order_by("pk").values_list("pk", "name", "scope")
        ):
            names[pk] = name
            self.by_grid[scope].append(pk)
        self.names = names
        self.by_unit: dict[int, list[int]] = defaultdict(list)
        for person, unit in (
            Residence.objects.filter(person__community=community, to_on__isnull=True)
            .order_by("pk")
            .values_list("person_id", "dwelling__unit_id")
        ):
            self.by_unit[unit].append(person)
        # In proportion to the population where it is known (the demo district), else the residents;
        # a community twice the reference size or larger does not meet more often.
        self.factor = min(community.population or len(names), 2 * RESIDENTS) / RESIDENTS

    def run(self) -> MeetingsOutcome:
        if not self.names or not self.units:
            return self.outcome
        rng = self.rng
        start = self.now - HISTORY_DAYS * DAY
        month = dt.datetime.fromtimestamp(start, tz=self.tz).date().replace(day=1)
        horizon = self.now + 21 * DAY
        while self._midnight(month) < horizon:
            following = (month + dt.timedelta(days=32)).replace(day=1)
            begin, end = max(start, self._midnight(month)), min(horizon, self._midnight(following))
            share = (end - begin) / (self._midnight(following) - self._midnight(month))
            for kind, (per_month, level, invited) in PER_MONTH.items():
                expected = per_month * self.factor * share
                for _n in range(int(expected) + (rng.random() < expected - int(expected))):
                    self._meeting(kind, level, invited, rng.uniform(begin, end))
            month = following
        return self.outcome

    def _midnight(self, day: dt.date) -> float:
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.tz).timestamp()

    def _meeting(self, kind: str, level: str, invited: tuple[int, int], moment: float) -> None:
        rng, writer, now = self.rng, self.writer, self.now
        day = dt.datetime.fromtimestamp(moment, tz=self.tz).date()
        hour = rng.choice([9.5, 14.5, 19.5] if day.weekday() >= 5 else [19.5, 19.5, 15])
        starts = dt.datetime.combine(day, dt.time(int(hour), int(hour % 1 * 60)), tzinfo=self.tz).timestamp()
        ends = starts + rng.choice([1.5, 2, 2]) * 3600
        topic = rng.choice(TOPICS)
        estate_name = rng.choice(list(self.estates.values())) if self.estates else self.community.name
        area_id, estate_id, building_id, unit_id, scope = self.community.pk, None, None, None, self.community.path
        grid_name = ""
        candidates: list[int] = [pk for pk, _name in self.people]
        if level == "grid" and self.grids:
            area_id, scope, grid_name = rng.choice(self.grids)
            candidates = self.by_grid.get(scope, []) or candidates
        unit_label = ""
        if level == "unit":
            unit_id, building_id, estate_id, area_id, scope, number, unit_number = rng.choice(self.units)
            estate_name = self.estates[estate_id]
            unit_label = f"{estate_name}{number}{unit_number}"
            candidates = self.by_unit.get(unit_id, []) or candidates
        title = TITLES[kind].format(
            y=day.year, m=day.month, t=topic, g=grid_name.removeprefix(self.community.name), u=unit_label
        )
        past = ends < now - 3600
        status = MeetingStatus.SCHEDULED
        if past:
            status = MeetingStatus.PUBLISHED if now - ends > 10 * DAY or rng.random() < 0.5 else MeetingStatus.HELD
            if rng.random() < 0.03:
                status = MeetingStatus.CANCELLED
        elif starts < now:
            return  # running right now: nothing to generate for it
        created = min(now - 600, starts - rng.uniform(3, 14) * DAY)
        convener = rng.choice(self.staff)
        pk = writer.ids(Meeting, block=200)()
        events: list[tuple[float, str, str]] = [(created, "scheduled", f"{MeetingKind(kind).label} · {title}")]
        invitees = self._invitees(kind, candidates, invited)
        invitations, attendances = self._invite(pk, invitees, created, starts, status, convener, events)
        held = status in (MeetingStatus.HELD, MeetingStatus.PUBLISHED)
        version = 1
        published_at = None
        if held:
            version += 2  # sign-in opened, ended
            events.append((starts - 600, "checkin_opened", ""))
            events.append((ends, "ended", ""))
            self._proceedings(pk, kind, topic, scope, (starts, ends), convener, invitations, attendances, events)
            if status == MeetingStatus.PUBLISHED:
                published_at = min(now - 60, ends + rng.uniform(1, 5) * DAY)
                events.append((published_at, "published", title))
                version += 1
        elif status == MeetingStatus.CANCELLED:
            events.append((min(now - 60, starts - rng.uniform(0.1, 2) * DAY), "cancelled", "场地临时调整，会议改期"))
            version += 1
        local_start = dt.datetime.fromtimestamp(starts, tz=self.tz)
        location = rng.choice(LOCATIONS).format(e=estate_name)
        writer.table(Meeting).add(
            id=pk,
            reference=f"HY{local_start:%Y%m%d}-{pk:04d}",  # as services.scheduling.reference_for
            kind=kind,
            title=title[:120],
            description=f"议题：{topic}",
            starts_at=utc(starts),
            ends_at=utc(ends),
            location=location,
            status=status,
            convener_id=convener,
            checkin_token=token(rng),
            cancelled_reason="场地临时调整，会议改期" if status == MeetingStatus.CANCELLED else "",
            published_at=utc(published_at) if published_at else None,
            area_id=area_id,
            estate_id=estate_id,
            building_id=building_id,
            unit_id=unit_id,
            scope=scope,
            created_at=utc(created),
            updated_at=utc(max(e[0] for e in events)),
            version=version,
        )
        table, ids = writer.table(MeetingEvent), writer.ids(MeetingEvent, block=5000)
        for at, event_kind, text in sorted(events):
            table.add(id=ids(), meeting_id=pk, kind=event_kind, text=text[:300], actor_id=convener, at=utc(at))
        counts = self.outcome.counts
        counts["meetings"] += 1
        counts["meeting events"] += len(events)
        if held:
            posted = (ends // 3600 + 1) * 3600 + rng.uniform(0, 600)  # the next hourly sweep
            on = local_start.date()
            for attendance, person, _voting in attendances:
                if person is not None:
                    self.outcome.attendances.append(AttendanceCredit(attendance, person, title[:120], on, posted))

    def _invitees(self, kind: str, candidates: list[int], invited: tuple[int, int]) -> list[_Invitee]:
        rng = self.rng
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(*invited)))
        invitees = [_Invitee(p, None, self.names[p], self.names[p]) for p in sorted(set(chosen))]
        if kind in (MeetingKind.JOINT, MeetingKind.COUNCIL, MeetingKind.HALL) and self.organizations:
            for pk, name in rng.sample(self.organizations, min(len(self.organizations), rng.randint(2, 4))):
                invitees.append(_Invitee(None, pk, name, name))
        return invitees

    def _invite(
        self,
        meeting: int,
        invitees: list[_Invitee],
        created: float,
        starts: float,
        status: str,
        convener: int,
        events: list[tuple[float, str, str]],
    ) -> tuple[list[tuple[int, bool]], list[tuple[int, int | None, bool]]]:
        """Invitations and, for a held meeting, attendance. Returns (invitation id, voting) and
        (attendance id, person id, voting)."""
        rng, writer, now = self.rng, self.writer, self.now
        held = status in (MeetingStatus.HELD, MeetingStatus.PUBLISHED)
        sent = min(now - 60, created + rng.uniform(60, 3600))
        invitations: list[tuple[int, bool]] = []
        attended: list[tuple[int, int | None, bool]] = []
        table, ids = writer.table(Invitation), writer.ids(Invitation, block=5000)
        present, present_ids = writer.table(Attendance), writer.ids(Attendance, block=5000)
        for invitee in invitees:
            pk = ids()
            voting = invitee.organization_id is not None or rng.random() < 0.9
            roll = rng.random()
            reply = InvitationStatus.ACCEPTED if roll < 0.7 else InvitationStatus.DECLINED if roll < 0.8 else None
            replied = min(now - 60, sent + rng.uniform(0.1, 3) * DAY) if reply else None
            table.add(
                id=pk,
                meeting_id=meeting,
                person_id=invitee.person_id,
                organization_id=invitee.organization_id,
                invited_as=invitee.invited_as[:80],
                status=reply or InvitationStatus.INVITED,
                is_voting=voting,
                sent_at=utc(sent),
                replied_at=utc(replied) if replied else None,
            )
            invitations.append((pk, voting))
            comes = reply == InvitationStatus.ACCEPTED and rng.random() < 0.9 or reply is None and rng.random() < 0.4
            if held and comes:
                at = starts + rng.gauss(-5, 6) * 60
                by_qr = invitee.person_id is not None and rng.random() < 0.6
                attendance = present_ids()
                present.add(
                    id=attendance,
                    meeting_id=meeting,
                    invitation_id=pk,
                    person_id=invitee.person_id,
                    name=invitee.name[:50],
                    representing=invitee.name[:80] if invitee.organization_id else "",
                    is_voting=voting,
                    method=CheckInMethod.QR if by_qr else CheckInMethod.STAFF,
                    checked_in_at=utc(at),
                    recorded_by_id=None if by_qr else convener,
                )
                attended.append((attendance, invitee.person_id, voting))
                events.append((at, "signed_in", invitee.name))
        events.append(
            (sent, "invited", gettext("%(count)d invited as %(role)s") % {"count": len(invitees), "role": "参会人员"})
        )
        if held:
            for name in rng.sample(WALK_INS, rng.choice([0, 0, 1, 2])):
                at = starts + rng.uniform(0, 20) * 60
                attendance = present_ids()
                present.add(
                    id=attendance,
                    meeting_id=meeting,
                    name=name,
                    is_voting=False,
                    method=CheckInMethod.STAFF,
                    checked_in_at=utc(at),
                    recorded_by_id=convener,
                )
                attended.append((attendance, None, False))
                events.append((at, "signed_in", gettext("%(name)s (walk-in)") % {"name": name}))
        self.outcome.counts["invitations"] += len(invitations)
        self.outcome.counts["attendances"] += len(attended)
        return invitations, attended

    def _proceedings(
        self,
        meeting: int,
        kind: str,
        topic: str,
        scope: str,
        when: tuple[float, float],
        convener: int,
        invitations: list[tuple[int, bool]],
        attendances: list[tuple[int, int | None, bool]],
        events: list[tuple[float, str, str]],
    ) -> None:
        """The agenda, minutes, resolutions and action items of a held meeting."""
        rng, writer, now = self.rng, self.writer, self.now
        starts, ends = when
        rule = self.rules.get(kind)
        agenda, agenda_ids = writer.table(AgendaItem), writer.ids(AgendaItem, block=2000)
        items: list[tuple[int, str]] = []
        titles = [(AgendaKind.STUDY, STUDY), (AgendaKind.DECISION, topic)]
        titles += [(AgendaKind.DISCUSSION, t) for t in rng.sample([t for t in TOPICS if t != topic], rng.randint(0, 2))]
        for position, (agenda_kind, title) in enumerate(titles, start=1):
            pk = agenda_ids()
            agenda.add(
                id=pk,
                meeting_id=meeting,
                position=position,
                kind=agenda_kind,
                title=title,
                presenter="社区党委书记" if agenda_kind == AgendaKind.STUDY else "",
                outcome=rng.choice(OUTCOMES),
            )
            items.append((pk, title))
            events.append((starts - 3 * DAY, "agenda", title))
        voting_present = sum(1 for _a, _p, voting in attendances if voting)
        voting_invited = sum(1 for _i, voting in invitations if voting)
        resolutions: list[tuple[int, str]] = []
        if rule is not None:
            table, ids = writer.table(Resolution), writer.ids(Resolution, block=1000)
            for agenda_item, title in items[1 : 1 + (1 if not rule.takes_resolutions else rng.randint(1, 2))]:
                text = rng.choice(RESOLUTIONS).format(t=title)
                at = ends - rng.uniform(5, 30) * 60
                pk = ids()
                values = self._decided(rule, pk, voting_present, voting_invited, attendances)
                table.add(
                    id=pk,
                    meeting_id=meeting,
                    agenda_item_id=agenda_item,
                    text=text,
                    voting_members_present=voting_present,
                    voting_members_invited=voting_invited,
                    recorded_by_id=convener,
                    created_at=utc(at),
                    updated_at=utc(at),
                    **values,
                )
                resolutions.append((pk, title))
                verdict = gettext("carried") if values["carried"] else gettext("not carried")
                if not rule.takes_resolutions:
                    verdict = gettext("conclusion")
                events.append((at, "resolution", f"{text[:200]} · {verdict}"))
        self.outcome.counts["resolutions"] += len(resolutions)
        written = min(now - 120, ends + rng.uniform(1, 24) * 3600)
        text = MINUTES.format(t=topic, r="；".join(rng.choice(RESOLUTIONS).format(t=t) for _r, t in resolutions))
        writer.table(Minutes).add(
            id=writer.ids(Minutes, block=200)(),
            meeting_id=meeting,
            text=text,
            recorded_by_id=convener,
            created_at=utc(written),
            updated_at=utc(written),
        )
        events.append((written, "minutes", gettext("Minutes, version %(n)d") % {"n": 1}))
        self._actions(meeting, scope, resolutions or [(None, topic)], ends, convener, events)

    def _decided(
        self,
        rule: MeetingRule,
        resolution: int,
        present: int,
        invited: int,
        attendances: list[tuple[int, int | None, bool]],
    ) -> dict[str, object]:
        """How the resolution was decided, as ``services.proceedings.record_resolution`` records it."""
        rng = self.rng
        if not rule.takes_resolutions:
            return {
                "vote_mode": VoteMode.CONSENSUS,
                "arithmetic": json.dumps({"binding": False, "rule": rule.kind}),
                "quorum_met": False,
                "carried": False,
            }
        support = rng.uniform(0.35, 0.95)
        if rule.votes_named_by_default:
            votes, ids = self.writer.table(ResolutionVote), self.writer.ids(ResolutionVote, block=5000)
            tally: Counter[str] = Counter()
            for attendance, _person, voting in attendances:
                if voting:
                    roll = rng.random()
                    choice = Choice.FOR if roll < support else Choice.ABSTAIN
                    if support <= roll < support + 0.6 * (1 - support):
                        choice = Choice.AGAINST
                    votes.add(id=ids(), resolution_id=resolution, attendance_id=attendance, choice=choice)
                    tally[choice] += 1
            mode, votes_for = VoteMode.NAMED, tally[Choice.FOR]
            against, abstain = tally[Choice.AGAINST], tally[Choice.ABSTAIN]
        else:
            cast = round(present * rng.uniform(0.85, 1.0))
            votes_for = round(cast * support)
            against = round((cast - votes_for) * 0.6)
            mode, abstain = VoteMode.COUNTS, cast - votes_for - against
        outcome = decide(
            rule,
            voting_present=present,
            voting_invited=invited,
            votes_for=votes_for,
            votes_against=against,
            votes_abstain=abstain,
        )
        return {
            "vote_mode": mode,
            "votes_for": votes_for,
            "votes_against": against,
            "votes_abstain": abstain,
            "quorum_met": outcome.quorum_met,
            "carried": outcome.carried,
            "arithmetic": json.dumps(outcome.arithmetic, ensure_ascii=False),
        }

    def _actions(
        self,
        meeting: int,
        scope: str,
        resolutions: Sequence[tuple[int | None, str]],
        ends: float,
        convener: int,
        events: list[tuple[float, str, str]],
    ) -> None:
        rng, writer, now = self.rng, self.writer, self.now
        table, ids = writer.table(ActionItem), writer.ids(ActionItem, block=1000)
        updates, update_ids = writer.table(ActionUpdate), writer.ids(ActionUpdate, block=2000)
        for _n in range(rng.choice([0, 1, 1, 2, 3])):
            resolution, topic = rng.choice(resolutions)
            title = rng.choice(ACTIONS).format(t=topic)[:150]
            due = dt.datetime.fromtimestamp(ends + rng.randint(7, 45) * DAY, tz=self.tz).date()
            overdue = self._midnight(due) < now
            roll = rng.random()
            done, going = (0.85, 0.95) if overdue else (0.3, 0.7)
            status = (
                ActionStatus.DONE if roll < done else ActionStatus.IN_PROGRESS if roll < going else ActionStatus.OPEN
            )
            if overdue and status == ActionStatus.OPEN:
                status = ActionStatus.CANCELLED
            if status == ActionStatus.IN_PROGRESS and now - self._midnight(due) > OVERDUE_DAYS * DAY:
                status = ActionStatus.DONE  # long past its deadline: finished, late, not still going
            owner_org, owner_name = None, ""
            if self.organizations and rng.random() < 0.7:
                owner_org = rng.choice(self.organizations)[0]
            else:
                owner_name = rng.choice(["社区居委会", "网格员", "物业服务中心"])
            pk = ids()
            steps: list[tuple[float, int, str]] = []  # (at, progress, status)
            at = ends + rng.uniform(0.1, 1) * DAY
            if status == ActionStatus.IN_PROGRESS or status == ActionStatus.DONE:
                at = min(now - 300, at + rng.uniform(1, 10) * DAY)
                steps.append((at, rng.choice([30, 50, 70]), ActionStatus.IN_PROGRESS))
            if status == ActionStatus.DONE:
                at = min(now - 200, at + rng.uniform(1, 20) * DAY)
                steps.append((at, 100, ActionStatus.DONE))
            if status == ActionStatus.CANCELLED:
                at = min(now - 200, at + rng.uniform(1, 20) * DAY)
                steps.append((at, 0, ActionStatus.CANCELLED))
            created = ends + rng.uniform(300, 3600)
            events.append((created, "action", f"{title} · {due:%Y-%m-%d}"))
            for step_at, progress, step_status in steps:
                text = UPDATES[2] if step_status == ActionStatus.DONE else rng.choice(UPDATES[:2])
                updates.add(
                    id=update_ids(),
                    action_item_id=pk,
                    text=text,
                    progress=progress,
                    status=step_status,
                    actor_id=convener,
                    at=utc(step_at),
                )
                label = ActionStatus(step_status).label
                events.append((step_at, "action_update", f"{title} · {progress}% · {label} · {text}"))
            last = steps[-1] if steps else None
            table.add(
                id=pk,
                meeting_id=meeting,
                resolution_id=resolution,
                scope=scope,
                title=title,
                owner_organization_id=owner_org,
                owner_name=owner_name,
                due_on=due,
                status=status,
                progress=last[1] if last else 0,
                done_at=utc(last[0]) if last and status == ActionStatus.DONE else None,
                created_at=utc(created),
                updated_at=utc(created),
                version=1 + len(steps),
            )
            self.outcome.counts["action items"] += 1
