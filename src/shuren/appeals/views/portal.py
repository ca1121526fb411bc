"""The resident's side of appeals (/my/appeals/): report a problem from the phone, follow it on its
public timeline, rate the outcome or reopen it once; building leaders and grid workers collect
appeals for residents on their rounds; notifications about one's appeals."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, NotPermitted, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import authenticated, requires
from shuren.core.photos import photo_response
from shuren.core.scoping import has_action
from shuren.notifications.selectors import unread_count
from shuren.notifications.services import mark_read

from .. import workflow
from ..forms.portal import SATISFACTION_LABELS, CollectForm, FeedbackForm, ReportForm, resident_label
from ..models import Appeal, Channel, EventKind, PhotoStage, Status, category_label
from ..selectors import (
    appeal_messages,
    collection_channels,
    collection_places,
    current_homes,
    my_appeal_details,
    my_appeal_list_rows,
    my_appeals,
    public_events,
    resident_places,
    residents_of,
    residents_of_building,
)
from ..services import give_feedback, mark_notifications_read, submit_appeal

PORTAL_LAYOUT = "appeals/portal/layout_portal.html"
CONSOLE_LAYOUT = "appeals/portal/layout_console.html"
# Above this many residents the "on behalf of" list waits for a building to be chosen.
RESIDENT_LIST_LIMIT = 300


def _layout(user: Any) -> str:
    """Residents get the phone layout with its tab bar; staff (building leaders, grid workers) the
    console they work in."""
    return CONSOLE_LAYOUT if has_action(user, "web.view_dashboard") else PORTAL_LAYOUT


def _unread(user: Any) -> int:
    return unread_count(user)


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"layout": _layout(request.user), "unread_count": _unread(request.user), **context}
    return render(request, template, context, status=status)


# --- reporting -----------------------------------------------------------------------------------


@requires("appeals.report")
def report(request: HttpRequest) -> HttpResponse:
    """Report a problem: category, words, photos, and the place (home, a building, the estate, or
    the phone's position)."""
    places = resident_places(request.user)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        places=places,
        allow_anonymous=places.allows_anonymous(),
    )
    if request.method == "POST" and not places.is_empty and form.is_valid():
        data = form.cleaned_data
        latitude, longitude = form.point()
        try:
            appeal = submit_appeal(
                actor=acting_user(request),
                category=data["category"],
                description=data["description"],
                location=form.location(),
                channel=Channel.PORTAL,
                address=data["address"],
                latitude=latitude,
                longitude=longitude,
                is_anonymous=data.get("is_anonymous", False),
                photos=data["photos"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return redirect("appeals_portal:submitted", pk=appeal.pk)
    return _report_page(request, form, places, "appeals/portal/report.html")


def _report_page(request: HttpRequest, form: ReportForm, places: Any, template: str) -> HttpResponse:
    posted = request.method == "POST"
    return _page(
        request,
        template,
        {
            "form": form,
            "places": places,
            # Browsers never send a file input back: after an error the photos must be chosen again.
            "photos_dropped": posted and bool(request.FILES.getlist("photos")),
            "selected_category": str(form["category"].value() or ""),
        },
        status=400 if posted else 200,
    )


@requires("appeals.record")
def collect(request: HttpRequest) -> HttpResponse:
    """A building leader's stairwell round or a grid worker's patrol: record an appeal for a
    resident (named, picked from my buildings, or nobody)."""
    user = acting_user(request)
    places = collection_places(user)
    channels = collection_channels(user)
    residents = residents_of(user, places.buildings)
    form = CollectForm(
        request.POST or None,
        request.FILES or None,
        places=places,
        channels=channels,
        residents=residents,
        full_names=has_action(user, "people.change_person"),
    )
    if request.method == "POST" and not places.is_empty and channels and form.is_valid():
        data = form.cleaned_data
        latitude, longitude = form.point()
        try:
            appeal = submit_appeal(
                actor=user,
                category=data["category"],
                description=data["description"],
                location=form.location(),
                channel=data["channel"],
                address=data["address"],
                latitude=latitude,
                longitude=longitude,
                photos=data["photos"],
                **form.reporter(),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            return redirect("appeals_portal:submitted", pk=appeal.pk)
    chosen = form["building"].value() if form.is_bound else None
    return _page(
        request,
        "appeals/portal/collect.html",
        {
            "form": form,
            "places": places,
            "channels": channels,
            "resident_options": _resident_options(request, residents, chosen, form["resident"].value()),
            "photos_dropped": request.method == "POST" and bool(request.FILES.getlist("photos")),
            "selected_category": str(form["category"].value() or ""),
        },
        status=400 if request.method == "POST" else 200,
    )


def _resident_options(request: HttpRequest, residents: QuerySet[Any], building: Any, selected: Any) -> dict[str, Any]:
    """The residents listed under "on behalf of": those of the chosen building, or all of mine
    when there are few."""
    if building and str(building).isdigit():
        residents = residents_of_building(residents, int(building))
    elif residents.count() > RESIDENT_LIST_LIMIT:
        return {"people": [], "waiting": True, "selected": str(selected or "")}
    people = list(residents[:RESIDENT_LIST_LIMIT])
    homes = current_homes(people)
    full = has_action(request.user, "people.change_person")
    for person in people:
        home = homes.get(person.pk)
        person.home_label = f"{home.unit.building.number} {home.room}" if home else ""
        person.label = resident_label(person, full=full)
    return {"people": people, "waiting": False, "selected": str(selected or "")}


@requires("appeals.record")
@require_GET
def collect_residents(request: HttpRequest) -> HttpResponse:
    """htmx: the "on behalf of" options for the building just chosen."""
    places = collection_places(request.user)
    building = request.GET.get("building", "")
    if building and not places.has_building(int(building) if building.isdigit() else 0):
        raise Http404
    residents = residents_of(request.user, places.buildings)
    options = _resident_options(request, residents, building, request.GET.get("resident"))
    return render(request, "appeals/portal/_resident_options.html", {"options": options})


@authenticated
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation after reporting, with the reference number to quote."""
    appeal = get_object_or_404(my_appeals(request.user).select_related("category"), pk=pk)
    return _page(
        request,
        "appeals/portal/submitted.html",
        {
            "appeal": appeal,
            "category": category_label(appeal.category),
            "for_someone_else": _for_other(request, appeal),
        },
    )


def _for_other(request: HttpRequest, appeal: Appeal) -> bool:
    return appeal.recorded_by_id == request.user.pk and appeal.reporter_id != request.user.pk


# --- my appeals ----------------------------------------------------------------------------------


@authenticated
def my_appeal_list(request: HttpRequest) -> HttpResponse:
    """The appeals I reported or recorded, newest first."""
    appeals = my_appeal_list_rows(request.user)
    page = Paginator(appeals, 20).get_page(request.GET.get("page"))
    for appeal in page.object_list:
        appeal.category_label = category_label(appeal.category)  # type: ignore[attr-defined]  # shown by the template
        appeal.for_someone_else = _for_other(request, appeal)  # type: ignore[attr-defined]  # shown by the template
        shown = appeal.status == Status.RESOLVED and appeal.reporter_id == request.user.pk
        appeal.awaits_rating = shown  # type: ignore[attr-defined]  # shown by the template
    return _page(
        request,
        "appeals/portal/my_appeals.html",
        {"page": page, "can_report": has_action(request.user, "appeals.report"), "can_collect": _can_collect(request)},
    )


def _can_collect(request: HttpRequest) -> bool:
    return has_action(request.user, "appeals.record") and bool(collection_channels(request.user))


@authenticated
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my appeals: its public timeline, photos, the reply; the rating form once resolved."""
    appeal = _mine(request, pk)
    form = None
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                give_feedback(
                    actor=acting_user(request),
                    appeal=appeal,
                    version=data["version"],
                    is_solved=data["is_solved"],
                    satisfaction=data["satisfaction"],
                    comment=data["comment"],
                    reopen=data["decision"] == "reopen",
                )
            except StaleVersion:
                form.add_error(None, _("The appeal changed meanwhile. Check it below and send your rating again."))
            except (InvalidTransition, NotPermitted):
                form.add_error(None, _("This appeal cannot be rated or reopened now."))
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                if data["decision"] == "reopen":
                    messages.success(request, _("Your appeal has been reopened. The community will look at it again."))
                else:
                    messages.success(request, _("Thank you for your rating. The appeal is closed."))
                return redirect("appeals_portal:detail", pk=appeal.pk)
        status = 400
        appeal = _mine(request, pk)
        data = cast(QueryDict, form.data).copy()
        data["version"] = str(appeal.version)
        form.data = data
    mark_notifications_read(actor=acting_user(request), appeal=appeal)
    return _page(request, "appeals/portal/detail.html", _detail_context(request, appeal, form), status=status)


def _mine(request: HttpRequest, pk: int) -> Appeal:
    return get_object_or_404(my_appeal_details(request.user), pk=pk)


def _detail_context(request: HttpRequest, appeal: Appeal, form: FeedbackForm | None) -> dict[str, Any]:
    actions = workflow.allowed_actions(appeal, actor=acting_user(request))
    can_rate = "feedback" in actions
    can_reopen = "reopen" in actions
    if form is not None and not (can_rate or can_reopen):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    if form is None and (can_rate or can_reopen):
        initial: dict[str, Any] = {"version": appeal.version}
        if appeal.feedback_at is not None:
            initial |= {"is_solved": "yes" if appeal.is_solved else "no", "satisfaction": appeal.satisfaction}
        form = FeedbackForm(initial=initial)
    photos = list(appeal.photos.all())
    return {
        "appeal": appeal,
        "category": category_label(appeal.category),
        "events": _public_timeline(request, appeal),
        "report_photos": [p for p in photos if p.stage == PhotoStage.REPORT],
        "resolution_photos": [p for p in photos if p.stage == PhotoStage.RESOLUTION],
        "form": form if (can_rate or can_reopen) else None,
        "can_rate": can_rate,
        "can_reopen": can_reopen,
        "reopen_deadline": workflow.reopen_deadline(appeal) if appeal.reopen_count == 0 else None,
        "rating_label": SATISFACTION_LABELS.get(appeal.satisfaction, ""),
        "for_someone_else": _for_other(request, appeal),
        "shows_reply": appeal.status in (Status.RESOLVED, Status.CLOSED, Status.REJECTED) and appeal.resolution,
        "stars": range(1, 6),
    }


# Steps taken by the handling organisation: the reporter sees the organisation's name, never the
# person's. Every other step is the community's service desk (or the reporter).
HANDLER_KINDS = {EventKind.TAKE_UP, EventKind.PROGRESS, EventKind.RESOLVE}


def _public_timeline(request: HttpRequest, appeal: Appeal) -> list[dict[str, Any]]:
    """The events shown to the reporter: only public ones, named by organisation, never by person."""
    rows = []
    for event in public_events(appeal):
        if event.actor_id is not None and event.actor_id == request.user.pk:
            who = _("You")
        elif event.kind in HANDLER_KINDS and event.organization is not None:
            who = event.organization.name
        elif event.actor_id is None and event.kind != EventKind.SUBMIT:
            who = _("Automatic")
        else:
            who = _("Community service desk")
        text = event.get_kind_display()
        if event.kind == EventKind.DISPATCH and event.organization is not None:
            text = _("Passed to %(org)s to handle") % {"org": event.organization.name}
        if event.note and event.kind not in (EventKind.SUBMIT,):
            text = _("%(what)s: %(note)s") % {"what": text, "note": event.note}
        rows.append(
            {
                "at": event.at,
                "actor": who,
                "text": text,
                "status": event.to_status if event.to_status != event.from_status else "",
                "status_label": Status(event.to_status).label if event.to_status else "",
            }
        )
    return rows


@authenticated
@require_GET
def appeal_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A photo of one of my appeals (photos are never public files)."""
    photos = get_object_or_404(my_appeals(request.user), pk=pk).photos
    return photo_response(photos, photo_pk)  # type: ignore[return-value]  # a FileResponse, streamed


# --- notifications (moved to the inbox) ----------------------------------------------------------


@authenticated
def notification_list(request: HttpRequest) -> HttpResponse:
    """Messages about my appeals are in the inbox now: old links and bookmarks lead there."""
    return redirect("notifications:inbox", permanent=True)


@authenticated
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of my messages about appeals read (another's: 404), then show the inbox."""
    message = get_object_or_404(appeal_messages(request.user), pk=pk)
    mark_read(actor=acting_user(request), pk=message.pk)
    return redirect("notifications:inbox")


@authenticated
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    return redirect("notifications:inbox")
