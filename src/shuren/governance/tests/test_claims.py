"""Claiming and carrying out items: who may claim, one holder at a time, progress with photos,
release, report done, verification (points and the ``item_verified`` signal), return, lapse."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion
from shuren.governance import services
from shuren.governance.models import Claim, ClaimStatus, GovernancePolicy, ItemStatus, UpdateKind
from shuren.governance.signals import item_verified
from shuren.governance.workflow import allowed_actions

pytestmark = pytest.mark.django_db


def photo(name: str = "p.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_party_member_claims_an_open_item_and_holds_it(gov_world):
    item = gov_world.item()
    claim = services.claim_item(actor=gov_world.users["party_member"], item=item, version=item.version, note="我来跟进")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLAIMED
    assert (claim.person, claim.organization, claim.status) == (gov_world.people["party_member"], None, "active")
    assert claim.lapses_at == claim.last_progress_at + dt.timedelta(days=7)
    row = item.updates.get(kind=UpdateKind.CLAIMED)
    assert row.claim == claim and "张天宝" in row.text and "我来跟进" in row.text
    assert AuditEvent.objects.filter(action="governance.claim", object_id=str(item.pk)).count() == 1
    assert allowed_actions(item, actor=gov_world.users["party_member"]) == ["progress", "submit", "release"]


def test_a_volunteer_may_claim_for_themself(gov_world):
    item = gov_world.item()
    claim = services.claim_item(actor=gov_world.users["volunteer"], item=item, version=item.version)
    assert claim.person == gov_world.people["volunteer"]


def test_a_resident_who_is_neither_party_member_nor_volunteer_cannot_claim(gov_world):
    item = gov_world.item()
    assert "claim" not in allowed_actions(item, actor=gov_world.users["resident"])
    with pytest.raises(NotPermitted):
        services.claim_item(actor=gov_world.users["resident"], item=item, version=item.version)
    assert not Claim.objects.exists()


def test_a_member_claims_for_their_organisation_and_every_current_member_holds_it(gov_world):
    item = gov_world.item()
    org = gov_world.property_manager
    claim = services.claim_item(actor=gov_world.users["pm_member"], item=item, version=item.version, organization=org)
    assert (claim.person, claim.organization) == (None, org)
    item.refresh_from_db()
    assert "submit" in allowed_actions(item, actor=gov_world.users["pm_member"])
    assert "submit" not in allowed_actions(item, actor=gov_world.users["party_member"])


def test_nobody_claims_for_an_organisation_they_do_not_belong_to(gov_world):
    item = gov_world.item()
    with pytest.raises(NotPermitted):
        services.claim_item(
            actor=gov_world.users["party_member"],
            item=item,
            version=item.version,
            organization=gov_world.property_manager,
        )


def test_staff_record_a_claim_for_an_eligible_resident_or_an_organisation(gov_world):
    staff = gov_world.users["staff"]
    item = gov_world.item()
    claim = services.claim_item(actor=staff, item=item, version=item.version, person=gov_world.people["party_member2"])
    assert claim.person == gov_world.people["party_member2"] and claim.claimed_by == staff
    other = gov_world.item(title="楼道杂物清理")
    with pytest.raises(ValidationError) as caught:
        services.claim_item(actor=staff, item=other, version=other.version, person=gov_world.people["resident"])
    assert "person" in caught.value.message_dict
    claim = services.claim_item(actor=staff, item=other, version=other.version, organization=gov_world.volunteer_team)
    assert claim.organization == gov_world.volunteer_team


def test_a_second_claimant_is_told_who_holds_the_item(gov_world):
    item = gov_world.claimed("party_member")
    with pytest.raises(InvalidTransition) as caught:
        services.claim_item(actor=gov_world.users["volunteer"], item=item, version=item.version)
    assert caught.value.code == "already-claimed"
    assert "张**" in caught.value.detail  # residents see the holder's name masked
    assert Claim.objects.filter(item=item).count() == 1


def test_the_database_refuses_a_second_active_claim_and_the_service_names_the_holder(gov_world):
    """Two claimants who both read the item open: the partial unique index lets one through."""
    item = gov_world.item()
    stale_view = type(item).objects.get(pk=item.pk)
    services.claim_item(actor=gov_world.users["volunteer"], item=item, version=item.version)
    with pytest.raises(InvalidTransition) as caught:
        # The second claimant's page still showed the item open, at the version they read.
        services.claim_item(actor=gov_world.users["party_member"], item=stale_view, version=stale_view.version)
    assert caught.value.code == "already-claimed" and "陈**" in caught.value.detail
    assert Claim.objects.filter(item=item, status=ClaimStatus.ACTIVE).count() == 1


def test_items_of_another_community_cannot_be_claimed(gov_world):
    item = gov_world.item(actor=gov_world.users["staff_b"], area=gov_world.tree["com_b"], estate=None)
    with pytest.raises(OutOfScope):
        services.claim_item(actor=gov_world.users["party_member"], item=item, version=item.version)


def test_a_stale_version_changes_nothing(gov_world):
    item = gov_world.item()
    old = item.version
    services.edit_item(actor=gov_world.users["staff"], item=item, version=old, points=30)
    item.refresh_from_db()
    with pytest.raises(StaleVersion):
        services.claim_item(actor=gov_world.users["party_member"], item=item, version=old)
    assert not Claim.objects.exists()


def test_progress_with_photos_moves_the_lapse_time(gov_world):
    GovernancePolicy.objects.create(community=gov_world.tree["com_a"], claim_lapse_days=3)
    item = gov_world.claimed()
    claim = item.claims.get()
    item = services.record_progress(
        actor=gov_world.users["party_member"],
        item=item,
        version=item.version,
        text="已与物业对接",
        photos=[photo(), photo()],
    )
    claim.refresh_from_db()
    note = item.updates.get(kind=UpdateKind.PROGRESS)
    assert note.photos.count() == 2
    assert claim.lapses_at == claim.last_progress_at + dt.timedelta(days=3)
    assert claim.last_progress_at == note.at


def test_progress_refuses_a_file_that_is_not_a_photo_and_stores_nothing(gov_world):
    item = gov_world.claimed()
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.record_progress(
            actor=gov_world.users["party_member"], item=item, version=item.version, text="x", photos=[bad]
        )
    assert not item.updates.filter(kind=UpdateKind.PROGRESS).exists()


def test_only_the_holder_reports_progress_releases_or_submits(gov_world):
    item = gov_world.claimed("party_member")
    for action in (services.record_progress, services.submit_item):
        with pytest.raises(NotPermitted):
            action(actor=gov_world.users["volunteer"], item=item, version=item.version, text="不是我的")
    with pytest.raises(NotPermitted):
        services.release_claim(actor=gov_world.users["volunteer"], item=item, version=item.version)


def test_release_opens_the_item_again(gov_world):
    item = gov_world.claimed()
    item = services.release_claim(
        actor=gov_world.users["party_member"], item=item, version=item.version, reason="工作调动"
    )
    assert item.status == ItemStatus.OPEN
    assert item.claims.get().status == ClaimStatus.RELEASED
    claim = services.claim_item(actor=gov_world.users["volunteer"], item=item, version=item.version)
    assert claim.status == ClaimStatus.ACTIVE


def test_staff_withdraw_a_claim_with_a_reason(gov_world):
    item = gov_world.claimed()
    item = services.withdraw_claim(actor=gov_world.users["staff"], item=item, version=item.version, reason="联系不上")
    assert item.status == ItemStatus.OPEN and item.claims.get().status == ClaimStatus.WITHDRAWN


def test_verification_credits_the_points_and_announces_once_after_commit(gov_world, django_capture_on_commit_callbacks):
    item = gov_world.submitted(points=15)
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    item_verified.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            item = services.verify_item(
                actor=gov_world.users["staff"], item=item, version=item.version, note="现场核实"
            )
            assert received == []  # nothing is announced before the transaction commits
        for callback in callbacks:
            callback()
    finally:
        item_verified.disconnect(listener)
    assert len(received) == 1
    [sent] = received
    assert sent["item"].pk == item.pk and sent["points"] == 15 and sent["verified_by"] == gov_world.users["staff"]
    assert sent["claim"].person == gov_world.people["party_member"]
    assert (item.status, item.verified_by) == (ItemStatus.DONE, gov_world.users["staff"])
    assert item.claims.get().status == ClaimStatus.COMPLETED
    assert item.updates.get(kind=UpdateKind.VERIFIED).points == 15


def test_a_failed_verification_announces_nothing(gov_world, django_capture_on_commit_callbacks):
    item = gov_world.submitted()
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    item_verified.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(StaleVersion):
                services.verify_item(actor=gov_world.users["staff"], item=item, version=item.version - 1)
    finally:
        item_verified.disconnect(listener)
    assert received == []


def test_grid_workers_manage_but_do_not_verify(gov_world):
    item = gov_world.submitted(building=gov_world.buildings[0], estate=None)
    assert "verify" not in allowed_actions(item, actor=gov_world.users["grid_worker"])
    with pytest.raises(NotPermitted):
        services.verify_item(actor=gov_world.users["grid_worker"], item=item, version=item.version)


def test_return_sends_the_item_back_and_restarts_the_lapse_time(gov_world):
    item = gov_world.submitted()
    item = services.return_item(
        actor=gov_world.users["staff"], item=item, version=item.version, reason="还缺少现场照片"
    )
    assert item.status == ItemStatus.CLAIMED
    claim = item.claims.get()
    assert claim.status == ClaimStatus.ACTIVE and claim.lapses_at > timezone.now() + dt.timedelta(days=6)
    with pytest.raises(ValidationError):
        services.return_item(actor=gov_world.users["staff"], item=item, version=item.version, reason="")


def test_a_claim_without_progress_lapses_and_the_item_opens_again(gov_world):
    item = gov_world.claimed()
    fresh = gov_world.claimed("volunteer", title="泳池积水清理")
    later = timezone.now() + dt.timedelta(days=7, minutes=1)
    services.record_progress(actor=gov_world.users["volunteer"], item=fresh, version=fresh.version, text="已联系物业")
    Claim.objects.filter(item=fresh).update(lapses_at=later + dt.timedelta(days=1))
    assert services.lapse_overdue_claims(later) == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN
    assert item.claims.get().status == ClaimStatus.LAPSED
    assert item.updates.last().kind == UpdateKind.LAPSED
    assert AuditEvent.objects.filter(action="governance.lapse", object_id=str(item.pk)).count() == 1
    fresh.refresh_from_db()
    assert fresh.status == ItemStatus.CLAIMED
    assert services.lapse_overdue_claims(later) == 0  # running again changes nothing


def test_submitted_items_do_not_lapse_while_waiting_for_verification(gov_world):
    item = gov_world.submitted()
    assert services.lapse_overdue_claims(timezone.now() + dt.timedelta(days=30)) == 0
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED


def test_the_lapse_command_reports_what_it_did(gov_world, capsys):
    item = gov_world.claimed()
    Claim.objects.filter(item=item).update(lapses_at=timezone.now() - dt.timedelta(minutes=1))
    call_command("governance", "lapse")
    assert "claims lapsed: 1" in capsys.readouterr().out
