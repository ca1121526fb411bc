"""Test fixtures for volunteering (used by ``volunteering/tests`` and the browser tests).

``vol_world`` builds community A with the estate 富丰新城 (one building in grid 1), the youth volunteer
team, community staff, a grid worker, a secretary and staff of community B; ``world.volunteer(...)``
adds a resident with an account and an approved registration, ``world.activity(...)`` publishes an
activity (tomorrow 09:00–12:00 unless told otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.orgs.models import Organization, OrganizationKind
from shuren.people.models import PartyMembership, Person

from .models import Activity, ProfileStatus, VolunteerProfile


def tomorrow_at(hour: int, minute: int = 0, days: int = 1) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


@dataclass
class VolunteeringWorld:
    tree: dict[str, Any]
    estate: Any
    building: Any
    team: Organization
    team_b: Organization
    make_user: Any
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def volunteer(
        self,
        username: str,
        name: str = "",
        *,
        status: str = ProfileStatus.APPROVED,
        side: str = "a",
        party: bool = False,
        role: str = Role.VOLUNTEER,
    ) -> Any:
        """A resident with an account (granted on grid 1 of the side's community) and, unless
        ``status`` is empty, a volunteer registration in that state."""
        grid = self.tree[f"grid_{side}1"]
        user = self.make_user(role, grid, username=username)
        person = Person.objects.create(community=grid.parent, name=name or username, user=user)
        if status:
            VolunteerProfile.objects.create(
                person=person, community=grid.parent, status=status, applied_at=timezone.now()
            )
        if party:
            PartyMembership.objects.create(person=person, status="formal", relation="registered")
        self.users[username] = user
        self.people[username] = person
        return user

    def activity(self, *, actor: User | None = None, publish: bool = True, **kwargs: Any) -> Activity:
        from .services import create_activity

        kwargs.setdefault("title", "富丰新城人工湖清洁")
        kwargs.setdefault("location", "富丰新城人工湖东门")
        if not any(kwargs.get(k) for k in ("area", "estate", "building", "unit")):
            kwargs["area"] = self.tree["com_a"]
        kwargs.setdefault("starts_at", tomorrow_at(9))
        kwargs.setdefault("ends_at", kwargs["starts_at"] + dt.timedelta(hours=3))
        kwargs.setdefault("capacity", 3)
        return create_activity(actor=actor or self.users["staff"], publish=publish, **kwargs)


@pytest.fixture
def vol_world(tree: dict[str, Any], make_user: Any) -> VolunteeringWorld:
    from shuren.places.services import create_building, create_estate

    com_a = tree["com_a"]
    staff = make_user(Role.COMMUNITY_STAFF, com_a, username="vol_staff")
    estate = create_estate(actor=staff, community=com_a, name="富丰新城")
    building = create_building(
        actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=3, rooms_per_floor=2
    )
    team = Organization.objects.create(kind=OrganizationKind.VOLUNTEER_TEAM, name="大新青年志愿服务队", area=com_a)
    team_b = Organization.objects.create(
        kind=OrganizationKind.VOLUNTEER_TEAM, name="金旗峰志愿服务队", area=tree["com_b"]
    )
    world = VolunteeringWorld(
        tree=tree, estate=estate, building=building, team=team, team_b=team_b, make_user=make_user
    )
    world.users["staff"] = staff
    world.users["secretary"] = make_user(Role.COMMUNITY_SECRETARY, com_a, username="vol_secretary")
    world.users["grid_worker"] = make_user(Role.GRID_WORKER, tree["grid_a1"], username="vol_grid")
    world.users["staff_b"] = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="vol_staff_b")
    world.users["subdistrict"] = make_user(Role.SUBDISTRICT_STAFF, tree["sub_a"], username="vol_sub")
    return world
