"""Scoping-matrix objects for the volunteering routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.scoped_objects import Factory, World, _community


def activity(world: World, side: str) -> tuple[dict[str, Any], str]:
    """A published activity in the side's community, organised by its staff member."""
    from django.utils import timezone

    from shuren.volunteering.models import Activity

    community = _community(world, side)
    starts = timezone.now() + dt.timedelta(days=3)
    obj, _created = Activity.objects.get_or_create(
        reference=f"MATRIX-{side}",
        defaults={
            "title": f"{community.name}志愿活动",
            "location": f"{community.name}党群服务站",
            "area": community,
            "organizer": world[f"member_{side}"],
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=2),
            "capacity": 5,
            "status": "published",
        },
    )
    return {"pk": obj.pk}, obj.scope


def _person(world: World, side: str) -> Any:
    from shuren.people.models import Person

    community = _community(world, side)
    person, _created = Person.objects.get_or_create(community=community, name=f"{community.name}志愿者")
    return person


def signup(world: World, side: str) -> tuple[dict[str, Any], str]:
    from django.utils import timezone

    from shuren.volunteering.models import SignUp

    kwargs, scope = activity(world, side)
    obj, _created = SignUp.objects.get_or_create(
        activity_id=kwargs["pk"],
        person=_person(world, side),
        defaults={"status": "confirmed", "queued_at": timezone.now()},
    )
    return {"pk": obj.pk}, scope


def signup_action(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = signup(world, side)
    from shuren.volunteering.models import SignUp

    obj = SignUp.objects.get(pk=kwargs["pk"])
    return {"pk": obj.activity_id, "signup_pk": obj.pk, "action": "checkin"}, scope


def record(world: World, side: str) -> tuple[dict[str, Any], str]:
    from django.utils import timezone

    from shuren.volunteering.models import ServiceRecord

    kwargs, scope = activity(world, side)
    person = _person(world, side)
    obj = ServiceRecord.objects.filter(person=person, activity_id=kwargs["pk"]).first()
    if obj is None:
        obj = ServiceRecord.objects.create(
            person=person,
            activity_id=kwargs["pk"],
            served_on=timezone.localdate(),
            minutes=90,
            confirmed_by=world[f"member_{side}"],
            confirmed_at=timezone.now(),
            scope=scope,
        )
    return {"pk": obj.pk}, obj.scope


def profile(world: World, side: str) -> tuple[dict[str, Any], str]:
    from django.utils import timezone

    from shuren.volunteering.models import VolunteerProfile

    person = _person(world, side)
    obj, _created = VolunteerProfile.objects.get_or_create(
        person=person, defaults={"community": person.community, "applied_at": timezone.now()}
    )
    return {"pk": obj.pk}, obj.scope


def community(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _community(world, side)
    return {"pk": obj.pk}, obj.path


def checkin(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.volunteering.models import Activity

    kwargs, scope = activity(world, side)
    return {"token": Activity.objects.get(pk=kwargs["pk"]).checkin_token}, scope


def with_extra(factory: Factory, **extra: Any) -> Factory:
    def make(world: World, side: str) -> tuple[dict[str, Any], str]:
        kwargs, scope = factory(world, side)
        return {**kwargs, **extra}, scope

    return make


ROUTES: dict[str, Factory] = {
    "volunteering:activity_detail": activity,
    "volunteering:activity_edit": activity,
    "volunteering:activity_action": with_extra(activity, action="finish"),
    "volunteering:activity_poster": activity,
    "volunteering:activity_door": activity,
    "volunteering:activity_confirm_all": activity,
    "volunteering:signup_action": signup_action,
    "volunteering:record_correct": record,
    "volunteering:volunteer_detail": profile,
    "volunteering:volunteer_decide": with_extra(profile, decision="approve"),
    "volunteering:policy_edit": community,
    "volunteering_portal:activity": activity,
    "volunteering_portal:sign_up": activity,
    "volunteering_portal:cancel": activity,
    "volunteering_portal:checkin": checkin,
    "api:volunteering-activity-detail": activity,
    "api:volunteering-activity-signups": activity,
    "api:volunteering-activity-publish": activity,
    "api:volunteering-activity-cancel": activity,
    "api:volunteering-activity-finish": activity,
    "api:volunteering-activity-sign-up": activity,
    "api:volunteering-activity-cancel-sign-up": activity,
    "api:volunteering-activity-door": activity,
    "api:volunteering-activity-confirm-all": activity,
    "api:volunteering-signup-check-in": signup,
    "api:volunteering-signup-check-out": signup,
    "api:volunteering-signup-withdraw": signup,
    "api:volunteering-signup-confirm": signup,
    "api:volunteering-record-correct": record,
    "api:volunteering-profile-detail": profile,
    "api:volunteering-profile-approve": profile,
    "api:volunteering-profile-reject": profile,
    "api:volunteering-profile-suspend": profile,
}


# --- ids in request bodies ------------------------------------------------------------------------
# Community A's staff member creates an activity or signs a resident up at the door naming a place,
# team or resident of A (the control: accepted) or of B / Z (refused as not found, nothing written).


def _team(world: World, side: str) -> Any:
    from shuren.orgs.models import Organization, OrganizationKind

    community = _community(world, side)
    team, _created = Organization.objects.get_or_create(
        name=f"{community.name}志愿服务队", defaults={"kind": OrganizationKind.VOLUNTEER_TEAM, "area": community}
    )
    return team


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse
    from django.utils import timezone

    from shuren.volunteering.models import Activity, SignUp, VolunteerProfile
    from tests.scoped.governance import post_json
    from tests.scoped_objects import BodyCase, _estate_and_building

    activities = reverse("api:volunteering-activity-list")
    starts = timezone.now() + dt.timedelta(days=5)

    def create(**ids: Any) -> dict[str, Any]:
        return {
            "title": "社区清洁日",
            "location": "党群服务站",
            "area": _community(world, "a").pk,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
            "capacity": 10,
            **ids,
        }

    def in_area(client: Any, side: str) -> Any:
        return post_json(client, activities, create(area=_community(world, side).pk))

    def at_building(client: Any, side: str) -> Any:
        estate, building = _estate_and_building(world, side)
        return post_json(client, activities, create(estate=estate.pk, building=building.pk))

    def of_team(client: Any, side: str) -> Any:
        return post_json(client, activities, create(team=_team(world, side).pk))

    def at_the_door(client: Any, side: str) -> Any:
        url = reverse("api:volunteering-activity-door", kwargs={"pk": activity(world, "a")[0]["pk"]})
        VolunteerProfile.objects.filter(pk=profile(world, side)[0]["pk"]).update(status="approved")
        return post_json(client, url, {"person": _person(world, side).pk, "check_in_now": False})

    def page(**ids: Any) -> dict[str, Any]:
        local = timezone.localtime(starts)
        return {
            "title": "楼道清洁",
            "location": "1座架空层",
            "area": _community(world, "a").pk,
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": 10,
            "points_per_hour": 0,
            "approved_volunteers_only": "on",
            **ids,
        }

    def page_of_team(client: Any, side: str) -> Any:
        return client.post(reverse("volunteering:activity_new"), page(team=_team(world, side).pk))

    def page_at_building(client: Any, side: str) -> Any:
        estate, building = _estate_and_building(world, side)
        return client.post(reverse("volunteering:activity_new"), page(estate=estate.pk, building=building.pk))

    created = Activity.objects.count
    signed = SignUp.objects.count
    return [
        BodyCase("volunteering: activity in an area", in_area, created),
        BodyCase("volunteering: activity at a building", at_building, created),
        BodyCase("volunteering: activity of a team", of_team, created),
        BodyCase("volunteering: activity of a team (page)", page_of_team, created, field="team"),
        BodyCase("volunteering: activity at a building (page)", page_at_building, created, field="building"),
        BodyCase("volunteering: door sign-up of a resident", at_the_door, signed),
    ]


BODY_IDS = [_body_cases]
