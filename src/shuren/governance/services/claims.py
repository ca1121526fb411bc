"""Claiming and carrying out an item: claim (for oneself, one's organisation, or recorded by staff for
someone), progress notes with photos, release, report done, verification or return by staff, and the
lapse of claims left without progress."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted, StaleVersion
from shuren.core.scoping import can, path_covers
from shuren.core.validators import required_text
from shuren.orgs.models import Organization
from shuren.people.models import Person

from .. import selectors, workflow
from ..models import Claim, ClaimStatus, GovernanceItem, ItemStatus, UpdateKind
from ..selectors import person_may_claim
from ..signals import item_verified
from .base import (
    AlreadyClaimed,
    audit,
    clean_photos,
    community_of,
    lapse_time,
    now,
    save_photos,
    timeline,
    write,
)
from .messages import tell_lapsed

log = logging.getLogger(__name__)


class NotEligible(NotPermitted):
    """The claimant is not someone who may claim list items."""

    code = "not-eligible"


def _claimant(
    actor: User, item: GovernanceItem, person: Person | None, organization: Organization | None
) -> tuple[Person | None, Organization | None]:
    """Who the claim is for, checked: oneself, one's organisation, or (staff) anyone eligible."""
    manager = can(actor, "governance.manage", item)
    community = community_of(item)
    if person is not None and organization is not None:
        raise ValidationError({"organization": [_("A claim is held by a person or by an organisation, not both.")]})
    if organization is not None:
        reachable = path_covers(organization.scope, item.scope) or path_covers(community.path, organization.scope)
        if not reachable:
            raise ValidationError({"organization": [_("Choose an organisation of this community.")]})
        if not manager and organization.pk not in selectors.member_organization_ids(actor):
            raise NotEligible(_("You can claim only for an organisation you are a current member of."))
        return None, organization
    own = selectors.person_of(actor)
    if person is None or (own is not None and person.pk == own.pk):
        if own is None:
            raise NotEligible(_("Your account is not linked to a resident record; ask the community to link it."))
        if not workflow.may_claim_as_self(actor):
            raise NotEligible(_("Only party members, volunteers and building leaders may claim items for themselves."))
        return own, None
    if not manager:
        raise NotEligible(_("Only staff may record a claim for someone else."))
    if not path_covers(community.path, person.scope):
        raise ValidationError({"person": [_("Choose a resident of this community.")]})
    if not person_may_claim(person):
        raise ValidationError({"person": [_("This resident is not a party member, volunteer or building leader.")]})
    return person, None


def claim_item(
    *,
    actor: User,
    item: GovernanceItem,
    version: int,
    person: Person | None = None,
    organization: Organization | None = None,
    note: str = "",
) -> Claim:
    """认领: the item is held by one claimant until it is done, released, withdrawn or lapses.

    At most one active claim exists per item, enforced by the database: when two people claim at
    the same moment, one wins and the other gets AlreadyClaimed naming the holder."""
    try:
        workflow.require(item, "claim", actor=actor)
    except NotPermitted:
        _claimant(actor, item, person, organization)  # says why, when it is who the claimant is
        raise
    person, organization = _claimant(actor, item, person, organization)
    at = now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = Claim.objects.create(
                    item=item,
                    person=person,
                    organization=organization,
                    claimed_by=actor,
                    last_progress_at=at,
                    lapses_at=lapse_time(item, at),
                )
        except IntegrityError:
            holder = (
                Claim.objects.filter(item=item, status=ClaimStatus.ACTIVE)
                .select_related("person", "organization")
                .first()
            )
            raise AlreadyClaimed(holder.public_holder_label if holder else "") from None
        item = write(item, version=version, status=ItemStatus.CLAIMED)
        timeline(item, UpdateKind.CLAIMED, actor=actor, claim=claim, text=_join(claim.holder_label, note))
        audit("claim", actor=actor, item=item, claim=claim.pk, holder=claim.holder_label)
    return claim


def _join(*parts: str) -> str:
    return " · ".join(p.strip() for p in parts if p and p.strip())


def _active(item: GovernanceItem) -> Claim:
    claim = Claim.objects.select_for_update().filter(item=item, status=ClaimStatus.ACTIVE).first()
    if claim is None:  # the state said claimed: an impossible row set, never silently ignored
        raise StaleVersion()
    return claim


def record_progress(
    *, actor: User, item: GovernanceItem, version: int, text: str, photos: Sequence[UploadedFile] = ()
) -> GovernanceItem:
    """A progress note (with photos) by the holder, or by staff for them: the claim's lapse time
    starts again from now."""
    text = required_text(text, "text", _("Write what has been done."))
    workflow.require(item, "progress", actor=actor)
    cleaned = clean_photos(photos)
    at = now()
    with transaction.atomic():
        claim = _active(item)
        Claim.objects.filter(pk=claim.pk).update(last_progress_at=at, lapses_at=lapse_time(item, at))
        item = write(item, version=version)
        update = timeline(item, UpdateKind.PROGRESS, actor=actor, claim=claim, text=text, at=at)
        save_photos(update, cleaned)
        audit("progress", actor=actor, item=item, photos=len(cleaned))
    return item


def release_claim(*, actor: User, item: GovernanceItem, version: int, reason: str = "") -> GovernanceItem:
    """The holder gives the item back: it is open for claiming again."""
    workflow.require(item, "release", actor=actor)
    with transaction.atomic():
        claim = _active(item)
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.RELEASED, ended_at=now(), end_reason=reason[:200])
        item = write(item, version=version, status=ItemStatus.OPEN)
        timeline(item, UpdateKind.RELEASED, actor=actor, claim=claim, text=reason.strip())
        audit("release", actor=actor, item=item, claim=claim.pk)
    return item


def withdraw_claim(*, actor: User, item: GovernanceItem, version: int, reason: str) -> GovernanceItem:
    """Staff take the item back from its holder (unreachable, moved away ...), with a reason."""
    reason = required_text(reason, "reason", _("Say why the claim is withdrawn."))
    workflow.require(item, "withdraw", actor=actor)
    with transaction.atomic():
        claim = _active(item)
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.WITHDRAWN, ended_at=now(), end_reason=reason[:200])
        item = write(item, version=version, status=ItemStatus.OPEN)
        timeline(item, UpdateKind.RELEASED, actor=actor, claim=claim, text=reason)
        audit("withdraw", actor=actor, item=item, claim=claim.pk, reason=reason)
    return item


def submit_item(
    *, actor: User, item: GovernanceItem, version: int, text: str, photos: Sequence[UploadedFile] = ()
) -> GovernanceItem:
    """The holder reports the item done (with what was done and photos); staff verify it next."""
    text = required_text(text, "text", _("Write what was done."))
    workflow.require(item, "submit", actor=actor)
    cleaned = clean_photos(photos)
    at = now()
    with transaction.atomic():
        claim = _active(item)
        Claim.objects.filter(pk=claim.pk).update(last_progress_at=at)
        item = write(item, version=version, status=ItemStatus.SUBMITTED)
        update = timeline(item, UpdateKind.SUBMITTED, actor=actor, claim=claim, text=text, at=at)
        save_photos(update, cleaned)
        audit("submit", actor=actor, item=item, photos=len(cleaned))
    return item


def verify_item(*, actor: User, item: GovernanceItem, version: int, note: str = "") -> GovernanceItem:
    """Staff confirm the item is done: the claim is completed and the item's points are credited to
    its holder. ``item_verified`` is sent once, after the transaction commits."""
    workflow.require(item, "verify", actor=actor)
    at = now()
    with transaction.atomic():
        claim = _active(item)
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.COMPLETED, ended_at=at)
        claim.status, claim.ended_at = ClaimStatus.COMPLETED, at
        item = write(item, version=version, status=ItemStatus.DONE, verified_by=actor, verified_at=at)
        points = item.points
        timeline(item, UpdateKind.VERIFIED, actor=actor, claim=claim, text=note.strip(), points=points, at=at)
        audit("verify", actor=actor, item=item, claim=claim.pk, points=points)

        def announce() -> None:
            item_verified.send(sender=GovernanceItem, item=item, claim=claim, points=points, verified_by=actor)

        transaction.on_commit(announce)
    return item


def return_item(*, actor: User, item: GovernanceItem, version: int, reason: str) -> GovernanceItem:
    """Staff send the item back to its holder for more work; the lapse time starts again."""
    reason = required_text(reason, "reason", _("Say what is still missing."))
    workflow.require(item, "return", actor=actor)
    at = now()
    with transaction.atomic():
        claim = _active(item)
        Claim.objects.filter(pk=claim.pk).update(last_progress_at=at, lapses_at=lapse_time(item, at))
        item = write(item, version=version, status=ItemStatus.CLAIMED)
        timeline(item, UpdateKind.RETURNED, actor=actor, claim=claim, text=reason, at=at)
        audit("return", actor=actor, item=item, reason=reason)
    return item


def lapse_overdue_claims(at: dt.datetime | None = None) -> int:
    """Lapse every active claim whose holder has reported no progress in time: the item is open for
    claiming again. Each claim in its own transaction; a claim that moved meanwhile is left alone.
    Returns how many lapsed."""
    at = at or now()
    lapsed = 0
    due = Claim.objects.filter(status=ClaimStatus.ACTIVE, lapses_at__lt=at, item__status=ItemStatus.CLAIMED)
    for claim_pk in list(due.values_list("pk", flat=True)):
        try:
            lapsed += _lapse_one(claim_pk, at)
        except StaleVersion:
            log.info("claim %s changed while lapsing; left for the next sweep", claim_pk)
    return lapsed


def _lapse_one(claim_pk: int, at: dt.datetime) -> int:
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update(of=("self",))
            .filter(pk=claim_pk, status=ClaimStatus.ACTIVE, lapses_at__lt=at)
            .select_related("item", "person__user", "organization", "claimed_by")
            .first()
        )
        if claim is None or claim.item.status != ItemStatus.CLAIMED:
            return 0
        item = claim.item
        Claim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.LAPSED, ended_at=at, end_reason=_("No progress reported in time.")[:200]
        )
        item = write(item, version=item.version, status=ItemStatus.OPEN)
        timeline(item, UpdateKind.LAPSED, actor=None, claim=claim, text=claim.holder_label, at=at)
        record_event(
            "governance.lapse",
            obj=item,
            detail={"claim": str(claim.pk), "lapses_at": claim.lapses_at.isoformat()},
        )
        tell_lapsed(claim)
    return 1
