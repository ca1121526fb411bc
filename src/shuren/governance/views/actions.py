"""What one governance item offers to whoever acts on it from a page, shared by the staff console and
the residents' portal: who may claim it (claimants), and the workflow actions with their forms and
messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.scoping import can
from shuren.orgs.models import Organization
from shuren.people.models import Person

from .. import selectors, services, workflow
from ..forms import ClaimForm, ListWishForm, OptionalNoteForm, OptionalReasonForm, ProgressForm, ReasonForm
from ..models import GovernanceItem

# --- claimants -----------------------------------------------------------------------------------


def claimant_choices(user: User, item: GovernanceItem, *, as_staff: bool) -> list[tuple[str, str]]:
    """Who ``user`` may claim ``item`` for: themself, their organisations; staff also any eligible
    resident or organisation of the item's community."""
    choices: list[tuple[str, str]] = []
    community = selectors.community_of(item)
    if workflow.may_claim_as_self(user):
        choices.append(("self", _("Myself")))
    orgs = selectors.community_organizations(community) if as_staff else selectors.organizations_of(user)
    choices += [(f"org:{o.pk}", o.name) for o in orgs]
    if as_staff:
        choices += [(f"person:{p.pk}", p.name) for p in selectors.eligible_people(community)]
    return choices


def resolve_claimant(value: str) -> tuple[Person | None, Organization | None]:
    """(person, organisation) from a claimant choice; (None, None) is "myself"."""
    kind, _sep, pk = value.partition(":")
    if kind == "org" and pk.isdigit():
        org = selectors.organization_by_id(pk)
        if org is None:
            raise ValidationError({"claimant": [_("Choose who claims the item.")]})
        return None, org
    if kind == "person" and pk.isdigit():
        person = selectors.person_by_id(pk)
        if person is None:
            raise ValidationError({"claimant": [_("Choose who claims the item.")]})
        return person, None
    return None, None


def claim_with(user: User, item: GovernanceItem, data: dict[str, Any]) -> Any:
    person, organization = resolve_claimant(data["claimant"])
    return services.claim_item(
        actor=user,
        item=item,
        version=data["version"],
        person=person,
        organization=organization,
        note=data.get("note", ""),
    )


# --- actions -------------------------------------------------------------------------------------


@dataclass
class ActionSpec:
    form: type[Any]
    perform: Callable[[User, GovernanceItem, dict[str, Any]], Any]
    done: Any


ACTIONS: dict[str, ActionSpec] = {
    "list": ActionSpec(
        ListWishForm,
        lambda u, i, d: services.list_wish(
            actor=u, item=i, version=d["version"], points=d["points"], due_on=d["due_on"]
        ),
        gettext_lazy("The wish is listed and open for claiming."),
    ),
    "decline": ActionSpec(
        ReasonForm,
        lambda u, i, d: services.decline_wish(actor=u, item=i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The wish has been declined; the resident reads why."),
    ),
    "claim": ActionSpec(ClaimForm, claim_with, gettext_lazy("The item has been claimed.")),
    "progress": ActionSpec(
        ProgressForm,
        lambda u, i, d: services.record_progress(
            actor=u, item=i, version=d["version"], text=d["text"], photos=d["photos"]
        ),
        gettext_lazy("The progress note has been recorded."),
    ),
    "submit": ActionSpec(
        ProgressForm,
        lambda u, i, d: services.submit_item(actor=u, item=i, version=d["version"], text=d["text"], photos=d["photos"]),
        gettext_lazy("The item is reported done and waits for verification."),
    ),
    "release": ActionSpec(
        OptionalReasonForm,
        lambda u, i, d: services.release_claim(actor=u, item=i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The claim has been released; the item is open again."),
    ),
    "verify": ActionSpec(
        OptionalNoteForm,
        lambda u, i, d: services.verify_item(actor=u, item=i, version=d["version"], note=d["note"]),
        gettext_lazy("The item is verified as done; the points are credited."),
    ),
    "return": ActionSpec(
        ReasonForm,
        lambda u, i, d: services.return_item(actor=u, item=i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The item has been returned to its holder."),
    ),
    "withdraw": ActionSpec(
        ReasonForm,
        lambda u, i, d: services.withdraw_claim(actor=u, item=i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The claim has been withdrawn; the item is open again."),
    ),
    "cancel": ActionSpec(
        ReasonForm,
        lambda u, i, d: services.cancel_item(actor=u, item=i, version=d["version"], reason=d["reason"]),
        gettext_lazy("The item has been cancelled."),
    ),
}
TEXT_FIELDS = ("text", "reason", "note")


def make_form(
    action: str, item: GovernanceItem, user: User, data: Any = None, files: Any = None, *, staff: bool
) -> Any:
    kwargs: dict[str, Any] = {"action": action}
    if action == "claim":
        kwargs["choices"] = claimant_choices(user, item, as_staff=staff and can(user, "governance.manage", item))
    if data is None:
        initial: dict[str, Any] = {"version": item.version}
        if action == "list":
            initial.update(points=item.points or None, due_on=item.due_on)
        return ACTIONS[action].form(initial=initial, **kwargs)
    return ACTIONS[action].form(data, files, **kwargs)
