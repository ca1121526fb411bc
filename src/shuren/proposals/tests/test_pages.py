"""The resident's pages (/my/proposals/) and the staff console (/proposals/)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuren.people.residency import places_of
from shuren.proposals import services
from shuren.proposals.models import Proposal, ProposalPolicy, ProposalStatus

pytestmark = pytest.mark.django_db


def building_key(user):
    return next(p.key for p in places_of(user) if p.key.startswith("building"))


def test_a_resident_proposes_from_the_phone_and_a_neighbour_cosigns(co_world, client, verified_client):
    ProposalPolicy.objects.create(community=co_world.tree["com_a"], signature_threshold=1, signing_days=30)
    author = co_world.resident(room="101", name="林小梅")
    verified_client(author)
    page = client.get(reverse("proposals_portal:new"))
    assert page.status_code == 200 and "富丰新城 3座" in page.content.decode()
    bad = client.post(
        reverse("proposals_portal:new"), {"place": building_key(author), "title": "加装充电桩", "body": ""}
    )
    assert bad.status_code == 400 and "加装充电桩" in bad.content.decode()  # what was typed stays
    done = client.post(
        reverse("proposals_portal:new"),
        {"place": building_key(author), "title": "加装充电桩", "body": "架空层加装集中充电桩"},
    )
    proposal = Proposal.objects.get()
    assert done.status_code == 302 and done.url == reverse("proposals_portal:detail", args=[proposal.pk])
    own = client.get(done.url).content.decode()
    assert 'data-testid="sign"' not in own and 'data-testid="withdraw"' in own

    neighbour = co_world.resident(room="102", name="陈大文")
    verified_client(neighbour)
    listing = client.get(reverse("proposals_portal:index")).content.decode()
    assert "加装充电桩" in listing and "<progress" in listing
    response = client.post(reverse("proposals_portal:sign", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.QUALIFIED and proposal.signature_count == 1
    again = client.post(reverse("proposals_portal:sign", args=[proposal.pk]), follow=True).content.decode()
    assert "已联署过" in again and "陈*" in again and "陈大文" not in again


def test_residents_elsewhere_do_not_see_the_proposal(co_world, client, verified_client):
    proposal = services.submit_proposal(
        actor=co_world.resident(room="101"),
        title="t",
        body="b",
        place_key=f"unit:{co_world.b3.units.get(number='1单元').pk}",
    )
    verified_client(co_world.resident(unit="2单元", room="101"))
    assert client.get(reverse("proposals_portal:detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("proposals_portal:sign", args=[proposal.pk])).status_code == 404
    assert "no-proposals" in client.get(reverse("proposals_portal:index")).content.decode()


def test_staff_answer_and_publish_and_the_resident_reads_it(co_world, client, verified_client):
    ProposalPolicy.objects.create(community=co_world.tree["com_a"], signature_threshold=1, signing_days=30)
    author = co_world.resident(room="101")
    proposal = services.submit_proposal(actor=author, title="加装充电桩", body="b", place_key=building_key(author))
    services.sign_proposal(actor=co_world.resident(room="102", name="王五"), proposal=proposal)
    proposal.refresh_from_db()
    verified_client(co_world.users["staff"])
    listing = client.get(reverse("proposals:list"), {"status": "qualified"}).content.decode()
    assert proposal.reference in listing
    detail = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "王*" in detail and "王五" not in detail and 'data-testid="answer-form"' in detail
    empty = client.post(
        reverse("proposals:answer", args=[proposal.pk]), {"kind": "adopted", "text": "", "version": proposal.version}
    )
    assert empty.status_code == 400
    client.post(
        reverse("proposals:answer", args=[proposal.pk]),
        {"kind": "adopted", "text": "物业将于6月底前完成安装", "version": proposal.version},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ANSWERED and not proposal.answer_published_at
    verified_client(author)
    assert (
        "物业将于6月底前完成安装"
        not in client.get(reverse("proposals_portal:detail", args=[proposal.pk])).content.decode()
    )
    verified_client(co_world.users["staff"])
    client.post(reverse("proposals:publish", args=[proposal.pk]), {"version": proposal.version})
    verified_client(author)
    assert (
        "物业将于6月底前完成安装" in client.get(reverse("proposals_portal:index"), {"tab": "answered"}).content.decode()
    )


def test_console_is_scoped_and_policies_are_edited(co_world, client, verified_client):
    author = co_world.resident(room="101")
    proposal = services.submit_proposal(actor=author, title="t", body="b", place_key=building_key(author))
    verified_client(co_world.users["staff_b"])
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("proposals:policy_edit", args=[co_world.tree["com_a"].pk])).status_code == 404
    verified_client(co_world.users["staff"])
    assert client.get(reverse("proposals:policies")).status_code == 200
    url = reverse("proposals:policy_edit", args=[co_world.tree["com_a"].pk])
    assert client.post(url, {"signature_threshold": 0, "signing_days": 20}).status_code == 400
    assert client.post(url, {"signature_threshold": 15, "signing_days": 20}).status_code == 302
    assert ProposalPolicy.objects.get(community=co_world.tree["com_a"]).signature_threshold == 15
    refused = client.post(
        reverse("proposals:inadmissible", args=[proposal.pk]), {"reason": "个人私事", "version": proposal.version}
    )
    assert refused.status_code == 302
    verified_client(co_world.users["subdistrict"])  # reads, does not manage
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 200
    assert client.post(reverse("proposals:answer", args=[proposal.pk]), {}).status_code == 403
