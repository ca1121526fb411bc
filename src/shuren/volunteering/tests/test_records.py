"""Confirmed hours: the organiser confirms the proposal (or other minutes, the proposal kept), once
per sign-up; the record never changes (the database refuses), a correction is a new record with the
difference; ``service_confirmed`` is sent after the commit, once per record; hours per year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from freezegun import freeze_time

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.volunteering import services
from shuren.volunteering.models import ServiceRecord
from shuren.volunteering.signals import service_confirmed

pytestmark = pytest.mark.django_db

MIN = dt.timedelta(minutes=1)


@pytest.fixture
def received():
    records = []

    def receiver(sender, record, **kwargs):
        records.append(record)

    service_confirmed.connect(receiver, dispatch_uid="test-received")
    yield records
    service_confirmed.disconnect(dispatch_uid="test-received")


def served(world, username="served", *, minutes_in=0, minutes_out=120, activity=None):
    """A volunteer who checked in and out of ``activity`` (default: a new one)."""
    activity = activity or world.activity()
    signup = services.sign_up(actor=world.volunteer(username), activity=activity)
    staff = world.users["staff"]
    with freeze_time(activity.starts_at + minutes_in * MIN):
        services.check_in(actor=staff, signup=signup)
    with freeze_time(activity.starts_at + minutes_out * MIN):
        services.check_out(actor=staff, signup=signup)
    signup.refresh_from_db()
    return signup


def test_confirming_the_proposal_writes_one_record_and_announces_it_after_commit(
    vol_world, received, django_capture_on_commit_callbacks
):
    signup = served(vol_world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record = services.confirm_hours(actor=vol_world.users["staff"], signup=signup)
        assert received == []  # nothing is announced before the commit
    assert len(callbacks) == 1
    assert (record.minutes, record.proposed_minutes, record.person_id) == (120, 120, signup.person_id)
    assert record.served_on == signup.activity.starts_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert received == [record]
    assert AuditEvent.objects.filter(action="volunteering.confirm_hours", object_id=str(record.pk)).count() == 1


def test_confirming_twice_returns_the_same_record_and_announces_nothing_more(
    vol_world, received, django_capture_on_commit_callbacks
):
    signup = served(vol_world)
    staff = vol_world.users["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        first = services.confirm_hours(actor=staff, signup=signup)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.confirm_hours(actor=staff, signup=signup, minutes=200)
    assert second.pk == first.pk and second.minutes == 120 and not second.created_now
    assert ServiceRecord.objects.filter(signup=signup).count() == 1
    assert len(received) == 1


def test_the_database_refuses_a_second_original_record_for_a_sign_up(vol_world):
    signup = served(vol_world)
    record = services.confirm_hours(actor=vol_world.users["staff"], signup=signup)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.create(
            person_id=record.person_id,
            activity_id=record.activity_id,
            signup=signup,
            served_on=record.served_on,
            minutes=60,
            confirmed_by=record.confirmed_by,
            confirmed_at=record.confirmed_at,
            scope=record.scope,
        )


def test_the_organiser_may_confirm_other_minutes_and_the_proposal_is_kept(vol_world):
    signup = served(vol_world, minutes_out=95)
    record = services.confirm_hours(
        actor=vol_world.users["staff"], signup=signup, minutes=120, description="多留了半小时收拾工具"
    )
    assert (record.minutes, record.proposed_minutes, record.description) == (120, 95, "多留了半小时收拾工具")


def test_without_a_check_in_the_minutes_must_be_given(vol_world):
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.volunteer("no_scan"), activity=activity)
    staff = vol_world.users["staff"]
    with freeze_time(activity.ends_at + MIN):
        with pytest.raises(ValidationError) as error:
            services.confirm_hours(actor=staff, signup=signup)
        assert "minutes" in error.value.message_dict
        record = services.confirm_hours(actor=staff, signup=signup, minutes=90)
    assert record.minutes == 90 and record.proposed_minutes is None


def test_only_confirmed_places_get_hours_and_not_on_cancelled_activities(vol_world):
    activity = vol_world.activity(capacity=1)
    services.sign_up(actor=vol_world.volunteer("placed"), activity=activity)
    waiting = services.sign_up(actor=vol_world.volunteer("waiting"), activity=activity)
    with pytest.raises(InvalidTransition):
        services.confirm_hours(actor=vol_world.users["staff"], signup=waiting, minutes=60)
    other = vol_world.activity(title="暂停的活动")
    signup = services.sign_up(actor=vol_world.users["waiting"], activity=other)
    services.cancel_activity(actor=vol_world.users["staff"], activity=other, version=other.version, reason="场地维修")
    signup.activity.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.confirm_hours(actor=vol_world.users["staff"], signup=signup, minutes=60)


def test_staff_of_another_community_cannot_confirm(vol_world):
    signup = served(vol_world)
    with pytest.raises((OutOfScope, NotPermitted)):
        services.confirm_hours(actor=vol_world.users["staff_b"], signup=signup)
    assert not ServiceRecord.objects.exists()


def test_a_service_record_cannot_be_updated_or_deleted(vol_world):
    record = services.confirm_hours(actor=vol_world.users["staff"], signup=served(vol_world))
    with pytest.raises(DatabaseError), transaction.atomic():
        ServiceRecord.objects.filter(pk=record.pk).update(minutes=600)
    with pytest.raises(DatabaseError), transaction.atomic():
        ServiceRecord.objects.filter(pk=record.pk).delete()
    record.refresh_from_db()
    assert record.minutes == 120


def test_a_correction_is_a_new_record_with_the_difference_and_the_original_stays(
    vol_world, received, django_capture_on_commit_callbacks
):
    staff = vol_world.users["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        record = services.confirm_hours(actor=staff, signup=served(vol_world))
    with django_capture_on_commit_callbacks(execute=True):
        correction = services.correct_record(actor=staff, record=record, minutes=-30, reason="提前离开半小时")
    assert correction.pk != record.pk
    assert (correction.corrects_id, correction.minutes, correction.reason) == (record.pk, -30, "提前离开半小时")
    assert correction.served_on == record.served_on
    record.refresh_from_db()
    assert record.minutes == 120
    assert services.total_minutes(record) == 90
    assert received == [record, correction]
    # A correction of the correction corrects the original.
    again = services.correct_record(actor=staff, record=correction, minutes=15, reason="核对签到表")
    assert again.corrects_id == record.pk and services.total_minutes(record) == 105


def test_corrections_cannot_take_the_hours_below_zero_or_be_empty(vol_world):
    staff = vol_world.users["staff"]
    record = services.confirm_hours(actor=staff, signup=served(vol_world))
    with pytest.raises(ValidationError):
        services.correct_record(actor=staff, record=record, minutes=-121, reason="误录")
    with pytest.raises(ValidationError):
        services.correct_record(actor=staff, record=record, minutes=0, reason="误录")
    with pytest.raises(ValidationError):
        services.correct_record(actor=staff, record=record, minutes=-30, reason=" ")
    services.correct_record(actor=staff, record=record, minutes=-120, reason="当天未到场，误签")
    assert services.total_minutes(record) == 0


def test_confirm_all_confirms_every_volunteer_with_a_proposal(vol_world, received, django_capture_on_commit_callbacks):
    activity = vol_world.activity(capacity=5)
    served(vol_world, "a1", minutes_out=60, activity=activity)
    served(vol_world, "a2", minutes_out=90, activity=activity)
    services.sign_up(actor=vol_world.volunteer("a3"), activity=activity)  # never came
    with django_capture_on_commit_callbacks(execute=True):
        records = services.confirm_all(actor=vol_world.users["staff"], activity=activity)
    assert sorted(r.minutes for r in records) == [60, 90]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm_all(actor=vol_world.users["staff"], activity=activity) == []
    assert len(received) == 2


def test_hours_in_a_year_sum_records_and_corrections_of_that_year(vol_world):
    staff = vol_world.users["staff"]
    signup = served(vol_world, minutes_out=150)
    record = services.confirm_hours(actor=staff, signup=signup)
    services.correct_record(actor=staff, record=record, minutes=-15, reason="迟到")
    person = signup.person
    year = record.served_on.year
    assert services.hours_in_year(person, year) == Decimal("2.3")  # 135 minutes
    assert services.hours_in_year(person, year - 1) == Decimal("0.0")
    assert services.hours_overall(person) == Decimal("2.3")
