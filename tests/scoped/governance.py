"""Scoping-matrix objects for the governance routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community


def item(world: World, side: str) -> tuple[dict[str, Any], str]:
    """An open item filed under the side's community, created by its staff member."""
    from shuren.governance.models import GovernanceItem

    community = _community(world, side)
    obj, _created = GovernanceItem.objects.get_or_create(
        reference=f"MATRIX-{side}",
        defaults={
            "title": f"{community.name}的治理事项",
            "area": community,
            "created_by": world[f"member_{side}"],
        },
    )
    return {"pk": obj.pk}, obj.scope


def item_action(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = item(world, side)
    return {**kwargs, "action": "cancel"}, scope


def portal_item_action(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = item(world, side)
    return {**kwargs, "action": "claim"}, scope


def item_photo(world: World, side: str) -> tuple[dict[str, Any], str]:
    """A progress note's photo, with a file behind it so that the views can serve it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from shuren.governance.models import ItemPhoto, ItemUpdate

    kwargs, scope = item(world, side)
    update, _created = ItemUpdate.objects.get_or_create(
        item_id=kwargs["pk"], kind="progress", defaults={"text": "进展", "at": timezone.now()}
    )
    name = f"governance/matrix-{side}.jpg"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"\xff\xd8\xff\xd9"))
    photo, _created = ItemPhoto.objects.get_or_create(update=update, image=name)
    return {**kwargs, "photo_pk": photo.pk}, scope


def governance_list(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.governance.models import GovernanceList

    community = _community(world, side)
    obj, _created = GovernanceList.objects.get_or_create(
        community=community, title=f"{community.name}治理清单", defaults={"created_by": world[f"member_{side}"]}
    )
    return {"pk": obj.pk}, obj.scope


def community(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _community(world, side)
    return {"pk": obj.pk}, obj.path


ROUTES: dict[str, Factory] = {
    "governance:item_detail": item,
    "governance:item_edit": item,
    "governance:item_action": item_action,
    "governance:item_photo": item_photo,
    "governance:list_detail": governance_list,
    "governance:list_edit": governance_list,
    "governance:policy_edit": community,
    "governance_portal:detail": item,
    "governance_portal:action": portal_item_action,
    "governance_portal:photo": item_photo,
    "api:governance-item-detail": item,
    "api:governance-item-photo": item_photo,
    **{
        f"api:governance-item-{slug}": item
        for slug in ("claim", "release", "progress", "submit", "verify", "return", "cancel")
    },
}


# --- ids in request bodies ------------------------------------------------------------------------
# Community A's staff member files or claims an item naming a place, list, appeal, organisation or
# resident of A (the control: accepted) or of B / Z (refused as not found, nothing written).


def post_json(client: Any, url: str, body: dict[str, Any]) -> Any:
    import uuid

    return client.post(url, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse

    from shuren.governance.models import Claim, GovernanceItem
    from shuren.people.models import PartyMembership, Person
    from tests.scoped_objects import BodyCase, _estate_and_building, organization, person, portal_appeal

    items = reverse("api:governance-item-list")
    home = _community(world, "a").pk

    def create(**ids: Any) -> dict[str, Any]:
        return {"title": "楼道堆物清理", "area": home, **ids}

    def in_area(client: Any, side: str) -> Any:
        return post_json(client, items, create(area=_community(world, side).pk))

    def in_building(client: Any, side: str) -> Any:
        estate, building = _estate_and_building(world, side)
        return post_json(client, items, create(estate=estate.pk, building=building.pk))

    def on_list(client: Any, side: str) -> Any:
        return post_json(client, items, create(governance_list=governance_list(world, side)[0]["pk"]))

    def from_appeal(client: Any, side: str) -> Any:
        return post_json(client, items, create(source="appeal", appeal=portal_appeal(world, side)[0]["pk"]))

    def claimable(reference: str) -> GovernanceItem:
        obj, _created = GovernanceItem.objects.get_or_create(
            reference=reference,
            defaults={"title": "认领测试", "area": _community(world, "a"), "created_by": world["member_a"]},
        )
        return obj

    def claim_for_organization(client: Any, side: str) -> Any:
        target = claimable("MATRIX-BODY-ORG")
        url = reverse("api:governance-item-claim", kwargs={"pk": target.pk})
        return post_json(client, url, {"version": target.version, "organization": organization(world, side)[0]["pk"]})

    def claim_for_person(client: Any, side: str) -> Any:
        target = claimable("MATRIX-BODY-PERSON")
        url = reverse("api:governance-item-claim", kwargs={"pk": target.pk})
        resident = Person.objects.get(pk=person(world, side)[0]["pk"])
        PartyMembership.objects.get_or_create(person=resident, defaults={"status": "formal", "relation": "registered"})
        return post_json(client, url, {"version": target.version, "person": resident.pk})

    def form(**ids: Any) -> dict[str, Any]:
        return {"title": "修补破损路面", "kind": "task", "source": "staff", "priority": "normal", "points": 0, **ids}

    def form_on_list(client: Any, side: str) -> Any:
        body = form(area=home, governance_list=governance_list(world, side)[0]["pk"])
        return client.post(reverse("governance:item_new"), body)

    def form_at_building(client: Any, side: str) -> Any:
        estate, building = _estate_and_building(world, side)
        return client.post(reverse("governance:item_new"), form(area=home, estate=estate.pk, building=building.pk))

    created = GovernanceItem.objects.count
    claims = Claim.objects.count
    return [
        BodyCase("governance: item on a list (page)", form_on_list, created, field="governance_list"),
        BodyCase("governance: item at a building (page)", form_at_building, created, field="building"),
        BodyCase("governance: item in an area", in_area, created),
        BodyCase("governance: item at a building", in_building, created),
        BodyCase("governance: item on a list", on_list, created),
        BodyCase("governance: item from an appeal", from_appeal, created),
        BodyCase("governance: claim for an organisation", claim_for_organization, claims),
        BodyCase("governance: claim for a resident", claim_for_person, claims),
    ]


BODY_IDS = [_body_cases]
