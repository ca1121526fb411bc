"""Scoping-matrix objects for the conventions routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World


def _convention(world: World, side: str) -> Any:
    """A community-wide convention of community ``side`` with version 1 in discussion and a comment."""
    from shuren.accounts.models import User
    from shuren.conventions.models import Convention, ConventionComment, ConventionVersion

    community = world[f"com_{side}"]
    drafter, _created = User.objects.get_or_create(username=f"matrix-drafter-{side}")
    obj = Convention.objects.filter(area=community, title=f"{community.name}电瓶车管理公约").first()
    if obj is None:
        obj = Convention.objects.create(area=community, title=f"{community.name}电瓶车管理公约", created_by=drafter)
        version = ConventionVersion.objects.create(
            convention=obj, number=1, text=f"{community.name}公约正文", status="in_discussion", drafted_by=drafter
        )
        ConventionComment.objects.create(version=version, author=drafter, text=f"{community.name}居民意见")
    return obj


def convention(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _convention(world, side)
    return {"pk": obj.pk}, obj.scope


def version(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _convention(world, side)
    return {"pk": obj.versions.get(number=1).pk}, obj.scope


def comment(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _convention(world, side)
    return {"pk": obj.versions.get(number=1).comments.get().pk}, obj.scope


ROUTES: dict[str, Factory] = {
    "conventions:detail": convention,
    "conventions:version_new": convention,
    "conventions:repeal": convention,
    "conventions:version_edit": version,
    "conventions:version_open": version,
    "conventions:version_reject": version,
    "conventions:comment_hide": comment,
    "conventions_portal:detail": convention,
    "conventions_portal:comment": version,
    "api:convention-detail": convention,
    "api:convention-comment": version,
}


# --- ids in request bodies ------------------------------------------------------------------------
# Community A's staff member drafts a convention on the console naming a community or building of A
# (the control: accepted, a redirect) or of B / Z (refused: the form shown again with an error on
# that field, nothing written).


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse

    from shuren.conventions.models import Convention
    from tests.scoped_objects import BodyCase, _estate_and_building

    def of_area(client: Any, side: str) -> Any:
        body = {"title": "文明养犬公约", "area": world[f"com_{side}"].pk, "text": "遛狗拴绳"}
        return client.post(reverse("conventions:new"), body)

    def of_building(client: Any, side: str) -> Any:
        estate, building = _estate_and_building(world, side)
        body = {
            "title": "楼道公约",
            "area": world["com_a"].pk,
            "estate": estate.pk,
            "building": building.pk,
            "text": "楼道不得堆物",
        }
        return client.post(reverse("conventions:new"), body)

    return [
        BodyCase("conventions: convention of a community", of_area, Convention.objects.count, field="area"),
        BodyCase("conventions: convention of a building", of_building, Convention.objects.count, field="building"),
    ]


BODY_IDS = [_body_cases]
