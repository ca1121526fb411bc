"""The portal side of meetings (/my/meetings/): my invitations and replies, the check-in landing the
QR code opens, my action items, published minutes of the places I live in, and my calendar feed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import authenticated, public
from shuren.core.scoping import can, has_action

from .. import services
from ..calendar import calendar_bytes
from ..forms import ActionUpdateForm
from ..models import ActionStatus
from ..selectors import (
    action_item_rows,
    calendar_feed_of,
    calendar_meetings,
    explained_resolutions,
    minutes_of,
    my_action_item,
    my_invitation,
    my_invitations,
    my_open_action_items,
    portal_meeting,
    published_for_resident,
)
from .detail import ics_response

PORTAL_LAYOUT = "meetings/portal/layout_portal.html"
CONSOLE_LAYOUT = "meetings/portal/layout_console.html"


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    layout = CONSOLE_LAYOUT if has_action(acting_user(request), "web.view_dashboard") else PORTAL_LAYOUT
    return render(request, template, {"layout": layout, **context}, status=status)


@authenticated
def my_meetings(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    now = timezone.now()
    invitations = list(my_invitations(user))
    items = action_item_rows(my_open_action_items(user))
    return _page(
        request,
        "meetings/portal/my_meetings.html",
        {
            "upcoming": [i for i in invitations if i.meeting.ends_at >= now],
            "past": [i for i in invitations if i.meeting.ends_at < now][:20],
            "action_items": items,
            "published": published_for_resident(user)[:20],
        },
    )


@authenticated
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = portal_meeting(acting_user(request), pk)
    published = meeting.status == "published"
    resolutions = explained_resolutions(meeting.resolutions.all()) if published else []
    return _page(
        request,
        "meetings/portal/meeting_detail.html",
        {
            "meeting": meeting,
            "invitation": my_invitation(acting_user(request), meeting),
            "agenda": list(meeting.agenda_items.all()),
            "minutes": minutes_of(meeting) if published else None,
            "resolutions": resolutions,
            "published": published,
            "can_reply": meeting.status in ("scheduled", "in_progress"),
        },
    )


@authenticated
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = portal_meeting(acting_user(request), pk)
    invitation = my_invitation(acting_user(request), meeting)
    if invitation is None:
        raise OutOfScope()
    accept = request.POST.get("answer") == "accept"
    try:
        services.reply(actor=acting_user(request), invitation=invitation, accept=accept)
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, _("Thank you: your reply has been sent.") if accept else _("Your reply has been sent.")
        )
    return redirect("meetings_portal:detail", pk=meeting.pk)


@authenticated
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    return ics_response(request, portal_meeting(acting_user(request), pk))


@authenticated
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    """What the sign-in QR code opens: a signed-in user is checked in while sign-in is open (an
    invitee as such, anyone else as a walk-in without a vote). Opening it again changes nothing."""
    try:
        attendance, created = services.check_in_with_token(actor=acting_user(request), token=token)
    except services.SignInClosed as exc:
        # Nothing about the meeting is shown until its sign-in opens.
        return _page(request, "meetings/portal/checkin.html", {"closed": exc.detail}, status=403)
    return _page(
        request,
        "meetings/portal/checkin.html",
        {"attendance": attendance, "created": created, "meeting": attendance.meeting},
    )


@authenticated
def action_item(request: HttpRequest, pk: int) -> HttpResponse:
    """My action item: its progress and an update form (progress, done)."""
    item = my_action_item(acting_user(request), pk)
    staff = can(acting_user(request), "meetings.manage", item)
    form = ActionUpdateForm(
        request.POST or None,
        initial={"version": item.version, "progress": item.progress, "status": item.status},
        staff=staff,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action_item(actor=acting_user(request), item=item, **form.cleaned_data)
        except StaleVersion:
            form.add_error(None, _("The action item was changed meanwhile. Check it and send your update again."))
        except InvalidTransition as exc:
            form.add_error(None, exc.detail)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Your update has been recorded."))
            return redirect("meetings_portal:action_item", pk=item.pk)
    return _page(
        request,
        "meetings/portal/action_item.html",
        {
            "item": item,
            "form": form,
            "updates": list(item.updates.select_related("actor")),
            "closed": item.status in (ActionStatus.DONE, ActionStatus.CANCELLED),
        },
    )


@authenticated
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Make, renew or end the private address of my meetings calendar. The address is shown once."""
    address = ""
    if request.method == "POST":
        if request.POST.get("end"):
            services.end_feed(actor=acting_user(request))
            messages.success(request, _("The calendar address no longer works."))
            return redirect("meetings_portal:calendar_feed")
        token = services.renew_feed(actor=acting_user(request))
        address = request.build_absolute_uri(reverse("meetings_portal:feed", kwargs={"token": token}))
    feed = calendar_feed_of(acting_user(request))
    return _page(request, "meetings/portal/calendar_feed.html", {"feed": feed, "address": address})


@public
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private iCalendar feed: the secret in the address is the credential (404 otherwise)."""
    try:
        user = services.feed_user(token)
    except OutOfScope:
        raise Http404 from None
    meetings = calendar_meetings(user)
    body = calendar_bytes(
        meetings,
        name=_("Meetings"),
        url_for=lambda m: request.build_absolute_uri(reverse("meetings_portal:detail", kwargs={"pk": m.pk})),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
