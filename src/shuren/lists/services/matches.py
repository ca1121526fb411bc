"""Matches: staff propose a resource for a need, the provider accepts (taking the quantity off what
the resource has left, never below zero, whatever the race) or declines, and the outcome is
recorded: the need is done and counts among the community's 民生实事."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.clock import now
from shuren.core.errors import InvalidTransition
from shuren.core.validators import required_text

from .. import matching, selectors, workflow
from ..models import EventKind, Match, MatchStatus, Need, NeedStatus, Resource
from .base import audit, timeline
from .needs import give_back


class NotEnoughLeft(InvalidTransition):
    """The resource has less left than the match asks for (409)."""

    code = "not-enough-left"


def propose_match(*, actor: User, need: Need, resource: Resource, quantity: int | None = None) -> Match:
    """Offer ``resource`` to ``need`` (staff holding ``lists.manage`` where the need is). The
    resource must be active, inside the need's district and not already offered to it; the reason
    shown with the suggestion is kept on the match."""
    target = workflow.require(need, "propose", actor=actor)
    quantity = need.quantity if quantity is None else quantity
    if not resource.is_active or not matching.in_district(need, resource):
        raise ValidationError({"resource": [_("No such resource among those that can be offered here.")]})
    if quantity < 1:
        raise ValidationError({"quantity": [_("At least 1.")]})
    if quantity > resource.remaining:
        raise ValidationError({"quantity": [_("At most %(count)d left.") % {"count": resource.remaining}]})
    reason = matching.reason_for(need, resource)
    try:
        with transaction.atomic():
            match = Match.objects.create(
                need=need, resource=resource, quantity=quantity, reason=reason, proposed_by=actor, scope=need.scope
            )
            if need.status != target:
                Need.objects.filter(pk=need.pk).update(status=target, version=F("version") + 1)
                need.status, need.version = target, need.version + 1
            timeline(need, EventKind.PROPOSED, actor=actor, text=resource.title, match=match)
            audit("match_propose", actor=actor, obj=match, need=need.pk, resource=resource.pk, quantity=quantity)
    except IntegrityError:
        raise InvalidTransition(_("This resource is already offered for this need.")) from None
    return match


def _locked(match: Match) -> Match:
    locked = Match.objects.select_for_update().select_related("resource", "need").get(pk=match.pk)
    return locked


def _told(caller: Match, done: Match) -> Match:
    """The caller's match object now says what the step wrote (as the returned one does)."""
    fresh = Match.objects.get(pk=done.pk)
    for name in ("status", "answered_by_id", "answered_at", "answer", "outcome", "done_at", "version"):
        setattr(caller, name, getattr(fresh, name))
    return caller


def accept_match(*, actor: User, match: Match) -> Match:
    """The provider takes the match on: the quantity comes off what the resource has left in one
    conditional UPDATE (two accepts at once can never take it below zero: the second finds too
    little and is refused with 409), and the need is in progress."""
    workflow.require_match(match, "accept", actor=actor)
    caller = match
    with transaction.atomic():
        match = _locked(match)
        target = workflow.require_match(match, "accept", actor=actor)
        taken = Resource.objects.filter(pk=match.resource_id, remaining__gte=match.quantity).update(
            remaining=F("remaining") - match.quantity, version=F("version") + 1
        )
        if not taken:
            raise NotEnoughLeft(_("The resource has not enough left for this match."))
        at = now()
        Match.objects.filter(pk=match.pk).update(
            status=target, answered_by=actor, answered_at=at, version=F("version") + 1
        )
        match.status, match.answered_by, match.answered_at = target, actor, at
        need = Need.objects.select_for_update().get(pk=match.need_id)
        if need.status == NeedStatus.MATCHED:
            Need.objects.filter(pk=need.pk).update(status=NeedStatus.IN_PROGRESS, version=F("version") + 1)
        timeline(need, EventKind.ACCEPTED, actor=actor, text=match.resource.title, match=match)
        audit("match_accept", actor=actor, obj=match, quantity=match.quantity)
    return _told(caller, match)


def _reopen_if_unmatched(need_id: int) -> None:
    """A need whose every proposal was declined or withdrawn is open for matching again."""
    need = Need.objects.select_for_update().get(pk=need_id)
    if need.status in (NeedStatus.MATCHED, NeedStatus.IN_PROGRESS) and not selectors.live_matches(need).exists():
        Need.objects.filter(pk=need.pk).update(status=NeedStatus.OPEN, version=F("version") + 1)
    elif need.status == NeedStatus.IN_PROGRESS and not need.matches.filter(status=MatchStatus.ACCEPTED).exists():
        Need.objects.filter(pk=need.pk).update(status=NeedStatus.MATCHED, version=F("version") + 1)


def decline_match(*, actor: User, match: Match, reason: str) -> Match:
    """The provider declines, saying why (staff read it and propose another resource)."""
    reason = required_text(reason, "reason", _("Say why, so that staff can find another way."), limit=300)
    workflow.require_match(match, "decline", actor=actor)
    caller = match
    with transaction.atomic():
        match = _locked(match)
        target = workflow.require_match(match, "decline", actor=actor)
        at = now()
        Match.objects.filter(pk=match.pk).update(
            status=target, answered_by=actor, answered_at=at, answer=reason, version=F("version") + 1
        )
        match.status, match.answer = target, reason
        _reopen_if_unmatched(match.need_id)
        timeline(match.need, EventKind.DECLINED, actor=actor, text=reason, match=match)
        audit("match_decline", actor=actor, obj=match, reason=reason)
    return _told(caller, match)


def withdraw_match(*, actor: User, match: Match, reason: str) -> Match:
    """Staff withdraw a proposal or an accepted match; what an accepted one took goes back."""
    reason = required_text(reason, "reason", _("Say why the match is withdrawn."), limit=300)
    workflow.require_match(match, "withdraw", actor=actor)
    caller = match
    with transaction.atomic():
        match = _locked(match)
        target = workflow.require_match(match, "withdraw", actor=actor)
        if match.status == MatchStatus.ACCEPTED:
            give_back(match)
        Match.objects.filter(pk=match.pk).update(status=target, answer=reason, version=F("version") + 1)
        match.status, match.answer = target, reason
        _reopen_if_unmatched(match.need_id)
        timeline(match.need, EventKind.WITHDRAWN, actor=actor, text=reason, match=match)
        audit("match_withdraw", actor=actor, obj=match, reason=reason)
    return _told(caller, match)


def complete_match(*, actor: User, match: Match, outcome: str) -> Match:
    """The help was given: the match and its need are done (the need counts among 民生实事);
    other proposals still waiting for the need are withdrawn."""
    outcome = required_text(outcome, "outcome", _("Say what was done."), limit=300)
    workflow.require_match(match, "complete", actor=actor)
    caller = match
    with transaction.atomic():
        match = _locked(match)
        target = workflow.require_match(match, "complete", actor=actor)
        at = now()
        Match.objects.filter(pk=match.pk).update(status=target, outcome=outcome, done_at=at, version=F("version") + 1)
        match.status, match.outcome, match.done_at = target, outcome, at
        need = Need.objects.select_for_update().get(pk=match.need_id)
        workflow.require(need, "complete", actor=None)
        Need.objects.filter(pk=need.pk).update(
            status=NeedStatus.DONE, done_at=at, outcome=outcome, version=F("version") + 1
        )
        need.matches.filter(status=MatchStatus.PROPOSED).update(
            status=MatchStatus.WITHDRAWN, answer=_("The need was met otherwise."), version=F("version") + 1
        )
        timeline(need, EventKind.DONE, actor=actor, text=outcome, match=match)
        audit("match_complete", actor=actor, obj=match, need=need.pk)
    return _told(caller, match)
