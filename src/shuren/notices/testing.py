"""Test fixtures for the notices (``notices/tests`` and the browser journey).

``notice_world`` builds community A's estate 富丰新城 with two buildings in grid 1 (two units each,
three floors of two dwellings), residents with and without accounts (an elderly woman living alone,
a party member, a volunteer), a building leader who leads building 1, a grid worker, community
staff, and community B's staff and a resident there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.orgs.models import Organization, OrganizationKind
from shuren.people.models import Person, PersonTag, PersonTagging
from shuren.places.models import Dwelling

from .models import Notice


@dataclass
class NoticeWorld:
    tree: dict[str, Any]
    estate: Any
    buildings: list[Any]
    tags: dict[str, PersonTag]
    team: Organization
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def dwelling(self, building: int, room: str, unit: str = "1单元") -> Dwelling:
        return Dwelling.objects.get(unit__building=self.buildings[building], unit__number=unit, room=room)

    def notice(self, *, actor: str = "staff", **kwargs: Any) -> Notice:
        from .services import create_notice

        kwargs.setdefault("title", "停水通知")
        kwargs.setdefault("body", "因管道检修，12月8日9:00至17:00停水，请提前储水。")
        if not any(kwargs.get(k) for k in ("area", "estate", "building", "unit")):
            kwargs["building"] = self.buildings[0]
        return create_notice(actor=self.users[actor], **kwargs)

    def published(self, *, actor: str = "staff", **kwargs: Any) -> Notice:
        from .services import publish_notice

        notice = self.notice(actor=actor, **kwargs)
        return publish_notice(actor=self.users[actor], notice=notice, version=notice.version)


@pytest.fixture
def notice_world(tree: dict[str, Any], make_user: Any) -> NoticeWorld:
    from shuren.orgs.models import Membership, PostKind
    from shuren.orgs.services import assign_post
    from shuren.people.services import add_residence
    from shuren.places.services import create_building, create_estate

    com_a = tree["com_a"]
    staff = make_user(Role.COMMUNITY_STAFF, com_a, username="nt_staff")
    estate = create_estate(actor=staff, community=com_a, name="富丰新城")
    buildings = [
        create_building(
            actor=staff, estate=estate, grid=tree["grid_a1"], number=f"{n}座", floors=3, units=2, rooms_per_floor=2
        )
        for n in (1, 2)
    ]
    tags = {
        "elderly_alone": PersonTag.objects.get_or_create(code="elderly_alone", defaults={"name": "独居老人"})[0],
        "party_member": PersonTag.objects.get_or_create(code="party_member", defaults={"name": "党员"})[0],
    }
    team = Organization.objects.create(kind=OrganizationKind.VOLUNTEER_TEAM, name="富丰新城志愿服务队", area=com_a)
    world = NoticeWorld(tree=tree, estate=estate, buildings=buildings, tags=tags, team=team)
    world.users["staff"] = staff
    world.users["grid_worker"] = make_user(Role.GRID_WORKER, tree["grid_a1"], username="nt_grid")
    world.users["grid_worker2"] = make_user(Role.GRID_WORKER, tree["grid_a2"], username="nt_grid2")
    world.users["staff_b"] = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="nt_staff_b")

    def person(
        key: str, name: str, room: str | None, *, building: int = 0, unit: str = "1单元", role: str = ""
    ) -> Person:
        user = make_user(role, tree["grid_a1"], username=f"nt_{key}", phone="") if role else None
        found = Person.objects.create(community=com_a, name=name, user=user)
        if room is not None:
            add_residence(
                actor=staff,
                person=found,
                dwelling=world.dwelling(building, room, unit),
                relation="owner",
                status="permanent",
            )
        world.people[key] = found
        if user is not None:
            world.users[key] = user
        return found

    # Building 1, unit 1: 101 an elderly woman living alone (no account); 102 a party member and his
    # wife (accounts); 201 a volunteer (account); 202 a family without accounts.
    PersonTagging.objects.create(person=person("granny", "王秀英", "101"), tag=tags["elderly_alone"])
    PersonTagging.objects.create(person=person("party", "张天宝", "102", role=Role.RESIDENT), tag=tags["party_member"])
    person("wife", "李美玲", "102", role=Role.RESIDENT)
    Membership.objects.create(organization=team, person=person("volunteer", "陈志强", "201", role=Role.VOLUNTEER))
    person("family", "赵大海", "202")
    # Building 1, unit 2: 101 a resident with an account.
    person("unit2", "刘小红", "101", unit="2单元", role=Role.RESIDENT)
    # Building 2: 101 a resident with an account.
    person("b2", "孙建国", "101", building=1, role=Role.RESIDENT)
    # The building leader of building 1 lives in building 1, unit 1, 301.
    leader = person("leader", "周楼长", "301", role=Role.BUILDING_LEADER)
    kind = PostKind.objects.get(code=PostKind.BUILDING_LEADER)
    assign_post(actor=staff, kind=kind, person=leader, area=tree["grid_a1"], buildings=[buildings[0]])
    # Community B: a resident with an account and its staff.
    other = make_user(Role.RESIDENT, tree["grid_b1"], username="nt_resident_b")
    Person.objects.create(community=tree["com_b"], name="金旗峰居民", user=other)
    world.users["resident_b"] = other
    return world


# --- the scoping matrix (tests/scoped_objects.py): one sample object per route and side --------------


def _matrix_notice(world: dict[str, Any], side: str) -> Notice:
    """A published public notice to the side's whole community, with a photo and a PDF on disk."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from .models import NoticeHousehold, NoticePhoto, NoticeStatus

    community = world[f"com_{side}"]
    notice, created = Notice.objects.get_or_create(
        title=f"{community.name}的通知",
        defaults={
            "body": f"{community.name}停水通知",
            "area": community,
            "author": world[f"member_{side}"],
            "status": NoticeStatus.PUBLISHED,
            "published_at": timezone.now(),
            "is_public": True,
            "public_title": f"{community.name}的通知",
            "public_body": f"{community.name}停水通知",
        },
    )
    if created:
        for name, data in (
            (f"notices/matrix-{side}.jpg", b"\xff\xd8\xff\xd9"),
            (f"notices/matrix-{side}.pdf", b"%PDF-1.4\n%%EOF\n"),
        ):
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(data))
        NoticePhoto.objects.create(notice=notice, image=f"notices/matrix-{side}.jpg")
        notice.attachment.name = f"notices/matrix-{side}.pdf"
        notice.save(update_fields=["attachment"])
        dwelling = _matrix_dwelling(world, side)
        NoticeHousehold.objects.create(
            notice=notice, dwelling=dwelling, building=dwelling.unit.building, scope=dwelling.scope
        )
    return notice


def _matrix_dwelling(world: dict[str, Any], side: str) -> Dwelling:
    from shuren.places.models import Building, Estate, Unit

    community = world[f"com_{side}"]
    grid = community.children.order_by("code").first()
    estate, _created = Estate.objects.get_or_create(community=community, name=f"{community.name}花园")
    building, _created = Building.objects.get_or_create(estate=estate, number="1座", defaults={"grid": grid})
    unit, _created = Unit.objects.get_or_create(building=building, number="1单元")
    dwelling, _created = Dwelling.objects.get_or_create(unit=unit, room="101", defaults={"floor": 1})
    return dwelling


def matrix_notice(world: dict[str, Any], side: str) -> tuple[dict[str, Any], str]:
    notice = _matrix_notice(world, side)
    return {"pk": notice.pk}, notice.scope


def matrix_notice_action(world: dict[str, Any], side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = matrix_notice(world, side)
    return {**kwargs, "action": "end"}, scope


def matrix_notice_photo(world: dict[str, Any], side: str) -> tuple[dict[str, Any], str]:
    notice = _matrix_notice(world, side)
    return {"pk": notice.pk, "photo_pk": notice.photos.get().pk}, notice.scope


def matrix_household(world: dict[str, Any], side: str) -> tuple[dict[str, Any], str]:
    household = _matrix_notice(world, side).targets.get()
    return {"pk": household.pk}, household.scope


def matrix_public(world: dict[str, Any], side: str) -> tuple[dict[str, Any], str]:
    notice = _matrix_notice(world, side)
    return {"community": world[f"com_{side}"].pk}, notice.scope


def matrix_public_notice(world: dict[str, Any], side: str) -> tuple[dict[str, Any], str]:
    notice = _matrix_notice(world, side)
    return {"community": world[f"com_{side}"].pk, "pk": notice.pk}, notice.scope


def matrix_webhook(world: dict[str, Any], side: str) -> tuple[dict[str, Any], str]:
    from .models import GroupWebhook

    grid = world[f"com_{side}"].children.order_by("code").first()
    hook = GroupWebhook.objects.filter(grid=grid).first()
    if hook is None:
        hook = GroupWebhook.objects.create(
            grid=grid,
            url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7b2c-4bc4-97a0-0ec2f1a95aaa",
            masked="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a****5aaa",
            changed_by=world[f"member_{side}"],
        )
    return {"pk": hook.pk}, hook.scope


# tests/scoped/notices.py: ``from shuren.notices.testing import MATRIX_ROUTES as ROUTES``
MATRIX_ROUTES = {
    "notices:detail": matrix_notice,
    "notices:edit": matrix_notice,
    "notices:act": matrix_notice_action,
    "notices:photo": matrix_notice_photo,
    "notices:attachment": matrix_notice,
    "notices:tell": matrix_household,
    "notices:group_edit": matrix_webhook,
    "notices:group_delete": matrix_webhook,
    "notices_portal:detail": matrix_notice,
    "notices_portal:photo": matrix_notice_photo,
    "notices_portal:attachment": matrix_notice,
    "notices_public:list": matrix_public,
    "notices_public:detail": matrix_public_notice,
    "notices_public:feed": matrix_public,
    "api:notices-detail": matrix_notice,
    "api:notices-figures": matrix_notice,
    "api:notices-publish": matrix_notice,
    "api:notices-unschedule": matrix_notice,
    "api:notices-end": matrix_notice,
    "api:notices-withdraw": matrix_notice,
    "api:notices-household-told": matrix_household,
}
