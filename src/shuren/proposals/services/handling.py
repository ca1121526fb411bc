"""Staff and meetings handle a proposal: refuse it as not admissible, put it on a meeting's agenda,
record the answer and publish it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can, path_covers
from shuren.core.validators import required_text

from .. import workflow
from ..models import AnswerKind, Proposal
from .base import current_time, event, require_manage, write
from .messages import tell_answered


def mark_inadmissible(*, actor: User, proposal: Proposal, reason: str, version: int | None = None) -> Proposal:
    """Staff refuse a proposal that the residents' bodies cannot decide (unlawful, someone's private
    matter, already decided), giving the reason residents will read."""
    require_manage(actor, proposal)
    reason = required_text(reason, "reason", _("Say why the proposal is not admissible."), limit=1000)
    with transaction.atomic():
        target = workflow.require(proposal, "inadmissible", actor=actor)
        proposal = write(
            proposal, version=version, status=target, answer=reason, answered_at=current_time(), answered_by=actor
        )
        event(proposal, "inadmissible", actor=actor, text=reason)
        record_event("proposals.inadmissible", actor=actor, obj=proposal, reason=reason)
        tell_answered(proposal)
    return proposal


def answer(
    *, actor: User, proposal: Proposal, kind: str, text: str, publish: bool, version: int | None = None
) -> Proposal:
    """Record the answer (adopted, partly adopted, referred, declined) and, with ``publish``, publish
    it to the residents. An unpublished answer may be corrected; a published one stands. Staff with
    proposals.manage, or the convener of the meeting that discussed the proposal, may answer."""
    if not workflow.may_answer(actor, proposal):
        if can(actor, "proposals.view", proposal):
            raise NotPermitted()
        raise OutOfScope()
    if kind not in AnswerKind.values:
        raise ValidationError({"answer_kind": [_("Choose adopted, partly adopted, referred or declined.")]})
    text = required_text(text, "answer", _("Write the answer the proposers will read."), limit=5000)
    if proposal.answer_published_at:
        raise InvalidTransition(_("The answer is published already; it cannot be changed."))
    now = current_time()
    with transaction.atomic():
        target = workflow.require(proposal, "answer", actor=actor)
        fields: dict[str, Any] = {
            "status": target,
            "answer_kind": kind,
            "answer": text,
            "answered_at": now,
            "answered_by": actor,
        }
        if publish:
            fields["answer_published_at"] = now
        proposal = write(proposal, version=version, **fields)
        event(proposal, "answered", actor=actor, text="" if not publish else text, at=now)
        record_event("proposals.answer", actor=actor, obj=proposal, detail={"kind": kind, "published": publish})
        if publish:
            event(proposal, "answer_published", actor=actor, at=now)
            tell_answered(proposal)
    return proposal


def publish_answer(*, actor: User, proposal: Proposal, version: int | None = None) -> Proposal:
    """Publish a recorded answer to the residents of the place and the proposer."""
    if not workflow.may_answer(actor, proposal):
        require_manage(actor, proposal)
    if proposal.answer_published_at:
        raise InvalidTransition(_("The answer is published already."))
    with transaction.atomic():
        workflow.require(proposal, "publish_answer", actor=actor)
        proposal = write(proposal, version=version, answer_published_at=current_time())
        event(proposal, "answer_published", actor=actor, text=proposal.answer)
        record_event("proposals.publish_answer", actor=actor, obj=proposal)
        tell_answered(proposal)
    return proposal


def place_on_agenda(*, proposal: Proposal, meeting: Any) -> None:
    """The meetings app has put the proposal on ``meeting``'s agenda (it checks who may do so and
    creates the agenda item); the proposal now says so on its timeline."""
    if not path_covers(meeting.scope, proposal.scope) and not path_covers(proposal.scope, meeting.scope):
        raise ValidationError(_("The meeting is not held for the proposal's place."))
    with transaction.atomic():
        target = workflow.require(proposal, "place_on_agenda", actor=None)
        Proposal.objects.filter(pk=proposal.pk).update(status=target, version=F("version") + 1)
        proposal.refresh_from_db()
        when = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}" if getattr(meeting, "starts_at", None) else ""
        event(
            proposal,
            "on_agenda",
            text=_("On the agenda of “%(meeting)s” %(when)s") % {"meeting": meeting.title, "when": when},
        )
        record_event("proposals.place_on_agenda", obj=proposal, detail={"meeting": meeting.pk})
