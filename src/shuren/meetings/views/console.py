"""The staff console of meetings (/meetings/): the list and the upcoming calendar, and scheduling.
The meeting page is in ``detail_views``, recording on it in ``recording_views``, action items in
``action_views``, the rules of procedure in ``config_views``. Every write goes through ``services``;
a form that fails keeps what the user typed."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, scope_paths
from shuren.places.selectors import acting_areas

from .. import services
from ..forms import MeetingFilterForm, MeetingForm, VersionForm
from ..models import Meeting
from ..selectors import filter_meetings, listed_meetings, meetings_starting_between, openable_meeting, visible_meetings

# --- list and calendar ----------------------------------------------------------------------------


@requires("meetings.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    areas = acting_areas(acting_user(request), "meetings.view")
    form = MeetingFilterForm(request.GET or None, areas=areas)
    annotated = listed_meetings(visible_meetings(acting_user(request))).annotate(
        invited=Count("invitations", distinct=True)
    )
    data = form.cleaned_data if form.is_valid() else {}
    meetings = filter_meetings(
        annotated,
        kind=data.get("kind") or "",
        area=data.get("area") or None,
        q=data.get("q") or "",
        when=data.get("when") or "upcoming",
    )
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/console/meeting_list.html",
        {"form": form, "page": page, "can_manage": bool(scope_paths(acting_user(request), "meetings.manage"))},
    )


@requires("meetings.view")
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """The next eight weeks, day by day."""
    today = timezone.localdate()
    until = today + dt.timedelta(weeks=8)
    meetings = meetings_starting_between(acting_user(request), today, until)
    days: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings.order_by("starts_at"):
        days.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    return render(request, "meetings/console/calendar.html", {"days": sorted(days.items()), "until": until})


# --- scheduling -----------------------------------------------------------------------------------


@requires("meetings.manage")
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=acting_user(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(actor=acting_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(cast(Any, form), exc)  # a ModelForm: core's helper is typed for Form
        else:
            messages.success(request, _("The meeting has been scheduled. Now invite the participants."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/console/meeting_form.html", {"form": form, "meeting": None})


@requires("meetings.manage")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = openable_meeting(acting_user(request), pk)
    if not can(acting_user(request), "meetings.manage", meeting):
        raise Http404
    form = MeetingForm(request.POST or None, instance=meeting, user=acting_user(request))
    version = VersionForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid() and version.is_valid():
        try:
            services.edit_meeting(
                actor=acting_user(request),
                meeting=meeting,
                version=version.cleaned_data["version"],
                **form.cleaned_data,
            )
        except StaleVersion:
            form.add_error(None, _("The meeting was changed by someone else meanwhile. Reload it and try again."))
        except InvalidTransition as exc:
            form.add_error(None, exc.detail)
        except ValidationError as exc:
            add_validation_errors(cast(Any, form), exc)  # a ModelForm: core's helper is typed for Form
        else:
            messages.success(request, _("The meeting has been changed."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/console/meeting_form.html", {"form": form, "meeting": meeting, "version": version})
