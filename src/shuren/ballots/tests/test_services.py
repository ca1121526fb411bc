"""Ballots through their services: drafting, opening, voting online and on paper, closing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.ballots import services
from shuren.ballots.models import Ballot, BallotRule, BallotVote
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion

from .conftest import draft_lift_ballot, open_lift_ballot


def voter_of(ballot, room):
    return ballot.voters.get(dwellings__dwelling__room=room)


def test_art_278_item_decides_the_rule_and_major_items_need_a_major_rule(ballot_world):
    ballot = draft_lift_ballot(ballot_world)
    assert ballot.matters.get().rule.code == "civil-code-278-major"
    renewal = services.add_matter(actor=ballot_world.users["staff"], ballot=ballot, title="续聘物业", civil_code_item=4)
    assert renewal.rule.code == "civil-code-278-ordinary" and renewal.position == 2
    with pytest.raises(ValidationError) as caught:
        services.add_matter(
            actor=ballot_world.users["staff"],
            ballot=ballot,
            title="使用维修资金",
            civil_code_item=6,
            rule=BallotRule.objects.get(code="civil-code-278-ordinary"),
        )
    assert "rule" in caught.value.message_dict


def test_staff_of_another_community_cannot_create_a_ballot_here(ballot_world, make_user):
    outsider = make_user(Role.COMMUNITY_STAFF, ballot_world.tree["com_b"])
    with pytest.raises(OutOfScope):
        services.create_ballot(
            actor=outsider, title="x", unit=ballot_world.unit, closes_at=timezone.now() + dt.timedelta(days=3)
        )
    assert not Ballot.objects.exists()


def test_a_ballot_needs_at_least_an_estate(ballot_world):
    with pytest.raises(ValidationError) as caught:
        services.create_ballot(
            actor=ballot_world.users["staff"],
            title="x",
            area=ballot_world.tree["com_a"],
            closes_at=timezone.now() + dt.timedelta(days=3),
        )
    assert "estate" in caught.value.message_dict


def test_opening_needs_a_matter_and_the_version_read(ballot_world):
    world = ballot_world
    ballot = services.create_ballot(
        actor=world.users["staff"], title="x", unit=world.unit, closes_at=timezone.now() + dt.timedelta(days=3)
    )
    with pytest.raises(ValidationError):
        services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    services.add_matter(actor=world.users["staff"], ballot=ballot, title="加装电梯", civil_code_item=7)
    with pytest.raises(StaleVersion):
        services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version + 1)
    opened = services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    assert opened.status == "open" and opened.version == 2
    with pytest.raises(InvalidTransition):
        services.add_matter(actor=world.users["staff"], ballot=opened, title="late", civil_code_item=1)


def test_a_co_owner_votes_for_all_the_voters_dwellings_once(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    matter = ballot.matters.get()
    shared = voter_of(ballot, "101")
    vote = services.cast_vote(actor=world.users["wangfang"], matter=matter, voter=shared, choice="agree")
    assert (vote.channel, vote.cast_by_person.name) == ("online", "王芳")
    # The co-owner (also the owner of 102: the same voter) learns who voted and when.
    with pytest.raises(services.AlreadyVoted) as caught:
        services.cast_vote(actor=world.users["liqiang"], matter=matter, voter=shared, choice="oppose")
    assert "王芳" in caught.value.detail and caught.value.status == 409
    assert BallotVote.objects.filter(matter=matter).count() == 1
    assert AuditEvent.objects.filter(action="ballots.vote", object_id=str(ballot.pk)).count() == 1


def test_only_a_registered_owner_may_vote_for_a_voter(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    matter = ballot.matters.get()
    with pytest.raises(OutOfScope):
        services.cast_vote(actor=world.users["outsider"], matter=matter, voter=voter_of(ballot, "201"), choice="agree")
    # The registry names 赵敏 for a developer-held dwelling: the developer votes, not her.
    with pytest.raises(OutOfScope):
        services.cast_vote(actor=world.users["zhaomin"], matter=matter, voter=voter_of(ballot, "301"), choice="agree")
    with pytest.raises(NotPermitted):
        services.cast_vote(actor=world.users["staff"], matter=matter, voter=voter_of(ballot, "201"), choice="agree")
    assert not BallotVote.objects.exists()


def test_voting_outside_the_open_period_is_refused(ballot_world):
    world = ballot_world
    ballot = draft_lift_ballot(world)
    services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(InvalidTransition):
        services.cast_vote(
            actor=world.users["zhangwei"], matter=ballot.matters.get(), voter=voter_of(ballot, "201"), choice="agree"
        )


def test_staff_enter_a_paper_ballot_which_never_replaces_a_vote(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    matter = ballot.matters.get()
    developer = voter_of(ballot, "301")
    paper = services.record_paper_vote(
        actor=world.users["staff"], matter=matter, voter=developer, choice="abstain", paper_number="0031"
    )
    assert (paper.channel, paper.recorded_by, paper.paper_number) == ("paper", world.users["staff"], "0031")
    services.cast_vote(actor=world.users["zhangwei"], matter=matter, voter=voter_of(ballot, "201"), choice="agree")
    with pytest.raises(services.AlreadyVoted) as caught:
        services.record_paper_vote(
            actor=world.users["staff"],
            matter=matter,
            voter=voter_of(ballot, "201"),
            choice="oppose",
            paper_number="0032",
        )
    assert "张伟" in caught.value.detail
    assert BallotVote.objects.get(voter=voter_of(ballot, "201")).choice == "agree"
    with pytest.raises(ValidationError):
        services.record_paper_vote(
            actor=world.users["staff"], matter=matter, voter=voter_of(ballot, "202"), choice="agree", paper_number=" "
        )


def test_closing_counts_every_matter_by_the_double_majority(ballot_world):
    world = ballot_world
    ballot = draft_lift_ballot(world)
    services.add_matter(actor=world.users["staff"], ballot=ballot, title="电梯运维费分摊方案", civil_code_item=9)
    ballot = services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    lift, sharing = ballot.matters.order_by("position")
    staff = world.users["staff"]
    # 101+102 (170 m²), 201 (100 m²) and the developer (110 m²) vote; 202 (70 m²) does not.
    # Took part: 3 of 4 owners, 380 of 450 m² — participation met.
    services.cast_vote(actor=world.users["liqiang"], matter=lift, voter=voter_of(ballot, "102"), choice="agree")
    services.cast_vote(actor=world.users["zhangwei"], matter=lift, voter=voter_of(ballot, "201"), choice="agree")
    services.record_paper_vote(
        actor=staff, matter=lift, voter=voter_of(ballot, "301"), choice="oppose", paper_number="1"
    )
    services.cast_vote(actor=world.users["liqiang"], matter=sharing, voter=voter_of(ballot, "102"), choice="agree")
    services.cast_vote(actor=world.users["zhangwei"], matter=sharing, voter=voter_of(ballot, "201"), choice="agree")
    services.record_paper_vote(
        actor=staff, matter=sharing, voter=voter_of(ballot, "301"), choice="oppose", paper_number="1"
    )
    # Not everyone voted and the closing time is ahead: too early.
    with pytest.raises(ValidationError):
        services.close_ballot(actor=staff, ballot=ballot, version=ballot.version)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    ballot.refresh_from_db()
    closed = services.close_ballot(actor=staff, ballot=ballot, version=ballot.version)
    assert closed.status == "closed" and closed.closed_by == staff
    lift.refresh_from_db()
    sharing.refresh_from_db()
    # Agree: 270 of 380 m² (71%, < 3/4) and 2 of 3 owners: the lift (major) fails...
    assert lift.passed is False and lift.result["participation_met"] and not lift.result["approval_met"]
    assert lift.result["took_part"] == {"area": "380.00", "owners": 3}
    # ...while the same votes carry an ordinary matter (more than half of both).
    assert sharing.passed is True
    assert AuditEvent.objects.filter(action="ballots.close", object_id=str(ballot.pk)).count() == 1
    with pytest.raises(InvalidTransition):
        services.cast_vote(actor=world.users["wangfang"], matter=lift, voter=voter_of(ballot, "101"), choice="agree")


def test_closing_early_is_allowed_once_every_owner_has_voted(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    matter = ballot.matters.get()
    for voter in ballot.voters.all():
        services.record_paper_vote(
            actor=world.users["staff"], matter=matter, voter=voter, choice="agree", paper_number=f"{voter.pk}"
        )
    closed = services.close_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    matter.refresh_from_db()
    assert closed.status == "closed" and matter.passed is True


def test_a_passing_matter_adopts_its_convention_version(ballot_world):
    from shuren.conventions.models import Convention, ConventionVersion

    world = ballot_world
    staff = world.users["staff"]
    convention = Convention.objects.create(
        title="3座1单元电梯使用公约", area=world.tree["grid_a1"], unit=world.unit, created_by=staff
    )
    version = ConventionVersion.objects.create(
        convention=convention, number=1, text="电梯使用费按楼层分摊。", status="in_discussion", drafted_by=staff
    )
    ballot = draft_lift_ballot(world)
    services.add_matter(
        actor=staff, ballot=ballot, title="通过电梯使用公约", civil_code_item=1, convention_version=version
    )
    ballot = services.open_ballot(actor=staff, ballot=ballot, version=ballot.version)
    for matter in ballot.matters.all():
        for voter in ballot.voters.all():
            services.record_paper_vote(
                actor=staff, matter=matter, voter=voter, choice="agree", paper_number=f"{voter.pk}"
            )
    services.close_ballot(actor=staff, ballot=ballot, version=ballot.version)
    version.refresh_from_db()
    assert (version.status, version.adopted_via, version.adopted_on) == ("adopted", "ballot", timezone.localdate())
    assert version.adopted_reference.startswith(ballot.reference)
    matter = ballot.matters.get(convention_version=version)
    assert matter.passed and matter.result["convention"]["problem"] == ""


def test_a_convention_of_another_place_cannot_be_put_to_the_ballot(ballot_world):
    from shuren.conventions.models import Convention, ConventionVersion

    world = ballot_world
    staff = world.users["staff"]
    elsewhere = Convention.objects.create(title="社区公约", area=world.tree["com_a"], created_by=staff)
    version = ConventionVersion.objects.create(convention=elsewhere, number=1, text="…", drafted_by=staff)
    ballot = draft_lift_ballot(world)
    with pytest.raises(ValidationError) as caught:
        services.add_matter(actor=staff, ballot=ballot, title="x", civil_code_item=1, convention_version=version)
    assert "convention_version" in caught.value.message_dict


def test_cancelling_needs_a_reason_and_ends_voting(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    with pytest.raises(ValidationError):
        services.cancel_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version, reason="")
    cancelled = services.cancel_ballot(
        actor=world.users["staff"], ballot=ballot, version=ballot.version, reason="业主申请延期"
    )
    assert cancelled.status == "cancelled"
    with pytest.raises(InvalidTransition):
        services.cast_vote(
            actor=world.users["zhangwei"], matter=ballot.matters.get(), voter=voter_of(ballot, "201"), choice="agree"
        )


def test_a_local_rule_decides_its_matter(ballot_world, make_user):
    """A local rule stricter than the statute (at least 3/4 take part) decides its matter."""
    admin = make_user(Role.SYSTEM_ADMIN)
    local = services.save_rule(
        actor=admin,
        rule=BallotRule(),
        fields={
            "code": "foshan-lift",
            "name": "佛山既有住宅加装电梯（本单元）",
            "participation_numerator": 3,
            "participation_denominator": 4,
            "pass_numerator": 3,
            "pass_denominator": 4,
            "pass_strict": False,
            "is_major": True,
        },
    )
    world = ballot_world
    ballot = open_lift_ballot(world, rule_code="foshan-lift")
    matter = ballot.matters.get()
    assert matter.rule == local
    # 3 of 4 owners take part (exactly 3/4), 380 of 450 m²; all agree: passes here.
    services.cast_vote(actor=world.users["liqiang"], matter=matter, voter=voter_of(ballot, "102"), choice="agree")
    services.cast_vote(actor=world.users["zhangwei"], matter=matter, voter=voter_of(ballot, "201"), choice="agree")
    services.record_paper_vote(
        actor=world.users["staff"], matter=matter, voter=voter_of(ballot, "301"), choice="agree", paper_number="9"
    )
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    ballot.refresh_from_db()
    services.close_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    matter.refresh_from_db()
    assert matter.passed is True and matter.result["rule"]["code"] == "foshan-lift"
    assert matter.result["rule"]["participation"] == "3/4" and not matter.result["rule"]["raised_to_statute"]


def test_the_statutory_thresholds_cannot_be_edited(make_user, tree):
    admin = make_user(Role.SYSTEM_ADMIN)
    major = BallotRule.objects.get(code="civil-code-278-major")
    with pytest.raises(ValidationError):
        services.save_rule(actor=admin, rule=major, fields={"pass_numerator": 1, "pass_denominator": 2})
    services.save_rule(actor=admin, rule=major, fields={"name": "重大事项"})
    major.refresh_from_db()
    assert (major.name, major.pass_numerator, major.pass_denominator) == ("重大事项", 3, 4)
    staff = make_user(Role.COMMUNITY_STAFF, tree["com_a"])
    with pytest.raises(NotPermitted):
        services.save_rule(actor=staff, rule=BallotRule(), fields={"code": "x", "name": "x"})


def test_voter_area_is_the_sum_of_its_dwellings(ballot_world):
    ballot = open_lift_ballot(ballot_world)
    assert voter_of(ballot, "101").area == Decimal("170.00")
