"""Scoping-matrix objects for the proposals routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.scoped_objects import Factory, World, area


def _author(side: str) -> Any:
    from shuren.accounts.models import User

    user, _created = User.objects.get_or_create(username=f"matrix-proposer-{side}")
    return user


def proposal(world: World, side: str) -> tuple[dict[str, Any], str]:
    """A community-wide proposal collecting co-signatures in community ``side``."""
    from shuren.proposals.models import Proposal

    community = world[f"com_{side}"]
    obj = Proposal.objects.filter(reference=f"TA-MATRIX-{side}").first()
    if obj is None:
        obj = Proposal.objects.create(
            reference=f"TA-MATRIX-{side}",
            area=community,
            title=f"{community.name}加装充电桩",
            body=f"{community.name}居民提案",
            author=_author(side),
            signature_threshold=10,
            signing_closes_at=timezone.now() + dt.timedelta(days=30),
        )
    return {"pk": obj.pk}, obj.scope


ROUTES: dict[str, Factory] = {
    "proposals:detail": proposal,
    "proposals:answer": proposal,
    "proposals:publish": proposal,
    "proposals:inadmissible": proposal,
    "proposals:policy_edit": area,
    "proposals_portal:detail": proposal,
    "proposals_portal:sign": proposal,
    "proposals_portal:withdraw": proposal,
    "api:proposal-detail": proposal,
    "api:proposal-sign": proposal,
    "api:proposal-withdraw": proposal,
    "api:proposal-answer": proposal,
    "api:proposal-publish": proposal,
    "api:proposal-inadmissible": proposal,
}


# --- ids in request bodies ------------------------------------------------------------------------
# A resident of community A (proposals come from residents) proposes for a place named by its key:
# their own building in A (the control: accepted) or the building of B / Z (refused, nothing written).


def _body_cases(world: World) -> list[Any]:
    import uuid

    from django.test import Client
    from django.urls import reverse

    from shuren.accounts.models import RoleGrant, User
    from shuren.people.models import Person
    from shuren.proposals.models import Proposal
    from tests.scoped_objects import BodyCase, _estate_and_building, residence

    holder = Person.objects.get(pk=residence(world, "a")[0]["pk"])
    resident, _created = User.objects.get_or_create(username="matrix-resident-a", defaults={"full_name": holder.name})
    Person.objects.filter(pk=holder.pk).update(user=resident)
    RoleGrant.objects.get_or_create(user=resident, role="resident", area=world["com_a"])
    client = Client()
    client.force_login(resident)

    def propose(_staff_client: Any, side: str) -> Any:
        _estate, building = _estate_and_building(world, side)
        body = {"title": "楼下加装充电桩", "body": "电瓶车充电难", "place": f"building:{building.pk}"}
        return client.post(
            reverse("api:proposal-list"),
            data=body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )

    return [BodyCase("proposals: proposal for a building", propose, Proposal.objects.count)]


BODY_IDS = [_body_cases]
