"""Resident proposals through their services: who may propose for which place, who may co-sign,
the count and the qualification, expiry, answers, and the contract the meetings app relies on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.people.residency import places_of
from shuren.proposals import services
from shuren.proposals.models import CoSignature, Proposal, ProposalPolicy, ProposalStatus
from shuren.proposals.signals import proposal_qualified

pytestmark = pytest.mark.django_db


def propose(user, key_kind="building", **kwargs):
    place = next(p for p in places_of(user) if p.key.startswith(key_kind))
    kwargs.setdefault("title", "3座加装电动车充电桩")
    kwargs.setdefault("body", "楼下电动车多，经常有人飞线充电，建议在架空层加装集中充电桩。")
    return services.submit_proposal(actor=user, place_key=place.key, **kwargs)


@pytest.fixture
def captured():
    got = []

    def receiver(sender, proposal, **kwargs):
        got.append(proposal.pk)

    proposal_qualified.connect(receiver, weak=False)
    yield got
    proposal_qualified.disconnect(receiver)


def test_a_resident_proposes_for_their_own_places_with_the_community_policy(co_world):
    ProposalPolicy.objects.create(community=co_world.tree["com_a"], signature_threshold=5, signing_days=14)
    author = co_world.resident(unit="2单元", room="301")
    keys = [p.label for p in places_of(author)]
    assert keys == ["富丰新城 3座 2单元", "富丰新城 3座", "富丰新城", "大新社区第1网格", "大新社区"]
    proposal = propose(author)
    assert proposal.building == co_world.b3 and proposal.unit is None
    assert proposal.area == co_world.tree["grid_a1"] and proposal.scope == co_world.tree["grid_a1"].path
    assert proposal.signature_threshold == 5
    assert proposal.signing_closes_at - proposal.created_at < dt.timedelta(days=14, seconds=5)
    assert proposal.reference.startswith("TA") and proposal.reference.endswith(f"{proposal.pk:05d}")
    assert proposal.status == ProposalStatus.COLLECTING
    assert list(proposal.events.values_list("kind", flat=True)) == ["submitted"]
    assert AuditEvent.objects.filter(action="proposals.submit", object_id=str(proposal.pk)).exists()


def test_default_policy_is_ten_signatures_in_thirty_days(co_world):
    proposal = propose(co_world.resident(), "estate")
    assert proposal.estate == co_world.estate and proposal.building is None
    assert proposal.area == co_world.tree["com_a"]
    assert proposal.signature_threshold == 10
    assert (proposal.signing_closes_at - timezone.now()).days in (29, 30)


def test_nobody_proposes_for_a_place_they_do_not_live_in(co_world):
    author = co_world.resident()
    with pytest.raises(ValidationError):
        services.submit_proposal(actor=author, title="t", body="b", place_key=f"building:{co_world.b5.pk}")
    without_home = co_world.make_user("resident", co_world.tree["grid_a1"], username="nohome")
    with pytest.raises(ValidationError):
        services.submit_proposal(actor=without_home, title="t", body="b", place_key=f"building:{co_world.b3.pk}")
    with pytest.raises(NotPermitted):
        services.submit_proposal(actor=co_world.users["staff"], title="t", body="b", place_key="area:1")


def test_neighbours_of_the_place_cosign_and_the_threshold_qualifies_once(
    co_world, captured, django_capture_on_commit_callbacks
):
    ProposalPolicy.objects.create(community=co_world.tree["com_a"], signature_threshold=2, signing_days=30)
    proposal = propose(co_world.resident(room="101"))
    first, second, third = (co_world.resident(room=r) for r in ("102", "201", "202"))
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_proposal(actor=first, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.signature_count, proposal.status, captured) == (1, ProposalStatus.COLLECTING, [])
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_proposal(actor=second, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.QUALIFIED and proposal.qualified_at is not None
    assert captured == [proposal.pk]
    # Support keeps counting after the threshold, without a second signal.
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_proposal(actor=third, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.signature_count == 3 and captured == [proposal.pk]
    assert list(proposal.events.values_list("kind", flat=True)) == ["submitted", "qualified"]
    assert AuditEvent.objects.filter(action="proposals.sign", object_id=str(proposal.pk)).count() == 3


def test_the_signal_is_not_sent_when_the_transaction_rolls_back(co_world, captured, django_capture_on_commit_callbacks):
    from django.db import transaction

    ProposalPolicy.objects.create(community=co_world.tree["com_a"], signature_threshold=1, signing_days=30)
    proposal = propose(co_world.resident(room="101"))
    signer = co_world.resident(room="102")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.sign_proposal(actor=signer, proposal=proposal)
                raise RuntimeError("the request failed after signing")
        except RuntimeError:
            pass
    assert captured == []
    proposal.refresh_from_db()
    assert proposal.signature_count == 0 and proposal.status == ProposalStatus.COLLECTING


def test_one_signature_per_person_and_the_author_does_not_count(co_world):
    author = co_world.resident(room="101")
    proposal = propose(author)
    with pytest.raises(ValidationError, match="提案人"):
        services.sign_proposal(actor=author, proposal=proposal)
    signer = co_world.resident(room="102")
    services.sign_proposal(actor=signer, proposal=proposal)
    with pytest.raises(ValidationError, match="已联署过"):
        services.sign_proposal(actor=signer, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.signature_count == 1 and CoSignature.objects.filter(proposal=proposal).count() == 1


def test_only_residents_of_the_place_cosign(co_world):
    proposal = propose(co_world.resident(unit="1单元", room="101"), "unit")
    other_unit = co_world.resident(unit="2单元", room="101")
    other_building = co_world.resident(co_world.b5, room="101")
    elsewhere = co_world.resident(co_world.building_b, room="101")
    with pytest.raises(OutOfScope):
        services.sign_proposal(actor=other_unit, proposal=proposal)
    with pytest.raises(OutOfScope):
        services.sign_proposal(actor=other_building, proposal=proposal)
    with pytest.raises(OutOfScope):
        services.sign_proposal(actor=elsewhere, proposal=proposal)
    with pytest.raises(NotPermitted):  # staff manage proposals; they do not co-sign
        services.sign_proposal(actor=co_world.users["staff"], proposal=proposal)
    services.sign_proposal(actor=co_world.resident(unit="1单元", room="601"), proposal=proposal)


def test_a_former_resident_no_longer_cosigns(co_world):
    proposal = propose(co_world.resident(room="101"))
    moved = co_world.resident(room="102")
    moved.person.residences.update(to_on=timezone.localdate())
    with pytest.raises(OutOfScope):
        services.sign_proposal(actor=moved, proposal=proposal)


def test_cosigning_closes_with_the_window_and_the_sweep_expires(co_world):
    proposal = propose(co_world.resident(room="101"))
    services.sign_proposal(actor=co_world.resident(room="102"), proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(signing_closes_at=timezone.now() - dt.timedelta(minutes=1))
    proposal.refresh_from_db()
    with pytest.raises(InvalidTransition, match="截止"):
        services.sign_proposal(actor=co_world.resident(room="201"), proposal=proposal)
    call_command("proposals", "expire")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXPIRED
    assert proposal.events.last().kind == "expired"
    assert services.expire_proposals() == 0  # running again changes nothing


def test_the_author_withdraws_while_collecting_only(co_world):
    author = co_world.resident(room="101")
    proposal = propose(author)
    neighbour = co_world.resident(room="102")
    with pytest.raises(NotPermitted):
        services.withdraw_proposal(actor=neighbour, proposal=proposal)
    proposal = services.withdraw_proposal(actor=author, proposal=proposal)
    assert proposal.status == ProposalStatus.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.withdraw_proposal(actor=author, proposal=proposal)
    with pytest.raises(InvalidTransition):
        services.sign_proposal(actor=neighbour, proposal=proposal)


def qualified(co_world, threshold=1):
    ProposalPolicy.objects.update_or_create(
        community=co_world.tree["com_a"], defaults={"signature_threshold": threshold, "signing_days": 30}
    )
    proposal = propose(co_world.resident(room="101"))
    services.sign_proposal(actor=co_world.resident(room="102"), proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.QUALIFIED
    return proposal


def test_staff_answer_then_publish_and_a_published_answer_stands(co_world):
    proposal = qualified(co_world)
    staff = co_world.users["staff"]
    proposal = services.answer(
        actor=staff, proposal=proposal, kind="partly", text="先在3座试点加装10个充电口。", publish=False
    )
    assert proposal.status == ProposalStatus.ANSWERED and proposal.answer_published_at is None
    proposal = services.answer(
        actor=staff, proposal=proposal, kind="adopted", text="在3座架空层加装20个充电口。", publish=False
    )
    proposal = services.publish_answer(actor=staff, proposal=proposal)
    assert proposal.answer_kind == "adopted" and proposal.answer_published_at is not None
    with pytest.raises(InvalidTransition):
        services.answer(actor=staff, proposal=proposal, kind="declined", text="不", publish=True)
    assert [e.kind for e in proposal.events.all()][-3:] == ["answered", "answered", "answer_published"]


def test_answer_is_refused_to_readers_and_other_communities(co_world):
    proposal = qualified(co_world)
    with pytest.raises(NotPermitted):
        services.answer(actor=co_world.users["subdistrict"], proposal=proposal, kind="adopted", text="x", publish=True)
    with pytest.raises(OutOfScope):
        services.answer(actor=co_world.users["staff_b"], proposal=proposal, kind="adopted", text="x", publish=True)
    with pytest.raises(ValidationError):
        services.answer(actor=co_world.users["staff"], proposal=proposal, kind="maybe", text="x", publish=True)


def test_a_collecting_proposal_cannot_be_answered_but_can_be_refused(co_world):
    proposal = propose(co_world.resident(room="101"))
    staff = co_world.users["staff"]
    with pytest.raises(InvalidTransition):
        services.answer(actor=staff, proposal=proposal, kind="adopted", text="x", publish=True)
    with pytest.raises(ValidationError):
        services.mark_inadmissible(actor=staff, proposal=proposal, reason="  ")
    proposal = services.mark_inadmissible(actor=staff, proposal=proposal, reason="涉及个人私事，不属于居民议事范围")
    assert proposal.status == ProposalStatus.INADMISSIBLE and proposal.events.last().kind == "inadmissible"


def test_place_on_agenda_and_the_conveners_answer(co_world):
    from shuren.meetings.models import AgendaItem, Meeting

    proposal = qualified(co_world)
    convener = co_world.users["grid_worker"]  # meetings.manage in grid 1, only proposals.view
    starts = timezone.now() + dt.timedelta(days=3)
    meeting = Meeting.objects.create(
        reference="HY-TEST-1",
        kind="joint",
        title="富丰新城联席会议",
        area=co_world.tree["com_a"],
        convener=convener,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="党群服务站",
    )
    AgendaItem.objects.create(meeting=meeting, position=1, title=proposal.title, proposal=proposal)
    services.place_on_agenda(proposal=proposal, meeting=meeting)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ON_AGENDA
    assert "富丰新城联席会议" in proposal.events.last().text
    proposal = services.answer(actor=convener, proposal=proposal, kind="referred", text="转物业公司实施", publish=True)
    assert proposal.status == ProposalStatus.ANSWERED and proposal.answer_published_at


def test_place_on_agenda_refuses_a_collecting_proposal(co_world):
    from shuren.meetings.models import Meeting

    proposal = propose(co_world.resident(room="101"))
    meeting = Meeting(title="x", area=co_world.tree["com_a"])
    meeting.scope = co_world.tree["com_a"].path
    with pytest.raises(InvalidTransition):
        services.place_on_agenda(proposal=proposal, meeting=meeting)


def test_policy_is_set_by_staff_of_the_community(co_world):
    com_a = co_world.tree["com_a"]
    policy = services.update_policy(
        actor=co_world.users["staff"], community=com_a, signature_threshold=20, signing_days=45
    )
    assert (policy.signature_threshold, policy.signing_days) == (20, 45)
    with pytest.raises(ValidationError):
        services.update_policy(actor=co_world.users["staff"], community=com_a, signature_threshold=0, signing_days=45)
    with pytest.raises(OutOfScope):
        services.update_policy(actor=co_world.users["staff_b"], community=com_a, signature_threshold=5, signing_days=5)
