"""Meetings and the other co-governance apps: resident proposals reach the next meeting of their
place, a carried resolution adopts a convention version, a decision goes on the governance list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.meetings import services
from shuren.meetings.models import AgendaItem

pytestmark = pytest.mark.django_db


def _qualified(world, *, building=None, title="在1座门口加装充电桩"):
    from shuren.proposals.models import Proposal, ProposalStatus

    proposal = Proposal(
        reference=f"TA-{Proposal.objects.count() + 1}",
        title=title,
        body="电动车上楼充电太危险",
        author=world.users["resident"],
        area=world.tree["com_a"] if building is None else None,
        building=building,
        status=ProposalStatus.QUALIFIED,
        signature_threshold=10,
        signature_count=10,
        signing_closes_at=timezone.now() + dt.timedelta(days=10),
        qualified_at=timezone.now(),
    )
    proposal.save()
    return proposal


def test_a_qualified_proposal_goes_on_the_earliest_next_meeting_of_its_place(meeting_world) -> None:
    from shuren.proposals.models import ProposalStatus
    from shuren.proposals.signals import proposal_qualified

    world = meeting_world
    later = world.schedule(days=10)
    sooner = world.schedule(days=5)
    world.schedule(days=2, kind="salon")  # takes no resolutions
    world.schedule(days=1, area=world.tree["grid_a2"])  # another place
    past = world.schedule(days=-1)  # already started
    assert past.status == "scheduled"
    proposal = _qualified(world, building=world.buildings[0])
    proposal_qualified.send(sender=type(proposal), proposal=proposal)
    item = AgendaItem.objects.get(proposal=proposal)
    assert item.meeting == sooner and item.kind == "decision"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ON_AGENDA
    assert not later.agenda_items.exists()


def test_a_proposal_waiting_for_a_meeting_is_added_when_one_is_scheduled(meeting_world) -> None:
    from shuren.proposals.models import ProposalStatus
    from shuren.proposals.signals import proposal_qualified

    world = meeting_world
    proposal = _qualified(world)
    proposal_qualified.send(sender=type(proposal), proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.QUALIFIED  # nothing scheduled: it waits
    world.schedule(days=3, area=world.tree["grid_a1"])  # a grid meeting does not cover a community proposal
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.QUALIFIED
    meeting = world.schedule(days=4)
    assert meeting.agenda_items.get().proposal == proposal
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ON_AGENDA


def test_the_meeting_answers_a_proposal_on_its_agenda(meeting_world) -> None:
    from shuren.proposals.models import ProposalStatus

    world = meeting_world
    proposal = _qualified(world)
    meeting = world.schedule(days=4)
    meeting = services.set_checkin(actor=world.users["staff"], meeting=meeting, version=meeting.version, open=True)
    item = meeting.agenda_items.get()
    services.answer_proposal(
        actor=world.users["staff"], item=item, kind="adopted", text="同意加装，由物业实施", publish=True
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ANSWERED and proposal.answer_published_at is not None
    item.refresh_from_db()
    assert item.outcome == "同意加装，由物业实施"


def test_a_carried_resolution_adopts_the_linked_convention_version(meeting_world) -> None:
    from shuren.conventions.models import VersionStatus
    from shuren.conventions.services import create_convention

    world, staff = meeting_world, meeting_world.users["staff"]
    convention = create_convention(
        actor=staff, title="电瓶车管理公约", text="一、电瓶车不进楼道。", area=world.tree["com_a"]
    )
    version = convention.versions.get()
    meeting = world.schedule()
    services.invite_person(actor=staff, meeting=meeting, person=world.people["leader1"])
    meeting = services.set_checkin(actor=staff, meeting=meeting, version=meeting.version, open=True)
    services.sign_in_invitee(actor=staff, invitation=meeting.invitations.get())
    resolution = services.record_resolution(
        actor=staff, meeting=meeting, text="通过电瓶车管理公约", votes_for=1, convention_version=version
    )
    assert resolution.carried
    version.refresh_from_db()
    assert version.status == VersionStatus.ADOPTED and version.adopted_via == "meeting"
    assert meeting.reference in version.adopted_reference


def test_staff_put_a_decision_on_the_governance_list(meeting_world) -> None:
    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = world.schedule()
    services.invite_person(actor=staff, meeting=meeting, person=world.people["leader1"])
    meeting = services.set_checkin(actor=staff, meeting=meeting, version=meeting.version, open=True)
    services.sign_in_invitee(actor=staff, invitation=meeting.invitations.get())
    resolution = services.record_resolution(actor=staff, meeting=meeting, text="清理2座楼道杂物", votes_for=1)
    item = services.create_governance_item(actor=staff, resolution=resolution, title="清理2座楼道杂物")
    assert item.meeting == meeting and item.source == "meeting" and item.scope == meeting.scope
