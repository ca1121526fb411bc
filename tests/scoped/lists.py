"""Scoping-matrix objects for the lists' routes (merged into tests.scoped_objects.OBJECT_ROUTES).

Needs and resources are placed at the side's community, so that only community-wide roles (and
those above) reach them; the resident's and the unit's own pages answer 404 to everyone the matrix
signs in (none of them asked for anything or speaks for a unit)."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community, organization, portal_appeal


def need(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.lists.models import Need

    community = _community(world, side)
    obj = Need.objects.filter(title=f"MATRIX-{side}").first()
    if obj is None:
        obj = Need(title=f"MATRIX-{side}", category="repair", area=community, created_by=world[f"member_{side}"])
        obj.scope = community.path
        obj.save()
    return {"pk": obj.pk}, obj.scope


def resource(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.lists.models import Resource
    from shuren.orgs.models import Organization

    community = _community(world, side)
    obj = Resource.objects.filter(title=f"{community.name}的资源").first()
    if obj is None:
        unit = Organization.objects.get(pk=organization(world, side)[0]["pk"])
        obj = Resource(
            title=f"{community.name}的资源",
            kind="service",
            category="repair",
            organization=unit,
            area=community,
            capacity=3,
            remaining=3,
            created_by=world[f"member_{side}"],
        )
        obj.scope = community.path
        obj.save()
    return {"pk": obj.pk}, obj.scope


def match(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.lists.models import Match, Need, Resource

    need_kwargs, scope = need(world, side)
    resource_kwargs, _scope = resource(world, side)
    obj, _created = Match.objects.get_or_create(
        need=Need.objects.get(pk=need_kwargs["pk"]),
        resource=Resource.objects.get(pk=resource_kwargs["pk"]),
        defaults={"proposed_by": world[f"member_{side}"], "scope": scope},
    )
    return {"pk": obj.pk}, obj.scope


def need_match_action(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = match(world, side)
    from shuren.lists.models import Match

    found = Match.objects.get(pk=kwargs["pk"])
    return {"pk": found.need_id, "match_pk": found.pk, "action": "withdraw"}, scope


def match_action(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = match(world, side)
    return {**kwargs, "action": "accept"}, scope


def appeal(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = portal_appeal(world, side)
    return {"appeal_pk": kwargs["pk"]}, scope


def community(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _community(world, side)
    return {"pk": obj.pk}, obj.path


ROUTES: dict[str, Factory] = {
    "lists:need_detail": need,
    "lists:need_propose": need,
    "lists:need_close": need,
    "lists:need_from_appeal": appeal,
    "lists:match_action": need_match_action,
    "lists:resource_detail": resource,
    "lists:resource_edit": resource,
    "lists:unit_resource": resource,
    "lists:unit_resource_edit": resource,
    "lists:unit_answer": match_action,
    "lists_portal:my_request": need,
    "lists_portal:request": resource,
    "lists_public:serviceable": community,
    "api:lists-need-detail": need,
    "api:lists-need-suggestions": need,
    "api:lists-need-propose": need,
    "api:lists-need-close": need,
    "api:lists-resource-detail": resource,
    **{f"api:lists-match-{slug}": match for slug in ("accept", "decline", "withdraw", "complete")},
}


# --- ids in request bodies ------------------------------------------------------------------------
# Community A's staff member records a need at a place of A (accepted) or of B / Z (refused as not
# found, nothing written), and a resource for an organisation of A, B or Z.


def _body_cases(world: World) -> list[Any]:
    import uuid

    from django.urls import reverse

    from shuren.lists.models import Need, Resource
    from tests.scoped_objects import BodyCase

    def post_json(client: Any, url: str, body: dict[str, Any]) -> Any:
        return client.post(url, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)

    def need_in_area(client: Any, side: str) -> Any:
        body = {"title": "楼道灯维修", "category": "repair", "area": _community(world, side).pk}
        return post_json(client, reverse("api:lists-need-list"), body)

    def resource_of(client: Any, side: str) -> Any:
        body = {
            "title": "法律咨询",
            "kind": "service",
            "category": "legal",
            "organization": organization(world, side)[0]["pk"],
            "area": _community(world, "a").pk,
        }
        return post_json(client, reverse("api:lists-resource-list"), body)

    return [
        BodyCase("lists: need in an area", need_in_area, Need.objects.count),
        BodyCase("lists: resource of an organisation", resource_of, Resource.objects.count),
    ]


BODY_IDS = [_body_cases]
