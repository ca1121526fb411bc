"""Scoping-matrix objects for the meetings routes (merged into tests.scoped_objects.OBJECT_ROUTES).

A meeting of the side's community, convened by the side's member; the portal routes show only the
user's own invitations and action items (nobody in the matrix is invited, so every side answers
404); the check-in route gets a meeting whose sign-in is closed (403); the feed gets a valid secret
of the side's member (public: the secret is the credential)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.scoped_objects import Factory, World


def _meeting(world: World, side: str) -> Any:
    from django.utils import timezone

    from shuren.meetings.models import Meeting

    community = world[f"com_{side}"]
    starts = timezone.now() + dt.timedelta(days=3)
    obj, _created = Meeting.objects.get_or_create(
        reference=f"MATRIX-{side}",
        defaults={
            "kind": "joint",
            "title": f"{community.name}联席会议",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=2),
            "location": f"{community.name}党群服务中心",
            "area": community,
            "convener": world[f"member_{side}"],
        },
    )
    return obj


def meeting(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _meeting(world, side)
    return {"pk": obj.pk}, obj.scope


def meeting_action(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = meeting(world, side)
    return {**kwargs, "action": "open_checkin"}, scope


def action_item(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.meetings.models import ActionItem

    obj = _meeting(world, side)
    item, _created = ActionItem.objects.get_or_create(
        meeting=obj, title=f"{obj.title}的跟进", defaults={"owner_name": "楼长", "due_on": dt.date(2031, 1, 1)}
    )
    return {"pk": item.pk}, item.scope


def checkin(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _meeting(world, side)
    return {"token": obj.checkin_token}, obj.scope


def rule(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.meetings.models import MeetingRule

    return {"pk": MeetingRule.objects.get(kind={"a": "joint", "b": "council", "z": "salon"}[side]).pk}, ""


def feed(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.meetings.models import CalendarFeed
    from shuren.meetings.services.feeds import token_hash

    token = f"matrix-feed-{side}"
    CalendarFeed.objects.get_or_create(user=world[f"member_{side}"], defaults={"token_hash": token_hash(token)})
    return {"token": token}, ""


ROUTES: dict[str, Factory] = {
    "meetings:meeting_detail": meeting,
    "meetings:meeting_edit": meeting,
    "meetings:meeting_poster": meeting,
    "meetings:meeting_ics": meeting,
    "meetings:meeting_action": meeting_action,
    "meetings:action_update": action_item,
    "meetings:rule_edit": rule,
    "meetings_portal:detail": meeting,
    "meetings_portal:reply": meeting,
    "meetings_portal:meeting_ics": meeting,
    "meetings_portal:action_item": action_item,
    "meetings_portal:checkin": checkin,
    "meetings_portal:feed": feed,
    "api:meeting-detail": meeting,
    "api:meeting-step": meeting,
    "api:meeting-invitations": meeting,
    "api:meeting-attendance": meeting,
    "api:meeting-agenda": meeting,
    "api:meeting-minutes": meeting,
    "api:meeting-resolutions": meeting,
    "api:meeting-action-items": meeting,
    "api:meeting-publish": meeting,
    "api:meeting-action-item-update": action_item,
}


# --- ids in request bodies ------------------------------------------------------------------------
# Community A's staff member writes on A's meeting, naming a user, person or organisation of A (the
# control: accepted) or of B / Z (refused: 404, nothing written).


def _side_user(world: World, side: str) -> Any:
    """A user of the side with a person in its registry (the path that once let any such user in)."""
    from shuren.accounts.models import User
    from shuren.people.models import Person

    community = world[f"com_{side}"]
    user, created = User.objects.get_or_create(username=f"body-{side}", defaults={"full_name": f"{community.name}居民"})
    if created:
        Person.objects.create(community=community, name=f"{community.name}居民甲", user=user)
    return user


def _side_organization(world: World, side: str) -> Any:
    from shuren.orgs.models import Organization, OrganizationKind

    community = world[f"com_{side}"]
    organization, _created = Organization.objects.get_or_create(
        name=f"{community.name}党支部", defaults={"kind": OrganizationKind.PARTY_BRANCH, "area": community}
    )
    return organization


def _side_person(world: World, side: str) -> Any:
    from shuren.people.models import Person
    from tests.scoped_objects import person

    return Person.objects.get(pk=person(world, side)[0]["pk"])


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    import uuid

    return client.post(url, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse

    from shuren.meetings.models import ActionItem, Invitation, Meeting, Minutes
    from tests.scoped_objects import BodyCase

    meeting = _meeting(world, "a")
    invitations = reverse("api:meeting-invitations", kwargs={"pk": meeting.pk})
    actions = reverse("api:meeting-action-items", kwargs={"pk": meeting.pk})

    def invite_user(client: Any, side: str) -> Any:
        return _post(client, invitations, {"by": "person", "user": _side_user(world, side).pk})

    def invite_person(client: Any, side: str) -> Any:
        return _post(client, invitations, {"by": "person", "person": _side_person(world, side).pk})

    def invite_organization(client: Any, side: str) -> Any:
        return _post(client, invitations, {"by": "organization", "organization": _side_organization(world, side).pk})

    def in_progress() -> None:
        Meeting.objects.filter(pk=meeting.pk).update(status="in_progress")

    def owner_user(client: Any, side: str) -> Any:
        in_progress()
        body = {"title": "跟进加装电梯", "due_on": "2031-01-01", "owner_user": _side_user(world, side).pk}
        return _post(client, actions, body)

    def owner_organization(client: Any, side: str) -> Any:
        in_progress()
        body = {"title": "跟进停车", "due_on": "2031-01-01", "owner_organization": _side_organization(world, side).pk}
        return _post(client, actions, body)

    def schedule(**places: Any) -> dict[str, Any]:
        from django.utils import timezone

        starts = timezone.now() + dt.timedelta(days=10)
        return {
            "kind": "joint",
            "title": "联席会议",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=1)).isoformat(),
            "location": "党群服务中心",
            "area": world["com_a"].pk,
            **places,
        }

    meetings = reverse("api:meeting-list")

    def scheduled_in_area(client: Any, side: str) -> Any:
        return _post(client, meetings, schedule(area=world[f"com_{side}"].pk))

    def scheduled_at_building(client: Any, side: str) -> Any:
        from tests.scoped_objects import _estate_and_building

        estate, building = _estate_and_building(world, side)
        return _post(client, meetings, schedule(estate=estate.pk, building=building.pk))

    agenda_meeting = Meeting.objects.create(
        reference="MATRIX-BODY-AGENDA",
        kind="joint",
        title="议程测试会议",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location="党群服务中心",
        area=world["com_a"],
        convener=world["member_a"],
    )
    agenda = reverse("api:meeting-agenda", kwargs={"pk": agenda_meeting.pk})

    def linking(field: str, factory: Any) -> Any:
        def request(client: Any, side: str) -> Any:
            return _post(client, agenda, {"title": "议题", field: factory(world, side)[0]["pk"]})

        return request

    from tests.scoped.conventions import version
    from tests.scoped.governance import item
    from tests.scoped.proposals import proposal as collecting

    def proposal(world: World, side: str) -> tuple[dict[str, Any], str]:
        from shuren.proposals.models import Proposal

        kwargs, scope = collecting(world, side)
        Proposal.objects.filter(pk=kwargs["pk"]).update(status="qualified")
        return kwargs, scope

    from tests.scoped_objects import portal_appeal

    held = Meeting.objects.create(
        reference="MATRIX-BODY-HELD",
        kind="joint",
        title="已召开的联席会议",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location="党群服务中心",
        area=world["com_a"],
        convener=world["member_a"],
        status="held",
    )
    Minutes.objects.create(meeting=held, text="会议纪要", recorded_by=world["member_a"])
    publish = reverse("api:meeting-publish", kwargs={"pk": held.pk})

    def published_to(field: str) -> Any:
        def request(client: Any, side: str) -> Any:
            from tests.scoped_objects import _estate_and_building

            estate, building = _estate_and_building(world, side)
            target = estate if field == "estates" else building
            version = Meeting.objects.get(pk=held.pk).version
            return _post(client, publish, {field: [target.pk], "version": version})

        return request

    def page_at_building(client: Any, side: str) -> Any:
        from django.utils import timezone

        from tests.scoped_objects import _estate_and_building

        estate, building = _estate_and_building(world, side)
        starts = timezone.localtime(timezone.now() + dt.timedelta(days=10))
        body = {
            "kind": "joint",
            "title": "楼道议事会",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "location": "楼道",
            "area": world["com_a"].pk,
            "estate": estate.pk,
            "building": building.pk,
        }
        return client.post(reverse("meetings:meeting_new"), body)

    sitting = Meeting.objects.create(
        reference="MATRIX-BODY-SITTING",
        kind="joint",
        title="进行中的联席会议",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location="党群服务中心",
        area=world["com_a"],
        convener=world["member_a"],
        status="in_progress",
    )
    resolutions = reverse("api:meeting-resolutions", kwargs={"pk": sitting.pk})

    def resolution_on_convention(client: Any, side: str) -> Any:
        from tests.scoped.conventions import version

        body = {"text": "同意公约草案提交居民讨论", "convention_version": version(world, side)[0]["pk"]}
        return _post(client, resolutions, body)

    invited = Invitation.objects.filter(meeting=meeting).count
    owned = ActionItem.objects.filter(meeting=meeting).count
    scheduled = Meeting.objects.count
    points = agenda_meeting.agenda_items.count
    return [
        BodyCase(
            "meetings: minutes published to a building", published_to("buildings"), held.also_publish_to_buildings.count
        ),
        BodyCase("meetings: scheduled in an area", scheduled_in_area, scheduled),
        BodyCase("meetings: resolution on a convention version", resolution_on_convention, sitting.resolutions.count),
        BodyCase("meetings: scheduled at a building (page)", page_at_building, scheduled, field="building"),
        BodyCase("meetings: scheduled at a building", scheduled_at_building, scheduled),
        BodyCase("meetings: agenda item on an appeal", linking("appeal", portal_appeal), points),
        BodyCase("meetings: agenda item on a governance item", linking("governance_item", item), points),
        BodyCase("meetings: agenda item on a proposal", linking("proposal", proposal), points),
        BodyCase("meetings: agenda item on a convention version", linking("convention_version", version), points),
        BodyCase("meetings: invite a user", invite_user, invited),
        BodyCase("meetings: invite a person", invite_person, invited),
        BodyCase("meetings: invite an organisation", invite_organization, invited),
        BodyCase("meetings: action item owned by a user", owner_user, owned),
        BodyCase("meetings: action item owned by an organisation", owner_organization, owned),
    ]


BODY_IDS = [_body_cases]
