"""Dispatching, returning, re-dispatching, escalating, supervising and merging appeals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from shuren.accounts.roles import Role
from shuren.appeals import services, workflow
from shuren.appeals.dispatching import matching_rules, suggest_organization
from shuren.appeals.models import Appeal, AppealEvent, DispatchRule, EventKind, Level, Status
from shuren.appeals.services import AppealLocation
from shuren.appeals.testing import appeal_notices, appeal_of
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.orgs.models import Organization, OrganizationKind
from shuren.places.services import create_estate

from .test_workflow import act, bring_to, footprint

pytestmark = pytest.mark.django_db


def dispatch(world, appeal: Appeal, organization, *, actor=None, **kwargs) -> Appeal:
    return services.dispatch_appeal(
        actor=actor or world.users["staff"], appeal=appeal, version=appeal.version, organization=organization, **kwargs
    )


def notes_for(user, kind: str) -> list:
    return list(appeal_notices(recipient=user, kind=kind))


# --- what the rules suggest ----------------------------------------------------------------------


def test_a_parent_category_rule_covers_its_children(appeal_world):
    appeal = appeal_world.submit(category="ebike-charging")  # a child of 消防安全 (safety)
    assert suggest_organization(appeal) == appeal_world.property_manager
    assert matching_rules(appeal)[0].category.code == "safety"


def test_the_catch_all_rule_suggests_when_nothing_narrower_matches(appeal_world):
    appeal = appeal_world.submit(category="noise", description="楼上每天晚上十一点以后还在装修")
    assert suggest_organization(appeal) == appeal_world.residents_committee
    assert [rule.category for rule in matching_rules(appeal)] == [None]


def test_a_rule_of_the_district_applies_to_every_community_beneath(appeal_world):
    appeal = appeal_world.submit(category="illegal-parking", description="白色面包车长期占用消防通道")
    assert suggest_organization(appeal) == appeal_world.department


def test_the_lowest_priority_number_wins(appeal_world):
    DispatchRule.objects.create(
        area=appeal_world.tree["district"],
        category=appeal_world.category("ebike-charging"),
        organization=appeal_world.department,
        priority=10,
    )
    appeal = appeal_world.submit()
    assert suggest_organization(appeal) == appeal_world.department


def test_at_equal_priority_the_rule_of_the_narrower_area_wins(appeal_world):
    DispatchRule.objects.create(
        area=appeal_world.tree["grid_a1"],
        category=appeal_world.category("safety"),
        organization=appeal_world.residents_committee,
    )
    DispatchRule.objects.create(
        area=appeal_world.tree["district"],
        category=appeal_world.category("safety"),
        organization=appeal_world.department,
    )
    assert suggest_organization(appeal_world.submit()) == appeal_world.residents_committee


def test_at_equal_priority_and_area_the_rule_naming_the_estate_wins(appeal_world):
    com_a = appeal_world.tree["com_a"]
    site = Organization.objects.create(
        kind=OrganizationKind.PROPERTY_MANAGER, name="富丰物业二期项目部", area=com_a, estate=appeal_world.estate
    )
    DispatchRule.objects.create(
        area=com_a, estate=appeal_world.estate, category=appeal_world.category("safety"), organization=site
    )
    assert suggest_organization(appeal_world.submit()) == site


def test_a_rule_for_another_estate_does_not_match(appeal_world):
    com_a = appeal_world.tree["com_a"]
    other_estate = create_estate(actor=appeal_world.users["staff"], community=com_a, name="金色家园")
    DispatchRule.objects.create(
        area=com_a,
        estate=other_estate,
        category=appeal_world.category("ebike-charging"),
        organization=appeal_world.department,
        priority=1,
    )
    assert suggest_organization(appeal_world.submit()) == appeal_world.property_manager


def test_at_equal_priority_area_and_estate_the_more_specific_category_wins(appeal_world):
    DispatchRule.objects.create(
        area=appeal_world.tree["com_a"],
        category=appeal_world.category("ebike-charging"),
        organization=appeal_world.residents_committee,
    )
    assert suggest_organization(appeal_world.submit()) == appeal_world.residents_committee


def test_inactive_rules_are_ignored(appeal_world):
    DispatchRule.objects.filter(category__code="safety").update(is_active=False)
    assert suggest_organization(appeal_world.submit()) == appeal_world.residents_committee  # the catch-all


def test_no_rule_no_suggestion_and_no_reason_needed(appeal_world):
    staff_b = appeal_world.users["staff_b"]
    appeal = appeal_world.submit(
        actor=staff_b, channel="phone", location=AppealLocation(area=appeal_world.tree["grid_b1"])
    )
    assert suggest_organization(appeal) is None
    appeal = dispatch(appeal_world, appeal, appeal_world.other_manager, actor=staff_b)
    event = appeal.events.get(kind=EventKind.DISPATCH)
    assert event.detail == {"suggested": None, "override_reason": ""}


# --- dispatching ---------------------------------------------------------------------------------


def test_dispatching_to_the_suggestion_needs_no_reason_and_tells_the_handlers(appeal_world):
    appeal = dispatch(appeal_world, appeal_world.submit(), appeal_world.property_manager)
    assert (appeal.status, appeal.organization) == (Status.DISPATCHED, appeal_world.property_manager)
    event = appeal.events.get(kind=EventKind.DISPATCH)
    assert event.detail == {"suggested": appeal_world.property_manager.pk, "override_reason": ""}
    assert event.organization == appeal_world.property_manager
    [note] = notes_for(appeal_world.users["handler"], "assigned")
    assert appeal.reference in note.text
    assert not appeal_notices(kind="assigned").exclude(recipient=appeal_world.users["handler"]).exists()


def test_overriding_the_suggestion_needs_a_reason_that_the_timeline_keeps(appeal_world):
    appeal = appeal_world.submit()
    before = footprint(appeal)
    with pytest.raises(ValidationError) as refused:
        dispatch(appeal_world, appeal, appeal_world.residents_committee, reason="   ")
    assert "reason" in refused.value.message_dict
    assert "富丰物业" in refused.value.message_dict["reason"][0]
    assert footprint(appeal) == before
    appeal = dispatch(appeal_world, appeal, appeal_world.residents_committee, reason="物业已多次劝导无效，居委会上门")
    event = appeal.events.get(kind=EventKind.DISPATCH)
    assert event.detail == {
        "suggested": appeal_world.property_manager.pk,
        "override_reason": "物业已多次劝导无效，居委会上门",
    }


def test_an_organisation_of_another_community_is_refused(appeal_world):
    appeal = appeal_world.submit()
    before = footprint(appeal)
    with pytest.raises(ValidationError) as refused:
        dispatch(appeal_world, appeal, appeal_world.other_manager, reason="试试")
    assert "organization" in refused.value.message_dict
    assert footprint(appeal) == before


def test_a_department_above_the_community_may_be_given_the_appeal(appeal_world):
    appeal = dispatch(appeal_world, appeal_world.submit(), appeal_world.department, reason="涉及违法行为，需执法")
    assert appeal.organization == appeal_world.department
    assert notes_for(appeal_world.users["officer"], "assigned")


def test_sharing_the_contact_is_recorded_and_withdrawn_on_return(appeal_world):
    appeal = dispatch(appeal_world, appeal_world.submit(), appeal_world.property_manager, share_contact=True)
    assert appeal.contact_shared
    appeal = act(appeal_world, appeal, "return")
    assert not appeal.contact_shared


# --- return and re-dispatch ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DISPATCHED, Status.IN_PROGRESS])
def test_appeal_returns_to_dispatcher_when_handler_declines(appeal_world, status):
    appeal = bring_to(appeal_world, status)
    with pytest.raises(ValidationError) as refused:
        services.return_appeal(actor=appeal_world.users["handler"], appeal=appeal, version=appeal.version, reason="")
    assert "reason" in refused.value.message_dict
    appeal = act(appeal_world, appeal, "return")
    assert appeal.status == Status.ACCEPTED
    assert appeal.organization is None and appeal.response_due_at is None
    event = appeal.events.get(kind=EventKind.RETURN)
    assert (event.organization, event.note, event.is_public) == (
        appeal_world.property_manager,
        "不属于物业管理范围",
        False,
    )
    # The desk of the appeal's level (the grid worker) is told, with the reason.
    [note] = notes_for(appeal_world.users["grid_worker"], "returned")
    assert "不属于物业管理范围" in note.text and "富丰物业" in note.text
    assert not notes_for(appeal_world.users["resident"], "returned")


def test_a_returned_appeal_of_community_level_goes_to_the_community_desk(appeal_world):
    appeal = bring_to(appeal_world, Status.DISPATCHED)
    appeal = act(appeal_world, appeal, "escalate")
    appeal = act(appeal_world, appeal, "return")
    told = set(appeal_notices(kind="returned").values_list("recipient__username", flat=True))
    assert told == {"desk", "secretary"}


def test_a_returned_appeal_is_redispatched_with_a_new_response_clock(appeal_world):
    appeal = act(appeal_world, bring_to(appeal_world, Status.IN_PROGRESS), "return")
    appeal = dispatch(appeal_world, appeal, appeal_world.residents_committee, reason="物业退单，居委会处理")
    assert (appeal.status, appeal.organization) == (Status.DISPATCHED, appeal_world.residents_committee)
    assert appeal.responded_at is None and appeal.responded_on_time is None
    assert appeal.response_due_at is not None
    assert list(appeal.events.values_list("kind", flat=True)) == [
        "submit",
        "accept",
        "dispatch",
        "take_up",
        "return",
        "dispatch",
    ]
    appeal = act(appeal_world, appeal, "take_up", actor=appeal_world.users["staff"])
    assert appeal.status == Status.IN_PROGRESS


# --- escalation ----------------------------------------------------------------------------------


def test_escalation_climbs_grid_community_subdistrict_district_and_no_further(appeal_world, make_user):
    users = appeal_world.users
    district = make_user(Role.DISTRICT_STAFF, appeal_world.tree["district"])
    appeal = appeal_world.submit()
    climb = [
        (users["grid_worker"], Level.COMMUNITY),
        (users["staff"], Level.SUBDISTRICT),
        (users["subdistrict"], Level.DISTRICT),
    ]
    for who, level in climb:
        appeal = services.escalate_appeal(actor=who, appeal=appeal, version=appeal.version, reason="需上级协调")
        assert appeal.level == level and appeal.status == Status.SUBMITTED
        # the level below can no longer dispatch
        with pytest.raises(NotPermitted):
            act(appeal_world, appeal, "dispatch", actor=who)
    assert [e.detail["level"] for e in appeal.events.filter(kind=EventKind.ESCALATE)] == [
        "community",
        "subdistrict",
        "district",
    ]
    assert "escalate" not in workflow.allowed_actions(appeal, actor=district)
    before = footprint(appeal)
    with pytest.raises(InvalidTransition):
        services.escalate_appeal(actor=district, appeal=appeal, version=appeal.version, reason="再上报")
    assert footprint(appeal) == before
    appeal = act(appeal_world, appeal, "dispatch", actor=district)
    assert appeal.status == Status.DISPATCHED


def test_an_estate_wide_appeal_starts_at_the_community_desk(appeal_world):
    users = appeal_world.users
    appeal = appeal_world.submit(location=AppealLocation(estate=appeal_world.estate), description="小区东门的道闸坏了")
    assert appeal.level == Level.COMMUNITY
    assert not workflow.is_dispatcher(users["grid_worker"], appeal)
    appeal = act(appeal_world, appeal, "dispatch")
    appeal = act(appeal_world, appeal, "return")
    told = set(appeal_notices(kind="returned").values_list("recipient__username", flat=True))
    assert told == {"desk", "secretary"}
    appeal = act(appeal_world, appeal, "escalate")
    assert appeal.level == Level.SUBDISTRICT


def test_escalation_needs_a_reason(appeal_world):
    appeal = appeal_world.submit()
    with pytest.raises(ValidationError):
        services.escalate_appeal(actor=appeal_world.users["staff"], appeal=appeal, version=appeal.version, reason=" ")


def test_the_handler_may_escalate_what_it_cannot_solve_alone(appeal_world):
    appeal = bring_to(appeal_world, Status.IN_PROGRESS)
    appeal = act(appeal_world, appeal, "escalate", actor=appeal_world.users["handler"])
    assert appeal.level == Level.COMMUNITY and appeal.organization == appeal_world.property_manager


# --- supervision ---------------------------------------------------------------------------------


def test_supervision_tells_the_handlers_and_can_be_lifted(appeal_world):
    secretary, handler = appeal_world.users["secretary"], appeal_world.users["handler"]
    appeal = bring_to(appeal_world, Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.supervise_appeal(actor=secretary, appeal=appeal, version=appeal.version, on=True, note="")
    appeal = services.supervise_appeal(
        actor=secretary, appeal=appeal, version=appeal.version, on=True, note="群众多次反映，限三日内办结"
    )
    assert appeal.is_supervised
    [note] = notes_for(handler, "supervised")
    assert "限三日内办结" in note.text
    appeal = services.supervise_appeal(actor=secretary, appeal=appeal, version=appeal.version, on=False)
    assert not appeal.is_supervised
    assert list(appeal.events.filter(kind__in=["supervise", "unsupervise"]).values_list("kind", "is_public")) == [
        ("supervise", False),
        ("unsupervise", False),
    ]
    assert len(notes_for(handler, "supervised")) == 1


def test_supervising_an_undispatched_appeal_tells_nobody_yet(appeal_world):
    appeal = appeal_world.submit()
    appeal = act(appeal_world, appeal, "supervise")
    assert appeal.is_supervised and not appeal_notices(kind="supervised").exists()


# --- merging -------------------------------------------------------------------------------------


def resolve(world, appeal: Appeal) -> Appeal:
    for action in ("dispatch", "take_up", "resolve"):
        appeal = act(world, Appeal.objects.get(pk=appeal.pk), action)
    return appeal


def test_a_merged_appeal_stops_and_its_reporter_is_told(appeal_world):
    target = appeal_world.submit()
    repeat = appeal_world.submit(actor=appeal_world.users["neighbour"], description="1座有人在楼道充电瓶车")
    repeat = services.merge_appeal(
        actor=appeal_world.users["staff"], appeal=repeat, version=repeat.version, into=target
    )
    assert (repeat.status, repeat.duplicate_of) == (Status.MERGED, target)
    [note] = notes_for(appeal_world.users["neighbour"], "merged")
    assert appeal_of(note) == repeat and target.reference in note.text
    assert AppealEvent.objects.get(appeal=target, kind=EventKind.MERGE).detail == {"merged": repeat.pk, "carried": 0}


def test_when_the_target_resolves_the_merged_appeal_is_resolved_with_the_same_reply(appeal_world):
    neighbour = appeal_world.users["neighbour"]
    target = appeal_world.submit()
    repeat = appeal_world.submit(actor=neighbour, description="1座有人在楼道充电瓶车")
    services.merge_appeal(actor=appeal_world.users["staff"], appeal=repeat, version=repeat.version, into=target)
    target = resolve(appeal_world, target)
    repeat.refresh_from_db()
    assert repeat.status == Status.RESOLVED
    assert repeat.resolution == target.resolution and repeat.resolved_at == target.resolved_at
    assert repeat.events.filter(kind=EventKind.RESOLVE).get().detail == {"via": target.pk}
    # Both reporters are asked to rate, each about the appeal they made.
    assert appeal_of(appeal_notices(recipient=neighbour, kind="resolved").get()) == repeat
    assert appeal_of(appeal_notices(recipient=appeal_world.users["resident"], kind="resolved").get()) == target
    assert workflow.allowed_actions(repeat, actor=neighbour) == ["feedback", "reopen"]
    repeat = services.give_feedback(
        actor=neighbour, appeal=repeat, version=repeat.version, is_solved=True, satisfaction=4
    )
    assert repeat.status == Status.CLOSED and repeat.satisfaction == 4
    target.refresh_from_db()
    assert target.status == Status.RESOLVED  # the other reporter still has to answer for their own


def test_merges_chain_so_every_reporter_gets_the_final_outcome(appeal_world, make_user):
    staff = appeal_world.users["staff"]
    third = make_user(Role.RESIDENT, appeal_world.tree["grid_a1"])
    first = appeal_world.submit(actor=third, description="楼道里电动车在充电，电线乱拉")
    middle = appeal_world.submit(actor=appeal_world.users["neighbour"], description="1座有人在楼道充电瓶车")
    final = appeal_world.submit()
    services.merge_appeal(actor=staff, appeal=first, version=first.version, into=middle)
    middle = services.merge_appeal(actor=staff, appeal=middle, version=middle.version, into=final)
    first.refresh_from_db()
    assert first.duplicate_of == final and middle.duplicate_of == final
    assert AppealEvent.objects.get(appeal=final, kind=EventKind.MERGE).detail["carried"] == 1
    final = resolve(appeal_world, final)
    for merged in (first, middle):
        merged.refresh_from_db()
        assert (merged.status, merged.resolution) == (Status.RESOLVED, final.resolution)
    assert appeal_of(appeal_notices(recipient=third, kind="resolved").get()) == first


def test_merging_into_itself_a_merged_or_a_finished_appeal_is_refused(appeal_world):
    staff = appeal_world.users["staff"]
    appeal = appeal_world.submit()
    merged = bring_to(appeal_world, Status.MERGED)
    for into in (appeal, merged, bring_to(appeal_world, Status.REJECTED), bring_to(appeal_world, Status.RESOLVED)):
        with pytest.raises(ValidationError) as refused:
            services.merge_appeal(actor=staff, appeal=appeal, version=appeal.version, into=into)
        assert "into" in refused.value.message_dict
    appeal.refresh_from_db()
    assert appeal.status == Status.SUBMITTED


def test_merging_into_an_appeal_of_another_community_is_refused(appeal_world):
    staff_b = appeal_world.users["staff_b"]
    elsewhere = appeal_world.submit(
        actor=staff_b, channel="phone", location=AppealLocation(area=appeal_world.tree["grid_b1"])
    )
    appeal = appeal_world.submit()
    with pytest.raises(OutOfScope):
        services.merge_appeal(actor=appeal_world.users["staff"], appeal=appeal, version=appeal.version, into=elsewhere)
    appeal.refresh_from_db()
    assert appeal.status == Status.SUBMITTED


def test_when_the_target_is_rejected_the_merged_reporters_read_the_same_reason(appeal_world):
    neighbour = appeal_world.users["neighbour"]
    target = appeal_world.submit()
    repeat = appeal_world.submit(actor=neighbour, description="1座有人在楼道充电瓶车")
    services.merge_appeal(actor=appeal_world.users["staff"], appeal=repeat, version=repeat.version, into=target)
    target = act(appeal_world, Appeal.objects.get(pk=target.pk), "reject")
    repeat.refresh_from_db()
    assert (repeat.status, repeat.resolution) == (Status.REJECTED, target.resolution)
    assert repeat.closed_at == target.closed_at
    note = appeal_notices(recipient=neighbour, kind="rejected").get()
    assert appeal_of(note) == repeat and repeat.reference in note.text and "12345" in note.text


def test_a_second_resolution_after_a_reopen_leaves_the_merged_appeals_already_rated(appeal_world):
    neighbour = appeal_world.users["neighbour"]
    target = appeal_world.submit()
    repeat = appeal_world.submit(actor=neighbour, description="1座有人在楼道充电瓶车")
    services.merge_appeal(actor=appeal_world.users["staff"], appeal=repeat, version=repeat.version, into=target)
    target = resolve(appeal_world, target)
    repeat.refresh_from_db()
    repeat = services.give_feedback(
        actor=neighbour, appeal=repeat, version=repeat.version, is_solved=True, satisfaction=5
    )
    target = act(appeal_world, target, "reopen")
    target = resolve(appeal_world, target)
    repeat.refresh_from_db()
    assert (repeat.status, repeat.satisfaction) == (Status.CLOSED, 5)
    assert repeat.events.filter(kind=EventKind.RESOLVE).count() == 1
