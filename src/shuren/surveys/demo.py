"""Demo surveys of 大新社区 (富丰新城):

* 2026年物业服务满意度调查 (named after the year it is held in) — the households of
  富丰新城 rated the property manager, anonymously, one form per household; the building
  leaders collected paper forms door to door over three weeks and community staff entered them.
  Closed ten days ago; its results are published to the residents (free texts with personal data
  removed — one resident wrote down her phone number).
* 老年食堂需求问卷 — the community asks every resident, by name, whether they would eat at a
  community canteen for the elderly. Open for two more weeks; some paper forms are in, and the demo
  resident 林小梅 can answer it herself at /my/surveys/.

Re-running is safe: each survey is found by its title and community.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from shuren.accounts.models import User
from shuren.core import clock
from shuren.core.workdays import WorkingCalendar

from . import audience, services
from .models import Audience, QuestionKind, ResponseUnit, Survey

SATISFACTION_TITLE = "物业服务满意度调查"  # after the year it was held in: 2026年物业服务满意度调查
CANTEEN_TITLE = "老年食堂需求问卷"
SEED = 2026

SATISFACTION_QUESTIONS: list[dict[str, Any]] = [
    {"kind": QuestionKind.SCALE, "text": "总体而言，您对小区物业服务的满意程度？"},
    {
        "kind": QuestionKind.MATRIX,
        "text": "请为以下各项服务打分",
        "rows": ["保安巡逻", "保洁卫生", "绿化养护", "维修响应", "停车管理"],
    },
    {
        "kind": QuestionKind.SINGLE,
        "text": "您家在小区居住了多久？",
        "options": ["不到1年", "1至5年", "5至10年", "10年以上"],
    },
    {
        "kind": QuestionKind.MULTIPLE,
        "text": "您最希望物业优先改进哪些方面？（可多选）",
        "options": ["电梯维护", "垃圾分类与清运", "停车秩序", "楼道照明", "快递收发", "电动车充电"],
    },
    {"kind": QuestionKind.TEXT, "text": "其他意见和建议", "is_required": False},
]
SATISFACTION_TEXTS = [
    "地下车库灯光太暗，晚上回来不安全，希望尽快更换灯管。",
    "垃圾桶满了没有及时清运，夏天有异味。",
    "保安大哥很负责，晚上巡逻很认真，点赞。",
    "电动车在楼道充电很危险，希望增加充电桩。",
    "维修师傅上门很及时，态度也好。",
    "外来车辆随意停放，消防通道经常被占。",
    "快递经常堆在门口，希望设快递柜。",
    "绿化带杂草多，蚊子多，希望定期喷药。",
    "电梯经常停运，老人上下楼很不方便。",
    "楼道灯坏了很久没人修，有问题可以打我电话13912345678。",
    "物业费能不能公示一下收支明细？",
    "",
]

CANTEEN_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": QuestionKind.SINGLE,
        "text": "您或家中老人是否愿意到社区老年食堂就餐？",
        "options": ["愿意", "看情况", "不愿意"],
    },
    {"kind": QuestionKind.MULTIPLE, "text": "希望食堂提供哪几餐？", "options": ["早餐", "午餐", "晚餐"]},
    {
        "kind": QuestionKind.NUMBER,
        "text": "每餐能接受的价格（元）",
        "min_value": 5,
        "max_value": 30,
    },
    {"kind": QuestionKind.SCALE, "text": "您对送餐上门服务的需要程度（1星不需要，5星非常需要）"},
    {"kind": QuestionKind.TEXT, "text": "对菜品口味有什么要求？", "is_required": False},
]
CANTEEN_TEXTS = ["少油少盐，软一点", "希望有粤式汤水", "最好有粥和点心", "清淡就好", "", "", "希望价格实惠"]


def _add_questions(staff: User, survey: Survey, questions: list[dict[str, Any]]) -> None:
    for fields in questions:
        services.add_question(actor=staff, survey=survey, **fields)


def _satisfaction_answers(rng: random.Random, survey: Survey) -> dict[str, Any]:
    questions = list(survey.questions.order_by("position"))
    mood = rng.choices([5, 4, 3, 2], weights=[3, 5, 3, 1])[0]

    def near(stars: int) -> int:
        return max(1, min(5, stars + rng.choice([-1, 0, 0, 1])))

    text = rng.choice(SATISFACTION_TEXTS)
    return {
        questions[0].field_name: mood,
        questions[1].field_name: [near(mood), near(mood), near(mood + 1), near(mood - 1), near(mood - 1)],
        questions[2].field_name: rng.choices([0, 1, 2, 3], weights=[1, 3, 4, 6])[0],
        questions[3].field_name: sorted(rng.sample(range(6), rng.randint(1, 3))),
        questions[4].field_name: text,
    }


def _satisfaction(estate: Any, staff: User, rng: random.Random) -> None:
    now = timezone.now()
    opened, closed = now - dt.timedelta(days=31), now - dt.timedelta(days=10)
    with clock.at(opened - dt.timedelta(days=2)):
        survey = services.create_survey(
            actor=staff,
            title=f"{timezone.localdate(opened).year}年{SATISFACTION_TITLE}",
            description=(
                "为了解业主和住户对物业服务的评价，社区居委会联合业委会开展本次“服务品质大家评”。"
                "问卷不记名，每户填写一份，结果将在小区公示。"
            ),
            area=estate.community,
            estate=estate,
            audience=Audience.RESIDENTS,
            one_per=ResponseUnit.HOUSEHOLD,
            is_anonymous=True,
            publishes_results=True,
            closes_at=closed,
        )
        _add_questions(staff, survey, SATISFACTION_QUESTIONS)
    with clock.at(opened):
        survey = services.open_survey(actor=staff, survey=survey, version=survey.version)
    # Paper forms collected door to door, entered by staff in the working hours of three weeks.
    dwellings = sorted(
        {r.dwelling for r in audience.residences(survey).select_related("dwelling__unit__building")}, key=lambda d: d.pk
    )
    returned = [d for d in dwellings if rng.random() < 0.78]
    calendar = WorkingCalendar()
    hours = calendar.working_hours_between(opened, closed - dt.timedelta(days=1))
    step = hours / max(len(returned), 1)
    at = calendar.add_working_hours(opened, step / 2)
    for number, dwelling in enumerate(returned, start=1):
        with clock.at(at):
            services.record_paper_response(
                actor=staff,
                survey=survey,
                answers=_satisfaction_answers(rng, survey),
                dwelling=dwelling,
                paper_number=f"MY-{number:03d}",
            )
        at = calendar.add_working_hours(at, step)
    survey.refresh_from_db()
    with clock.at(closed):
        services.close_survey(actor=staff, survey=survey, version=survey.version)


def _canteen_answers(rng: random.Random, survey: Survey) -> dict[str, Any]:
    questions = list(survey.questions.order_by("position"))
    willing = rng.choices([0, 1, 2], weights=[5, 3, 2])[0]
    return {
        questions[0].field_name: willing,
        questions[1].field_name: [1] if rng.random() < 0.6 else sorted(rng.sample(range(3), 2)),
        questions[2].field_name: rng.choice([8, 10, 10, 12, 12, 15, 15, 18, 20]),
        questions[3].field_name: rng.choices([1, 2, 3, 4, 5], weights=[2, 2, 3, 3, 2])[0],
        questions[4].field_name: rng.choice(CANTEEN_TEXTS),
    }


def _canteen(estate: Any, staff: User, resident: User | None, rng: random.Random) -> None:
    now = timezone.now()
    opened = now - dt.timedelta(days=6)
    with clock.at(opened - dt.timedelta(days=1)):
        survey = services.create_survey(
            actor=staff,
            title=CANTEEN_TITLE,
            description=(
                "社区计划在党群服务中心开设老年食堂（长者饭堂），为60岁以上老人提供平价午餐和送餐上门。"
                "请每位居民花两分钟填写，帮助我们定好菜品、价格和送餐范围。"
            ),
            area=estate.community,
            audience=Audience.RESIDENTS,
            one_per=ResponseUnit.RESIDENT,
            is_anonymous=False,
            publishes_results=True,
            closes_at=now + dt.timedelta(days=14),
        )
        _add_questions(staff, survey, CANTEEN_QUESTIONS)
    with clock.at(opened):
        survey = services.open_survey(actor=staff, survey=survey, version=survey.version)
    resident_person = getattr(resident, "person", None) if resident is not None else None
    rows = (
        audience.residences(survey)
        .exclude(person=resident_person)
        .select_related("person", "dwelling")
        .order_by("dwelling_id", "person_id")
    )
    seen: set[int] = set()
    entered = 0
    for residence in rows:
        if residence.person_id in seen or entered >= 24:
            continue
        seen.add(residence.person_id)
        if rng.random() > 0.5:
            continue
        entered += 1
        with clock.at(opened + dt.timedelta(hours=2 + entered * 5)):
            services.record_paper_response(
                actor=staff,
                survey=survey,
                answers=_canteen_answers(rng, survey),
                dwelling=residence.dwelling,
                person=residence.person,
                paper_number=f"LN-{entered:03d}",
            )


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    staff = context.users.get("community_staff")
    if estate is None or staff is None:
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
    community = estate.community
    if not Survey.objects.filter(area=community, title__endswith=SATISFACTION_TITLE).exists():
        _satisfaction(estate, staff, rng)
    if not Survey.objects.filter(area=community, title=CANTEEN_TITLE).exists():
        _canteen(estate, staff, context.users.get("resident"), rng)
