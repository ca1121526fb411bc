"""Many neighbours co-signing one proposal at the same moment, in real threads on PostgreSQL: the
count ends exact, the proposal qualifies once and ``proposal_qualified`` is sent once; the same
person signing twice at once leaves one signature and a clear message for the other attempt."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError

from shuren.accounts.models import User
from shuren.core.testing import run_at_once
from shuren.people.residency import places_of
from shuren.proposals import services
from shuren.proposals.models import CoSignature, Proposal, ProposalPolicy, ProposalStatus
from shuren.proposals.signals import proposal_qualified

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]

SIGNERS = 12
THRESHOLD = 8


def run_together(jobs):
    """Each job in its own thread and connection, all released at once: "signed" or "refused: <why>"."""

    def outcome_of(job):
        def attempt(start):
            start()
            try:
                job()
            except ValidationError as exc:
                return "refused: " + " ".join(exc.messages)
            return "signed"

        return attempt

    return run_at_once([outcome_of(job) for job in jobs], timeout=90)


def test_concurrent_cosigners_end_with_the_exact_count_and_one_qualification(co_world):
    ProposalPolicy.objects.create(community=co_world.tree["com_a"], signature_threshold=THRESHOLD, signing_days=30)
    author = co_world.resident(room="101")
    place = next(p for p in places_of(author) if p.key.startswith("building"))
    proposal = services.submit_proposal(
        actor=author, title="3座加装电动车充电桩", body="集中充电，杜绝飞线", place_key=place.key
    )
    rooms = [f"{floor}0{n}" for floor in range(2, 6) for n in range(1, 4)][:SIGNERS]
    usernames = [co_world.resident(room=room).username for room in rooms]
    sent: list[int] = []
    lock = threading.Lock()

    def receiver(sender, proposal, **kwargs):
        with lock:
            sent.append(proposal.pk)

    proposal_qualified.connect(receiver, weak=False)
    try:

        def signer(username):
            return lambda: services.sign_proposal(
                actor=User.objects.get(username=username), proposal=Proposal.objects.get(pk=proposal.pk)
            )

        outcomes = run_together([signer(name) for name in usernames])
    finally:
        proposal_qualified.disconnect(receiver)
    assert outcomes == ["signed"] * SIGNERS
    proposal.refresh_from_db()
    assert proposal.signature_count == SIGNERS == CoSignature.objects.filter(proposal=proposal).count()
    assert proposal.status == ProposalStatus.QUALIFIED
    assert sent == [proposal.pk]
    assert proposal.events.filter(kind="qualified").count() == 1


def test_the_same_person_signing_twice_at_once_counts_once(co_world):
    author = co_world.resident(room="101")
    place = next(p for p in places_of(author) if p.key.startswith("building"))
    proposal = services.submit_proposal(actor=author, title="楼道加装照明", body="晚上楼道太暗", place_key=place.key)
    username = co_world.resident(room="102").username

    def sign():
        services.sign_proposal(actor=User.objects.get(username=username), proposal=Proposal.objects.get(pk=proposal.pk))

    outcomes = run_together([sign, sign, sign])
    assert sorted(outcomes)[0] == "refused: 您已联署过此提案。"
    assert outcomes.count("signed") == 1
    proposal.refresh_from_db()
    assert proposal.signature_count == 1 == CoSignature.objects.filter(proposal=proposal).count()
