"""Sample objects for routes that take arguments, one per side of the scoping matrix.

Every route with URL arguments must have an entry here (a meta-test enforces it), so that adding a
view forces its author to say which object it shows and to have the matrix prove its scoping.
A factory receives the matrix ``world`` and a side ("a": inside community A, "b": community B in
the same district, "z": a community of another district) and returns (url kwargs, scope path).
Scope "" marks objects that are not tied to a place (they are visible only to system-wide roles).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shuren.places.models import Area

World = dict[str, Any]
Factory = Callable[[World, str], tuple[dict[str, Any], str]]


def _community(world: World, side: str) -> Area:
    return world[f"com_{side}"]


def area(world: World, side: str) -> tuple[dict[str, Any], str]:
    community = _community(world, side)
    return {"pk": community.pk}, community.path


def _estate_and_building(world: World, side: str) -> tuple[Any, Any]:
    from shuren.places.models import Building, Estate

    community = _community(world, side)
    grid = community.children.order_by("code").first()
    estate, _created = Estate.objects.get_or_create(community=community, name=f"{community.name}花园")
    building, _created = Building.objects.get_or_create(estate=estate, number="1座", defaults={"grid": grid})
    return estate, building


def estate(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj, _building = _estate_and_building(world, side)
    return {"pk": obj.pk}, obj.scope


def building(world: World, side: str) -> tuple[dict[str, Any], str]:
    _estate, obj = _estate_and_building(world, side)
    return {"pk": obj.pk}, obj.scope


def person(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.people.models import Person

    community = _community(world, side)
    obj, _created = Person.objects.get_or_create(community=community, name=f"{community.name}居民")
    return {"pk": obj.pk}, obj.scope


def organization(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.orgs.models import Organization

    community = _community(world, side)
    obj, _created = Organization.objects.get_or_create(
        kind="party_branch", name=f"{community.name}党支部", area=community
    )
    return {"pk": obj.pk}, obj.scope


def audit_event(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.audit.services import record_event

    community = _community(world, side)
    event = record_event("test.matrix", obj=community, detail={"name": community.name})
    return {"seq": event.seq}, ""


def user_account(world: World, side: str) -> tuple[dict[str, Any], str]:
    return {"pk": world[f"member_{side}"].pk}, ""


def role_grant(world: World, side: str) -> tuple[dict[str, Any], str]:
    grant = world[f"member_{side}"].role_grants.first()
    return {"pk": world[f"member_{side}"].pk, "grant_pk": grant.pk}, ""


def contact(world: World, side: str) -> tuple[dict[str, Any], str]:
    from tests.testapp.models import Contact

    community = _community(world, side)
    obj = Contact.objects.create(
        name=f"{community.name}联系人", phone="+8613800138000", id_number="11010519491231002X", area=community
    )
    return {"pk": obj.pk}, community.path


# url name -> factory. Names are "namespace:name" as in reverse().
OBJECT_ROUTES: dict[str, Factory] = {
    "places:area_detail": area,
    "places:area_edit": area,
    "api:area-detail": area,
    "places:estate_detail": estate,
    "people:person_detail": person,
    "orgs:organization_detail": organization,
    "places:building_new": estate,
    "places:building_detail": building,
    "places:building_move": building,
    "audit:event_detail": audit_event,
    "accounts_admin:user_detail": user_account,
    "accounts_admin:grant_role": user_account,
    "accounts_admin:revoke_role": role_grant,
    "accounts_admin:disable_user": user_account,
    "accounts_admin:enable_user": user_account,
    "accounts_admin:reset_mfa": user_account,
}
