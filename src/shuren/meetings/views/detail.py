"""Staff console of meetings: the meeting page where everything about one meeting is shown and
recorded, its sign-in poster and its iCalendar file."""

from __future__ import annotations

from typing import Any, cast

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from shuren.accounts.acting import acting_user
from shuren.core.permissions import requires
from shuren.core.scoping import can
from shuren.places.selectors import acting_buildings, acting_estates

from .. import workflow
from ..calendar import calendar_bytes
from ..forms import (
    ActionItemForm,
    ActionUpdateForm,
    AgendaForm,
    AnswerProposalForm,
    CancelForm,
    GovernanceItemForm,
    InviteOrganizationForm,
    InvitePersonForm,
    InviteRoleForm,
    MinutesForm,
    PublishForm,
    ResolutionForm,
    WalkInForm,
)
from ..models import Meeting, MeetingStatus
from ..selectors import (
    action_item_rows,
    agenda_of,
    attendances_of,
    explained_resolutions,
    invitations_of,
    minutes_of,
    openable_meeting,
    organizations_for,
    owner_users_offered,
    people_among,
    people_for,
    rule_of,
    timeline_rows,
    visible_links,
    voting_attendances,
)

# --- the meeting page -----------------------------------------------------------------------------


def checkin_url(request: HttpRequest, meeting: Meeting) -> str:
    return request.build_absolute_uri(reverse("meetings_portal:checkin", kwargs={"token": meeting.checkin_token}))


def qr_data_uri(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale)


def _blank_forms(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    user = acting_user(request)
    minutes = minutes_of(meeting)
    links = visible_links(meeting.convener)
    voters = voting_attendances(meeting)
    return {
        "cancel": CancelForm(initial={"version": meeting.version}),
        "publish": PublishForm(
            initial={"version": meeting.version},
            estates=acting_estates(user, "meetings.manage"),
            buildings=acting_buildings(user, "meetings.manage"),
        ),
        "invite_role": InviteRoleForm(),
        "invite_org": InviteOrganizationForm(organizations=organizations_for(user, meeting)),
        "invite_person": InvitePersonForm(people=people_for(meeting)),
        "walk_in": WalkInForm(),
        "agenda": AgendaForm(links=links),
        "minutes": MinutesForm(
            initial={"version": minutes.version if minutes else None, "text": minutes.text if minutes else ""}
        ),
        "resolution": ResolutionForm(
            meeting=meeting, voters=voters, versions=links["convention_version"], rule=rule_of(meeting)
        ),
        "action_item": ActionItemForm(
            users=owner_users_offered(meeting),
            organizations=organizations_for(user, meeting),
            resolutions=meeting.resolutions.all(),
        ),
    }


def bind_form(name: str, request: HttpRequest, meeting: Meeting) -> Any:
    """The named form bound to the request, with the same choices as the blank one."""
    blank = _blank_forms(request, meeting)[name]
    kwargs: dict[str, Any] = {}
    if name == "publish":
        kwargs = {"estates": blank.fields["estates"].queryset, "buildings": blank.fields["buildings"].queryset}
    elif name == "invite_org":
        kwargs = {"organizations": blank.fields["organization"].queryset}
    elif name == "invite_person":
        kwargs = {"people": people_among(blank.fields["person"].queryset)}
    elif name == "agenda":
        kwargs = {"links": visible_links(meeting.convener)}
    elif name == "resolution":
        kwargs = {
            "meeting": meeting,
            "voters": voting_attendances(meeting),
            "versions": blank.fields["convention_version"].queryset,
            "rule": rule_of(meeting),
        }
    elif name == "action_item":
        kwargs = {
            "users": blank.fields["owner_user"].queryset,
            "organizations": blank.fields["owner_organization"].queryset,
            "resolutions": blank.fields["resolution"].queryset,
        }
    return type(blank)(request.POST, **kwargs)


def render_detail(
    request: HttpRequest, meeting: Meeting, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    manage = can(user, "meetings.manage", meeting)
    forms = _blank_forms(request, meeting) if manage else {}
    forms.update(bound or {})
    invitations = invitations_of(meeting)
    attendances = attendances_of(meeting)
    resolutions = explained_resolutions(
        meeting.resolutions.select_related("agenda_item", "convention_version__convention"), with_votes=True
    )
    action_items = action_item_rows(
        meeting.action_items.select_related("owner_user", "owner_organization", "resolution")
    )
    for item in action_items:
        cast(Any, item).update_form = ActionUpdateForm(
            initial={"version": item.version, "progress": item.progress, "status": item.status}, staff=True
        )
    agenda = agenda_of(meeting)
    minutes = minutes_of(meeting)
    url = checkin_url(request, meeting)
    rule = rule_of(meeting)
    voting_invited = sum(1 for i in invitations if i.is_voting)
    voting_present = sum(1 for a in attendances if a.is_voting)
    events = timeline_rows(meeting)
    return render(
        request,
        "meetings/console/meeting_detail.html",
        {
            "meeting": meeting,
            "manage": manage,
            "forms": forms,
            "open_form": next(iter(bound or {}), ""),
            "actions": workflow.allowed_actions(meeting, actor=user) if manage else [],
            "invitations": invitations,
            "attendances": attendances,
            "agenda": agenda,
            "minutes": minutes,
            "revisions": list(minutes.revisions.select_related("recorded_by")) if minutes else [],
            "resolutions": resolutions,
            "action_items": action_items,
            "checkin_url": url,
            "qr": qr_data_uri(url)
            if manage and meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)
            else "",
            "rule": rule,
            "voting_invited": voting_invited,
            "voting_present": voting_present,
            "proceedings": meeting.status in workflow.PROCEEDINGS,
            "agenda_open": meeting.status in workflow.AGENDA,
            "inviting": meeting.status in workflow.INVITING,
            "attending": meeting.status in workflow.ATTENDANCE,
            "events": events,
            "answer_form": AnswerProposalForm(),
            "governance_form": GovernanceItemForm(),
            "can_governance": can(user, "governance.manage", meeting),
        },
        status=status,
    )


@requires("meetings.view")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, openable_meeting(acting_user(request), pk))


@requires("meetings.manage")
def meeting_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in QR code large, to project on the wall or print at the door."""
    meeting = openable_meeting(acting_user(request), pk)
    if not can(acting_user(request), "meetings.manage", meeting):
        raise Http404
    url = checkin_url(request, meeting)
    return render(request, "meetings/console/poster.html", {"meeting": meeting, "qr": qr_data_uri(url, 12), "url": url})


@requires("meetings.view")
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = openable_meeting(acting_user(request), pk)
    return ics_response(request, meeting)


def ics_response(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    body = calendar_bytes(
        [meeting],
        name=meeting.title,
        url_for=lambda m: request.build_absolute_uri(reverse("meetings_portal:detail", kwargs={"pk": m.pk})),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.reference}.ics"'
    return response
