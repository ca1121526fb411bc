"""Reads of proposals: what staff see in their areas, what a resident sees of their places, and the
co-signatures with names masked."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shuren.accounts.models import User
from shuren.core.errors import OutOfScope
from shuren.core.masking import mask_name
from shuren.core.scoping import can, has_action, require, visible
from shuren.people.residency import Place, lives_in, person_of, placed_in_my_places_q, places_of
from shuren.places.models import Area, AreaKind

from .models import CoSignature, Proposal, ProposalPolicy, ProposalStatus
from .workflow import EVENT_LABELS, SIGNABLE

DEFAULT_THRESHOLD = 10
DEFAULT_SIGNING_DAYS = 30

RELATED = ("area__parent", "estate", "building__estate", "unit__building__estate", "author_person")


def resident_may_see(user: User, proposal: Proposal) -> bool:
    """A resident (proposals.propose) sees the proposals of the places they live in, and their own."""
    if not has_action(user, "proposals.propose"):
        return False
    return proposal.author_id == getattr(user, "pk", None) or lives_in(person_of(user), proposal)


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


def listed_proposals(user: User) -> QuerySet[Proposal]:
    """What the API lists: staff (proposals.view) the proposals of their areas, residents those of
    their places and their own."""
    return visible_proposals(user) if has_action(user, "proposals.view") else resident_proposals(user)


def filter_proposals(queryset: QuerySet[Proposal], *, status: str = "", q: str = "") -> QuerySet[Proposal]:
    """The console's and the API's filter: a known status, and words in the title or reference."""
    if status in ProposalStatus.values:
        queryset = queryset.filter(status=status)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    return queryset


PORTAL_TABS = ("places", "mine", "answered")


def portal_proposals(user: User, tab: str) -> QuerySet[Proposal]:
    """A tab of the resident's page: ``mine`` (their own), ``answered`` (published answers) or
    ``places`` (still taking co-signatures in their places)."""
    proposals = resident_proposals(user)
    if tab == "mine":
        return proposals.filter(author=user)
    if tab == "answered":
        return proposals.filter(status=ProposalStatus.ANSWERED, answer_published_at__isnull=False)
    return proposals.filter(status__in=SIGNABLE)


def signed_among(user: User, proposals: list[Proposal]) -> set[int]:
    """The ids of those of ``proposals`` the user has co-signed."""
    return set(CoSignature.objects.filter(user=user, proposal__in=proposals).values_list("proposal_id", flat=True))


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


def agenda_items_of(proposal: Proposal) -> QuerySet[Any]:
    """The meetings' agenda items that take up the proposal (the meetings app links them)."""
    return proposal.agenda_items.select_related("meeting")


def has_signed(user: Any, proposal: Proposal) -> bool:
    return proposal.signatures.filter(user=user).exists()


def policy_communities(user: Any) -> QuerySet[Area]:
    return visible(Area.objects.filter(kind=AreaKind.COMMUNITY), user, "proposals.manage").select_related(
        "proposal_policy"
    )


def policy_community(user: User, pk: int) -> Area:
    """The community ``pk`` whose policy the user may set; 404 when it is no community, 403/404 when
    outside the user's proposals.manage areas."""
    community = Area.objects.filter(pk=pk, kind=AreaKind.COMMUNITY).first()
    if community is None:
        raise Http404
    require(user, "proposals.manage", community)
    return community


def timeline_rows(proposal: Proposal, *, for_staff: bool) -> list[dict[str, Any]]:
    """The timeline as the shared component shows it. Residents see what happened, not who among
    the staff did it, and an answer only once it is published."""
    rows = []
    for event in proposal.events.select_related("actor"):
        if not for_staff and event.kind == "answered" and not proposal.answer_published_at:
            continue
        label = str(EVENT_LABELS.get(event.kind, event.kind))
        text = f"{label}. {event.text}" if event.text and (for_staff or event.kind != "answered") else label
        actor = event.actor.label if for_staff and event.actor else ""
        rows.append({"at": event.at, "actor": actor, "text": text})
    return rows


def proposal_places(user: User) -> list[Place]:
    """The places the resident may propose for (their current homes and the areas around them)."""
    return places_of(user)


def community_of(proposal: Proposal) -> Area:
    area = proposal.area
    return area.parent if area.kind == AreaKind.GRID else area  # type: ignore[return-value]


def policy_for(community: Area) -> ProposalPolicy:
    """The community's policy, or an unsaved one with the defaults (10 co-signatures, 30 days)."""
    policy = ProposalPolicy.objects.filter(community=community).first()
    return policy or ProposalPolicy(
        community=community, signature_threshold=DEFAULT_THRESHOLD, signing_days=DEFAULT_SIGNING_DAYS
    )


def collecting_signatures_count(user: Any) -> int:
    """How many proposals of the resident's places are still collecting co-signatures (the portal's
    first tab); 0 for whoever may not propose."""
    if not has_action(user, "proposals.propose"):
        return 0
    return portal_proposals(user, "places").count()
