"""Body-id checks of the appeals desk (the appeals routes' objects live in tests.scoped_objects).

Community A's staff member dispatches an appeal of A to an organisation, or merges it into another
appeal, naming one of A (the control: accepted) or of B / Z (refused as not found, nothing written)."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community

ROUTES: dict[str, Factory] = {}


def _appeal(world: World, reference: str, status: str) -> Any:
    from django.utils import timezone

    from shuren.appeals.models import Appeal, Category

    community = _community(world, "a")
    grid = community.children.order_by("code").first() or community
    obj, _created = Appeal.objects.get_or_create(
        reference=reference,
        defaults={
            "category": Category.objects.get(code="other"),
            "description": "楼道灯不亮",
            "area": grid,
            "scope": grid.path,
            "reporter": world["member_a"],
            "submitted_at": timezone.now(),
            "status": status,
        },
    )
    return obj


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse

    from shuren.appeals.models import Appeal
    from tests.scoped.governance import post_json
    from tests.scoped_objects import BodyCase, organization, portal_appeal

    def dispatch(client: Any, side: str) -> Any:
        appeal = _appeal(world, "MATRIX-BODY-DISPATCH", "accepted")
        body = {"version": appeal.version, "organization": organization(world, side)[0]["pk"], "reason": "属地处理"}
        return post_json(client, reverse("api:appeal-dispatch", kwargs={"pk": appeal.pk}), body)

    def merge(client: Any, side: str) -> Any:
        appeal = _appeal(world, "MATRIX-BODY-MERGE", "submitted")
        body = {"version": appeal.version, "into": portal_appeal(world, side)[0]["pk"]}
        return post_json(client, reverse("api:appeal-merge", kwargs={"pk": appeal.pk}), body)

    dispatched = Appeal.objects.filter(organization__isnull=False).count
    merged = Appeal.objects.filter(duplicate_of__isnull=False).count
    return [
        BodyCase("appeals: dispatch to an organisation", dispatch, dispatched),
        BodyCase("appeals: merge into an appeal", merge, merged),
    ]


BODY_IDS = [_body_cases]
