"""Reads of proposals: what staff see in their areas, what a resident sees of their places, and the
co-signatures with names masked."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from shuren.core.errors import OutOfScope
from shuren.core.masking import mask_name
from shuren.core.scoping import can, visible
from shuren.people.residency import placed_in_my_places_q
from shuren.places.models import Area, AreaKind

from .models import Proposal, ProposalStatus
from .services import resident_may_see

RELATED = ("area__parent", "estate", "building__estate", "unit__building__estate", "author_person")


def visible_proposals(user: Any) -> QuerySet[Proposal]:
    """Proposals of the areas where ``user`` may read them (staff)."""
    return visible(Proposal.objects.select_related(*RELATED), user, "proposals.view")


def resident_proposals(user: Any) -> QuerySet[Proposal]:
    """Proposals of the places the resident lives in, and their own. Withdrawn proposals stay with
    their author."""
    mine = Q(author=user)
    return (
        Proposal.objects.filter(mine | (placed_in_my_places_q(user) & ~Q(status=ProposalStatus.WITHDRAWN)))
        .select_related(*RELATED)
        .distinct()
    )


def openable_proposal(user: Any, pk: int) -> tuple[Proposal, bool]:
    """The proposal and whether the caller sees it as staff; OutOfScope when neither staff of its
    place nor a resident of it (nor its author)."""
    proposal = Proposal.objects.select_related(*RELATED).filter(pk=pk).first()
    if proposal is None:
        raise OutOfScope()
    if can(user, "proposals.view", proposal):
        return proposal, True
    if resident_may_see(user, proposal) and (
        proposal.status != ProposalStatus.WITHDRAWN or proposal.author_id == user.pk
    ):
        return proposal, False
    raise OutOfScope()


def masked_signatures(proposal: Proposal) -> list[dict[str, Any]]:
    return [
        {"name": mask_name(s.person.name), "signed_at": s.signed_at}
        for s in proposal.signatures.select_related("person").order_by("signed_at", "pk")
    ]


def has_signed(user: Any, proposal: Proposal) -> bool:
    return proposal.signatures.filter(user=user).exists()


def policy_communities(user: Any) -> QuerySet[Area]:
    return visible(Area.objects.filter(kind=AreaKind.COMMUNITY), user, "proposals.manage").select_related(
        "proposal_policy"
    )


def timeline_rows(proposal: Proposal, *, for_staff: bool) -> list[dict[str, Any]]:
    """The timeline as the shared component shows it. Residents see what happened, not who among
    the staff did it, and an answer only once it is published."""
    from .workflow import EVENT_LABELS

    rows = []
    for event in proposal.events.select_related("actor"):
        if not for_staff and event.kind == "answered" and not proposal.answer_published_at:
            continue
        label = str(EVENT_LABELS.get(event.kind, event.kind))
        text = f"{label}. {event.text}" if event.text and (for_staff or event.kind != "answered") else label
        actor = event.actor.label if for_staff and event.actor else ""
        rows.append({"at": event.at, "actor": actor, "text": text})
    return rows
