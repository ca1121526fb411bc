"""Signals meetings listens to. ``proposal_qualified`` (sent after the co-signing transaction
commits): the proposal goes on the next meeting of its place, or waits until one is scheduled
(``services.take_waiting_proposals`` picks it up then)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from shuren.proposals.signals import proposal_qualified


@receiver(proposal_qualified, dispatch_uid="meetings.put_qualified_proposal_on_agenda")
def put_qualified_proposal_on_agenda(sender: Any, proposal: Any, **kwargs: Any) -> None:
    from .services import place_qualified_proposal

    place_qualified_proposal(proposal=proposal)
