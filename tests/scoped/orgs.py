"""Body-id checks of the organisation pages (their routes' objects live in tests.scoped_objects).

Community A's staff member registers an organisation, adds a member or appoints a post holder,
naming a community, estate, resident or building of A (the control: accepted, a redirect) or of
B / Z (refused: the form shown again with an error on that field, nothing written)."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community

ROUTES: dict[str, Factory] = {}


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse

    from shuren.orgs.models import Membership, Organization, PostAssignment, PostKind
    from tests.scoped_objects import BodyCase, _estate_and_building, organization, person

    def in_community(client: Any, side: str) -> Any:
        body = {"kind": "party_branch", "name": "新党支部", "area": _community(world, side).pk}
        return client.post(reverse("orgs:organization_new"), body)

    def at_estate(client: Any, side: str) -> Any:
        estate, _building = _estate_and_building(world, side)
        body = {"kind": "volunteer_team", "name": "小区志愿队", "area": _community(world, "a").pk, "estate": estate.pk}
        return client.post(reverse("orgs:organization_new"), body)

    branch = organization(world, "a")[0]["pk"]

    def member(client: Any, side: str) -> Any:
        body = {"person": person(world, side)[0]["pk"], "role": "member"}
        return client.post(reverse("orgs:member_add", kwargs={"pk": branch}), body)

    def post(**fields: Any) -> dict[str, Any]:
        return {
            "kind": PostKind.objects.get(code="lane_leader").pk,
            "person": person(world, "a")[0]["pk"],
            "area": _community(world, "a").pk,
            "place_name": "二巷",
            "from_on": "2026-01-01",
            **fields,
        }

    def post_holder(client: Any, side: str) -> Any:
        return client.post(reverse("orgs:post_new"), post(person=person(world, side)[0]["pk"]))

    def post_area(client: Any, side: str) -> Any:
        return client.post(reverse("orgs:post_new"), post(area=_community(world, side).pk, place_name="三巷"))

    def post_building(client: Any, side: str) -> Any:
        _estate, building = _estate_and_building(world, side)
        body = post(kind=PostKind.objects.get(code="building_leader").pk, buildings=[building.pk], place_name="")
        return client.post(reverse("orgs:post_new"), body)

    organizations = Organization.objects.count
    posts = PostAssignment.objects.count
    return [
        BodyCase("orgs: organisation of a community", in_community, organizations, field="area"),
        BodyCase("orgs: organisation of an estate", at_estate, organizations, field="estate"),
        BodyCase("orgs: member of an organisation", member, Membership.objects.count, field="person"),
        BodyCase("orgs: post holder", post_holder, posts, field="person"),
        BodyCase("orgs: post in an area", post_area, posts, field="area"),
        BodyCase("orgs: post over a building", post_building, posts, field="buildings"),
    ]


BODY_IDS = [_body_cases]
