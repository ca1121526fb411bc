"""Demo appeals of 大新社区 at every stage, modelled on the seed reports: e-bikes charged in the
stairwell, a lift out of order, littering from height, the pool, parking, noise and a dog. The
property manager 富丰物业 answers through the demo `handler` account; 林小梅 (`resident`) reported
several and has one waiting for her rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.core import clock
from shuren.core.workdays import AWAKE_FROM, AWAKE_UNTIL, WorkingCalendar
from shuren.orgs.models import Organization, OrganizationKind
from shuren.people.models import Person
from shuren.places.models import Building

from . import services
from .models import Appeal, Category, Channel, DispatchRule, Handler, IntakePolicy

# (category, building, reporter key, channel, description, days ago, how far it gets, time of day)
APPEALS = [
    (
        "ebike-charging",
        "1座",
        "resident",
        Channel.PORTAL,
        "1座2单元楼道有人把电动车推进电梯上楼充电，还从窗口拉飞线，非常危险，请尽快处理。",
        9,
        "closed",
        "20:41",
    ),
    (
        "lift",
        "4座",
        "building_leader",
        Channel.BUILDING_LEADER,
        "4座1单元电梯这两天经常停在8楼不动，老人上下楼很不方便。",
        3,
        "in_progress",
        "10:12",
    ),
    (
        "high-rise-littering",
        "1座",
        "resident",
        Channel.PORTAL,
        "1座北面经常有人从高层往下扔果皮和烟头，楼下晾的衣服都被弄脏了。",
        6,
        "resolved",
        "08:37",
    ),
    (
        "pool-hygiene",
        None,
        "grid_worker",
        Channel.PATROL,
        "巡查发现小区泳池水质浑浊，池边有垃圾，开放前需清理消毒。",
        12,
        "closed",
        "15:20",
    ),
    (
        "illegal-parking",
        None,
        "community_staff",
        Channel.PHONE,
        "小区东门消防通道口长期有私家车违停，居民来电反映救护车进不来。",
        8,
        "overdue",
        "09:05",
    ),
    (
        "noise",
        "2座",
        "resident",
        Channel.PORTAL,
        "2座楼下的商铺晚上十一点后还在装修，噪音很大影响休息。",
        2,
        "dispatched",
        "23:06",
    ),
    (
        "dogs",
        None,
        "volunteer",
        Channel.PORTAL,
        "中心花园有人遛狗不牵绳，小孩被吓哭了，希望加强管理。",
        0,
        "submitted",
        "19:48",
    ),
    (
        "ebike-charging",
        "1座",
        "volunteer",
        Channel.PORTAL,
        "1座楼道里又有人给电动车充电，线从楼上拉下来。",
        0,
        "submitted",
        "07:52",
    ),
]


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    if estate is None:
        return
    community = estate.community
    orgs = {o.name: o for o in Organization.objects.filter(area=community)}
    manager = orgs.get("富丰物业管理有限公司")
    committee = orgs.get("大新社区居民委员会")
    if manager is None or committee is None:
        return
    department, _created = Organization.objects.get_or_create(
        area=context.district, name="南海区城市管理和综合执法局", defaults={"kind": OrganizationKind.DEPARTMENT}
    )
    users = context.users
    Handler.objects.get_or_create(user=users["handler"], organization=manager)
    IntakePolicy.objects.get_or_create(community=community, defaults={"allow_anonymous": True, "reopen_days": 7})
    categories = {c.code: c for c in Category.objects.all()}
    for code, org in (
        ("safety", manager),
        ("facilities", manager),
        ("environment", manager),
        ("property-service", manager),
        ("neighbours", committee),
    ):
        DispatchRule.objects.get_or_create(
            area=community, category=categories[code], estate=estate, defaults={"organization": org}
        )
    DispatchRule.objects.get_or_create(
        area=context.district,
        category=categories["illegal-parking"],
        estate=None,
        defaults={"organization": department, "priority": 50},
    )
    DispatchRule.objects.get_or_create(
        area=community, category=None, estate=None, defaults={"organization": committee, "priority": 900}
    )

    resident = Person.objects.filter(community=community, name="林小梅", user__isnull=True).first()
    if resident is not None and not Person.objects.filter(user=users["resident"]).exists():
        resident.user = users["resident"]
        resident.save(update_fields=["user"])

    if Appeal.objects.filter(scope__startswith=community.path).exists():
        return
    desk = users["community_staff"]
    now = timezone.now()
    for code, building_no, reporter, channel, text, days_ago, stage, time_of_day in APPEALS:
        building = Building.objects.filter(estate=estate, number=building_no).first() if building_no else None
        location = services.AppealLocation(building=building) if building else services.AppealLocation(estate=estate)
        extra: dict[str, Any] = {}
        if channel in services.STAFF_CHANNELS:
            extra = {"reporter_name": "陈先生", "reporter_phone": "13900139000"} if channel == Channel.PHONE else {}
        appeal = services.submit_appeal(
            actor=users[reporter],
            category=categories[code],
            description=text,
            location=location,
            channel=channel,
            submitted_at=_received(now, days_ago, time_of_day),
            **extra,
        )
        _advance(appeal, stage, desk=desk, handler=users["handler"], reporter=users[reporter], now=now)


def _received(now: dt.datetime, days_ago: int, time_of_day: str) -> dt.datetime:
    """``time_of_day`` (local) ``days_ago`` days before today; today's when it is still to come are
    the evening before's."""
    hour, minute = (int(part) for part in time_of_day.split(":"))
    day = timezone.localdate(now) - dt.timedelta(days=days_ago)
    moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))
    if moment > now - dt.timedelta(minutes=10):
        evening = day - dt.timedelta(days=1)
        moment = timezone.make_aware(dt.datetime(evening.year, evening.month, evening.day, 20, 30 + minute % 30))
    return moment


class _Story:
    """The moments at which the demo's people act on one appeal, after it came in: the desk and the
    handlers within working hours on working days, the reporter while awake. Each step is run under
    ``clock.at`` so that the appeal's times, deadlines and history say so. A step that would fall
    after the demo's own present happens halfway between the last one and the present."""

    def __init__(self, received: dt.datetime, now: dt.datetime) -> None:
        self.last, self.now = received, now - dt.timedelta(minutes=5)
        self.calendar = WorkingCalendar()

    def staff(self, working_hours: float) -> Any:
        return self._at(self.calendar.add_working_hours(self.last, working_hours))

    def resident(self, hours: float) -> Any:
        moment = timezone.localtime(self.last + dt.timedelta(hours=hours))
        if not AWAKE_FROM <= moment.hour < AWAKE_UNTIL:
            day = moment.date() if moment.hour < AWAKE_FROM else moment.date() + dt.timedelta(days=1)
            moment = timezone.make_aware(dt.datetime(day.year, day.month, day.day, AWAKE_FROM + 1, moment.minute))
        return self._at(moment)

    def _at(self, moment: dt.datetime) -> Any:
        if moment >= self.now:
            moment = self.last + (self.now - self.last) / 2
        self.last = moment
        return clock.at(moment)


def _advance(appeal: Appeal, stage: str, *, desk: Any, handler: Any, reporter: Any, now: dt.datetime) -> None:
    from .dispatching import suggest_organization

    if stage == "submitted":
        return
    organization = suggest_organization(appeal)
    assert organization is not None, "the demo's rules give every category an organisation"
    story = _Story(appeal.submitted_at, now)
    if stage == "overdue":
        with story.staff(0.5):
            services.accept_appeal(actor=desk, appeal=appeal, version=appeal.version, note="已联系城管中队")
        return
    with story.staff(0.5):
        appeal = services.dispatch_appeal(actor=desk, appeal=appeal, version=appeal.version, organization=organization)
    if stage == "dispatched":
        return
    actor = handler if organization.kind == OrganizationKind.PROPERTY_MANAGER else desk
    with story.staff(1.5):
        appeal = services.take_up_appeal(
            actor=actor, appeal=appeal, version=appeal.version, note="已安排人员到现场查看"
        )
    if stage == "in_progress":
        return
    with story.staff(6):
        appeal = services.resolve_appeal(
            actor=actor,
            appeal=appeal,
            version=appeal.version,
            resolution="已到现场处理完毕：清理隐患并张贴楼道公告，物业每日巡查，请居民共同监督。",
        )
    if stage == "closed" and appeal.reporter_id:
        with story.resident(3):
            services.give_feedback(
                actor=reporter,
                appeal=appeal,
                version=appeal.version,
                is_solved=True,
                satisfaction=5,
                comment="处理很及时，谢谢！",
            )
    elif stage == "closed":
        with story.staff(2):
            services.close_appeal(actor=desk, appeal=appeal, version=appeal.version, note="巡查复核已整改")
    if stage == "closed" and appeal.category.is_published:
        # The desk has compared the redacted text with the original and confirmed it; the appeals
        # only resolved wait in its publication review.
        with story.staff(1):
            services.publish_as_proposed(actor=desk, appeal=appeal)
