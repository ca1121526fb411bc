"""Credits from other modules' events: once per source key (signal twice, then the sweep), with the
contract's rates and overrides; a negative correction debits at most the balance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.points import services
from shuren.points.models import EventKind, LedgerTransaction, PointsPolicy, Rule
from shuren.points.testing import assert_ledger_consistent, balance_of, give
from shuren.volunteering.models import Activity, ServiceRecord
from shuren.volunteering.signals import service_confirmed

pytestmark = pytest.mark.django_db

SERVED = dt.date(2025, 5, 10)


def activity(world, points_per_hour=0, n=[0]):  # noqa: B006  (a counter for unique references)
    n[0] += 1
    start = timezone.make_aware(dt.datetime(2025, 5, 10, 9, 0))
    return Activity.objects.create(
        reference=f"VA-T{n[0]}",
        title="富丰新城义剪服务",
        location="党群服务站",
        organizer=world.users["staff"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        capacity=10,
        points_per_hour=points_per_hour,
        area=world.tree["com_a"],
        status="finished",
    )


def record(world, person_key="volunteer", minutes=90, act=None, corrects=None):
    person = world.people[person_key]
    return ServiceRecord.objects.create(
        person=person,
        activity=act,
        corrects=corrects,
        served_on=SERVED,
        minutes=minutes,
        confirmed_by=world.users["staff"],
        confirmed_at=timezone.now(),
        scope=world.tree["com_a"].path,
    )


def confirm(rec):
    service_confirmed.send(sender=ServiceRecord, record=rec)


def test_confirmed_service_earns_the_rules_rate_rounded_half_up(points_world):
    rec = record(points_world, minutes=93, act=activity(points_world))  # 93 × 10 / 60 = 15.5 → 16
    confirm(rec)
    assert balance_of(points_world.people["volunteer"]) == 16
    txn = LedgerTransaction.objects.get(source_key=f"volunteering.record:{rec.pk}")
    assert txn.rule.event == EventKind.SERVICE_HOUR and txn.occurred_on == SERVED


def test_the_activitys_points_per_hour_override_the_rule(points_world):
    confirm(record(points_world, minutes=120, act=activity(points_world, points_per_hour=25)))
    assert balance_of(points_world.people["volunteer"]) == 50


def test_a_signal_twice_and_the_sweep_credit_once(points_world):
    rec = record(points_world, minutes=60, act=activity(points_world))
    confirm(rec)
    confirm(rec)
    assert services.sweep()["service"] == 0
    assert balance_of(points_world.people["volunteer"]) == 10
    assert LedgerTransaction.objects.filter(source_key__startswith="volunteering.record:").count() == 1


def test_the_sweep_credits_a_missed_signal(points_world):
    record(points_world, minutes=60, act=activity(points_world))
    assert services.sweep()["service"] == 1
    assert balance_of(points_world.people["volunteer"]) == 10
    assert services.sweep()["service"] == 0


def test_party_members_earn_by_their_own_rule(points_world):
    Rule.objects.create(
        name="党员志愿服务",
        event=EventKind.SERVICE_HOUR,
        scheme="party_member",
        points=20,
        party_members_only=True,
        valid_from=dt.date(2025, 1, 1),
    )
    confirm(record(points_world, person_key="party_member", minutes=60, act=activity(points_world)))
    confirm(record(points_world, person_key="volunteer", minutes=60, act=activity(points_world)))
    assert balance_of(points_world.people["party_member"]) == 20
    assert balance_of(points_world.people["volunteer"]) == 10


def test_a_positive_correction_earns_the_difference(points_world):
    act = activity(points_world)
    original = record(points_world, minutes=60, act=act)
    confirm(original)
    confirm(record(points_world, minutes=30, act=None, corrects=original))
    assert balance_of(points_world.people["volunteer"]) == 15


def test_a_negative_correction_debits_at_most_the_balance(points_world):
    act = activity(points_world)
    original = record(points_world, minutes=120, act=act)
    confirm(original)  # 20 points
    person = points_world.people["volunteer"]
    account = services.person_account(person)
    redeemed = services.book(account.community, "redeemed")
    services.post(
        kind="redemption",
        source_key="spend",
        lines=[services.Line(account, -15), services.Line(redeemed, 15)],
        memo="兑换",
    )
    correction = record(points_world, minutes=-120, corrects=original)
    confirm(correction)
    assert balance_of(person) == 0
    txn = LedgerTransaction.objects.get(source_key=f"volunteering.record:{correction.pk}")
    assert "15" in txn.memo  # the shortfall is recorded
    confirm(correction)
    assert LedgerTransaction.objects.filter(source_key=f"volunteering.record:{correction.pk}").count() == 1
    assert_ledger_consistent()


def test_a_rule_of_zero_points_posts_nothing(points_world):
    Rule.objects.filter(event=EventKind.SERVICE_HOUR).update(points=0)
    confirm(record(points_world, minutes=60, act=activity(points_world)))
    assert not LedgerTransaction.objects.exists()


def test_credits_carry_the_expiry_date_of_the_policy(points_world):
    PointsPolicy.objects.create(community=points_world.tree["com_a"], expiry_months=12)
    confirm(record(points_world, minutes=60, act=activity(points_world)))
    entry = services.person_account(points_world.people["volunteer"]).entries.get()
    assert entry.expires_on == dt.date(2026, 5, 10)


def test_a_verified_item_credits_its_holder_once_with_the_items_points(
    points_world, django_capture_on_commit_callbacks
):
    from shuren.governance.services import verify_item

    item = points_world.submitted("party_member", points=15)
    with django_capture_on_commit_callbacks(execute=True):
        verify_item(actor=points_world.users["secretary"], item=item, version=item.version)
    assert balance_of(points_world.people["party_member"]) == 15
    assert services.sweep()["governance"] == 0
    assert balance_of(points_world.people["party_member"]) == 15


def test_a_verified_item_without_points_earns_the_rule_and_the_sweep_replays_it(points_world):
    from shuren.governance.services import verify_item
    from shuren.governance.signals import item_verified

    item = points_world.submitted("party_member", points=0)
    receivers = item_verified.receivers
    item_verified.receivers = []  # the signal is lost
    try:
        verify_item(actor=points_world.users["secretary"], item=item, version=item.version)
    finally:
        item_verified.receivers = receivers
        item_verified.sender_receivers_cache.clear()
    assert balance_of(points_world.people["party_member"]) == 0
    assert services.sweep()["governance"] == 1
    assert balance_of(points_world.people["party_member"]) == 10


def test_an_organisation_holder_is_credited_to_its_account(points_world, django_capture_on_commit_callbacks):
    from shuren.governance.services import claim_item, submit_item, verify_item

    item = points_world.item(points=8)
    staff = points_world.users["staff"]
    claim_item(actor=staff, item=item, version=item.version, organization=points_world.property_manager)
    item.refresh_from_db()
    item = submit_item(actor=staff, item=item, version=item.version, text="完成")
    with django_capture_on_commit_callbacks(execute=True):
        verify_item(actor=points_world.users["secretary"], item=item, version=item.version)
    assert services.organization_account(points_world.property_manager).balance == 8


def test_the_sweep_credits_meeting_attendance_and_closed_appeals(points_world):
    from shuren.appeals.models import Appeal, Category
    from shuren.meetings.models import Attendance, Meeting

    start = timezone.make_aware(dt.datetime(2025, 5, 20, 19, 0))
    meeting = Meeting.objects.create(
        reference="M-T1",
        kind="stairwell",
        title="1座楼道会议",
        starts_at=start,
        location="1座架空层",
        ends_at=start + dt.timedelta(hours=1),
        status="held",
        area=points_world.tree["com_a"],
        convener=points_world.users["staff"],
    )
    Attendance.objects.create(
        meeting=meeting, person=points_world.people["resident"], name="林小梅", method="staff", checked_in_at=start
    )
    Attendance.objects.create(
        meeting=meeting, user=points_world.users["volunteer"], name="陈志强", method="staff", checked_in_at=start
    )
    Attendance.objects.create(meeting=meeting, name="路人", method="staff", checked_in_at=start)
    appeal = Appeal.objects.create(
        reference="A-T1",
        category=Category.objects.first(),
        description="路灯不亮",
        status="closed",
        area=points_world.tree["grid_a1"],
        reporter_person=points_world.people["resident"],
        submitted_at=start,
        closed_at=start,
    )
    counts = services.sweep()
    assert (counts["meetings"], counts["appeals"]) == (2, 1)
    assert balance_of(points_world.people["resident"]) == 5 + 2
    assert balance_of(points_world.people["volunteer"]) == 5
    assert LedgerTransaction.objects.filter(source_key=f"appeals.closed:{appeal.pk}").exists()
    assert services.sweep() == {"service": 0, "governance": 0, "meetings": 0, "appeals": 0, "failed": 0}
    assert_ledger_consistent()


def test_points_given_are_counted_by_credits(points_world):
    give(points_world.people["resident"], 4)
    assert balance_of(points_world.people["resident"]) == 4
