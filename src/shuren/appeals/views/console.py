"""Staff console pages for appeals (/appeals/), for the dispatching desk and the handlers: the
working lists and their export, staff entry of an appeal, notifications, and one appeal (its facts,
photos and timeline, the reporter as this user may see them, the similar open appeals, and a panel
with exactly the actions the appeal's state and the user allow; every action posts the version the
user read). The KPIs are in ``views.kpis``, configuration in ``views.config``.

Views only adapt: what a user may see comes from ``selectors``, what they may do from
``workflow.allowed_actions``, every change from ``services``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.masking import mask_address
from shuren.core.permissions import authenticated, requires
from shuren.core.photos import photo_response
from shuren.core.reauth import reauth_required
from shuren.core.redaction import redact_text
from shuren.core.scoping import can, has_action
from shuren.places.models import Estate

from .. import services, workflow
from ..exports import AppealExporter
from ..forms.console import (
    AppealFilterForm,
    DispatchForm,
    MergeForm,
    NoteForm,
    OptionalNoteForm,
    ProgressForm,
    PublishForm,
    ReasonForm,
    ResolveForm,
    StaffAppealForm,
    SuperviseForm,
    category_label,
)
from ..models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Appeal,
    Level,
    PhotoStage,
    Publication,
    Status,
    category_name,
    summary_of,
)
from ..privacy import place_label, place_words, visible_reporter
from ..selectors import (
    CONSOLE_COLUMNS,
    AppealFilter,
    buildings_of_estate,
    buildings_of_estates,
    console_tab,
    console_tabs,
    dispatch_candidates,
    due_soon_appeals,
    due_soon_limit,
    dwellings_of_building,
    filter_appeals,
    filter_organizations,
    list_rows_of,
    listed_appeals,
    openable_appeal,
    overdue_appeals,
    reachable_estates,
    recordable_dwellings,
    reporting_areas,
    visible_among,
    visible_appeal_by,
    visible_appeals,
)

PAGE_SIZE = 50


staff_or_handler = requires("appeals.view", "appeals.handle")


# --- deadlines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    which: str  # "response" or "resolution"
    due_at: dt.datetime
    state: str  # "overdue", "due_soon" or ""

    @property
    def label(self) -> str:
        return _("Take up by") if self.which == "response" else _("Resolve by")

    @property
    def due_text(self) -> str:
        """The moment as the list writes it: month, day and time, in the site's time zone."""
        return timezone.localtime(self.due_at).strftime("%m-%d %H:%M")


def next_deadline(
    status: str,
    response_due_at: dt.datetime | None,
    resolution_due_at: dt.datetime | None,
    now: dt.datetime,
    limit: dt.datetime,
) -> Deadline | None:
    """The deadline that matters now for an open appeal, marked overdue or due soon."""
    candidates: list[tuple[str, dt.datetime]] = []
    if status == Status.DISPATCHED and response_due_at:
        candidates.append(("response", response_due_at))
    if status in OPEN_STATUSES and resolution_due_at:
        candidates.append(("resolution", resolution_due_at))
    if not candidates:
        return None
    which, due = min(candidates, key=lambda c: c[1])
    state = "overdue" if due < now else "due_soon" if due <= limit else ""
    return Deadline(which, due, state)


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of the appeals list, every text ready for the template (rows_of)."""

    pk: int
    reference: str
    detail_url: str
    is_supervised: bool
    summary_text: str
    submitted_text: str
    category_label: str
    place_label: str
    status: str
    status_label: str
    level: str
    level_label: str
    organization_name: str
    deadline: Deadline | None


def rows_of(ids: list[int], *, staff: bool, now: dt.datetime) -> list[ListRow]:
    """The list's rows for the appeals ``ids``, from values (selectors.list_rows_of) with the
    labels looked up once per page: a handler reads descriptions without phone and door numbers
    unless the contact was shared."""
    from django.utils import translation

    english = (translation.get_language() or "").startswith("en")
    statuses = {value: str(label) for value, label in Status.choices}
    levels = {value: str(label) for value, label in Level.choices}
    detail = reverse("appeals:appeal_detail", args=[0]).removesuffix("0/")  # one reverse() for the page
    limit = due_soon_limit(now)
    rows = []
    for row in list_rows_of(ids, CONSOLE_COLUMNS):
        description = row["description"] if staff or row["contact_shared"] else redact_text(row["description"])
        status, level = row["status"], row["level"]
        rows.append(
            ListRow(
                pk=row["id"],
                reference=row["reference"],
                detail_url=f"{detail}{row['id']}/",
                is_supervised=row["is_supervised"],
                summary_text=summary_of(description),
                submitted_text=timezone.localtime(row["submitted_at"]).strftime("%Y-%m-%d %H:%M"),
                category_label=category_name(row["category__name"], row["category__name_en"], english=english),
                place_label=place_words(
                    estate=row["estate__name"] or "",
                    building=row["building__number"] or "",
                    room="",
                    has_dwelling=row["dwelling_id"] is not None,
                    address=mask_address(row["address"]),
                    area=partial(str, row["area__name"]),
                ),
                status=status,
                status_label=statuses.get(status, status),
                level=level,
                level_label=levels.get(level, level),
                organization_name=row["organization__name"] or "—",
                deadline=next_deadline(status, row["response_due_at"], row["resolution_due_at"], now, limit),
            )
        )
    return rows


# --- the list ------------------------------------------------------------------------------------

TAB_LABELS: dict[str, Any] = {
    "open": gettext_lazy("All open"),
    "submitted": gettext_lazy("To accept"),
    "accepted": gettext_lazy("Awaiting dispatch"),
    "ours": gettext_lazy("Dispatched to us"),
    "due_soon": gettext_lazy("Due soon"),
    "overdue": gettext_lazy("Overdue"),
    "supervised": gettext_lazy("Supervised"),
    "escalated": gettext_lazy("Escalated to my level"),
    "finished": gettext_lazy("Finished"),
    "all": gettext_lazy("All"),
}
PRIMARY_FILTERS = ("q", "category", "status")


def _tabs_for(user: Any) -> list[tuple[str, Any]]:
    return [(key, TAB_LABELS[key]) for key in console_tabs(user)]


def _filtered(request: HttpRequest, default_tab: str = "") -> tuple[AppealFilterForm, str, QuerySet[Appeal]]:
    """The list's form, tab and appeals: the form's fields become the terms of ``filter_appeals``."""
    user = request.user
    tab = console_tab(
        user, request.GET.get("tab", ""), default=default_tab, status_filtered=bool(request.GET.get("status"))
    )
    staff = has_action(user, "appeals.view")
    estates = reachable_estates(user, "appeals.view") if staff else Estate.objects.none()
    form = AppealFilterForm(
        request.GET or None,
        estates=estates,
        buildings=buildings_of_estate(estates, request.GET.get("estate", "")),
        organizations=filter_organizations(user),
        building_options_url=reverse("appeals:building_options"),
    )
    if not staff:
        del form.fields["estate"], form.fields["building"]
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # the valid filters apply even when another is not; the form shows that one's error
        data = form.cleaned_data
    terms = AppealFilter.from_console(data, tab=tab)
    return form, tab, filter_appeals(visible_appeals(user), user=user, filters=terms)


def _appeal_list(request: HttpRequest, default_tab: str = "") -> HttpResponse:
    form, tab, appeals = _filtered(request, default_tab)
    # The page is picked on the appeals table alone; its 50 rows are then read with their joins.
    ids = Paginator(appeals.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = rows_of(list(ids.object_list), staff=has_action(request.user, "appeals.view"), now=now)
    page: Page[ListRow] = Page(rows, ids.number, ids.paginator)  # type: ignore[arg-type]  # the paginator counted ids
    scope = visible_appeals(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tab", None)
    return render(
        request,
        "appeals/console/appeal_list.html",
        {
            "form": form,
            "primary_fields": [form[name] for name in PRIMARY_FILTERS],
            "more_fields": [field for field in form.visible_fields() if field.name not in PRIMARY_FILTERS],
            "more_open": any(request.GET.get(name) for name in form.fields if name not in PRIMARY_FILTERS),
            "tab": tab,
            "tabs": _tabs_for(request.user),
            "filters": query.urlencode(),
            "page": page,
            "headings": [
                _("Reference"),
                _("Submitted"),
                _("Category"),
                _("Place"),
                _("Status"),
                _("Handling organisation"),
                _("Deadline"),
            ],
            "overdue_count": overdue_appeals(scope, now).count(),
            "due_soon_count": due_soon_appeals(scope, now).count(),
            "can_review_publication": has_action(request.user, "appeals.dispatch"),
            "can_record": has_action(request.user, "appeals.record"),
            "can_export": has_action(request.user, "appeals.view"),
        },
    )


@staff_or_handler
def appeal_list(request: HttpRequest) -> HttpResponse:
    return _appeal_list(request)


@requires("appeals.handle")
def handler_list(request: HttpRequest) -> HttpResponse:
    """The handler's start page: what is dispatched to their organisation now."""
    return _appeal_list(request, default_tab="ours")


@requires("appeals.view")
@reauth_required
def appeal_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as xlsx, audited. Nobody's name or phone is exported; numbers and door
    numbers in the descriptions are replaced by placeholders, as on the public board."""
    _form, tab, appeals = _filtered(request)
    filters = {k: str(v)[:80] for k, v in request.GET.items() if k != "page"}
    return AppealExporter(request.user).response(
        request,
        listed_appeals(appeals).iterator(chunk_size=2000),
        fmt="xlsx",  # the address ends in .xlsx: no CSV here
        filters=filters,
        detail={"tab": tab},
    )


@requires("appeals.view", "appeals.record")
def building_options(request: HttpRequest) -> HttpResponse:
    """<option>s of the buildings of an estate the user works on (htmx, for dependent selects)."""
    estates = reachable_estates(request.user, "appeals.view", "appeals.record")
    buildings = buildings_of_estate(estates, request.GET.get("estate", ""))
    return render(
        request,
        "appeals/console/_options.html",
        {
            "options": [(b.pk, b.number) for b in buildings],
            "blank": _("All buildings") if request.GET.get("for") != "new" else "---------",
            "reset_dwelling": request.GET.get("for") == "new",
        },
    )


@requires("appeals.record")
def dwelling_options(request: HttpRequest) -> HttpResponse:
    estates = reachable_estates(request.user, "appeals.record")
    dwellings = dwellings_of_building(estates, request.GET.get("building", ""))
    return render(
        request,
        "appeals/console/_options.html",
        {"options": [(d.pk, f"{d.unit.number} {d.room}") for d in dwellings], "blank": "---------"},
    )


# --- staff entry ---------------------------------------------------------------------------------


@requires("appeals.record")
def appeal_new(request: HttpRequest) -> HttpResponse:
    """An appeal taken by phone, from the hotline, at the desk or on a round. After saving, the page
    of the new appeal shows the similar open appeals so the desk can merge at once."""
    user = acting_user(request)
    estates = reachable_estates(user, "appeals.record")
    form = StaffAppealForm(
        request.POST or None,
        request.FILES or None,
        areas=reporting_areas(user),
        estates=estates,
        buildings=buildings_of_estates(estates),
        dwellings=recordable_dwellings(),
        urls={
            "buildings": reverse("appeals:building_options") + "?for=new",
            "dwellings": reverse("appeals:dwelling_options"),
        },
        initial={"channel": "phone"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            location = services.AppealLocation(
                area=data["area"], estate=data["estate"], building=data["building"], dwelling=data["dwelling"]
            )
            appeal = services.submit_appeal(
                actor=user,
                category=data["category"],
                description=data["description"],
                location=location,
                channel=data["channel"],
                address=data["address"],
                is_anonymous=data["is_anonymous"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Appeal %(ref)s has been recorded.") % {"ref": appeal.reference})
            if visible_among(user, [appeal]):
                return redirect(reverse("appeals:appeal_detail", args=[appeal.pk]) + "?recorded=1")
            return redirect("appeals:appeal_new")
    return render(request, "appeals/console/appeal_form.html", {"form": form})


# --- notifications (moved to the inbox) ----------------------------------------------------------


@authenticated
def notification_list(request: HttpRequest) -> HttpResponse:
    """The appeals' notices live in the inbox now: old links and bookmarks lead there."""
    return redirect("notifications:inbox", permanent=True)


@authenticated
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """An old page's "mark read" form: read marks are made in the inbox now."""
    return redirect("notifications:inbox")


# --- one appeal ----------------------------------------------------------------------------------


@dataclass
class ActionSpec:
    form: type[Any]
    perform: Callable[[User, Appeal, dict[str, Any]], Appeal]
    done: Any


def _merge(user: User, appeal: Appeal, data: dict[str, Any]) -> Appeal:
    into = visible_appeal_by(user, pk=data.get("into"), reference=data.get("reference") or "")
    if into is None:
        raise ValidationError({"reference": [_("No appeal with this reference in your areas.")]})
    return services.merge_appeal(actor=user, appeal=appeal, version=data["version"], into=into)


ACTIONS: dict[str, ActionSpec] = {
    "accept": ActionSpec(
        OptionalNoteForm,
        lambda u, a, d: services.accept_appeal(actor=u, appeal=a, version=d["version"], note=d["note"]),
        gettext_lazy("The appeal has been accepted."),
    ),
    "reject": ActionSpec(
        ReasonForm,
        lambda u, a, d: services.reject_appeal(actor=u, appeal=a, version=d["version"], reason=d["reason"]),
        gettext_lazy("The appeal has been rejected; the reporter is told why."),
    ),
    "dispatch": ActionSpec(
        DispatchForm,
        lambda u, a, d: services.dispatch_appeal(
            actor=u,
            appeal=a,
            version=d["version"],
            organization=d["organization"],
            reason=d["reason"],
            share_contact=d["share_contact"],
            note=d["note"],
        ),
        gettext_lazy("The appeal has been dispatched."),
    ),
    "take_up": ActionSpec(
        OptionalNoteForm,
        lambda u, a, d: services.take_up_appeal(actor=u, appeal=a, version=d["version"], note=d["note"]),
        gettext_lazy("You have taken the appeal up."),
    ),
    "progress": ActionSpec(
        ProgressForm,
        lambda u, a, d: services.record_progress(
            actor=u, appeal=a, version=d["version"], note=d["note"], public=d["public"]
        ),
        gettext_lazy("The progress note has been recorded."),
    ),
    "resolve": ActionSpec(
        ResolveForm,
        lambda u, a, d: services.resolve_appeal(
            actor=u, appeal=a, version=d["version"], resolution=d["resolution"], photos=d["photos"]
        ),
        gettext_lazy("The appeal has been resolved; the reporter is asked to rate it."),
    ),
    "return": ActionSpec(
        ReasonForm,
        lambda u, a, d: services.return_appeal(actor=u, appeal=a, version=d["version"], reason=d["reason"]),
        gettext_lazy("The appeal has been returned to the desk."),
    ),
    "close": ActionSpec(
        OptionalNoteForm,
        lambda u, a, d: services.close_appeal(actor=u, appeal=a, version=d["version"], note=d["note"]),
        gettext_lazy("The appeal has been closed."),
    ),
    "escalate": ActionSpec(
        ReasonForm,
        lambda u, a, d: services.escalate_appeal(actor=u, appeal=a, version=d["version"], reason=d["reason"]),
        gettext_lazy("The appeal has been escalated to the level above."),
    ),
    "supervise": ActionSpec(
        SuperviseForm,
        lambda u, a, d: services.supervise_appeal(actor=u, appeal=a, version=d["version"], on=d["on"], note=d["note"]),
        gettext_lazy("The supervision has been recorded."),
    ),
    "merge": ActionSpec(MergeForm, _merge, gettext_lazy("The appeal has been merged.")),
    "note": ActionSpec(
        NoteForm,
        lambda u, a, d: services.add_note(actor=u, appeal=a, version=d["version"], note=d["note"]),
        gettext_lazy("The note has been added."),
    ),
    "publish": ActionSpec(
        PublishForm,
        lambda u, a, d: services.set_publication(
            actor=u,
            appeal=a,
            version=d["version"],
            published=d["is_published"],
            summary=d["public_summary"],
            reply=d["public_reply"],
        ),
        gettext_lazy("The publication has been saved."),
    ),
}
TEXT_FIELDS = ("note", "reason", "resolution", "public_summary", "public_reply", "reference")
# Actions of the reporter are taken in the resident portal, not here.
PORTAL_ONLY = {"feedback", "reopen"}


def _blank_form(action: str, appeal: Appeal) -> Any:
    initial: dict[str, Any] = {"version": appeal.version}
    kwargs: dict[str, Any] = {}
    if action == "dispatch":
        from ..dispatching import suggest_organization

        suggestion = suggest_organization(appeal)
        initial["organization"] = suggestion.pk if suggestion else None
        kwargs["organizations"] = dispatch_candidates(appeal)
    elif action == "supervise":
        initial["on"] = not appeal.is_supervised
    elif action == "progress":
        initial["public"] = True
    elif action == "publish":
        review = services.review_of(appeal)
        initial["is_published"] = appeal.is_published
        initial["public_summary"] = review.proposed_summary
        initial["public_reply"] = review.proposed_reply
    return ACTIONS[action].form(initial=initial, action=action, **kwargs)


def _bound_form(action: str, appeal: Appeal, data: Any, files: Any = None) -> Any:
    kwargs: dict[str, Any] = {"organizations": dispatch_candidates(appeal)} if action == "dispatch" else {}
    return ACTIONS[action].form(data, files, action=action, **kwargs)


def _panel_actions(user: Any, appeal: Appeal) -> list[str]:
    actions = [a for a in workflow.allowed_actions(appeal, actor=user) if a in ACTIONS and a not in PORTAL_ONLY]
    if appeal.status in FINISHED_STATUSES and workflow.is_dispatcher(user, appeal):
        actions.append("publish")
    return actions


def _action_label(action: str, appeal: Appeal) -> str:
    if action == "supervise" and appeal.is_supervised:
        return _("Lift supervision")
    if action == "publish":
        return _("Public board")
    return str(workflow.ACTION_LABELS.get(action, action))


def _timeline(appeal: Appeal, *, staff: bool) -> list[dict[str, Any]]:
    """The events as the shared timeline component shows them: who acted, the organisation, notes,
    reasons for overriding the rules; internal ones marked. The reporter is never named here, and
    a handler does not learn who recorded the appeal either (it may be the caller's neighbour)."""
    from ..models import EventKind

    items = []
    for event in appeal.events.select_related("actor", "organization"):
        if event.actor is None:
            actor = _("System")
        elif event.actor_id == appeal.reporter_id:
            actor = _("Reporter")
        elif event.kind == EventKind.SUBMIT and not staff:
            actor = _("Recorded by staff")
        else:
            actor = event.actor.label
        parts = [EventKind(event.kind).label if event.kind in EventKind.values else event.kind]
        if event.organization is not None:
            parts.append(event.organization.name)
        if event.note:
            parts.append(event.note)
        override = (event.detail or {}).get("override_reason")
        if override:
            parts.append(
                _("Chose an organisation other than the one the rules suggest: %(reason)s") % {"reason": override}
            )
        if (event.detail or {}).get("level"):
            parts.append(_("Now at the level: %(level)s") % {"level": Level(event.detail["level"]).label})
        if not event.is_public:
            parts.append(_("(internal)"))
        items.append(
            {
                "at": event.at,
                "actor": actor,
                "text": " · ".join(str(p) for p in parts),
                "status": event.to_status if event.to_status and event.to_status != event.from_status else "",
                "status_label": Status(event.to_status).label if event.to_status in Status.values else "",
            }
        )
    return items


def _similar(user: Any, appeal: Appeal) -> list[tuple[Appeal, int]]:
    from ..duplicates import similar_open_appeals

    found = similar_open_appeals(appeal)
    if not found:
        return []
    visible_ids = visible_among(user, [a for a, _score in found])
    return [(a, round(score * 100)) for a, score in found if a.pk in visible_ids]


def _detail(
    request: HttpRequest, appeal: Appeal, *, bound: dict[str, Any] | None = None, stale: bool = False, status: int = 200
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    staff = can(user, "appeals.view", appeal)
    dispatcher = workflow.is_dispatcher(user, appeal)
    handler = workflow.is_handler(user, appeal)
    plain = staff or (handler and appeal.contact_shared)
    now = timezone.now()
    limit = due_soon_limit(now)
    actions = _panel_actions(user, appeal)
    panel = [
        {
            "action": action,
            "label": _action_label(action, appeal),
            "form": bound.get(action) or _blank_form(action, appeal),
            "open": action in bound or (action == "publish" and appeal.publication == Publication.PENDING),
            "danger": action in ("reject", "return"),
            "url": reverse("appeals:appeal_action", args=[appeal.pk, action]),
            # The desk compares each original with its redacted text before confirming.
            "review": services.review_of(appeal) if action == "publish" else None,
        }
        for action in actions
    ]
    kept = {
        name: value
        for action, form in bound.items()
        if action not in actions
        for name, value in form.data.items()
        if name in TEXT_FIELDS and value
    }
    rule = None
    if "dispatch" in actions:
        from ..dispatching import matching_rules

        rules = matching_rules(appeal)
        rule = rules[0] if rules else None
    photos = list(appeal.photos.all())
    return render(
        request,
        "appeals/console/appeal_detail.html",
        {
            "appeal": appeal,
            "category_name": category_label(appeal.category),
            "description": appeal.description if plain else redact_text(appeal.description),
            "place": place_label(appeal, room=plain),
            "reporter": visible_reporter(user, appeal, as_handler=handler),
            "show_reporter_row": staff or handler,
            "timeline": _timeline(appeal, staff=staff),
            "panel": panel,
            "kept": kept,
            "stale": stale,
            "rule": rule,
            "similar": _similar(user, appeal) if dispatcher and appeal.is_open else [],
            "can_merge": "merge" in actions,
            "report_photos": [p for p in photos if p.stage == PhotoStage.REPORT],
            "resolution_photos": [p for p in photos if p.stage == PhotoStage.RESOLUTION],
            "response_deadline": _marked(appeal.response_due_at, now, limit)
            if appeal.status == Status.DISPATCHED
            else None,
            "resolution_deadline": _marked(appeal.resolution_due_at, now, limit) if appeal.is_open else None,
            "recorded": request.GET.get("recorded") == "1",
            "is_staff_view": staff,
        },
        status=status,
    )


def _marked(due: dt.datetime | None, now: dt.datetime, limit: dt.datetime) -> str:
    if due is None:
        return ""
    return "overdue" if due < now else "due_soon" if due <= limit else "ok"


@staff_or_handler
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, openable_appeal(request.user, pk))


@staff_or_handler
@require_POST
def appeal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One workflow action from the panel. The form carries the version the user read: if the
    appeal changed meanwhile nothing is written and the page comes back fresh with what they typed."""
    appeal = openable_appeal(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    spec = ACTIONS[action]
    form = _bound_form(action, appeal, request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, appeal, bound={action: form})
    if form.cleaned_data["version"] != appeal.version:
        return _stale(request, appeal, action)
    try:
        result = spec.perform(acting_user(request), appeal, form.cleaned_data)
    except StaleVersion:
        return _stale(request, appeal, action)
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
        return redirect("appeals:appeal_detail", pk=appeal.pk)
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return _detail(request, appeal, bound={action: form})
    messages.success(request, str(spec.done))
    if action == "merge":
        return redirect("appeals:appeal_detail", pk=result.duplicate_of_id)
    if not visible_appeals(request.user).filter(pk=appeal.pk).exists():
        return redirect("appeals:appeal_list")  # a handler who returned it no longer sees it
    return redirect("appeals:appeal_detail", pk=appeal.pk)


def _stale(request: HttpRequest, appeal: Appeal, action: str) -> HttpResponse:
    fresh = openable_appeal(request.user, appeal.pk)
    data = request.POST.copy()
    data["version"] = str(fresh.version)
    form = _bound_form(action, fresh, data)
    form.is_valid()
    form.add_error(
        None,
        _(
            "This appeal was changed by someone else meanwhile. The page has been reloaded: check what "
            "changed, then submit again. Your text is kept."
        ),
    )
    return _detail(request, fresh, bound={action: form}, stale=True, status=409)


@staff_or_handler
def appeal_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    photos = openable_appeal(request.user, pk).photos  # not cached: core NoStoreMiddleware
    return photo_response(photos, photo_pk)  # type: ignore[return-value]  # a FileResponse, streamed
