"""Every write to a resident proposal.

A resident with a current residence proposes for one of their own places (their stairwell unit,
building, estate, grid or community); neighbours living in that place co-sign. The proposer's own
name is on the proposal already, so it never counts as a co-signature: the threshold is reached by
that many *other* residents. The count is kept in the proposal row and raised under a row lock in
the same transaction as the signature, so concurrent signers never lose a count, and the move to
"qualified" is a conditional update, so ``proposal_qualified`` is sent once, after commit.

Each action: one transaction, the transition table (``workflow``), the actor's right, a timeline
row (ProposalEvent) and an audit record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can, has_action, path_covers
from shuren.core.validators import required_text
from shuren.people.residency import (  # noqa: F401  (places_of, residents_of: re-exported for pages and the API)
    current_residences,
    lives_in,
    person_of,
    place_by_key,
    places_of,
    residents_of,
)
from shuren.places.models import Area, AreaKind

from . import workflow
from .models import AnswerKind, CoSignature, Proposal, ProposalEvent, ProposalPolicy, ProposalStatus
from .signals import proposal_qualified

S = ProposalStatus
DEFAULT_THRESHOLD = 10
DEFAULT_SIGNING_DAYS = 30


def community_of(proposal: Proposal) -> Area:
    area = proposal.area
    return area.parent if area.kind == AreaKind.GRID else area  # type: ignore[return-value]


def policy_for(community: Area) -> ProposalPolicy:
    """The community's policy, or an unsaved one with the defaults (10 co-signatures, 30 days)."""
    policy = ProposalPolicy.objects.filter(community=community).first()
    return policy or ProposalPolicy(
        community=community, signature_threshold=DEFAULT_THRESHOLD, signing_days=DEFAULT_SIGNING_DAYS
    )


# --- shared helpers -------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return timezone.now()


def _event(proposal: Proposal, kind: str, *, actor: Any = None, text: str = "", at: dt.datetime | None = None) -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        text=text,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=at or _now(),
    )


def _target(proposal: Proposal, action: str) -> str:
    target = workflow.next_state(proposal.status, action)
    if target is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the proposal is “%(status)s”.")
            % {"action": workflow.ACTION_LABELS.get(action, action), "status": proposal.get_status_display()}
        )
    return target


def _write(proposal: Proposal, *, version: int | None, **fields: Any) -> Proposal:
    """Change the row only from the version the writer read (the current one when not given)."""
    update_versioned(Proposal, pk=proposal.pk, version=proposal.version if version is None else version, **fields)
    proposal.refresh_from_db()
    return proposal


def is_manager(user: Any, proposal: Proposal) -> bool:
    return can(user, "proposals.manage", proposal)


def resident_may_see(user: Any, proposal: Proposal) -> bool:
    if not has_action(user, "proposals.propose"):
        return False
    return proposal.author_id == getattr(user, "pk", None) or lives_in(person_of(user), proposal)


# --- the resident ---------------------------------------------------------------------------------


def submit_proposal(actor: Any, *, title: str, body: str, place_key: str) -> Proposal:
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
    now = _now()
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
        _event(proposal, "submitted", actor=actor, at=now)
        record_event("proposals.submit", actor=actor, obj=proposal, detail={"place": place.key})
    return proposal


def withdraw_proposal(actor: Any, proposal: Proposal, *, version: int | None = None) -> Proposal:
    """The author withdraws a proposal that is still collecting co-signatures."""
    if proposal.author_id != getattr(actor, "pk", None):
        if resident_may_see(actor, proposal) or can(actor, "proposals.view", proposal):
            raise NotPermitted(_("Only the proposer can withdraw a proposal."))
        raise OutOfScope()
    with transaction.atomic():
        target = _target(proposal, "withdraw")
        proposal = _write(proposal, version=version, status=target)
        _event(proposal, "withdrawn", actor=actor)
        record_event("proposals.withdraw", actor=actor, obj=proposal)
    return proposal


def sign_proposal(actor: Any, proposal: Proposal) -> CoSignature:
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
    now = _now()
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
                _event(
                    locked,
                    "qualified",
                    text=_("%(count)d neighbours co-signed: the proposal goes to the next meeting of %(place)s.")
                    % {"count": count, "place": locked.place_label},
                    at=now,
                )
                record_event("proposals.qualify", obj=locked, detail={"count": count})
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
    now = now or _now()
    expired = 0
    for proposal in Proposal.objects.filter(status=S.COLLECTING, signing_closes_at__lte=now).order_by("pk"):
        with transaction.atomic():
            changed = Proposal.objects.filter(
                pk=proposal.pk, status=S.COLLECTING, signature_count__lt=F("signature_threshold")
            ).update(status=S.EXPIRED, version=F("version") + 1)
            if not changed:
                continue
            _event(
                proposal,
                "expired",
                text=_("%(count)d of %(needed)d co-signatures when co-signing closed.")
                % {"count": proposal.signature_count, "needed": proposal.signature_threshold},
                at=now,
            )
            record_event("proposals.expire", obj=proposal, detail={"count": proposal.signature_count})
            expired += 1
    return expired


# --- staff and meetings ---------------------------------------------------------------------------


def mark_inadmissible(actor: Any, proposal: Proposal, *, reason: str, version: int | None = None) -> Proposal:
    """Staff refuse a proposal that the residents' bodies cannot decide (unlawful, someone's private
    matter, already decided), giving the reason residents will read."""
    _require_manage(actor, proposal)
    reason = required_text(reason, "reason", _("Say why the proposal is not admissible."), limit=1000)
    with transaction.atomic():
        target = _target(proposal, "inadmissible")
        proposal = _write(
            proposal, version=version, status=target, answer=reason, answered_at=_now(), answered_by=actor
        )
        _event(proposal, "inadmissible", actor=actor, text=reason)
        record_event("proposals.inadmissible", actor=actor, obj=proposal, reason=reason)
    return proposal


def _require_manage(actor: Any, proposal: Proposal) -> None:
    if can(actor, "proposals.manage", proposal):
        return
    if can(actor, "proposals.view", proposal):
        raise NotPermitted()
    raise OutOfScope()


def _may_answer(actor: Any, proposal: Proposal) -> bool:
    """Staff managing proposals of the place, or the convener of a meeting that has it on its agenda."""
    if can(actor, "proposals.manage", proposal):
        return True
    for item in proposal.agenda_items.select_related("meeting"):
        meeting = item.meeting
        if meeting.convener_id == getattr(actor, "pk", None) or can(actor, "meetings.manage", meeting):
            return True
    return False


def answer(
    actor: Any, proposal: Proposal, *, kind: str, text: str, publish: bool, version: int | None = None
) -> Proposal:
    """Record the answer (adopted, partly adopted, referred, declined) and, with ``publish``, publish
    it to the residents. An unpublished answer may be corrected; a published one stands. Staff with
    proposals.manage, or the convener of the meeting that discussed the proposal, may answer."""
    if not _may_answer(actor, proposal):
        if can(actor, "proposals.view", proposal):
            raise NotPermitted()
        raise OutOfScope()
    if kind not in AnswerKind.values:
        raise ValidationError({"answer_kind": [_("Choose adopted, partly adopted, referred or declined.")]})
    text = required_text(text, "answer", _("Write the answer the proposers will read."), limit=5000)
    if proposal.answer_published_at:
        raise InvalidTransition(_("The answer is published already; it cannot be changed."))
    now = _now()
    with transaction.atomic():
        target = _target(proposal, "answer")
        fields: dict[str, Any] = {
            "status": target,
            "answer_kind": kind,
            "answer": text,
            "answered_at": now,
            "answered_by": actor,
        }
        if publish:
            fields["answer_published_at"] = now
        proposal = _write(proposal, version=version, **fields)
        _event(proposal, "answered", actor=actor, text="" if not publish else text, at=now)
        record_event("proposals.answer", actor=actor, obj=proposal, detail={"kind": kind, "published": publish})
        if publish:
            _event(proposal, "answer_published", actor=actor, at=now)
    return proposal


def publish_answer(actor: Any, proposal: Proposal, *, version: int | None = None) -> Proposal:
    """Publish a recorded answer to the residents of the place and the proposer."""
    if not _may_answer(actor, proposal):
        _require_manage(actor, proposal)
    if proposal.answer_published_at:
        raise InvalidTransition(_("The answer is published already."))
    with transaction.atomic():
        _target(proposal, "publish_answer")
        proposal = _write(proposal, version=version, answer_published_at=_now())
        _event(proposal, "answer_published", actor=actor, text=proposal.answer)
        record_event("proposals.publish_answer", actor=actor, obj=proposal)
    return proposal


def place_on_agenda(proposal: Proposal, meeting: Any) -> None:
    """The meetings app has put the proposal on ``meeting``'s agenda (it checks who may do so and
    creates the agenda item); the proposal now says so on its timeline."""
    if not path_covers(meeting.scope, proposal.scope) and not path_covers(proposal.scope, meeting.scope):
        raise ValidationError(_("The meeting is not held for the proposal's place."))
    with transaction.atomic():
        target = _target(proposal, "place_on_agenda")
        Proposal.objects.filter(pk=proposal.pk).update(status=target, version=F("version") + 1)
        proposal.refresh_from_db()
        when = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}" if getattr(meeting, "starts_at", None) else ""
        _event(
            proposal,
            "on_agenda",
            text=_("On the agenda of “%(meeting)s” %(when)s") % {"meeting": meeting.title, "when": when},
        )
        record_event("proposals.place_on_agenda", obj=proposal, detail={"meeting": meeting.pk})


def update_policy(actor: Any, community: Area, *, signature_threshold: int, signing_days: int) -> ProposalPolicy:
    """Set the community's threshold and signing window; proposals already collecting keep theirs."""
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError(_("Policies are set per community."))
    if not can(actor, "proposals.manage", community):
        if can(actor, "proposals.view", community):
            raise NotPermitted()
        raise OutOfScope()
    errors: dict[str, list[str]] = {}
    if not 1 <= int(signature_threshold) <= 10000:
        errors["signature_threshold"] = [_("Between 1 and 10000 co-signatures.")]
    if not 1 <= int(signing_days) <= 365:
        errors["signing_days"] = [_("Between 1 and 365 days.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        policy, _created = ProposalPolicy.objects.update_or_create(
            community=community,
            defaults={"signature_threshold": signature_threshold, "signing_days": signing_days},
        )
        record_event(
            "proposals.policy",
            actor=actor,
            obj=policy,
            scope=community.path,
            detail={"threshold": signature_threshold, "days": signing_days},
        )
    return policy
