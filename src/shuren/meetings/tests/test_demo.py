"""The demo meetings load (twice without harm) and show each part of the feature."""

from __future__ import annotations

import pytest

from shuren.meetings.models import ActionStatus, Meeting, MeetingKind, MeetingStatus


def _load() -> None:
    """The demo apps meetings builds on (places, people, organisations), then the meetings demo."""
    from shuren.meetings import demo
    from shuren.orgs import demo as orgs_demo
    from shuren.people import demo as people_demo
    from shuren.places import demo as places_demo
    from shuren.synthetic.demo import load_places, load_users

    context = load_places()
    load_users(context)
    for module in (places_demo, people_demo, orgs_demo, demo):
        module.load(context)


@pytest.mark.django_db
def test_demo_meetings_show_a_held_joint_meeting_an_upcoming_round_table_and_a_published_stairwell_meeting():
    for _run in range(2):
        _load()
    joint = Meeting.objects.get(kind=MeetingKind.JOINT)
    assert joint.status == MeetingStatus.HELD and joint.minutes.text
    assert joint.agenda_items.filter(kind="study").exists()
    assert joint.resolutions.get().carried
    assert joint.action_items.filter(status=ActionStatus.DONE).count() == 1
    assert joint.action_items.exclude(status=ActionStatus.DONE).exists()
    assert joint.invitations.filter(organization__kind="property_manager").exists()
    assert Meeting.objects.get(kind=MeetingKind.ROUND_TABLE).status == MeetingStatus.SCHEDULED
    assert Meeting.objects.get(kind=MeetingKind.STAIRWELL).status == MeetingStatus.PUBLISHED
