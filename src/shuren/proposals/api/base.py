"""What the proposals API views share: who may call them, and the base view mapping the services'
validation errors to problems."""

from __future__ import annotations

from shuren.api.base import ServiceAPIView
from shuren.api.permissions import AnyActionByMethod

READERS = ("proposals.view", "proposals.propose")
ANY_READER = AnyActionByMethod({"GET": READERS, "POST": READERS})
# Staff managing proposals, and conveners of the meeting that has the proposal on its agenda.
ANSWERERS = AnyActionByMethod(
    {"GET": ("proposals.manage", "meetings.manage"), "POST": ("proposals.manage", "meetings.manage")}
)


class ProposalAPIView(ServiceAPIView):
    """Services' Django ValidationErrors become 400 problems naming the fields."""
