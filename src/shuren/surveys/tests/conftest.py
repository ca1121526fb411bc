"""An estate of community A with two buildings and residents, and one in community B:

======================  ==========  =========================================
dwelling                grid        residents (current Residence)
======================  ==========  =========================================
富丰新城1座1单元101      A grid 1    王芳 (owner, tagged 独居老人), 李强 (family)
富丰新城1座1单元102      A grid 1    张伟 (tenant)
富丰新城2座1单元201      A grid 2    赵敏 (owner), 陈静 (tenant, no account)
金旗峰花园1座1单元101    B grid 1    周杰 (owner)
======================  ==========  =========================================

Users: ``staff`` (community staff of A), ``grid_worker`` (grid 1 of A), ``staff_b`` (community staff
of B), and a resident account for 王芳, 李强, 张伟, 赵敏 and 周杰.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.people.models import Person, PersonTag, PersonTagging, Residence
from shuren.places.models import Building, Dwelling, Estate, Unit

RESIDENTS = [
    # username, name, dwelling key, relation
    ("wangfang", "王芳", "a101", "owner"),
    ("liqiang", "李强", "a101", "family"),
    ("zhangwei", "张伟", "a102", "tenant"),
    ("zhaomin", "赵敏", "a201", "owner"),
    ("zhoujie", "周杰", "b101", "owner"),
]


def build_world(tree: dict[str, Any], make_user: Any) -> SimpleNamespace:
    com_a, com_b = tree["com_a"], tree["com_b"]
    estate = Estate.objects.create(community=com_a, name="富丰新城")
    b1 = Building.objects.create(estate=estate, number="1座", grid=tree["grid_a1"], floors=7)
    b2 = Building.objects.create(estate=estate, number="2座", grid=tree["grid_a2"], floors=7)
    u1 = Unit.objects.create(building=b1, number="1单元")
    u2 = Unit.objects.create(building=b2, number="1单元")
    estate_b = Estate.objects.create(community=com_b, name="金旗峰花园")
    bb = Building.objects.create(estate=estate_b, number="1座", grid=tree["grid_b1"], floors=7)
    ub = Unit.objects.create(building=bb, number="1单元")
    dwellings = {
        "a101": Dwelling.objects.create(unit=u1, room="101", floor=1),
        "a102": Dwelling.objects.create(unit=u1, room="102", floor=1),
        "a201": Dwelling.objects.create(unit=u2, room="201", floor=2),
        "b101": Dwelling.objects.create(unit=ub, room="101", floor=1),
    }
    users = {
        "staff": make_user(Role.COMMUNITY_STAFF, com_a, username="staff"),
        "grid_worker": make_user(Role.GRID_WORKER, tree["grid_a1"], username="gridworker"),
        "staff_b": make_user(Role.COMMUNITY_STAFF, com_b, username="staff_b"),
    }
    people = {}
    for username, name, key, relation in RESIDENTS:
        home = dwellings[key]
        grid = home.unit.building.grid
        user = make_user(Role.RESIDENT, grid, username=username)
        community = com_b if key.startswith("b") else com_a
        people[username] = Person.objects.create(community=community, name=name, user=user)
        Residence.objects.create(person=people[username], dwelling=home, relation=relation, status="permanent")
        users[username] = user
    people["chenjing"] = Person.objects.create(community=com_a, name="陈静")
    Residence.objects.create(
        person=people["chenjing"], dwelling=dwellings["a201"], relation="tenant", status="floating"
    )
    elderly = PersonTag.objects.create(code="elderly-alone", name="独居老人", is_sensitive=True)
    newcomer = PersonTag.objects.create(code="newcomer", name="新市民", is_sensitive=False)
    PersonTagging.objects.create(person=people["wangfang"], tag=elderly)
    PersonTagging.objects.create(person=people["wangfang"], tag=newcomer)
    return SimpleNamespace(
        tree=tree,
        estate=estate,
        buildings={"1座": b1, "2座": b2, "b": bb},
        dwellings=dwellings,
        people=people,
        users=users,
        tags={"elderly": elderly, "newcomer": newcomer},
    )


@pytest.fixture
def world(tree, make_user):
    return build_world(tree, make_user)


# One question of each kind, in this order (positions 1 to 6).
QUESTIONS: list[dict[str, Any]] = [
    {"kind": "scale", "text": "总体满意度"},
    {"kind": "single", "text": "居住年限", "options": ["不到1年", "1至5年", "5年以上"]},
    {"kind": "multiple", "text": "优先改进", "options": ["停车", "保洁", "照明"]},
    {"kind": "number", "text": "每餐能接受的价格", "min_value": 5, "max_value": 30},
    {"kind": "matrix", "text": "各项服务打分", "rows": ["保安", "保洁"]},
    {"kind": "text", "text": "其他意见", "is_required": False},
]


def draft_survey(world: SimpleNamespace, *, questions: list[dict[str, Any]] | None = None, **fields: Any) -> Any:
    from shuren.surveys import services

    values: dict[str, Any] = {
        "title": "物业服务满意度调查",
        "area": world.tree["com_a"],
        "estate": world.estate,
        "closes_at": timezone.now() + dt.timedelta(days=14),
        "one_per": "household",
    }
    values.update(fields)
    survey = services.create_survey(actor=world.users["staff"], **values)
    for question in QUESTIONS if questions is None else questions:
        services.add_question(actor=world.users["staff"], survey=survey, **question)
    return survey


def open_survey(world: SimpleNamespace, **fields: Any) -> Any:
    from shuren.surveys import services

    survey = draft_survey(world, **fields)
    return services.open_survey(actor=world.users["staff"], survey=survey, version=survey.version)


def answers_for(survey: Any, **overrides: Any) -> dict[str, Any]:
    """A complete, valid response to the standard questions; ``overrides`` by position (``p1=4``)."""
    questions = list(survey.questions.order_by("position"))
    values: dict[int, Any] = {1: 4, 2: 1, 3: [0, 2], 4: "12.5", 5: [4, 3], 6: "希望增加停车位"}
    for key, value in overrides.items():
        values[int(key.removeprefix("p"))] = value
    return {q.field_name: values[q.position] for q in questions if q.position in values}
