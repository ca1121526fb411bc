"""The resident's home page shows the meeting invitations they have not answered while the meeting
is still to come; replying, a cancelled meeting, or someone else's invitation leaves nothing."""

from __future__ import annotations

import pytest

from shuren.meetings.models import Invitation
from shuren.meetings.selectors import invitations_awaiting_my_reply
from shuren.meetings.services import cancel_meeting, invite_person, reply

pytestmark = pytest.mark.django_db


def test_an_invitation_waits_for_the_invitees_reply(meeting_world, client):
    world = meeting_world
    meeting = world.schedule(title="加装电梯协商会")
    resident = world.users["resident"]
    assert list(invitations_awaiting_my_reply(resident)) == []
    invite_person(actor=world.users["staff"], meeting=meeting, person=world.people["resident"])
    invitation = Invitation.objects.get(meeting=meeting, person=world.people["resident"])
    assert list(invitations_awaiting_my_reply(resident)) == [invitation]
    assert list(invitations_awaiting_my_reply(resident, at=meeting.starts_at)) == []  # begun: too late
    for other in ("leader1", "leader2", "staff", "staff_b"):
        assert list(invitations_awaiting_my_reply(world.users[other])) == []

    client.force_login(resident)
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-meetings"' in home and f'href="/my/meetings/{meeting.pk}/"' in home
    reply(actor=resident, invitation=invitation, accept=True)
    assert list(invitations_awaiting_my_reply(resident)) == []
    assert 'data-testid="waiting-meetings"' not in client.get("/me/").content.decode()


def test_a_cancelled_meeting_asks_for_no_reply(meeting_world):
    world = meeting_world
    meeting = world.schedule()
    invite_person(actor=world.users["staff"], meeting=meeting, user=world.users["leader1"])
    assert len(invitations_awaiting_my_reply(world.users["leader1"])) == 1
    cancel_meeting(actor=world.users["staff"], meeting=meeting, version=meeting.version, reason="台风")
    assert list(invitations_awaiting_my_reply(world.users["leader1"])) == []
