"""Staff console of meetings: recording on the meeting page. Each step (sign-in, invitations, agenda,
minutes, resolutions, action items, publication) posts one form; errors come back on the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires

from .. import services
from ..forms import AgendaMoveForm, AnswerProposalForm, GovernanceItemForm, InvitationForm, OutcomeForm, VersionForm
from ..models import Invitation, Meeting
from ..selectors import agenda_item_of, invitation_of, openable_meeting, reachable_user_named, resolution_of
from .detail import bind_form, render_detail

# --- recording on the meeting page ----------------------------------------------------------------


@dataclass
class Step:
    form: str  # key in _blank_forms, or a form class for small row forms
    perform: Callable[[HttpRequest, Meeting, Any], Any]
    done: Any


def _invitation(meeting: Meeting, data: dict[str, Any]) -> Invitation:
    return invitation_of(meeting, data["invitation"])


def _invite_person(request: HttpRequest, meeting: Meeting, data: dict[str, Any]) -> Any:
    user = None
    if data.get("username"):
        # Only among the users the meeting may name: a name elsewhere reads as unknown.
        user = reachable_user_named(acting_user(request), meeting, data["username"])
        if user is None:
            raise ValidationError({"username": [_("No active user with this name.")]})
    return services.invite_person(
        actor=acting_user(request),
        meeting=meeting,
        person=data.get("person"),
        user=user,
        invited_as=data.get("invited_as", ""),
        is_voting=data.get("is_voting", False),
    )


def _record_resolution(request: HttpRequest, meeting: Meeting, form: Any) -> Any:
    data = form.cleaned_data
    return services.record_resolution(
        actor=acting_user(request),
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
    return agenda_item_of(meeting, pk)


STEPS: dict[str, Step] = {
    "open_checkin": Step(
        "version",
        lambda r, m, f: services.set_checkin(
            actor=acting_user(r), meeting=m, version=f.cleaned_data["version"], open=True
        ),
        gettext_lazy("Sign-in is open: invitees scan the QR code."),
    ),
    "close_checkin": Step(
        "version",
        lambda r, m, f: services.set_checkin(
            actor=acting_user(r), meeting=m, version=f.cleaned_data["version"], open=False
        ),
        gettext_lazy("Sign-in is closed."),
    ),
    "end": Step(
        "version",
        lambda r, m, f: services.end_meeting(actor=acting_user(r), meeting=m, version=f.cleaned_data["version"]),
        gettext_lazy("The meeting has ended; complete the minutes, then publish them."),
    ),
    "cancel": Step(
        "cancel",
        lambda r, m, f: services.cancel_meeting(
            actor=acting_user(r), meeting=m, version=f.cleaned_data["version"], reason=f.cleaned_data["reason"]
        ),
        gettext_lazy("The meeting has been cancelled."),
    ),
    "publish": Step(
        "publish",
        lambda r, m, f: services.publish_meeting(
            actor=acting_user(r),
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
            actor=acting_user(r), meeting=m, role=f.cleaned_data["role"], is_voting=f.cleaned_data["is_voting"]
        ),
        gettext_lazy("Invited."),
    ),
    "invite_org": Step(
        "invite_org",
        lambda r, m, f: services.invite_organization(actor=acting_user(r), meeting=m, **f.cleaned_data),
        gettext_lazy("Invited."),
    ),
    "invite_person": Step(
        "invite_person", lambda r, m, f: _invite_person(r, m, f.cleaned_data), gettext_lazy("Invited.")
    ),
    "uninvite": Step(
        "invitation",
        lambda r, m, f: services.remove_invitation(actor=acting_user(r), invitation=_invitation(m, f.cleaned_data)),
        gettext_lazy("The invitation has been withdrawn."),
    ),
    "sign_in": Step(
        "invitation",
        lambda r, m, f: services.sign_in_invitee(actor=acting_user(r), invitation=_invitation(m, f.cleaned_data)),
        gettext_lazy("Signed in."),
    ),
    "walk_in": Step(
        "walk_in",
        lambda r, m, f: services.sign_in_walk_in(actor=acting_user(r), meeting=m, **f.cleaned_data),
        gettext_lazy("Signed in."),
    ),
    "agenda": Step(
        "agenda",
        lambda r, m, f: services.add_agenda_item(actor=acting_user(r), meeting=m, **f.cleaned_data),
        gettext_lazy("The agenda item has been added."),
    ),
    "agenda_move": Step(
        "agenda_move",
        lambda r, m, f: services.move_agenda_item(
            actor=acting_user(r), item=_agenda_item(m, f.cleaned_data["item"]), up=f.cleaned_data["up"]
        ),
        gettext_lazy("The agenda has been reordered."),
    ),
    "outcome": Step(
        "outcome",
        lambda r, m, f: services.record_outcome(
            actor=acting_user(r), item=_agenda_item(m, f.cleaned_data["item"]), outcome=f.cleaned_data["outcome"]
        ),
        gettext_lazy("The outcome has been recorded."),
    ),
    "answer": Step(
        "answer",
        lambda r, m, f: services.answer_proposal(
            actor=acting_user(r),
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
            actor=acting_user(r), meeting=m, text=f.cleaned_data["text"], version=f.cleaned_data.get("version")
        ),
        gettext_lazy("The minutes have been saved."),
    ),
    "resolution": Step(
        "resolution", lambda r, m, f: _record_resolution(r, m, f), gettext_lazy("The resolution has been recorded.")
    ),
    "action_item": Step(
        "action_item",
        lambda r, m, f: services.add_action_item(actor=acting_user(r), meeting=m, **f.cleaned_data),
        gettext_lazy("The action item has been recorded."),
    ),
    "governance": Step(
        "governance",
        lambda r, m, f: services.create_governance_item(
            actor=acting_user(r),
            resolution=resolution_of(m, f.cleaned_data["resolution"]),
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
    meeting = openable_meeting(acting_user(request), pk)
    if action not in STEPS:
        raise Http404
    step = STEPS[action]
    row_form = ROW_FORMS.get(step.form)
    form = row_form(request.POST) if row_form is not None else bind_form(step.form, request, meeting)
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
    return render_detail(request, meeting, bound={bound_key: form}, status=400)


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
