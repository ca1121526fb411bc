"""Staff console of meetings: the meeting page where everything about one meeting is shown and
recorded, its sign-in poster and its iCalendar file."""

from __future__ import annotations

from typing import Any

import segno
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.permissions import requires
from shuren.core.scoping import can, covering_paths, scope_paths, scope_q
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.place_forms import acting_buildings, acting_estates

from . import services, workflow
from .calendar import calendar_bytes
from .forms import (
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
from .models import ActionStatus, Meeting, MeetingRule, MeetingStatus, Minutes
from .rules import explain
from .selectors import openable_meeting

# --- the meeting page -----------------------------------------------------------------------------


def checkin_url(request: HttpRequest, meeting: Meeting) -> str:
    return request.build_absolute_uri(reverse("meetings_portal:checkin", kwargs={"token": meeting.checkin_token}))


def qr_data_uri(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale)


def _organizations_for(user: Any, meeting: Meeting) -> Any:
    paths = scope_paths(user, "meetings.manage")
    return Organization.objects.filter(scope_q(paths, "scope") | Q(scope__in=covering_paths(meeting.scope))).order_by(
        "kind", "name"
    )


def _people_for(user: Any, meeting: Meeting) -> Any:
    community = meeting.area.parent if meeting.area.kind == "grid" else meeting.area
    return Person.objects.filter(community=community).order_by("name_pinyin")[:500]


def _owner_users(meeting: Meeting) -> Any:
    invited = meeting.invitations.exclude(user=None).values("user_id")
    present = meeting.attendances.exclude(user=None).values("user_id")
    return User.objects.filter(Q(pk__in=invited) | Q(pk__in=present), is_active=True).order_by("full_name", "username")


def _rule(meeting: Meeting) -> MeetingRule:
    return MeetingRule.objects.get(kind=meeting.kind)


def _blank_forms(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    user = request.user
    minutes = Minutes.objects.filter(meeting=meeting).first()
    links = services.visible_links(meeting.convener)
    voters = list(meeting.attendances.filter(is_voting=True))
    return {
        "cancel": CancelForm(initial={"version": meeting.version}),
        "publish": PublishForm(
            initial={"version": meeting.version},
            estates=acting_estates(user, "meetings.manage"),
            buildings=acting_buildings(user, "meetings.manage"),
        ),
        "invite_role": InviteRoleForm(),
        "invite_org": InviteOrganizationForm(organizations=_organizations_for(user, meeting)),
        "invite_person": InvitePersonForm(people=_people_for(user, meeting)),
        "walk_in": WalkInForm(),
        "agenda": AgendaForm(links=links),
        "minutes": MinutesForm(
            initial={"version": minutes.version if minutes else None, "text": minutes.text if minutes else ""}
        ),
        "resolution": ResolutionForm(
            meeting=meeting, voters=voters, versions=links["convention_version"], rule=_rule(meeting)
        ),
        "action_item": ActionItemForm(
            users=_owner_users(meeting),
            organizations=_organizations_for(user, meeting),
            resolutions=meeting.resolutions.all(),
        ),
    }


def _bind(name: str, request: HttpRequest, meeting: Meeting) -> Any:
    """The named form bound to the request, with the same choices as the blank one."""
    blank = _blank_forms(request, meeting)[name]
    kwargs: dict[str, Any] = {}
    if name == "publish":
        kwargs = {"estates": blank.fields["estates"].queryset, "buildings": blank.fields["buildings"].queryset}
    elif name == "invite_org":
        kwargs = {"organizations": blank.fields["organization"].queryset}
    elif name == "invite_person":
        kwargs = {"people": Person.objects.filter(pk__in=blank.fields["person"].queryset.values("pk"))}
    elif name == "agenda":
        kwargs = {"links": services.visible_links(meeting.convener)}
    elif name == "resolution":
        kwargs = {
            "meeting": meeting,
            "voters": list(meeting.attendances.filter(is_voting=True)),
            "versions": blank.fields["convention_version"].queryset,
            "rule": _rule(meeting),
        }
    elif name == "action_item":
        kwargs = {
            "users": blank.fields["owner_user"].queryset,
            "organizations": blank.fields["owner_organization"].queryset,
            "resolutions": blank.fields["resolution"].queryset,
        }
    return type(blank)(request.POST, **kwargs)


def _detail(
    request: HttpRequest, meeting: Meeting, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    manage = can(user, "meetings.manage", meeting)
    forms = _blank_forms(request, meeting) if manage else {}
    forms.update(bound or {})
    invitations = list(
        meeting.invitations.select_related("user", "person", "organization", "attendance").order_by("invited_as", "pk")
    )
    attendances = list(meeting.attendances.select_related("invitation"))
    resolutions = list(meeting.resolutions.select_related("agenda_item", "convention_version__convention"))
    for resolution in resolutions:
        resolution.explained = explain(resolution.arithmetic)
        resolution.votes = list(resolution.named_votes.select_related("attendance"))
    action_items = list(meeting.action_items.select_related("owner_user", "owner_organization", "resolution"))
    today = timezone.localdate()
    for item in action_items:
        item.owner = services.owner_label(item)
        item.is_overdue = item.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and item.due_on < today
        item.update_form = ActionUpdateForm(
            initial={"version": item.version, "progress": item.progress, "status": item.status}, staff=True
        )
    agenda = list(meeting.agenda_items.select_related("appeal", "governance_item", "proposal", "convention_version"))
    minutes = Minutes.objects.filter(meeting=meeting).select_related("recorded_by").first()
    url = checkin_url(request, meeting)
    rule = _rule(meeting)
    voting_invited = sum(1 for i in invitations if i.is_voting)
    voting_present = sum(1 for a in attendances if a.is_voting)
    events = [
        {"at": e.at, "actor": e.actor.label if e.actor_id else _("System"), "text": e.text or e.kind}
        for e in meeting.events.select_related("actor")
    ]
    return render(
        request,
        "meetings/console/meeting_detail.html",
        {
            "meeting": meeting,
            "manage": manage,
            "forms": forms,
            "open_form": next(iter(bound or {}), ""),
            "actions": workflow.allowed_actions(meeting) if manage else [],
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
    return _detail(request, openable_meeting(request.user, pk))


@requires("meetings.manage")
def meeting_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in QR code large, to project on the wall or print at the door."""
    meeting = openable_meeting(request.user, pk)
    if not can(request.user, "meetings.manage", meeting):
        raise Http404
    url = checkin_url(request, meeting)
    return render(request, "meetings/console/poster.html", {"meeting": meeting, "qr": qr_data_uri(url, 12), "url": url})


@requires("meetings.view")
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = openable_meeting(request.user, pk)
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
