"""Body-id checks of the places pages (their routes' objects live in tests.scoped_objects).

Community A's staff member registers an estate or adds a building, naming a community or grid of
A (the control: accepted, a redirect) or of B / Z (refused: the form shown again with an error on
that field, nothing written). Moving a building to another grid picks the grid from the same scoped
list, but answers every outcome with a redirect to the building, so it has no case here."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community

ROUTES: dict[str, Factory] = {}


def _grid(world: World, side: str) -> Any:
    return _community(world, side).children.order_by("code").first()


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse

    from shuren.places.models import Building, Estate
    from tests.scoped_objects import BodyCase, _estate_and_building

    def estate_in(client: Any, side: str) -> Any:
        return client.post(reverse("places:estate_new"), {"community": _community(world, side).pk, "name": "新小区"})

    estate, building = _estate_and_building(world, "a")

    def building_in(client: Any, side: str) -> Any:
        body = {"number": f"{Building.objects.count() + 10}座", "grid": _grid(world, side).pk, "units": 1}
        return client.post(reverse("places:building_new", kwargs={"pk": estate.pk}), body)

    return [
        BodyCase("places: estate of a community", estate_in, Estate.objects.count, field="community"),
        BodyCase("places: building in a grid", building_in, Building.objects.count, field="grid"),
    ]


BODY_IDS = [_body_cases]
