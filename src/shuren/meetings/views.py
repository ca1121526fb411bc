"""The staff console of meetings (/meetings/): the list and the upcoming calendar, and scheduling.
The meeting page is in ``detail_views``, recording on it in ``recording_views``, action items in
``action_views``, the rules of procedure in ``config_views``. Every write goes through ``services``;
a form that fails keeps what the user typed."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, scope_paths, scope_q
from shuren.places.place_forms import acting_areas

from . import services
from .forms import MeetingFilterForm, MeetingForm, VersionForm
from .models import Meeting
from .selectors import listed_meetings, openable_meeting, visible_meetings

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
