"""Resident proposals tell their proposer and co-signers through the outbox when the threshold is
reached and when the answer is published: in Chinese, once, on the channels each chose, and never for
a step that is undone."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from shuren.notifications import kinds
from shuren.notifications.models import Message, Preference
from shuren.people.residency import places_of
from shuren.proposals import services
from shuren.proposals.models import ProposalPolicy

pytestmark = pytest.mark.django_db


def told(kind: str, channel: str = "inapp") -> list[str]:
    rows = Message.objects.filter(kind=f"proposals.{kind}", channel=channel)
    return sorted(rows.values_list("recipient__username", flat=True))


def propose(user):
    place = next(p for p in places_of(user) if p.key.startswith("building"))
    return services.submit_proposal(
        actor=user, place_key=place.key, title="3座加装电动车充电桩", body="楼下电动车多，建议在架空层加装集中充电桩。"
    )


@pytest.fixture
def proposal_world(co_world):
    ProposalPolicy.objects.create(community=co_world.tree["com_a"], signature_threshold=2, signing_days=30)
    author = co_world.resident(room="101")
    author.email = "author@example.com"
    author.save()
    signers = [co_world.resident(room="102"), co_world.resident(room="201"), co_world.resident(room="202")]
    return co_world, author, signers


def test_the_kinds_are_registered_in_chinese():
    assert str(kinds.get("proposals.answered").label) == "我提出或联署的提案已获答复"


def test_the_threshold_tells_the_proposer_and_the_co_signers_once(proposal_world):
    world, author, (first, second, third) = proposal_world
    proposal = propose(author)
    services.sign_proposal(actor=first, proposal=proposal)
    assert told("qualified") == []
    services.sign_proposal(actor=second, proposal=proposal)
    assert told("qualified") == sorted([author.username, first.username, second.username])
    assert told("qualified", "email") == [author.username]
    services.sign_proposal(actor=third, proposal=proposal)  # support after the threshold: no second message
    assert Message.objects.filter(kind="proposals.qualified", channel="inapp").count() == 3
    message = Message.objects.get(kind="proposals.qualified", recipient=author, channel="inapp")
    assert message.subject == "联署人数已达标：3座加装电动车充电桩"
    assert "2 位邻居联署" in message.text and message.link == reverse("proposals_portal:detail", args=[proposal.pk])


def test_a_signature_rolled_back_tells_nobody(proposal_world):
    world, author, (first, second, _third) = proposal_world
    proposal = propose(author)
    services.sign_proposal(actor=first, proposal=proposal)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.sign_proposal(actor=second, proposal=proposal)
        raise RuntimeError("rolled back")
    assert told("qualified") == []


def test_the_published_answer_reaches_the_supporters_on_their_channels(proposal_world):
    world, author, (first, second, _third) = proposal_world
    Preference.objects.create(user=author, kind="proposals.answered", channel="email", enabled=False)
    proposal = propose(author)
    for signer in (first, second):
        services.sign_proposal(actor=signer, proposal=proposal)
    proposal.refresh_from_db()
    staff = world.users["staff"]
    proposal = services.answer(actor=staff, proposal=proposal, kind="partly", text="先在3座试点。", publish=False)
    assert told("answered") == []  # not published yet: nobody reads it
    services.publish_answer(actor=staff, proposal=proposal)
    assert told("answered") == sorted([author.username, first.username, second.username])
    assert told("answered", "email") == []  # the author switched e-mail off
    message = Message.objects.get(kind="proposals.answered", recipient=author)
    assert message.subject == "您的提案已获答复：3座加装电动车充电桩"
    assert "部分采纳" in message.text and "先在3座试点。" in message.text
