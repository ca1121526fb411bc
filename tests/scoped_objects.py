"""Sample objects for routes that take arguments, one per side of the scoping matrix.

Every route with URL arguments must have an entry here (a meta-test enforces it), so that adding a
view forces its author to say which object it shows and to have the matrix prove its scoping.
A factory receives the matrix ``world`` and a side ("a": inside community A, "b": community B in
the same district, "z": a community of another district) and returns (url kwargs, scope path).
Scope "" marks objects that are not tied to a place (they are visible only to system-wide roles).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
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
    return {"pk": event.pk}, ""


def user_account(world: World, side: str) -> tuple[dict[str, Any], str]:
    return {"pk": world[f"member_{side}"].pk}, ""


def api_token(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.accounts.services import issue_api_token

    token, _key = issue_api_token(user=world[f"member_{side}"], name="matrix")
    return {"pk": token.pk}, ""


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


def export_request(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.core.models import ExportRequest

    community = _community(world, side)
    obj = ExportRequest.objects.create(
        kind="people.full",
        requested_by=world[f"member_{side}"],
        reason=f"{community.name}核对",
        rows=1,
        scope=community.path,
    )
    return {"pk": obj.pk}, obj.scope


def post_kind(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.orgs.models import PostKind

    obj, _created = PostKind.objects.get_or_create(code=f"matrix_{side}", defaults={"name": side, "level": "area"})
    return {"pk": obj.pk}, ""


def portal_appeal(world: World, side: str) -> tuple[dict[str, Any], str]:
    """An appeal reported by the side's member. Not published: the public board's list (a route
    without arguments) must show nothing of communities B and Z in this matrix."""
    from django.utils import timezone

    from shuren.appeals.models import Appeal, Category

    community = _community(world, side)
    grid = community.children.order_by("code").first() or community
    obj, _created = Appeal.objects.get_or_create(
        reference=f"MATRIX-{side}",
        defaults={
            "category": Category.objects.get(code="other"),
            "description": f"{community.name}的路灯坏了",
            "area": grid,
            "scope": grid.path,
            "reporter": world[f"member_{side}"],
            "submitted_at": timezone.now(),
        },
    )
    return {"pk": obj.pk}, obj.scope


def portal_appeal_photo(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.appeals.models import AppealPhoto

    kwargs, scope = portal_appeal(world, side)
    photo, _created = AppealPhoto.objects.get_or_create(appeal_id=kwargs["pk"], image=f"appeals/matrix-{side}.jpg")
    return {"pk": kwargs["pk"], "photo_pk": photo.pk}, scope


def portal_notification(world: World, side: str) -> tuple[dict[str, Any], str]:
    """A message about the side's appeal in its member's inbox (the appeals' notices live there)."""
    from shuren.notifications.models import Message
    from shuren.notifications.services import notify

    kwargs, scope = portal_appeal(world, side)
    key = f"appeal:{kwargs['pk']}:matrix-{side}"
    notify(
        kind="appeals.resolved",
        event_key=key,
        recipients=[world[f"member_{side}"]],
        subject=f"MATRIX-{side}",
        text=f"MATRIX-{side}",
        channels=("inapp",),
    )
    return {"pk": Message.objects.get(event_key=key, channel="inapp").pk}, scope


def console_appeal_photo(world: World, side: str) -> tuple[dict[str, Any], str]:
    """The portal's matrix photo, with a file behind it so that the staff console can serve it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    kwargs, scope = portal_appeal_photo(world, side)
    name = f"appeals/matrix-{side}.jpg"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"\xff\xd8\xff\xd9"))
    return kwargs, scope


def console_appeal_action(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = portal_appeal(world, side)
    return {**kwargs, "action": "note"}, scope


def appeal_category(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.appeals.models import Category

    obj, _created = Category.objects.get_or_create(code=f"matrix-{side}", defaults={"name": f"矩阵{side}"})
    return {"pk": obj.pk}, ""


def dispatch_rule(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.appeals.models import DispatchRule

    kwargs, _scope = organization(world, side)
    obj, _created = DispatchRule.objects.get_or_create(
        area=_community(world, side), organization_id=kwargs["pk"], category=None, defaults={"priority": 500}
    )
    return {"pk": obj.pk}, obj.scope


def appeal_handler(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.appeals.models import Handler

    kwargs, scope = organization(world, side)
    obj, _created = Handler.objects.get_or_create(user=world[f"member_{side}"], organization_id=kwargs["pk"])
    return {"pk": obj.pk}, scope


def workday_override(world: World, side: str) -> tuple[dict[str, Any], str]:
    import datetime as dt

    from shuren.core.models import WorkdayOverride

    day = dt.date(2031, 1, 1 + "abz".index(side))
    obj, _created = WorkdayOverride.objects.get_or_create(on=day, defaults={"is_working_day": False})
    return {"pk": obj.pk}, ""


def open311_format(world: World, side: str) -> tuple[dict[str, Any], str]:
    """Open311 lists (public: they show only what may be published, from every community)."""
    return {"format": "json"}, ""


def open311_service(world: World, side: str) -> tuple[dict[str, Any], str]:
    return {"service_code": "lift", "format": "xml"}, ""


def _open311_appeal(world: World, side: str) -> Any:
    from django.utils import timezone

    from shuren.appeals.models import Appeal, Category, Channel

    community = _community(world, side)
    obj, _created = Appeal.objects.get_or_create(
        reference=f"OPEN311-{side}",
        defaults={
            "category": Category.objects.get(code="lift"),
            "description": f"{community.name}的电梯坏了",
            "channel": Channel.OPEN311,
            "area": community,
            "scope": community.path,
            "submitted_at": timezone.now(),
        },
    )
    return obj


def open311_request(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _open311_appeal(world, side)
    return {"service_request_id": obj.reference, "format": "json"}, obj.scope


def open311_token(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _open311_appeal(world, side)
    return {"token": obj.token, "format": "xml"}, obj.scope


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
    "exports:detail": export_request,
    "exports:download": export_request,
    "exports:review": export_request,
    "exports:approve": export_request,
    "exports:refuse": export_request,
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
    # One's own API tokens (declared @authenticated): another user's answers 404 whatever the role.
    "accounts:revoke_token": api_token,
    # The appeals REST API: each route shows or changes one appeal (or one's own notification).
    "api:appeal-detail": portal_appeal,
    "api:appeal-events": portal_appeal,
    "api:appeal-photos": portal_appeal,
    "api:appeal-photo": console_appeal_photo,
    "api:appeal-notification-read": portal_notification,
    "api:appeal-accept": portal_appeal,
    "api:appeal-reject": portal_appeal,
    "api:appeal-dispatch": portal_appeal,
    "api:appeal-take-up": portal_appeal,
    "api:appeal-return": portal_appeal,
    "api:appeal-progress": portal_appeal,
    "api:appeal-resolve": portal_appeal,
    "api:appeal-feedback": portal_appeal,
    "api:appeal-close": portal_appeal,
    "api:appeal-escalate": portal_appeal,
    "api:appeal-supervise": portal_appeal,
    "api:appeal-merge": portal_appeal,
    "api:appeal-note": portal_appeal,
    "api:appeal-publish": portal_appeal,
    # Open311 GeoReport v2: public; every route takes the format (services.json, requests/{id}.xml).
    "open311:discovery": open311_format,
    "open311:services": open311_format,
    "open311:service_definition": open311_service,
    "open311:requests": open311_format,
    "open311:request": open311_request,
    "open311:token": open311_token,
    # The resident portal shows only one's own appeals and notifications (declared @authenticated):
    # every other side answers 404 whatever the role.
    "appeals_portal:detail": portal_appeal,
    "appeals_portal:submitted": portal_appeal,
    "appeals_portal:photo": portal_appeal_photo,
    "appeals_portal:notification_read": portal_notification,
    # The public board: open to all, and shows only what is published.
    "appeals_board:detail": portal_appeal,
    # The staff console of appeals.
    "appeals:appeal_detail": portal_appeal,
    "appeals:appeal_action": console_appeal_action,
    "appeals:appeal_photo": console_appeal_photo,
    "appeals:category_edit": appeal_category,
    "appeals:rule_edit": dispatch_rule,
    "appeals:rule_toggle": dispatch_rule,
    "appeals:handler_toggle": appeal_handler,
    "appeals:policy_edit": area,
    "appeals:workday_delete": workday_override,
}


@dataclass
class BodyCase:
    """A write whose body names an object or a user by id, for the matrix's body-id check.

    ``request(side)`` sends the write as community A's staff member naming the ``side``'s object
    ("a": the control, accepted; "b", "z": refused with 404, or 400 where the field says "not
    found"); ``written()`` counts the rows the write would add, to prove nothing was written.
    """

    name: str
    request: Callable[[Any, str], Any]
    written: Callable[[], int]
    field: str = ""
    """For a page's form POST: the form field naming the object. A refusal may then also be the
    form shown again (200) with an error on that field; an acceptance is the redirect (302)."""


BodyCases = Callable[[World], list[BodyCase]]
BODY_ID_CASES: list[BodyCases] = []

# The co-governance apps keep their entries in tests/scoped/<app>.py.
for _app in (
    "governance",
    "meetings",
    "proposals",
    "conventions",
    "ballots",
    "surveys",
    "volunteering",
    "points",
    "insights",
    "appeals",
    "orgs",
    "people",
    "places",
    "signup",
    "notices",
    "lists",
):
    _module = importlib.import_module(f"tests.scoped.{_app}")
    OBJECT_ROUTES.update(_module.ROUTES)
    BODY_ID_CASES.extend(getattr(_module, "BODY_IDS", []))
