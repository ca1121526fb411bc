"""The resident portal (/my/governance/): open items of my community, claiming, my claims with
progress and photos, release and report done, wishes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuren.governance import services
from shuren.governance.models import Claim, GovernanceItem, ItemStatus, UpdateKind

from .test_claims import photo

pytestmark = pytest.mark.django_db


def test_residents_see_the_open_items_of_their_community_only(gov_world, verified_client):
    gov_world.item(title="泳池积水落叶清理")
    gov_world.item(title="金旗峰的事项", actor=gov_world.users["staff_b"], area=gov_world.tree["com_b"], estate=None)
    gov_world.claimed(title="已经有人认领")
    text = verified_client(gov_world.users["party_member2"]).get(reverse("governance_portal:home")).content.decode()
    assert "泳池积水落叶清理" in text
    assert "金旗峰的事项" not in text and "已经有人认领" not in text


def test_a_party_member_claims_from_the_phone_and_reports_progress_with_photos(gov_world, verified_client):
    item = gov_world.item()
    client = verified_client(gov_world.users["party_member"])
    page = client.get(reverse("governance_portal:detail", args=[item.pk])).content.decode()
    assert 'data-action="claim"' in page
    response = client.post(
        reverse("governance_portal:action", args=[item.pk, "claim"]), {"version": item.version, "claimant": "self"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.CLAIMED
    assert "富丰新城电动车充电桩扩建" in client.get(reverse("governance_portal:my_claims")).content.decode()
    response = client.post(
        reverse("governance_portal:action", args=[item.pk, "progress"]),
        {"version": item.version, "text": "已与物业商定加装位置", "photos": [photo()]},
    )
    assert response.status_code == 302
    note = item.updates.get(kind=UpdateKind.PROGRESS)
    [picture] = list(note.photos.all())
    served = client.get(reverse("governance_portal:photo", args=[item.pk, picture.pk]))
    assert served.status_code == 200
    item.refresh_from_db()
    client.post(
        reverse("governance_portal:action", args=[item.pk, "submit"]),
        {"version": item.version, "text": "20个充电口已投入使用"},
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED


def test_a_failed_progress_note_keeps_the_text(gov_world, verified_client):
    item = gov_world.claimed()
    client = verified_client(gov_world.users["party_member"])
    response = client.post(
        reverse("governance_portal:action", args=[item.pk, "progress"]),
        {"version": item.version, "text": "已清理一半", "photos": [SimpleUploadedFile("x.jpg", b"nope")]},
    )
    assert response.status_code == 400
    assert "已清理一半" in response.content.decode()


def test_a_plain_resident_is_told_who_may_claim_and_cannot(gov_world, verified_client):
    item = gov_world.item()
    client = verified_client(gov_world.users["resident"])
    home = client.get(reverse("governance_portal:home")).content.decode()
    assert 'data-testid="who-may-claim"' in home
    page = client.get(reverse("governance_portal:detail", args=[item.pk])).content.decode()
    assert 'data-action="claim"' not in page
    response = client.post(
        reverse("governance_portal:action", args=[item.pk, "claim"]), {"version": item.version, "claimant": "self"}
    )
    assert response.status_code in (302, 400)
    assert not Claim.objects.exists()


def test_the_second_claimant_reads_who_holds_the_item(gov_world, verified_client):
    item = gov_world.item()
    version = item.version
    services.claim_item(actor=gov_world.users["volunteer"], item=item, version=version)
    client = verified_client(gov_world.users["party_member"])
    response = client.post(
        reverse("governance_portal:action", args=[item.pk, "claim"]),
        {"version": version, "claimant": "self"},
        follow=True,
    )
    text = response.content.decode()
    assert "陈**" in text and "陈志强" not in text
    assert Claim.objects.filter(item=item).count() == 1


def test_a_member_claims_for_their_organisation(gov_world, verified_client):
    item = gov_world.item()
    client = verified_client(gov_world.users["pm_member"])
    page = client.get(reverse("governance_portal:detail", args=[item.pk])).content.decode()
    assert "富丰物业" in page
    client.post(
        reverse("governance_portal:action", args=[item.pk, "claim"]),
        {"version": item.version, "claimant": f"org:{gov_world.property_manager.pk}"},
    )
    assert Claim.objects.get(item=item).organization == gov_world.property_manager


def test_items_of_another_community_answer_404(gov_world, verified_client):
    item = gov_world.item(actor=gov_world.users["staff_b"], area=gov_world.tree["com_b"], estate=None)
    client = verified_client(gov_world.users["party_member"])
    assert client.get(reverse("governance_portal:detail", args=[item.pk])).status_code == 404
    response = client.post(
        reverse("governance_portal:action", args=[item.pk, "claim"]), {"version": item.version, "claimant": "self"}
    )
    assert response.status_code == 404


def test_the_holder_releases_the_claim(gov_world, verified_client):
    item = gov_world.claimed()
    client = verified_client(gov_world.users["party_member"])
    client.post(reverse("governance_portal:action", args=[item.pk, "release"]), {"version": item.version})
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_a_resident_makes_a_wish_and_follows_it(gov_world, verified_client):
    client = verified_client(gov_world.users["resident"])
    assert client.get(reverse("governance_portal:make_wish")).status_code == 200
    failed = client.post(reverse("governance_portal:make_wish"), {"title": "", "description": "母亲独居，行动不便"})
    assert failed.status_code == 400 and "母亲独居，行动不便" in failed.content.decode()
    response = client.post(
        reverse("governance_portal:make_wish"),
        {"title": "希望有人陪母亲去医院复诊", "description": "母亲独居，行动不便"},
    )
    wish = GovernanceItem.objects.get(title="希望有人陪母亲去医院复诊")
    assert response.status_code == 302 and wish.status == ItemStatus.PROPOSED
    assert wish.building == gov_world.buildings[0]
    assert "希望有人陪母亲去医院复诊" in client.get(reverse("governance_portal:my_wishes")).content.decode()
    assert client.get(reverse("governance_portal:detail", args=[wish.pk])).status_code == 200
    # Neighbours do not see it before the community lists it.
    neighbour = verified_client(gov_world.users["party_member"])
    assert neighbour.get(reverse("governance_portal:detail", args=[wish.pk])).status_code == 404
