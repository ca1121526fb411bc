"""Meetings through their services: invitations, sign-in, resolutions, action items, publication."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.meetings import services
from shuren.meetings.models import (
    ActionStatus,
    Attendance,
    Invitation,
    InvitationStatus,
    MeetingEvent,
    MeetingStatus,
    MinutesRevision,
    ResolutionVote,
    VoteMode,
)
from shuren.meetings.selectors import (
    my_action_items,
    overdue_action_items,
    published_for_resident,
    visible_action_items,
    visible_meetings,
)

pytestmark = pytest.mark.django_db


def _open(world, meeting):
    return services.set_checkin(actor=world.users["staff"], meeting=meeting, version=meeting.version, open=True)


# --- scheduling -----------------------------------------------------------------------------------


def test_scheduling_gives_a_reference_a_timeline_row_and_an_audit_record(meeting_world) -> None:
    meeting = meeting_world.schedule()
    assert meeting.reference.startswith("HY") and meeting.scope == meeting_world.tree["com_a"].path
    assert MeetingEvent.objects.filter(meeting=meeting, kind="scheduled").exists()
    assert AuditEvent.objects.filter(action="meetings.scheduled", object_id=str(meeting.pk)).exists()


def test_staff_cannot_schedule_outside_their_community_and_do_not_see_other_meetings(meeting_world) -> None:
    with pytest.raises(OutOfScope):
        meeting_world.schedule(area=meeting_world.tree["com_b"])
    meeting = meeting_world.schedule()
    assert not visible_meetings(meeting_world.users["staff_b"]).filter(pk=meeting.pk).exists()
    with pytest.raises(OutOfScope):
        services.cancel_meeting(actor=meeting_world.users["staff_b"], meeting=meeting, version=1, reason="x")


def test_a_building_leader_sees_but_cannot_manage_meetings(meeting_world) -> None:
    meeting = meeting_world.schedule(building=meeting_world.buildings[0], area=None)
    leader = meeting_world.users["leader1"]
    assert visible_meetings(leader).filter(pk=meeting.pk).exists()
    with pytest.raises(NotPermitted):
        services.add_agenda_item(actor=leader, meeting=meeting, title="加装电梯")


def test_cancelled_meeting_keeps_the_reason_and_refuses_sign_in(meeting_world) -> None:
    meeting = meeting_world.schedule()
    token = meeting.checkin_token
    meeting = services.cancel_meeting(
        actor=meeting_world.users["staff"], meeting=meeting, version=meeting.version, reason="台风暂停"
    )
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancelled_reason == "台风暂停"
    with pytest.raises(OutOfScope):
        services.check_in_with_token(actor=meeting_world.users["leader1"], token=token)


def test_editing_the_place_moves_the_action_items_scope_too(meeting_world) -> None:
    meeting = meeting_world.schedule()
    meeting = services.edit_meeting(
        actor=meeting_world.users["staff"],
        meeting=meeting,
        version=meeting.version,
        area=meeting_world.tree["grid_a2"],
        title="2座楼道会议",
    )
    assert meeting.scope == meeting_world.tree["grid_a2"].path and meeting.title == "2座楼道会议"


# --- invitations ----------------------------------------------------------------------------------


def test_invitations_by_role_org_and_person_never_invite_anyone_twice(meeting_world) -> None:
    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = world.schedule()
    assert services.invite_by_role(actor=staff, meeting=meeting, role=Role.BUILDING_LEADER) == 2
    # The branch itself and its two members; leader1 is a member and already invited.
    made = services.invite_organization(actor=staff, meeting=meeting, organization=world.branch, members=True)
    assert made == 2  # the branch + 黄党员
    assert services.invite_person(actor=staff, meeting=meeting, person=world.people["leader2"]) is False
    assert services.invite_person(actor=staff, meeting=meeting, user=world.users["leader1"]) is False
    assert services.invite_organization(actor=staff, meeting=meeting, organization=world.property_manager) == 1
    assert services.invite_organization(actor=staff, meeting=meeting, organization=world.property_manager) == 0
    rows = Invitation.objects.filter(meeting=meeting)
    assert rows.count() == 5
    leader1 = rows.get(user=world.users["leader1"])
    assert leader1.person == world.people["leader1"] and leader1.invited_as == str(Role.BUILDING_LEADER.label)
    assert rows.get(person=world.people["member"]).invited_as == "富丰新城党支部"


def test_role_invitations_reach_only_the_meetings_place(meeting_world) -> None:
    meeting = meeting_world.schedule(area=meeting_world.tree["grid_a2"])
    assert services.invite_by_role(actor=meeting_world.users["staff"], meeting=meeting, role=Role.BUILDING_LEADER) == 1
    assert meeting.invitations.get().user == meeting_world.users["leader2"]


def test_people_of_another_community_cannot_be_invited(meeting_world, make_user) -> None:
    from shuren.people.models import Person

    stranger = Person.objects.create(community=meeting_world.tree["com_b"], name="外社区")
    with pytest.raises(OutOfScope):
        services.invite_person(actor=meeting_world.users["staff"], meeting=meeting_world.schedule(), person=stranger)


def test_invitee_replies_and_others_cannot_reply_for_them(meeting_world) -> None:
    world = meeting_world
    meeting = world.schedule()
    services.invite_person(actor=world.users["staff"], meeting=meeting, person=world.people["leader1"])
    invitation = meeting.invitations.get()
    with pytest.raises(OutOfScope):
        services.reply(actor=world.users["leader2"], invitation=invitation, accept=True)
    invitation = services.reply(actor=world.users["leader1"], invitation=invitation, accept=False)
    assert invitation.status == InvitationStatus.DECLINED and invitation.replied_at is not None


# --- sign-in --------------------------------------------------------------------------------------


def test_check_in_by_token_matches_the_invitation_and_records_walk_ins_without_a_vote(meeting_world) -> None:
    world = meeting_world
    meeting = world.schedule()
    services.invite_person(actor=world.users["staff"], meeting=meeting, person=world.people["leader1"])
    with pytest.raises(services.SignInClosed):
        services.check_in_with_token(actor=world.users["leader1"], token=meeting.checkin_token)
    meeting = _open(world, meeting)
    assert meeting.status == MeetingStatus.IN_PROGRESS
    attendance, created = services.check_in_with_token(actor=world.users["leader1"], token=meeting.checkin_token)
    assert created and attendance.invitation is not None
    assert attendance.invitation.person == world.people["leader1"] and attendance.is_voting
    again, created = services.check_in_with_token(actor=world.users["leader1"], token=meeting.checkin_token)
    assert not created and again.pk == attendance.pk
    walk_in, created = services.check_in_with_token(actor=world.users["resident"], token=meeting.checkin_token)
    assert created and walk_in.invitation is None and walk_in.is_voting is False and walk_in.name == "林小梅"
    with pytest.raises(OutOfScope):
        services.check_in_with_token(actor=world.users["resident"], token="not-a-token")
    meeting.refresh_from_db()
    services.set_checkin(actor=world.users["staff"], meeting=meeting, version=meeting.version, open=False)
    with pytest.raises(services.SignInClosed):
        services.check_in_with_token(actor=world.users["leader2"], token=meeting.checkin_token)


def test_staff_sign_in_invitees_without_accounts_once_and_walk_ins_by_name(meeting_world) -> None:
    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = world.schedule()
    services.invite_person(actor=staff, meeting=meeting, person=world.people["member"])
    invitation = meeting.invitations.get()
    with pytest.raises(InvalidTransition):
        services.sign_in_invitee(actor=staff, invitation=invitation)  # not yet in progress
    meeting = _open(world, meeting)
    invitation.refresh_from_db()
    assert services.sign_in_invitee(actor=staff, invitation=invitation).name == "黄党员"
    with pytest.raises(InvalidTransition):
        services.sign_in_invitee(actor=staff, invitation=invitation)
    walk_in = services.sign_in_walk_in(actor=staff, meeting=meeting, name="张师傅", representing="富丰物业")
    assert walk_in.is_voting is False
    with pytest.raises(ValidationError):
        services.sign_in_walk_in(actor=staff, meeting=meeting, name="  ")


# --- resolutions ----------------------------------------------------------------------------------


def _in_session(world, kind="joint", invitees=("leader1", "leader2", "member", "resident")):
    staff = world.users["staff"]
    meeting = world.schedule(kind=kind)
    for key in invitees:
        services.invite_person(actor=staff, meeting=meeting, person=world.people[key])
    return _open(world, meeting)


def _sign_in(world, meeting, *keys):
    for key in keys:
        invitation = meeting.invitations.get(person=world.people[key])
        services.sign_in_invitee(actor=world.users["staff"], invitation=invitation)


def test_counted_resolution_stores_its_arithmetic_and_refuses_more_votes_than_members_present(meeting_world) -> None:
    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = _in_session(world)
    _sign_in(world, meeting, "leader1", "leader2", "member")
    with pytest.raises(ValidationError):
        services.record_resolution(actor=staff, meeting=meeting, text="加装充电桩", votes_for=3, votes_against=1)
    resolution = services.record_resolution(
        actor=staff, meeting=meeting, text="在2座旁加装电动车充电桩", votes_for=2, votes_against=1
    )
    assert (resolution.voting_members_present, resolution.voting_members_invited) == (3, 4)
    assert resolution.quorum_met and resolution.carried
    assert resolution.arithmetic["quorum"]["share"] == "3/4"
    assert resolution.arithmetic["majority"]["share"] == "2/3"


def test_exactly_half_present_is_not_quorate_at_a_joint_meeting(meeting_world) -> None:
    world = meeting_world
    meeting = _in_session(world)
    _sign_in(world, meeting, "leader1", "leader2")
    resolution = services.record_resolution(
        actor=world.users["staff"], meeting=meeting, text="加装充电桩", vote_mode=VoteMode.CONSENSUS
    )
    assert resolution.quorum_met is False and resolution.carried is False


def test_named_votes_are_one_per_voting_attendee(meeting_world) -> None:
    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = _in_session(world, kind="stairwell")  # named by default, > 1/2
    _sign_in(world, meeting, "leader1", "leader2", "member")
    walk_in = services.sign_in_walk_in(actor=staff, meeting=meeting, name="路过的街坊")
    voters = {a.name: a.pk for a in Attendance.objects.filter(meeting=meeting, is_voting=True)}
    with pytest.raises(ValidationError):  # someone missing
        services.record_resolution(
            actor=staff,
            meeting=meeting,
            text="楼道不堆放杂物",
            vote_mode=VoteMode.NAMED,
            named_votes={voters["何伯"]: "for"},
        )
    with pytest.raises(ValidationError):  # a walk-in has no vote
        services.record_resolution(
            actor=staff,
            meeting=meeting,
            text="楼道不堆放杂物",
            vote_mode=VoteMode.NAMED,
            named_votes={**{pk: "for" for pk in voters.values()}, walk_in.pk: "for"},
        )
    resolution = services.record_resolution(
        actor=staff,
        meeting=meeting,
        text="楼道不堆放杂物",
        vote_mode=VoteMode.NAMED,
        named_votes={voters["何伯"]: "for", voters["梁姨"]: "against", voters["黄党员"]: "for"},
    )
    assert ResolutionVote.objects.filter(resolution=resolution).count() == 3
    assert (resolution.votes_for, resolution.votes_against, resolution.votes_abstain) == (2, 1, 0)
    assert resolution.carried


def test_a_salon_records_conclusions_without_a_vote(meeting_world) -> None:
    world = meeting_world
    meeting = _in_session(world, kind="salon")
    _sign_in(world, meeting, "leader1", "leader2", "member")
    resolution = services.record_resolution(
        actor=world.users["staff"], meeting=meeting, text="多数人希望增设长者饭堂", votes_for=3
    )
    assert resolution.carried is False and resolution.arithmetic["binding"] is False
    assert resolution.vote_mode == VoteMode.CONSENSUS and resolution.votes_for == 0


def test_minutes_keep_every_earlier_version(meeting_world) -> None:
    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = _in_session(world)
    with pytest.raises(InvalidTransition):
        services.save_minutes(actor=staff, meeting=world.schedule(), text="未开会")
    minutes = services.save_minutes(actor=staff, meeting=meeting, text="一、学习第一议题")
    minutes = services.save_minutes(actor=staff, meeting=meeting, text="一、学习第一议题\n二、议定充电桩", version=1)
    assert minutes.version == 2
    assert MinutesRevision.objects.get(minutes=minutes).text == "一、学习第一议题"
    from shuren.core.errors import StaleVersion

    with pytest.raises(StaleVersion):
        services.save_minutes(actor=staff, meeting=meeting, text="旧版本上的修改", version=1)


def test_a_study_item_goes_first_on_the_agenda(meeting_world) -> None:
    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = world.schedule()
    services.add_agenda_item(actor=staff, meeting=meeting, title="充电桩选址", kind="decision")
    services.add_agenda_item(actor=staff, meeting=meeting, title="学习二十大精神", kind="study")
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["学习二十大精神", "充电桩选址"]
    last = meeting.agenda_items.get(title="充电桩选址")
    services.move_agenda_item(actor=staff, item=last, up=True)
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["充电桩选址", "学习二十大精神"]


def test_agenda_items_link_only_to_what_the_convener_sees(meeting_world) -> None:
    from shuren.appeals.models import Appeal, Category

    world = meeting_world
    elsewhere = Appeal.objects.create(
        reference="B-1",
        category=Category.objects.get(code="other"),
        description="金旗峰的路灯",
        area=world.tree["grid_b1"],
        scope=world.tree["grid_b1"].path,
        submitted_at=timezone.now(),
    )
    with pytest.raises(ValidationError):
        services.add_agenda_item(actor=world.users["staff"], meeting=world.schedule(), title="路灯", appeal=elsewhere)


# --- action items and publication -------------------------------------------------------------------


def test_action_item_owner_reports_progress_until_done_and_others_cannot(meeting_world) -> None:
    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = _in_session(world)
    item = services.add_action_item(
        actor=staff,
        meeting=meeting,
        title="联系物业清理楼道",
        due_on=timezone.localdate() - dt.timedelta(days=1),
        owner_user=world.users["leader1"],
    )
    assert item.scope == meeting.scope
    assert list(overdue_action_items(visible_action_items(staff))) == [item]
    assert list(my_action_items(world.users["leader1"])) == [item]
    with pytest.raises(OutOfScope):  # a leader of another grid does not see a community meeting's items
        services.update_action_item(
            actor=world.users["leader2"], item=item, version=item.version, text="x", progress=10
        )
    with pytest.raises(OutOfScope):
        services.update_action_item(
            actor=world.users["staff_b"], item=item, version=item.version, text="x", progress=10
        )
    item = services.update_action_item(
        actor=world.users["leader1"], item=item, version=item.version, text="已通知物业", progress=50
    )
    assert item.status == ActionStatus.IN_PROGRESS
    with pytest.raises(NotPermitted):
        services.update_action_item(
            actor=world.users["leader1"], item=item, version=item.version, text="算了", progress=50, status="cancelled"
        )
    item = services.update_action_item(
        actor=world.users["leader1"], item=item, version=item.version, text="楼道已清理", progress=80, status="done"
    )
    assert item.status == ActionStatus.DONE and item.progress == 100 and item.done_at is not None
    assert not overdue_action_items(visible_action_items(staff)).exists()
    assert item.updates.count() == 2
    with pytest.raises(InvalidTransition):
        services.update_action_item(actor=staff, item=item, version=item.version, text="再改", progress=100)


def test_published_minutes_reach_residents_of_the_places_concerned(meeting_world, make_user) -> None:
    from shuren.people.models import Person, Residence
    from shuren.places.models import Dwelling

    world, staff = meeting_world, meeting_world.users["staff"]
    meeting = world.schedule(kind="stairwell", building=world.buildings[1], area=None)
    meeting = _open(world, meeting)
    with pytest.raises(InvalidTransition):
        services.publish_meeting(actor=staff, meeting=meeting, version=meeting.version)
    meeting = services.end_meeting(actor=staff, meeting=meeting, version=meeting.version)
    with pytest.raises(InvalidTransition):
        services.publish_meeting(actor=staff, meeting=meeting, version=meeting.version)  # no minutes yet
    services.save_minutes(actor=staff, meeting=meeting, text="2座楼道会议纪要")
    resident = world.users["resident"]  # lives in 1座
    assert not published_for_resident(resident).filter(pk=meeting.pk).exists()
    meeting = services.publish_meeting(actor=staff, meeting=meeting, version=meeting.version)
    assert meeting.status == MeetingStatus.PUBLISHED
    assert not published_for_resident(resident).filter(pk=meeting.pk).exists()
    neighbour = make_user(Role.RESIDENT, world.tree["grid_a2"], username="mt_b2")
    person = Person.objects.create(community=world.tree["com_a"], name="2座住户", user=neighbour)
    Residence.objects.create(
        person=person,
        dwelling=Dwelling.objects.get(unit__building=world.buildings[1], room="101"),
        relation="tenant",
        status="permanent",
    )
    assert published_for_resident(neighbour).filter(pk=meeting.pk).exists()
    meeting.also_publish_to_buildings.add(world.buildings[0])
    assert published_for_resident(resident).filter(pk=meeting.pk).exists()


def test_publication_to_estates_outside_the_actors_areas_is_refused(meeting_world) -> None:
    from shuren.places.services import create_estate

    world, staff = meeting_world, meeting_world.users["staff"]
    other = create_estate(actor=world.users["staff_b"], community=world.tree["com_b"], name="金旗峰花园")
    meeting = _in_session(world)
    meeting = services.end_meeting(actor=staff, meeting=meeting, version=meeting.version)
    services.save_minutes(actor=staff, meeting=meeting, text="纪要")
    with pytest.raises(OutOfScope):
        services.publish_meeting(actor=staff, meeting=meeting, version=meeting.version, estates=[other])
