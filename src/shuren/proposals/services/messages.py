"""What resident proposals tell their proposer and co-signers through the outbox, inside the
transaction of the step that causes it: the threshold is reached (the proposal qualifies for the next
meeting), and the answer is published (or the proposal refused as inadmissible, with the reason)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from shuren.notifications.services import notify

from ..models import AnswerKind, CoSignature, Proposal


def supporters(proposal: Proposal) -> list[Any]:
    """The proposer's account and each co-signer's."""
    people = [proposal.author] if proposal.author_id else []
    signers = CoSignature.objects.filter(proposal=proposal).select_related("user").order_by("signed_at", "pk")
    return people + [signature.user for signature in signers]


def _link(proposal: Proposal) -> str:
    return reverse("proposals_portal:detail", args=[proposal.pk])


def tell_qualified(proposal: Proposal, count: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            kind="proposals.qualified",
            event_key=f"proposal:{proposal.pk}:qualified",
            recipients=supporters(proposal),
            subject=_("Enough co-signatures: %(title)s") % {"title": proposal.title},
            text=_("%(count)d neighbours co-signed %(title)s: it goes to the next meeting of %(place)s.")
            % {"count": count, "title": proposal.title, "place": proposal.place_label},
            link=_link(proposal),
            params={"title": proposal.title, "count": str(count)},
        )


def tell_answered(proposal: Proposal) -> None:
    """The answer as the proposers read it: its kind (adopted, declined…) or, for a proposal refused as
    inadmissible, that word; the text is on the proposal's page."""
    with translation.override(settings.LANGUAGE_CODE):
        verdict = (
            str(AnswerKind(proposal.answer_kind).label)
            if proposal.answer_kind in AnswerKind.values
            else _("Not admissible")
        )
        notify(
            kind="proposals.answered",
            event_key=f"proposal:{proposal.pk}:answered",
            recipients=supporters(proposal),
            subject=_("Your proposal was answered: %(title)s") % {"title": proposal.title},
            text=_("The answer to %(title)s: %(verdict)s. %(answer)s")
            % {"title": proposal.title, "verdict": verdict, "answer": proposal.answer},
            link=_link(proposal),
            params={"title": proposal.title, "answer": verdict},
        )
