"""Gathering items: who may put what on the list, where, linked to what; editing and cancelling;
residents' wishes and their review; lists and the community's policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shuren.appeals.models import Appeal, Category
from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion
from shuren.governance import services
from shuren.governance.models import (
    ClaimStatus,
    GovernancePolicy,
    ItemKind,
    ItemSource,
    ItemStatus,
    UpdateKind,
)

pytestmark = pytest.mark.django_db


def _appeal(world, area):
    return Appeal.objects.create(
        reference=f"T-{area.pk}",
        category=Category.objects.get(code="other"),
        description="泳池积水落叶",
        area=area,
        scope=area.path,
        submitted_at=timezone.now(),
    )


def test_staff_put_an_item_on_the_list_with_a_reference_timeline_and_audit(gov_world):
    item = gov_world.item(priority="high", due_on=timezone.localdate() + dt.timedelta(days=30))
    assert item.status == ItemStatus.OPEN
    assert item.reference.startswith("ZL") and item.reference.endswith(f"{item.pk:06d}")
    assert item.scope == gov_world.estate.scope
    assert [u.kind for u in item.updates.all()] == [UpdateKind.CREATED]
    assert AuditEvent.objects.filter(action="governance.create", object_id=str(item.pk)).count() == 1


def test_a_grid_worker_may_add_items_of_their_grid_but_not_of_the_whole_community(gov_world):
    tree = gov_world.tree
    item = gov_world.item(actor=gov_world.users["grid_worker"], building=gov_world.buildings[0], estate=None)
    assert item.area == tree["grid_a1"]
    with pytest.raises(OutOfScope):  # the community level lies above the grid worker's grants
        gov_world.item(actor=gov_world.users["grid_worker"], area=tree["com_a"], estate=None)


def test_staff_of_another_community_cannot_add_items_here(gov_world):
    with pytest.raises(OutOfScope):
        gov_world.item(actor=gov_world.users["staff_b"])


def test_residents_cannot_put_items_on_the_list(gov_world):
    with pytest.raises(NotPermitted):
        gov_world.item(actor=gov_world.users["party_member"], building=gov_world.buildings[0])


def test_an_item_from_an_appeal_must_link_an_appeal_the_actor_can_see(gov_world):
    tree = gov_world.tree
    own = _appeal(gov_world, tree["grid_a1"])
    item = gov_world.item(source=ItemSource.APPEAL, appeal=own)
    assert item.appeal == own
    foreign = _appeal(gov_world, tree["grid_b1"])
    with pytest.raises(ValidationError) as caught:
        gov_world.item(source=ItemSource.APPEAL, appeal=foreign)
    assert "appeal" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        gov_world.item(source=ItemSource.APPEAL)
    assert "appeal" in caught.value.message_dict


def test_residents_are_not_a_staff_source_and_the_place_must_be_consistent(gov_world):
    with pytest.raises(ValidationError) as caught:
        gov_world.item(source=ItemSource.RESIDENT)
    assert "source" in caught.value.message_dict
    other_estate_building = gov_world.buildings[0]
    from shuren.places.models import Estate

    elsewhere = Estate.objects.create(community=gov_world.tree["com_a"], name="海景花园")
    with pytest.raises(ValidationError):
        gov_world.item(estate=elsewhere, building=other_estate_building)


def test_edit_changes_the_item_from_the_version_read_and_says_what_changed(gov_world):
    item = gov_world.item()
    version = item.version
    item = services.edit_item(
        actor=gov_world.users["staff"], item=item, version=version, title="充电桩扩建（二期）", points=20
    )
    assert (item.title, item.points, item.version) == ("充电桩扩建（二期）", 20, version + 1)
    edit = item.updates.get(kind=UpdateKind.EDITED)
    assert "title" in edit.text and "points" in edit.text
    with pytest.raises(StaleVersion):
        services.edit_item(actor=gov_world.users["staff"], item=item, version=version, title="过期的编辑")


def test_cancelling_needs_a_reason_and_withdraws_the_claim(gov_world):
    item = gov_world.claimed()
    with pytest.raises(ValidationError):
        services.cancel_item(actor=gov_world.users["staff"], item=item, version=item.version, reason=" ")
    item = services.cancel_item(
        actor=gov_world.users["staff"], item=item, version=item.version, reason="已纳入老旧小区改造"
    )
    assert item.status == ItemStatus.CANCELLED
    assert item.claims.get().status == ClaimStatus.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.edit_item(actor=gov_world.users["staff"], item=item, version=item.version, title="x")


# --- wishes --------------------------------------------------------------------------------------


def test_a_wish_is_placed_at_the_residents_building_and_waits_for_review(gov_world):
    wish = services.make_wish(actor=gov_world.users["resident"], title="希望有人帮独居的母亲换灯泡")
    assert (wish.kind, wish.source, wish.status) == (ItemKind.WISH, ItemSource.RESIDENT, ItemStatus.PROPOSED)
    assert wish.building == gov_world.buildings[0]
    assert wish.area == gov_world.tree["grid_a1"]
    assert wish.beneficiary == gov_world.people["resident"]


def test_without_review_a_wish_is_open_at_once(gov_world):
    GovernancePolicy.objects.create(community=gov_world.tree["com_a"], wishes_need_review=False)
    wish = services.make_wish(actor=gov_world.users["resident"], title="想学用智能手机")
    assert wish.status == ItemStatus.OPEN
    assert list(wish.updates.values_list("kind", flat=True)) == [UpdateKind.CREATED, UpdateKind.LISTED]


def test_a_resident_without_a_home_must_say_where(gov_world):
    with pytest.raises(ValidationError) as caught:
        services.make_wish(actor=gov_world.users["volunteer"], title="想要一个读书角")
    assert "building" in caught.value.message_dict
    wish = services.make_wish(
        actor=gov_world.users["volunteer"], title="想要一个读书角", building=gov_world.buildings[1]
    )
    assert wish.building == gov_world.buildings[1]


def test_staff_list_a_wish_with_points_and_deadline_or_decline_it(gov_world):
    staff = gov_world.users["staff"]
    wish = services.make_wish(actor=gov_world.users["resident"], title="独居老人陪同就医")
    due = timezone.localdate() + dt.timedelta(days=14)
    wish = services.list_wish(actor=staff, item=wish, version=wish.version, points=5, due_on=due)
    assert (wish.status, wish.points, wish.due_on) == (ItemStatus.OPEN, 5, due)
    other = services.make_wish(actor=gov_world.users["resident"], title="楼下广场舞太吵")
    with pytest.raises(ValidationError):
        services.decline_wish(actor=staff, item=other, version=other.version, reason="")
    other = services.decline_wish(actor=staff, item=other, version=other.version, reason="请通过邻里调解处理")
    assert other.status == ItemStatus.CANCELLED
    assert other.updates.last().text == "请通过邻里调解处理"


def test_a_resident_cannot_review_wishes(gov_world):
    wish = services.make_wish(actor=gov_world.users["resident"], title="独居老人陪同就医")
    with pytest.raises(NotPermitted):
        services.list_wish(actor=gov_world.users["party_member"], item=wish, version=wish.version)


# --- lists and policy ----------------------------------------------------------------------------


def test_lists_belong_to_a_community_and_items_join_lists_of_their_own_community(gov_world):
    staff = gov_world.users["staff"]
    batch = services.create_list(
        actor=staff,
        community=gov_world.tree["com_a"],
        title="富丰新城2024年第二季度治理清单",
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2024, 6, 30),
    )
    item = gov_world.item(governance_list=batch)
    assert item.governance_list == batch
    with pytest.raises(OutOfScope):
        services.create_list(actor=staff, community=gov_world.tree["com_b"], title="别人的清单")
    other = services.create_list(
        actor=gov_world.users["staff_b"], community=gov_world.tree["com_b"], title="金旗峰清单"
    )
    with pytest.raises(ValidationError) as caught:
        gov_world.item(governance_list=other)
    assert "governance_list" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.edit_list(
            actor=staff, batch=batch, title="x", period_start=dt.date(2024, 6, 1), period_end=dt.date(2024, 5, 1)
        )


def test_policy_is_set_by_staff_of_the_community_only(gov_world):
    com_a = gov_world.tree["com_a"]
    policy = services.set_policy(
        actor=gov_world.users["staff"], community=com_a, claim_lapse_days=14, wishes_need_review=False
    )
    assert (policy.claim_lapse_days, policy.wishes_need_review) == (14, False)
    with pytest.raises(OutOfScope):
        services.set_policy(
            actor=gov_world.users["staff_b"], community=com_a, claim_lapse_days=3, wishes_need_review=True
        )
    with pytest.raises(ValidationError):
        services.set_policy(
            actor=gov_world.users["staff"], community=com_a, claim_lapse_days=0, wishes_need_review=True
        )
