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


def dwelling(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.places.models import Dwelling, Unit

    _estate, building = _estate_and_building(world, side)
    unit, _created = Unit.objects.get_or_create(building=building, number="1单元")
    obj, _created = Dwelling.objects.get_or_create(unit=unit, room="101", defaults={"floor": 1})
    return {"pk": obj.pk}, obj.scope


def residence(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.people.models import Person, Residence
    from shuren.places.models import Dwelling

    kwargs, _scope = dwelling(world, side)
    home = Dwelling.objects.get(pk=kwargs["pk"])
    community = _community(world, side)
    holder, _created = Person.objects.get_or_create(community=community, name=f"{community.name}住户")
    obj, _created = Residence.objects.get_or_create(
        person=holder, dwelling=home, defaults={"relation": "owner", "status": "permanent"}
    )
    Person.objects.filter(pk=holder.pk).update(scope=home.scope)
    return {"pk": holder.pk, "residence_pk": obj.pk}, home.scope


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


def post_assignment(world: World, side: str) -> tuple[dict[str, Any], str]:
    import datetime as dt

    from shuren.orgs.models import PostAssignment, PostKind
    from shuren.people.models import Person

    community = _community(world, side)
    holder, _created = Person.objects.get_or_create(community=community, name=f"{community.name}巷长")
    obj = PostAssignment.objects.create(
        kind=PostKind.objects.get(code="lane_leader"),
        person=holder,
        area=community,
        place_name="一巷",
        from_on=dt.date(2025, 1, 1),
    )
    return {"pk": obj.pk}, obj.scope


def membership(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.orgs.models import Membership
    from shuren.people.models import Person

    kwargs, scope = organization(world, side)
    community = _community(world, side)
    member, _created = Person.objects.get_or_create(community=community, name=f"{community.name}党员")
    obj, _created = Membership.objects.get_or_create(organization_id=kwargs["pk"], person=member, to_on=None)
    return {"pk": kwargs["pk"], "membership_pk": obj.pk}, scope


def import_job(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.people.models import ImportJob

    community = _community(world, side)
    obj = ImportJob.objects.create(
        community=community, created_by=world[f"member_{side}"], file_name="居民.xlsx", data=b"", status="rejected"
    )
    return {"pk": obj.pk}, obj.scope


def post_kind(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.orgs.models import PostKind

    obj, _created = PostKind.objects.get_or_create(code=f"matrix_{side}", defaults={"name": side, "level": "area"})
    return {"pk": obj.pk}, ""


# url name -> factory. Names are "namespace:name" as in reverse().
OBJECT_ROUTES: dict[str, Factory] = {
    "places:area_detail": area,
    "places:area_edit": area,
    "api:area-detail": area,
    "places:estate_detail": estate,
    "people:person_detail": person,
    "people:person_edit": person,
    "people:party_edit": person,
    "people:league_edit": person,
    "people:import_job": import_job,
    "people:residence_add": person,
    "people:residence_end": residence,
    "orgs:post_end": post_assignment,
    "orgs:member_add": organization,
    "orgs:organization_edit": organization,
    "orgs:member_end": membership,
    "orgs:partnership_add": organization,
    "orgs:post_kind_edit": post_kind,
    "orgs:organization_detail": organization,
    "places:building_new": estate,
    "places:building_detail": building,
    "places:building_move": building,
    "places:building_edit": building,
    "places:estate_edit": estate,
    "places:dwelling_edit": dwelling,
    "audit:event_detail": audit_event,
    "accounts_admin:user_detail": user_account,
    "accounts_admin:grant_role": user_account,
    "accounts_admin:revoke_role": role_grant,
    "accounts_admin:disable_user": user_account,
    "accounts_admin:enable_user": user_account,
    "accounts_admin:reset_mfa": user_account,
}
