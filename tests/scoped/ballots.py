"""Scoping-matrix objects for the ballots routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community, _estate_and_building


def ballot(world: World, side: str) -> tuple[dict[str, Any], str]:
    """A draft ballot of building 1座 of the side's estate, with one matter."""
    import datetime as dt

    from django.utils import timezone

    from shuren.ballots.models import Ballot, BallotRule, Matter

    _estate, building = _estate_and_building(world, side)
    community = _community(world, side)
    obj, _created = Ballot.objects.get_or_create(
        reference=f"MATRIX-{side}",
        defaults={
            "title": f"{community.name}加装电梯表决",
            "building": building,
            "closes_at": timezone.now() + dt.timedelta(days=7),
            "created_by": world[f"member_{side}"],
        },
    )
    Matter.objects.get_or_create(
        ballot=obj,
        position=1,
        defaults={"title": f"{community.name}加装电梯", "rule": BallotRule.objects.get(code="civil-code-278-major")},
    )
    return {"pk": obj.pk}, obj.scope


def matter(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = ballot(world, side)
    from shuren.ballots.models import Matter

    return {"pk": kwargs["pk"], "matter_pk": Matter.objects.get(ballot_id=kwargs["pk"], position=1).pk}, scope


def rule(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.ballots.models import BallotRule

    obj, _created = BallotRule.objects.get_or_create(code=f"matrix-{side}", defaults={"name": f"matrix {side}"})
    return {"pk": obj.pk}, ""


ROUTES: dict[str, Factory] = {
    "ballots:ballot_detail": ballot,
    "ballots:ballot_edit": ballot,
    "ballots:matter_new": ballot,
    "ballots:matter_edit": matter,
    "ballots:matter_remove": matter,
    "ballots:ballot_open": ballot,
    "ballots:ballot_close": ballot,
    "ballots:ballot_cancel": ballot,
    "ballots:paper_entry": ballot,
    "ballots:tally_sheet": ballot,
    "ballots:tally_export": ballot,
    "ballots:rule_edit": rule,
    "ballots_portal:ballot": ballot,
    "ballots_portal:vote": matter,
    "api:ballots-ballot-detail": ballot,
    "api:ballots-matter-list": ballot,
    "api:ballots-ballot-open": ballot,
    "api:ballots-ballot-close": ballot,
    "api:ballots-ballot-cancel": ballot,
    "api:ballots-ballot-tally": ballot,
    "api:ballots-matter-vote": matter,
    "api:ballots-paper-vote": matter,
}


# --- ids in request bodies ------------------------------------------------------------------------


def _body_cases(world: World) -> list[Any]:
    import datetime as dt
    import uuid

    from django.urls import reverse
    from django.utils import timezone

    from shuren.ballots.models import Ballot
    from tests.scoped_objects import BodyCase

    def create(client: Any, side: str) -> Any:
        _estate, building = _estate_and_building(world, side)
        body = {
            "title": "加装电梯表决",
            "building": building.pk,
            "closes_at": (timezone.now() + dt.timedelta(days=7)).isoformat(),
        }
        return client.post(
            reverse("api:ballots-ballot-list"),
            data=body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )

    matters = reverse("api:ballots-matter-list", kwargs={"pk": ballot(world, "a")[0]["pk"]})

    def building_convention(side: str) -> Any:
        """A convention of the side's building 1座 (where the side's ballot is), version 1 in discussion."""
        from shuren.conventions.models import Convention, ConventionVersion

        estate, building = _estate_and_building(world, side)
        community = _community(world, side)
        convention, _created = Convention.objects.get_or_create(
            title=f"{community.name}1座楼道公约",
            defaults={"area": community, "estate": estate, "building": building, "created_by": world[f"member_{side}"]},
        )
        version, _created = ConventionVersion.objects.get_or_create(
            convention=convention,
            number=1,
            defaults={"text": "楼道不得堆物", "status": "in_discussion", "drafted_by": world[f"member_{side}"]},
        )
        return version

    def matter_on_convention(client: Any, side: str) -> Any:
        body = {"title": "通过楼道公约", "convention_version": building_convention(side).pk}
        return client.post(
            matters,
            data=body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )

    from shuren.ballots.models import Matter

    def page(client: Any, side: str) -> Any:
        estate, building = _estate_and_building(world, side)
        closes = timezone.localtime(timezone.now() + dt.timedelta(days=7))
        body = {
            "title": "楼道改造表决",
            "area": _community(world, "a").pk,
            "estate": estate.pk,
            "building": building.pk,
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        }
        return client.post(reverse("ballots:ballot_new"), body)

    return [
        BodyCase("ballots: a ballot of a building", create, Ballot.objects.count),
        BodyCase("ballots: a ballot of a building (page)", page, Ballot.objects.count, field="building"),
        BodyCase("ballots: a matter adopting a convention version", matter_on_convention, Matter.objects.count),
    ]


BODY_IDS = [_body_cases]
