"""Every write to a meeting. Each is one transaction: the actor's permission on the meeting's place
(meetings.manage; invitees and action-item owners for their own replies and updates), the state the
meeting's workflow allows, the write (versioned rows from the version the writer read), a timeline
row (MeetingEvent) and an audit record.

Split by what is written: ``scheduling``, ``invitations``, ``attendance`` (sign-in),
``proceedings`` (agenda, minutes, resolutions, publication), ``actions`` (action items), ``feeds``,
``rules`` (rules of procedure).
"""

from .actions import (
    add_action_item,
    update_action_item,
)
from .attendance import SignInClosed, check_in_with_token, sign_in_invitee, sign_in_walk_in
from .feeds import end_feed, feed_user, renew_feed
from .invitations import (
    invite_by_role,
    invite_organization,
    invite_person,
    remove_invitation,
    reply,
)
from .messages import remind_tomorrow
from .proceedings import (
    add_agenda_item,
    answer_proposal,
    create_governance_item,
    move_agenda_item,
    publish_meeting,
    record_outcome,
    record_resolution,
    save_minutes,
)
from .rules import change_rule
from .scheduling import (
    cancel_meeting,
    edit_meeting,
    end_meeting,
    place_qualified_proposal,
    schedule_meeting,
    set_checkin,
    take_waiting_proposals,
)

__all__ = [
    "remind_tomorrow",
    "SignInClosed",
    "add_action_item",
    "add_agenda_item",
    "answer_proposal",
    "cancel_meeting",
    "change_rule",
    "check_in_with_token",
    "create_governance_item",
    "edit_meeting",
    "end_feed",
    "end_meeting",
    "feed_user",
    "invite_by_role",
    "invite_organization",
    "invite_person",
    "move_agenda_item",
    "place_qualified_proposal",
    "publish_meeting",
    "record_outcome",
    "record_resolution",
    "remove_invitation",
    "renew_feed",
    "reply",
    "save_minutes",
    "schedule_meeting",
    "set_checkin",
    "sign_in_invitee",
    "sign_in_walk_in",
    "take_waiting_proposals",
    "update_action_item",
]
