"""The staff console of meetings (/meetings/): the list and the upcoming calendar, scheduling, the
meeting page where everything about one meeting is recorded, action items, and the rules of
procedure. Every write goes through ``services``; a form that fails keeps what the user typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, covering_paths, scope_paths, scope_q
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.place_forms import acting_areas, acting_buildings, acting_estates

from . import services, workflow
from .calendar import calendar_bytes
from .forms import (
    ActionFilterForm,
    ActionItemForm,
    ActionUpdateForm,
    AgendaForm,
    AgendaMoveForm,
    AnswerProposalForm,
    CancelForm,
    GovernanceItemForm,
    InvitationForm,
    InviteOrganizationForm,
    InvitePersonForm,
    InviteRoleForm,
    MeetingFilterForm,
    MeetingForm,
    MeetingRuleForm,
    MinutesForm,
    OutcomeForm,
    PublishForm,
    ResolutionForm,
    VersionForm,
    WalkInForm,
)
from .models import ActionStatus, Invitation, Meeting, MeetingRule, MeetingStatus, Minutes
from .rules import explain
from .selectors import (
    listed_meetings,
    my_action_items,
    openable_action_item,
    openable_meeting,
    overdue_action_items,
    visible_action_items,
    visible_meetings,
)

# --- list and calendar ----------------------------------------------------------------------------


@requires("meetings.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    areas = acting_areas(request.user, "meetings.view")
    form = MeetingFilterForm(request.GET or None, areas=areas)
    meetings = listed_meetings(visible_meetings(request.user)).annotate(invited=Count("invitations", distinct=True))
    now = timezone.now()
    when = "upcoming"
    if form.is_valid():
        data = form.cleaned_data
        when = data["when"] or "upcoming"
        if data["kind"]:
            meetings = meetings.filter(kind=data["kind"])
        if data["area"]:
            meetings = meetings.filter(scope_q([data["area"].path], "scope"))
        if data["q"]:
            meetings = meetings.filter(title__icontains=data["q"])
    if when == "upcoming":
        meetings = meetings.filter(ends_at__gte=now).order_by("starts_at")
    elif when == "past":
        meetings = meetings.filter(ends_at__lt=now).order_by("-starts_at")
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/console/meeting_list.html",
        {"form": form, "page": page, "can_manage": bool(scope_paths(request.user, "meetings.manage"))},
    )


@requires("meetings.view")
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """The next eight weeks, day by day."""
    today = timezone.localdate()
    until = today + dt.timedelta(weeks=8)
    meetings = listed_meetings(visible_meetings(request.user)).filter(
        starts_at__date__gte=today, starts_at__date__lt=until
    )
    days: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings.order_by("starts_at"):
        days.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    return render(request, "meetings/console/calendar.html", {"days": sorted(days.items()), "until": until})


# --- scheduling -----------------------------------------------------------------------------------


@requires("meetings.manage")
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been scheduled. Now invite the participants."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/console/meeting_form.html", {"form": form, "meeting": None})


@requires("meetings.manage")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = openable_meeting(request.user, pk)
    if not can(request.user, "meetings.manage", meeting):
        raise Http404
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    version = VersionForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid() and version.is_valid():
        try:
            services.edit_meeting(
                actor=request.user, meeting=meeting, version=version.cleaned_data["version"], **form.cleaned_data
            )
        except StaleVersion:
            form.add_error(None, _("The meeting was changed by someone else meanwhile. Reload it and try again."))
        except InvalidTransition as exc:
            form.add_error(None, exc.detail)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been changed."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/console/meeting_form.html", {"form": form, "meeting": meeting, "version": version})


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
    ids = set(meeting.invitations.exclude(user=None).values_list("user_id", flat=True))
    ids |= set(meeting.attendances.exclude(user=None).values_list("user_id", flat=True))
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


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


# --- recording on the meeting page ----------------------------------------------------------------


@dataclass
class Step:
    form: str  # key in _blank_forms, or a form class for small row forms
    perform: Callable[[HttpRequest, Meeting, Any], Any]
    done: Any


def _invitation(meeting: Meeting, data: dict[str, Any]) -> Invitation:
    return get_object_or_404(Invitation, pk=data["invitation"], meeting=meeting)


def _invite_person(request: HttpRequest, meeting: Meeting, data: dict[str, Any]) -> Any:
    user = None
    if data.get("username"):
        user = User.objects.filter(username=data["username"].strip(), is_active=True).first()
        if user is None:
            raise ValidationError({"username": [_("No active user with this name.")]})
    return services.invite_person(
        actor=request.user,
        meeting=meeting,
        person=data.get("person"),
        user=user,
        invited_as=data.get("invited_as", ""),
        is_voting=data.get("is_voting", False),
    )


def _record_resolution(request: HttpRequest, meeting: Meeting, form: Any) -> Any:
    data = form.cleaned_data
    return services.record_resolution(
        actor=request.user,
        meeting=meeting,
        text=data["text"],
        vote_mode=data["vote_mode"],
        votes_for=data.get("votes_for") or 0,
        votes_against=data.get("votes_against") or 0,
        votes_abstain=data.get("votes_abstain") or 0,
        named_votes=form.named_votes(),
        agenda_item=data.get("agenda_item"),
        convention_version=data.get("convention_version"),
    )


def _agenda_item(meeting: Meeting, pk: Any) -> Any:
    return get_object_or_404(meeting.agenda_items.all(), pk=pk)


STEPS: dict[str, Step] = {
    "open_checkin": Step(
        "version",
        lambda r, m, f: services.set_checkin(actor=r.user, meeting=m, version=f.cleaned_data["version"], open=True),
        gettext_lazy("Sign-in is open: invitees scan the QR code."),
    ),
    "close_checkin": Step(
        "version",
        lambda r, m, f: services.set_checkin(actor=r.user, meeting=m, version=f.cleaned_data["version"], open=False),
        gettext_lazy("Sign-in is closed."),
    ),
    "end": Step(
        "version",
        lambda r, m, f: services.end_meeting(actor=r.user, meeting=m, version=f.cleaned_data["version"]),
        gettext_lazy("The meeting has ended; complete the minutes, then publish them."),
    ),
    "cancel": Step(
        "cancel",
        lambda r, m, f: services.cancel_meeting(
            actor=r.user, meeting=m, version=f.cleaned_data["version"], reason=f.cleaned_data["reason"]
        ),
        gettext_lazy("The meeting has been cancelled."),
    ),
    "publish": Step(
        "publish",
        lambda r, m, f: services.publish_meeting(
            actor=r.user,
            meeting=m,
            version=f.cleaned_data["version"],
            estates=f.cleaned_data["estates"],
            buildings=f.cleaned_data["buildings"],
        ),
        gettext_lazy("The minutes and resolutions have been published."),
    ),
    "invite_role": Step(
        "invite_role",
        lambda r, m, f: services.invite_by_role(
            actor=r.user, meeting=m, role=f.cleaned_data["role"], is_voting=f.cleaned_data["is_voting"]
        ),
        gettext_lazy("Invited."),
    ),
    "invite_org": Step(
        "invite_org",
        lambda r, m, f: services.invite_organization(actor=r.user, meeting=m, **f.cleaned_data),
        gettext_lazy("Invited."),
    ),
    "invite_person": Step(
        "invite_person", lambda r, m, f: _invite_person(r, m, f.cleaned_data), gettext_lazy("Invited.")
    ),
    "uninvite": Step(
        "invitation",
        lambda r, m, f: services.remove_invitation(actor=r.user, invitation=_invitation(m, f.cleaned_data)),
        gettext_lazy("The invitation has been withdrawn."),
    ),
    "sign_in": Step(
        "invitation",
        lambda r, m, f: services.sign_in_invitee(actor=r.user, invitation=_invitation(m, f.cleaned_data)),
        gettext_lazy("Signed in."),
    ),
    "walk_in": Step(
        "walk_in",
        lambda r, m, f: services.sign_in_walk_in(actor=r.user, meeting=m, **f.cleaned_data),
        gettext_lazy("Signed in."),
    ),
    "agenda": Step(
        "agenda",
        lambda r, m, f: services.add_agenda_item(actor=r.user, meeting=m, **f.cleaned_data),
        gettext_lazy("The agenda item has been added."),
    ),
    "agenda_move": Step(
        "agenda_move",
        lambda r, m, f: services.move_agenda_item(
            actor=r.user, item=_agenda_item(m, f.cleaned_data["item"]), up=f.cleaned_data["up"]
        ),
        gettext_lazy("The agenda has been reordered."),
    ),
    "outcome": Step(
        "outcome",
        lambda r, m, f: services.record_outcome(
            actor=r.user, item=_agenda_item(m, f.cleaned_data["item"]), outcome=f.cleaned_data["outcome"]
        ),
        gettext_lazy("The outcome has been recorded."),
    ),
    "answer": Step(
        "answer",
        lambda r, m, f: services.answer_proposal(
            actor=r.user,
            item=_agenda_item(m, f.cleaned_data["item"]),
            kind=f.cleaned_data["kind"],
            text=f.cleaned_data["text"],
            publish=f.cleaned_data["publish"],
        ),
        gettext_lazy("The proposal has been answered."),
    ),
    "minutes": Step(
        "minutes",
        lambda r, m, f: services.save_minutes(
            actor=r.user, meeting=m, text=f.cleaned_data["text"], version=f.cleaned_data.get("version")
        ),
        gettext_lazy("The minutes have been saved."),
    ),
    "resolution": Step(
        "resolution", lambda r, m, f: _record_resolution(r, m, f), gettext_lazy("The resolution has been recorded.")
    ),
    "action_item": Step(
        "action_item",
        lambda r, m, f: services.add_action_item(actor=r.user, meeting=m, **f.cleaned_data),
        gettext_lazy("The action item has been recorded."),
    ),
    "governance": Step(
        "governance",
        lambda r, m, f: services.create_governance_item(
            actor=r.user,
            resolution=get_object_or_404(m.resolutions.all(), pk=f.cleaned_data["resolution"]),
            title=f.cleaned_data["title"],
            due_on=f.cleaned_data.get("due_on"),
            points=f.cleaned_data.get("points") or 0,
        ),
        gettext_lazy("The decision is on the governance list."),
    ),
}

ROW_FORMS = {
    "version": VersionForm,
    "cancel": None,
    "invitation": InvitationForm,
    "agenda_move": AgendaMoveForm,
    "outcome": OutcomeForm,
    "answer": AnswerProposalForm,
    "governance": GovernanceItemForm,
}


@requires("meetings.manage")
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = openable_meeting(request.user, pk)
    if action not in STEPS:
        raise Http404
    step = STEPS[action]
    row_form = ROW_FORMS.get(step.form)
    form = row_form(request.POST) if row_form is not None else _bind(step.form, request, meeting)
    bound_key = step.form if row_form is None else ""
    if form.is_valid():
        try:
            step.perform(request, meeting, form)
        except StaleVersion:
            messages.error(request, _("The meeting was changed by someone else meanwhile. Check it and try again."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
        except InvalidTransition as exc:
            messages.error(request, exc.detail)
            return redirect("meetings:meeting_detail", pk=meeting.pk)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, str(step.done))
            return redirect(f"{reverse('meetings:meeting_detail', kwargs={'pk': meeting.pk})}#{_anchor(action)}")
    if not bound_key:
        for error in [*form.non_field_errors(), *(e for errors in form.errors.values() for e in errors)]:
            messages.error(request, error)
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return _detail(request, meeting, bound={bound_key: form}, status=400)


def _anchor(action: str) -> str:
    return {
        "invite_role": "invitations",
        "invite_org": "invitations",
        "invite_person": "invitations",
        "uninvite": "invitations",
        "sign_in": "attendance",
        "walk_in": "attendance",
        "agenda": "agenda",
        "agenda_move": "agenda",
        "outcome": "agenda",
        "answer": "agenda",
        "minutes": "minutes",
        "resolution": "resolutions",
        "governance": "resolutions",
        "action_item": "action-items",
    }.get(action, "top")


# --- action items ---------------------------------------------------------------------------------


@requires("meetings.view")
def action_list(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None)
    which = form.cleaned_data["which"] if form.is_valid() and form.cleaned_data["which"] else "open"
    items = visible_action_items(request.user) | my_action_items(request.user)
    if which == "overdue":
        items = overdue_action_items(items)
    elif which == "mine":
        items = items.filter(owner_user=request.user)
    elif which == "open":
        items = items.filter(status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
    elif which == "done":
        items = items.filter(status=ActionStatus.DONE)
    page = Paginator(items.select_related("meeting", "owner_user", "owner_organization").order_by("due_on", "pk"), 50)
    page = page.get_page(request.GET.get("page"))
    today = timezone.localdate()
    for item in page.object_list:
        item.owner = services.owner_label(item)
        item.is_overdue = item.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and item.due_on < today
    return render(request, "meetings/console/action_list.html", {"form": form, "page": page, "which": which})


@requires("meetings.view")
@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = openable_action_item(request.user, pk)
    form = ActionUpdateForm(request.POST, staff=can(request.user, "meetings.manage", item))
    if form.is_valid():
        try:
            services.update_action_item(actor=request.user, item=item, **form.cleaned_data)
        except StaleVersion:
            messages.error(request, _("The action item was changed by someone else meanwhile. Check it and try again."))
        except InvalidTransition as exc:
            messages.error(request, exc.detail)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The progress has been recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('meetings:meeting_detail', kwargs={'pk': item.meeting_id})}#action-items")


# --- rules of procedure ---------------------------------------------------------------------------


@requires("meetings.configure")
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/console/rule_list.html", {"rules": MeetingRule.objects.all()})


@requires("meetings.configure")
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from shuren.audit.services import record_event

    rule = get_object_or_404(MeetingRule, pk=pk)
    form = MeetingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_data
        form.save()
        record_event(
            "meetings.rule_changed",
            actor=request.user,
            obj=rule,
            detail={name: str(form.cleaned_data[name]) for name in changed},
        )
        messages.success(request, _("The rules of procedure have been saved."))
        return redirect("meetings:rule_list")
    return render(request, "meetings/console/rule_form.html", {"form": form, "rule": rule})
