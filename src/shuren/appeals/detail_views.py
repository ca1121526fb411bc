"""One appeal in the staff console: its facts, photos and timeline, the reporter as this user may
see them, the similar open appeals, and a panel with exactly the actions the appeal's state and the
user allow. Every action posts the version the user read (optimistic concurrency)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.photos import photo_response
from shuren.core.redaction import redact_text
from shuren.core.scoping import can, covering_paths
from shuren.orgs.models import Organization

from . import services, workflow
from .forms import (
    DispatchForm,
    MergeForm,
    NoteForm,
    OptionalNoteForm,
    ProgressForm,
    PublishForm,
    ReasonForm,
    ResolveForm,
    SuperviseForm,
    category_label,
)
from .models import FINISHED_STATUSES, Appeal, Level, PhotoStage, Publication, Status
from .privacy import visible_reporter
from .selectors import due_soon_limit, openable_appeal, visible_appeals
from .views import place_label, staff_or_handler


@dataclass
class ActionSpec:
    form: type[Any]
    perform: Callable[[Any, Appeal, dict[str, Any]], Appeal]
    done: Any


def _merge(user: Any, appeal: Appeal, data: dict[str, Any]) -> Appeal:
    candidates = visible_appeals(user)
    if data.get("into"):
        into = candidates.filter(pk=data["into"]).first()
    else:
        into = candidates.filter(reference=data["reference"].strip()).first()
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


def dispatch_candidates(appeal: Appeal) -> QuerySet[Organization]:
    """Organisations the appeal may be given to: those of its community, and those above it."""
    community = workflow.community_of(appeal)
    return Organization.objects.filter(
        Q(scope__in=covering_paths(appeal.scope)) | Q(scope=community.path) | Q(scope__startswith=community.path + ".")
    ).order_by("scope", "kind", "name")


def _blank_form(action: str, appeal: Appeal) -> Any:
    initial: dict[str, Any] = {"version": appeal.version}
    kwargs: dict[str, Any] = {}
    if action == "dispatch":
        from .dispatching import suggest_organization

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
    actions = [a for a in workflow.allowed_actions(user, appeal) if a in ACTIONS and a not in PORTAL_ONLY]
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
    from .models import EventKind

    items = []
    for event in appeal.events.select_related("actor", "organization"):
        if event.actor_id is None:
            actor = _("System")
        elif event.actor_id == appeal.reporter_id:
            actor = _("Reporter")
        elif event.kind == EventKind.SUBMIT and not staff:
            actor = _("Recorded by staff")
        else:
            actor = event.actor.label
        parts = [EventKind(event.kind).label if event.kind in EventKind.values else event.kind]
        if event.organization_id:
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
    from .duplicates import similar_open_appeals

    found = similar_open_appeals(appeal)
    if not found:
        return []
    visible_ids = set(visible_appeals(user).filter(pk__in=[a.pk for a, _score in found]).values_list("pk", flat=True))
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
        from .dispatching import matching_rules

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
        result = spec.perform(request.user, appeal, form.cleaned_data)
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
    return photo_response(openable_appeal(request.user, pk).photos, photo_pk)  # not cached: core NoStoreMiddleware
