"""What one governance item offers to whoever acts on it, shared by the staff console, the
residents' portal and the API: who may claim it (claimants), the workflow actions with their forms
and messages, and the timeline as it is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.core.scoping import can
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area

from . import services, workflow
from .forms import ClaimForm, ListWishForm, OptionalNoteForm, OptionalReasonForm, ProgressForm, ReasonForm
from .models import GovernanceItem, UpdateKind

# --- claimants -----------------------------------------------------------------------------------


def claimant_choices(user: Any, item: GovernanceItem, *, as_staff: bool) -> list[tuple[str, str]]:
    """Who ``user`` may claim ``item`` for: themself, their organisations; staff also any eligible
    resident or organisation of the item's community."""
    choices: list[tuple[str, str]] = []
    community = services.community_of(item)
    if workflow.may_claim_as_self(user):
        choices.append(("self", _("Myself")))
    orgs = Organization.objects.filter(pk__in=workflow.member_organization_ids(user)).order_by("name")
    if as_staff:
        orgs = Organization.objects.filter(
            Q(scope=community.path) | Q(scope__startswith=community.path + ".")
        ).order_by("kind", "name")
    choices += [(f"org:{o.pk}", o.name) for o in orgs]
    if as_staff:
        choices += [(f"person:{p.pk}", p.name) for p in eligible_people(community)]
    return choices


def eligible_people(community: Area) -> list[Person]:
    """Residents of the community who may hold a claim (party members, volunteers, building leaders)."""
    people = Person.objects.filter(Q(scope=community.path) | Q(scope__startswith=community.path + ".")).select_related(
        "user"
    )
    candidates = people.filter(
        Q(party_membership__isnull=False)
        | Q(memberships__organization__kind="volunteer_team", memberships__to_on__isnull=True)
        | Q(user__role_grants__role__in=workflow.CLAIMING_ROLES)
    ).distinct()
    return list(candidates.order_by("name_pinyin")[:500])


def resolve_claimant(value: str) -> tuple[Any, Any]:
    """(person, organisation) from a claimant choice; (None, None) is "myself"."""
    kind, _sep, pk = value.partition(":")
    if kind == "org" and pk.isdigit():
        org = Organization.objects.filter(pk=pk).first()
        if org is None:
            raise ValidationError({"claimant": [_("Choose who claims the item.")]})
        return None, org
    if kind == "person" and pk.isdigit():
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            raise ValidationError({"claimant": [_("Choose who claims the item.")]})
        return person, None
    return None, None


def claim_with(user: Any, item: GovernanceItem, data: dict[str, Any]) -> Any:
    person, organization = resolve_claimant(data["claimant"])
    return services.claim_item(
        user, item, version=data["version"], person=person, organization=organization, note=data.get("note", "")
    )


# --- actions -------------------------------------------------------------------------------------


@dataclass
class ActionSpec:
    form: type[Any]
    perform: Callable[[Any, GovernanceItem, dict[str, Any]], Any]
    done: Any


ACTIONS: dict[str, ActionSpec] = {
    "list": ActionSpec(
        ListWishForm,
        lambda u, i, d: services.list_wish(u, i, version=d["version"], points=d["points"], due_on=d["due_on"]),
        gettext_lazy("The wish is listed and open for claiming."),
    ),
    "decline": ActionSpec(
        ReasonForm,
        lambda u, i, d: services.decline_wish(u, i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The wish has been declined; the resident reads why."),
    ),
    "claim": ActionSpec(ClaimForm, claim_with, gettext_lazy("The item has been claimed.")),
    "progress": ActionSpec(
        ProgressForm,
        lambda u, i, d: services.record_progress(u, i, version=d["version"], text=d["text"], photos=d["photos"]),
        gettext_lazy("The progress note has been recorded."),
    ),
    "submit": ActionSpec(
        ProgressForm,
        lambda u, i, d: services.submit_item(u, i, version=d["version"], text=d["text"], photos=d["photos"]),
        gettext_lazy("The item is reported done and waits for verification."),
    ),
    "release": ActionSpec(
        OptionalReasonForm,
        lambda u, i, d: services.release_claim(u, i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The claim has been released; the item is open again."),
    ),
    "verify": ActionSpec(
        OptionalNoteForm,
        lambda u, i, d: services.verify_item(u, i, version=d["version"], note=d["note"]),
        gettext_lazy("The item is verified as done; the points are credited."),
    ),
    "return": ActionSpec(
        ReasonForm,
        lambda u, i, d: services.return_item(u, i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The item has been returned to its holder."),
    ),
    "withdraw": ActionSpec(
        ReasonForm,
        lambda u, i, d: services.withdraw_claim(u, i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The claim has been withdrawn; the item is open again."),
    ),
    "cancel": ActionSpec(
        ReasonForm,
        lambda u, i, d: services.cancel_item(u, i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The item has been cancelled."),
    ),
}
TEXT_FIELDS = ("text", "reason", "note")


def make_form(action: str, item: GovernanceItem, user: Any, data: Any = None, files: Any = None, *, staff: bool) -> Any:
    kwargs: dict[str, Any] = {"action": action}
    if action == "claim":
        kwargs["choices"] = claimant_choices(user, item, as_staff=staff and can(user, "governance.manage", item))
    if data is None:
        initial: dict[str, Any] = {"version": item.version}
        if action == "list":
            initial.update(points=item.points or None, due_on=item.due_on)
        return ACTIONS[action].form(initial=initial, **kwargs)
    return ACTIONS[action].form(data, files, **kwargs)


def timeline_of(item: GovernanceItem, viewer: Any, *, staff: bool) -> list[dict[str, Any]]:
    """The item's updates as the timeline shows them, with their photos. Residents see the holder's
    name masked and staff as "Community"."""
    rows = []
    for update in item.updates.select_related(
        "actor", "claim", "claim__person", "claim__organization"
    ).prefetch_related("photos"):
        if update.actor_id is None:
            actor = _("System")
        elif staff:
            actor = update.actor.label
        elif update.actor_id == viewer.pk:
            actor = _("You")
        elif update.claim_id and update.kind in (UpdateKind.PROGRESS, UpdateKind.SUBMITTED, UpdateKind.CLAIMED):
            actor = update.claim.public_holder_label
        else:
            actor = _("Community")
        text = update.text
        if update.kind == UpdateKind.CLAIMED and update.claim_id and not staff:
            text = update.claim.public_holder_label
        if update.kind == UpdateKind.LAPSED and update.claim_id and not staff:
            text = update.claim.public_holder_label
        rows.append(
            {
                "at": update.at,
                "actor": actor,
                "kind": update.kind,
                "label": UpdateKind(update.kind).label,
                "text": text,
                "points": update.points,
                "photos": list(update.photos.all()),
            }
        )
    return rows
