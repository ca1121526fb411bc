"""REST API of meetings (/api/v1/meetings/): meetings (list, detail, schedule), the meeting's steps,
invitations, sign-in (by QR token or by staff), agenda, minutes, resolutions with their votes and
arithmetic, action items and their progress, publication. Every write goes through ``services``;
errors are problem+json; versioned rows take If-Match or ``version``; POSTs accept Idempotency-Key.

``reads`` (the list and one meeting), ``actions`` (what is recorded on a meeting), ``serializers``
(what goes out and comes in), ``base`` (what the views share)."""

from .actions import (
    ActionItemsView,
    ActionItemUpdateView,
    AgendaView,
    AttendanceView,
    CheckInView,
    InvitationsView,
    MeetingStepView,
    MinutesView,
    PublishView,
    ResolutionsView,
)
from .reads import MeetingDetailView, MeetingListView

__all__ = [
    "ActionItemUpdateView",
    "ActionItemsView",
    "AgendaView",
    "AttendanceView",
    "CheckInView",
    "InvitationsView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingStepView",
    "MinutesView",
    "PublishView",
    "ResolutionsView",
]
