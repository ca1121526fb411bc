"""A match from proposal to done: who may take each step, what it does to the need and to what the
resource has left."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.lists import services
from shuren.lists.models import MatchStatus, NeedStatus
from shuren.lists.services import NotEnoughLeft

pytestmark = pytest.mark.django_db


def test_staff_propose_the_unit_accepts_staff_record_it_done(lists_world):
    staff, contact = lists_world.users["staff"], lists_world.users["pm_contact"]
    need = lists_world.need(quantity=2)
    resource = lists_world.resource(capacity=5)
    match = services.propose_match(actor=staff, need=need, resource=resource)
    need.refresh_from_db()
    assert (match.status, match.quantity, need.status) == (MatchStatus.PROPOSED, 2, NeedStatus.MATCHED)
    assert "同一网格" in match.reason or "Same grid" in match.reason
    services.accept_match(actor=contact, match=match)
    need.refresh_from_db()
    resource.refresh_from_db()
    assert (need.status, resource.remaining) == (NeedStatus.IN_PROGRESS, 3)
    services.complete_match(actor=staff, match=match, outcome="已更换两盏楼道灯")
    need.refresh_from_db()
    match.refresh_from_db()
    assert (need.status, match.status) == (NeedStatus.DONE, MatchStatus.DONE)
    assert need.done_at is not None and need.outcome == "已更换两盏楼道灯"
    codes = set(AuditEvent.objects.filter(action__startswith="lists.match").values_list("action", flat=True))
    assert codes == {"lists.match_propose", "lists.match_accept", "lists.match_complete"}


def test_only_the_units_contact_answers_not_staff_nor_a_plain_member_nor_another_unit(lists_world):
    match = services.propose_match(
        actor=lists_world.users["staff"], need=lists_world.need(), resource=lists_world.resource()
    )
    with pytest.raises(NotPermitted):
        services.accept_match(actor=lists_world.users["staff"], match=match)
    for stranger in ("pm_member", "lawyer", "staff_b"):
        with pytest.raises(OutOfScope):
            services.accept_match(actor=lists_world.users[stranger], match=match)
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_a_declined_proposal_reopens_the_need(lists_world):
    need = lists_world.need()
    match = services.propose_match(actor=lists_world.users["staff"], need=need, resource=lists_world.resource())
    services.decline_match(actor=lists_world.users["pm_contact"], match=match, reason="本周工程部人手不足")
    need.refresh_from_db()
    match.refresh_from_db()
    assert (need.status, match.status, match.answer) == (NeedStatus.OPEN, MatchStatus.DECLINED, "本周工程部人手不足")
    with pytest.raises(ValidationError):
        services.decline_match(actor=lists_world.users["pm_contact"], match=match, reason="  ")


def test_accepting_more_than_is_left_is_refused_and_nothing_changes(lists_world):
    staff, contact = lists_world.users["staff"], lists_world.users["pm_contact"]
    resource = lists_world.resource(capacity=3)
    first = services.propose_match(actor=staff, need=lists_world.need(quantity=2), resource=resource)
    second = services.propose_match(actor=staff, need=lists_world.need(title="另一栋", quantity=2), resource=resource)
    services.accept_match(actor=contact, match=first)
    with pytest.raises(NotEnoughLeft):
        services.accept_match(actor=contact, match=second)
    resource.refresh_from_db()
    second.refresh_from_db()
    assert (resource.remaining, second.status) == (1, MatchStatus.PROPOSED)


def test_a_resource_is_offered_to_a_need_once_and_never_beyond_what_is_left(lists_world):
    staff = lists_world.users["staff"]
    need = lists_world.need(quantity=1)
    resource = lists_world.resource(capacity=2)
    services.propose_match(actor=staff, need=need, resource=resource)
    with pytest.raises(InvalidTransition):
        services.propose_match(actor=staff, need=need, resource=resource)
    with pytest.raises(ValidationError):
        services.propose_match(actor=staff, need=lists_world.need(title="多"), resource=resource, quantity=3)


def test_withdrawing_an_accepted_match_gives_back_what_it_took(lists_world):
    staff = lists_world.users["staff"]
    need = lists_world.need(quantity=2)
    resource = lists_world.resource(capacity=4)
    match = services.propose_match(actor=staff, need=need, resource=resource)
    services.accept_match(actor=lists_world.users["pm_contact"], match=match)
    services.withdraw_match(actor=staff, match=match, reason="居民已自行解决")
    resource.refresh_from_db()
    need.refresh_from_db()
    assert (resource.remaining, need.status) == (4, NeedStatus.OPEN)
