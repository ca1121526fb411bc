"""What the proposals API views share: who may call them, and the base view mapping the services'
validation errors to problems."""

from __future__ import annotations

from rest_framework.request import Request

from shuren.accounts.models import User
from shuren.api.base import ServiceAPIView
from shuren.api.permissions import AnyActionByMethod


def acting_user(request: Request) -> User:
    """The signed-in user of an endpoint whose permission classes admit only signed-in users."""
    user = request.user
    assert isinstance(user, User), "the endpoint's permission classes admit only signed-in users"
    return user


READERS = ("proposals.view", "proposals.propose")
ANY_READER = AnyActionByMethod({"GET": READERS, "POST": READERS})
# Staff managing proposals, and conveners of the meeting that has the proposal on its agenda.
ANSWERERS = AnyActionByMethod(
    {"GET": ("proposals.manage", "meetings.manage"), "POST": ("proposals.manage", "meetings.manage")}
)


class ProposalAPIView(ServiceAPIView):
    """Services' Django ValidationErrors become 400 problems naming the fields."""
