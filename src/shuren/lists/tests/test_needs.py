"""Recording needs: scope, place, links to their source, closing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.lists import selectors, services
from shuren.lists.models import MatchStatus, NeedEvent, NeedSource, NeedStatus

pytestmark = pytest.mark.django_db


def test_a_need_belongs_to_its_place_and_is_audited(lists_world):
    need = lists_world.need(building=lists_world.building, area=None)
    assert need.area == lists_world.tree["grid_a1"]
    assert need.scope == lists_world.building.scope
    assert need.status == NeedStatus.OPEN
    assert NeedEvent.objects.filter(need=need, kind="created").count() == 1
    assert AuditEvent.objects.filter(action="lists.need_create", object_id=str(need.pk)).exists()


def test_staff_of_another_community_can_neither_record_nor_see_a_need(lists_world):
    with pytest.raises(OutOfScope):
        lists_world.need(actor=lists_world.users["staff_b"])
    need = lists_world.need()
    assert not selectors.visible_needs(lists_world.users["staff_b"]).filter(pk=need.pk).exists()
    assert selectors.visible_needs(lists_world.users["grid_worker"]).filter(pk=need.pk).exists()


def test_a_grid_worker_records_needs_in_their_grid_only(lists_world):
    need = lists_world.need(actor=lists_world.users["grid_worker"])
    assert need.pk
    with pytest.raises(OutOfScope):
        lists_world.need(actor=lists_world.users["grid_worker"], area=lists_world.tree["grid_a2"])


def test_a_building_outside_the_chosen_grid_is_refused(lists_world):
    with pytest.raises(ValidationError) as error:
        lists_world.need(area=lists_world.tree["grid_a2"], building=lists_world.building)
    assert "building" in error.value.message_dict


def test_a_need_from_an_appeal_keeps_the_link_and_a_second_click_adds_nothing(lists_world, make_appeal):
    appeal = make_appeal(area=lists_world.tree["grid_a1"])
    need = services.need_from_appeal(actor=lists_world.users["staff"], appeal=appeal)
    assert (need.source, need.source_type, need.source_id) == (NeedSource.APPEAL, "appeals.appeal", appeal.pk)
    assert appeal.category.name in need.title
    again = services.need_from_appeal(actor=lists_world.users["staff"], appeal=appeal)
    assert again.pk == need.pk


def test_a_need_from_an_appeal_one_cannot_see_is_not_found(lists_world, make_appeal):
    appeal = make_appeal(area=lists_world.tree["grid_a1"])
    with pytest.raises(OutOfScope):
        services.need_from_appeal(actor=lists_world.users["staff_b"], appeal=appeal)


def test_closing_a_need_withdraws_its_matches_and_gives_back_what_they_took(lists_world):
    need = lists_world.need(quantity=2)
    resource = lists_world.resource(capacity=5)
    match = services.propose_match(actor=lists_world.users["staff"], need=need, resource=resource)
    services.accept_match(actor=lists_world.users["pm_contact"], match=match)
    resource.refresh_from_db()
    assert resource.remaining == 3
    need.refresh_from_db()
    closed = services.close_need(actor=lists_world.users["staff"], need=need, version=need.version, reason="已搬离")
    assert closed.status == NeedStatus.CLOSED
    match.refresh_from_db()
    resource.refresh_from_db()
    assert match.status == MatchStatus.WITHDRAWN
    assert resource.remaining == 5
    with pytest.raises(InvalidTransition):
        services.close_need(actor=lists_world.users["staff"], need=closed, version=closed.version, reason="再关一次")


def test_done_needs_count_counts_the_done_needs_of_an_area_since_a_moment(lists_world):
    from django.utils import timezone

    start = timezone.now()
    need = lists_world.need()
    match = services.propose_match(actor=lists_world.users["staff"], need=need, resource=lists_world.resource())
    services.accept_match(actor=lists_world.users["pm_contact"], match=match)
    services.complete_match(actor=lists_world.users["staff"], match=match, outcome="已更换灯管")
    lists_world.need(title="另一项需求")
    assert selectors.done_needs_count(lists_world.tree["com_a"], start) == 1
    assert selectors.done_needs_count(lists_world.tree["sub_a"]) == 1
    assert selectors.done_needs_count(lists_world.tree["com_b"]) == 0
    assert selectors.done_needs_count(lists_world.tree["com_a"], timezone.now()) == 0
