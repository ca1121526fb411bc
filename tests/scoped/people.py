"""Body-id checks of the people pages (their routes' objects live in tests.scoped_objects).

Community A's staff member registers a resident, records a visit or adds a residence, naming a
community, resident or estate of A (the control: accepted, a redirect) or of B / Z (refused: the
form shown again with an error on that field, nothing written)."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community

ROUTES: dict[str, Factory] = {}


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse

    from shuren.people.models import Person, Residence, Visit
    from tests.scoped_objects import BodyCase, _estate_and_building, dwelling, person

    def registered(client: Any, side: str) -> Any:
        body = {"community": _community(world, side).pk, "name": "新登记居民", "ethnicity": "汉族"}
        return client.post(reverse("people:person_new"), body)

    def visited(client: Any, side: str) -> Any:
        body = {"person": person(world, side)[0]["pk"], "purpose": "routine", "findings": "身体健康"}
        return client.post(reverse("people:visit_new"), body)

    resident = person(world, "a")[0]["pk"]

    def housed(client: Any, side: str) -> Any:
        dwelling(world, side)  # room 101 of unit 1单元 of building 1座
        estate, _building = _estate_and_building(world, side)
        body = {
            "estate": estate.pk,
            "building": "1座",
            "unit": "1单元",
            "room": "101",
            "relation": "owner",
            "status": "permanent",
        }
        return client.post(reverse("people:residence_add", kwargs={"pk": resident}), body)

    return [
        BodyCase("people: resident of a community", registered, Person.objects.count, field="community"),
        BodyCase("people: visit to a resident", visited, Visit.objects.count, field="person"),
        BodyCase("people: residence in an estate", housed, Residence.objects.count, field="estate"),
    ]


BODY_IDS = [_body_cases]
