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
