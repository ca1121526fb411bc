"""Test fixtures for appeals, shared by the appeals, Open311 and API tests (a pytest plugin loaded
by the root conftest).

``appeal_world`` builds community A's estate 富丰新城 with two buildings in grid 1, its property
manager with a handler account, the residents' committee, a district department with its own
handler, dispatch rules, a resident living in building 1, and a desk of staff for each level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import QuerySet

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.notifications.models import Channel as MessageChannel
from shuren.notifications.models import Message
from shuren.orgs.models import Organization, OrganizationKind
from shuren.people.models import Person
from shuren.places.models import Dwelling

from .models import Appeal, Category, DispatchRule, Handler
from .services import AppealLocation, submit_appeal


@dataclass
class AppealWorld:
    tree: dict[str, Any]
    estate: Any
    buildings: list[Any]
    property_manager: Organization
    residents_committee: Organization
    department: Organization
    other_manager: Organization
    users: dict[str, Any] = field(default_factory=dict)
    resident_person: Person | None = None

    def category(self, code: str) -> Category:
        return Category.objects.get(code=code)

    def submit(
        self, *, actor: User | None = None, category: str = "ebike-charging", building: int = 0, **kwargs: Any
    ) -> Appeal:
        kwargs.setdefault("description", "1座楼道里有人给电动车充电，飞线从三楼拉下来，很危险")
        return submit_appeal(
            actor=actor or self.users["resident"],
            category=self.category(category),
            location=kwargs.pop("location", None) or AppealLocation(building=self.buildings[building]),
            **kwargs,
        )


@pytest.fixture
def appeal_world(tree, make_user) -> AppealWorld:
    from shuren.people.services import add_residence
    from shuren.places.services import create_building, create_estate

    com_a = tree["com_a"]
    staff = make_user(Role.COMMUNITY_STAFF, com_a, username="desk")
    estate = create_estate(actor=staff, community=com_a, name="富丰新城")
    buildings = [
        create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number=f"{n}座", floors=3, rooms_per_floor=2)
        for n in (1, 2)
    ]
    manager = Organization.objects.create(
        kind=OrganizationKind.PROPERTY_MANAGER, name="富丰物业", area=com_a, estate=estate
    )
    committee = Organization.objects.create(kind=OrganizationKind.RESIDENTS_COMMITTEE, name="大新居委会", area=com_a)
    department = Organization.objects.create(
        kind=OrganizationKind.DEPARTMENT, name="区城管执法局", area=tree["district"]
    )
    other_manager = Organization.objects.create(
        kind=OrganizationKind.PROPERTY_MANAGER, name="金旗峰物业", area=tree["com_b"]
    )
    world = AppealWorld(
        tree=tree,
        estate=estate,
        buildings=buildings,
        property_manager=manager,
        residents_committee=committee,
        department=department,
        other_manager=other_manager,
    )
    world.users["staff"] = staff
    world.users["grid_worker"] = make_user(Role.GRID_WORKER, tree["grid_a1"], username="gridworker")
    world.users["secretary"] = make_user(Role.COMMUNITY_SECRETARY, com_a, username="secretary")
    world.users["subdistrict"] = make_user(Role.SUBDISTRICT_STAFF, tree["sub_a"], username="substaff")
    world.users["staff_b"] = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="desk_b")
    handler = make_user(Role.HANDLER, com_a, username="pm_clerk")
    Handler.objects.create(user=handler, organization=manager)
    world.users["handler"] = handler
    officer = make_user(Role.HANDLER, tree["district"], username="cg_officer")
    Handler.objects.create(user=officer, organization=department)
    world.users["officer"] = officer
    other_handler = make_user(Role.HANDLER, tree["com_b"], username="jqf_clerk")
    Handler.objects.create(user=other_handler, organization=other_manager)
    world.users["other_handler"] = other_handler

    resident = make_user(Role.RESIDENT, tree["grid_a1"], username="lin")
    person = Person.objects.create(community=com_a, name="林小梅", user=resident)
    add_residence(
        actor=staff,
        person=person,
        dwelling=Dwelling.objects.get(unit__building=buildings[0], room="301"),
        relation="owner",
        status="permanent",
    )
    world.users["resident"] = resident
    world.resident_person = person
    world.users["neighbour"] = make_user(Role.RESIDENT, tree["grid_a1"], username="neighbour")

    DispatchRule.objects.create(area=com_a, category=Category.objects.get(code="safety"), organization=manager)
    DispatchRule.objects.create(area=com_a, category=Category.objects.get(code="facilities"), organization=manager)
    DispatchRule.objects.create(area=com_a, category=Category.objects.get(code="dispute"), organization=committee)
    DispatchRule.objects.create(
        area=tree["district"], category=Category.objects.get(code="illegal-parking"), organization=department
    )
    DispatchRule.objects.create(area=com_a, category=None, organization=committee, priority=900)
    return world


def confirm_publication(appeal: Appeal, actor: User) -> Appeal:
    """The desk confirms the redacted text the publication review proposes (as a person would after
    comparing it with the original)."""
    from . import services

    return services.publish_as_proposed(actor=actor, appeal=appeal)


def appeal_notices(*, appeal: Appeal | None = None, kind: str | None = None, **lookups: Any) -> QuerySet[Message]:
    """The in-app messages (the inbox) about appeals: about ``appeal``, of kind ``appeals.<kind>``,
    and any other lookups on ``notifications.Message`` (``recipient=``…)."""
    messages = Message.objects.filter(channel=MessageChannel.INAPP, kind__startswith="appeals.", **lookups)
    if appeal is not None:
        messages = messages.filter(event_key__startswith=f"appeal:{appeal.pk}:")
    if kind is not None:
        messages = messages.filter(kind=f"appeals.{kind}")
    return messages


def appeal_of(message: Message) -> Appeal:
    """The appeal an inbox message is about (its event key names it)."""
    return Appeal.objects.get(pk=int(message.event_key.split(":")[1]))
