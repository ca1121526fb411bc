"""A resident proposes for one of their own places; neighbours living in that place co-sign; the
author may withdraw while it collects; proposals below the threshold expire when the window closes.

The proposer's own name is on the proposal already, so it never counts as a co-signature: the
threshold is reached by that many *other* residents. The count is kept in the proposal row and raised
under a row lock in the same transaction as the signature, so concurrent signers never lose a count,
and the move to "qualified" is a conditional update, so ``proposal_qualified`` is sent once, after
commit."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can, has_action
from shuren.core.validators import required_text
from shuren.people.residency import current_residences, lives_in, person_of, place_by_key

from .. import workflow
from ..models import CoSignature, Proposal, ProposalStatus
from ..selectors import DEFAULT_THRESHOLD, community_of, policy_for, resident_may_see
from ..signals import proposal_qualified
from .base import current_time, event, write
from .messages import tell_qualified

S = ProposalStatus


def submit_proposal(*, actor: User, title: str, body: str, place_key: str) -> Proposal:
    """A resident with a current residence proposes for one of their own places. Threshold and
    signing window are copied from the community's policy, so a later change of policy does not move
    the goalposts of proposals already collecting."""
    if not has_action(actor, "proposals.propose"):
        raise NotPermitted()
    person = person_of(actor)
    if person is None or not current_residences(person).exists():
        raise ValidationError(
            {
                "place": [
                    _(
                        "Only residents registered at an address can make proposals. "
                        "Ask your community to record your residence."
                    )
                ]
            }
        )
    title = required_text(title, "title", _("Give the proposal a short title."), limit=100)
    body = required_text(body, "body", _("Say what you propose and why."), limit=5000)
    place = place_by_key(actor, place_key)
    now = current_time()
    with transaction.atomic():
        proposal = Proposal(
            area=place.area,
            estate=place.estate,
            building=place.building,
            unit=place.unit,
            title=title,
            body=body,
            author=actor,
            author_person=person,
            reference=uuid.uuid4().hex[:20],
            signature_threshold=DEFAULT_THRESHOLD,
            signing_closes_at=now,
        )
        proposal.fill_place()
        policy = policy_for(community_of(proposal))
        proposal.signature_threshold = policy.signature_threshold
        proposal.signing_closes_at = now + dt.timedelta(days=policy.signing_days)
        proposal.save()
        proposal.reference = f"TA{timezone.localtime(now):%Y%m%d}-{proposal.pk:05d}"
        Proposal.objects.filter(pk=proposal.pk).update(reference=proposal.reference)
        event(proposal, "submitted", actor=actor, at=now)
        record_event("proposals.submit", actor=actor, obj=proposal, detail={"place": place.key})
    return proposal


def withdraw_proposal(*, actor: User, proposal: Proposal, version: int | None = None) -> Proposal:
    """The author withdraws a proposal that is still collecting co-signatures."""
    if proposal.author_id != getattr(actor, "pk", None):
        if resident_may_see(actor, proposal) or can(actor, "proposals.view", proposal):
            raise NotPermitted(_("Only the proposer can withdraw a proposal."))
        raise OutOfScope()
    with transaction.atomic():
        target = workflow.require(proposal, "withdraw", actor=actor)
        proposal = write(proposal, version=version, status=target)
        event(proposal, "withdrawn", actor=actor)
        record_event("proposals.withdraw", actor=actor, obj=proposal)
    return proposal


def sign_proposal(*, actor: User, proposal: Proposal) -> CoSignature:
    """A neighbour living in the proposal's place co-signs, once. Reaching the threshold qualifies
    the proposal and sends ``proposal_qualified`` after commit (exactly once)."""
    if not has_action(actor, "proposals.propose"):
        raise NotPermitted()
    person = person_of(actor)
    if not lives_in(person, proposal):
        if proposal.author_id == getattr(actor, "pk", None) or can(actor, "proposals.view", proposal):
            raise ValidationError(_("Only residents of %(place)s can co-sign.") % {"place": proposal.place_label})
        raise OutOfScope()
    assert person is not None
    now = current_time()
    with transaction.atomic():
        # The row lock makes concurrent signers of one proposal take turns: each sees the count the
        # previous one left, and only one of them can move the proposal to "qualified".
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status not in workflow.SIGNABLE:
            raise InvalidTransition(
                _("This proposal no longer takes co-signatures (it is “%(status)s”).")
                % {"status": locked.get_status_display()}
            )
        if now >= locked.signing_closes_at:
            raise InvalidTransition(
                _("Co-signing for this proposal closed on %(date)s.")
                % {"date": f"{timezone.localtime(locked.signing_closes_at):%Y-%m-%d}"}
            )
        if locked.author_id == actor.pk or (locked.author_person_id and locked.author_person_id == person.pk):
            raise ValidationError(
                _("Your name is on this proposal as its proposer; co-signatures come from your neighbours.")
            )
        already = _("You have already co-signed this proposal.")
        if CoSignature.objects.filter(proposal=locked, person=person).exists():
            raise ValidationError(already)
        try:
            with transaction.atomic():
                signature = CoSignature.objects.create(proposal=locked, person=person, user=actor, signed_at=now)
        except IntegrityError:
            # Another request of the same person got there first (the unique constraint decides).
            raise ValidationError(already) from None
        Proposal.objects.filter(pk=locked.pk).update(signature_count=F("signature_count") + 1)
        count = Proposal.objects.values_list("signature_count", flat=True).get(pk=locked.pk)
        record_event("proposals.sign", actor=actor, obj=locked, detail={"count": count})
        if locked.status == S.COLLECTING and count >= locked.signature_threshold:
            qualified = Proposal.objects.filter(pk=locked.pk, status=S.COLLECTING).update(
                status=S.QUALIFIED, qualified_at=now, version=F("version") + 1
            )
            if qualified:
                event(
                    locked,
                    "qualified",
                    text=_("%(count)d neighbours co-signed: the proposal goes to the next meeting of %(place)s.")
                    % {"count": count, "place": locked.place_label},
                    at=now,
                )
                record_event("proposals.qualify", obj=locked, detail={"count": count})
                tell_qualified(locked, count)
                pk = locked.pk
                transaction.on_commit(lambda: _send_qualified(pk))
    proposal.refresh_from_db()
    return signature


def _send_qualified(pk: int) -> None:
    # Sent when the proposal still waits for a meeting: an answer or refusal recorded in the same
    # transaction (the demo, an import) leaves nothing to schedule.
    proposal = Proposal.objects.filter(pk=pk, status=S.QUALIFIED).first()
    if proposal is not None:
        proposal_qualified.send(sender=Proposal, proposal=proposal)


def expire_proposals(*, now: dt.datetime | None = None) -> int:
    """Proposals whose signing window has closed below the threshold expire. Safe to run often and
    from several workers: each row changes only from "collecting"."""
    now = now or current_time()
    expired = 0
    for proposal in Proposal.objects.filter(status=S.COLLECTING, signing_closes_at__lte=now).order_by("pk"):
        with transaction.atomic():
            changed = Proposal.objects.filter(
                pk=proposal.pk, status=S.COLLECTING, signature_count__lt=F("signature_threshold")
            ).update(status=S.EXPIRED, version=F("version") + 1)
            if not changed:
                continue
            event(
                proposal,
                "expired",
                text=_("%(count)d of %(needed)d co-signatures when co-signing closed.")
                % {"count": proposal.signature_count, "needed": proposal.signature_threshold},
                at=now,
            )
            record_event("proposals.expire", obj=proposal, detail={"count": proposal.signature_count})
            expired += 1
    return expired
