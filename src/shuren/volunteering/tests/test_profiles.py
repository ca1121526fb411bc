"""Registering as a volunteer: skills, availability, teams (memberships), and the community's
approval — or none, when the policy approves registrations at once; staff decisions with notes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from shuren.accounts.roles import Role
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion
from shuren.orgs.models import Membership
from shuren.people.models import Person
from shuren.volunteering import services
from shuren.volunteering.models import Skill, VolunteeringPolicy, VolunteerProfile

pytestmark = pytest.mark.django_db


def resident(world, username="newcomer", side="a"):
    user = world.volunteer(username, status="", side=side, role=Role.RESIDENT)
    return user


def test_a_registration_awaits_approval_and_joins_the_chosen_teams(vol_world):
    user = resident(vol_world)
    skills = list(Skill.objects.filter(code__in=["photography", "it"]))
    profile = services.register_volunteer(
        actor=user,
        skills=skills,
        availability=["weekend_morning", "weekday_evening"],
        introduction="会修电脑，周末有空",
        teams=[vol_world.team],
    )
    assert profile.status == "applied"
    assert profile.community == vol_world.tree["com_a"]
    assert profile.scope == vol_world.tree["com_a"].path
    assert sorted(profile.skills.values_list("code", flat=True)) == ["it", "photography"]
    assert profile.availability == ["weekday_evening", "weekend_morning"]  # in the list's order
    membership = Membership.objects.get(person=vol_world.people["newcomer"], organization=vol_world.team)
    assert (membership.role, membership.to_on) == ("member", None)


def test_without_required_approval_a_registration_is_approved_at_once(vol_world):
    VolunteeringPolicy.objects.create(community=vol_world.tree["com_a"], approval_required=False)
    profile = services.register_volunteer(actor=resident(vol_world))
    assert profile.status == "approved" and profile.decided_at is not None


def test_staff_approve_reject_and_suspend_with_a_note(vol_world):
    staff = vol_world.users["staff"]
    profile = services.register_volunteer(actor=resident(vol_world))
    with pytest.raises(ValidationError):
        services.decide_profile(actor=staff, profile=profile, version=profile.version, decision="reject", note="")
    profile = services.decide_profile(actor=staff, profile=profile, version=profile.version, decision="approve")
    assert (profile.status, profile.decided_by) == ("approved", staff)
    with pytest.raises(InvalidTransition):
        services.decide_profile(
            actor=staff, profile=profile, version=profile.version, decision="reject", note="重复登记"
        )
    profile = services.decide_profile(
        actor=staff, profile=profile, version=profile.version, decision="suspend", note="多次爽约"
    )
    assert VolunteerProfile.objects.get(pk=profile.pk).decision_note == "多次爽约"
    with pytest.raises(StaleVersion):
        services.decide_profile(actor=staff, profile=profile, version=1, decision="approve")


def test_a_grid_worker_decides_for_volunteers_living_in_their_grid_only(vol_world):
    profile = services.register_volunteer(actor=resident(vol_world))
    grid_worker = vol_world.users["grid_worker"]
    # The person's record says where they live (grid 1), the registration belongs to the community.
    Person.objects.filter(pk=profile.person_id).update(scope=vol_world.tree["grid_a1"].path)
    profile = VolunteerProfile.objects.select_related("person").get(pk=profile.pk)
    services.decide_profile(actor=grid_worker, profile=profile, version=profile.version, decision="approve")
    other = services.register_volunteer(actor=resident(vol_world, "elsewhere"))
    Person.objects.filter(pk=other.person_id).update(scope=vol_world.tree["grid_a2"].path)
    other = VolunteerProfile.objects.select_related("person").get(pk=other.pk)
    with pytest.raises((NotPermitted, OutOfScope)):
        services.decide_profile(actor=grid_worker, profile=other, version=other.version, decision="approve")
    with pytest.raises(OutOfScope):
        services.decide_profile(
            actor=vol_world.users["staff_b"], profile=other, version=other.version, decision="approve"
        )


def test_a_rejected_volunteer_may_apply_again_and_a_suspended_one_may_not_edit(vol_world):
    staff = vol_world.users["staff"]
    user = resident(vol_world)
    profile = services.register_volunteer(actor=user)
    services.decide_profile(
        actor=staff, profile=profile, version=profile.version, decision="reject", note="请补充联系方式"
    )
    again = services.register_volunteer(actor=user, introduction="已补充")
    assert again.pk == profile.pk and again.status == "applied" and again.decision_note == ""
    again = services.decide_profile(actor=staff, profile=again, version=again.version, decision="approve")
    services.decide_profile(actor=staff, profile=again, version=again.version, decision="suspend", note="暂停")
    with pytest.raises(NotPermitted):
        services.register_volunteer(actor=user, introduction="想恢复")


def test_editing_an_approved_profile_keeps_it_approved_and_leaving_a_team_ends_the_membership(vol_world):
    user = vol_world.volunteer("member")
    person = vol_world.people["member"]
    old = Membership.objects.create(organization=vol_world.team, person=person, role="member", from_on="2024-03-01")
    profile = services.register_volunteer(actor=user, availability=["weekend_afternoon"], teams=[])
    assert profile.status == "approved"
    old.refresh_from_db()
    assert old.to_on is not None
    assert not services.current_teams(person).exists()


def test_teams_and_availability_must_be_the_communitys_and_the_lists(vol_world):
    user = resident(vol_world)
    with pytest.raises(ValidationError) as error:
        services.register_volunteer(actor=user, teams=[vol_world.team_b], availability=["midnight"])
    assert set(error.value.message_dict) == {"teams", "availability"}


def test_an_account_without_a_resident_record_cannot_register(vol_world, make_user):
    user = make_user(Role.RESIDENT, vol_world.tree["grid_a1"], username="unlinked")
    with pytest.raises(NotPermitted):
        services.register_volunteer(actor=user)
