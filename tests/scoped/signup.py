"""Scoping-matrix objects for the sign-up routes (merged into tests.scoped_objects.OBJECT_ROUTES):
a resident's request to be linked to a home of community ``side``."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community, dwelling


def link_request(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.accounts.models import User
    from shuren.places.models import Dwelling
    from shuren.signup.models import LinkRequest

    user, _created = User.objects.get_or_create(username=f"matrix-signup-{side}")
    home = Dwelling.objects.get(pk=dwelling(world, side)[0]["pk"])
    obj = LinkRequest.objects.filter(user=user).first() or LinkRequest.objects.create(
        user=user, community=_community(world, side), dwelling=home, name=f"{_community(world, side).name}新居民"
    )
    return {"pk": obj.pk}, obj.scope


ROUTES: dict[str, Factory] = {
    "signup:detail": link_request,
    "signup:approve": link_request,
    "signup:refuse": link_request,
}
