"""Volunteers racing in real threads on PostgreSQL: many sign-ups for the last places give exactly
the capacity in confirmed places and the rest on the waiting list (the activity row is locked while
one sign-up is decided); a cancellation racing sign-ups never lets a place be given twice; the same
hours confirmed from several organisers' screens at once write one record and announce it once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.core.testing import run_at_once
from shuren.volunteering import services
from shuren.volunteering.models import Activity, ServiceRecord, SignUp
from shuren.volunteering.signals import service_confirmed

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]


def signing_up(username: str, activity_pk: int) -> Callable[[Callable[[], Any]], str]:
    def job(start: Callable[[], Any]) -> str:
        user = User.objects.get(username=username)
        activity = Activity.objects.get(pk=activity_pk)
        start()
        return services.sign_up(actor=user, activity=activity).status

    return job


@pytest.mark.parametrize("volunteers,capacity", [(12, 5), (8, 1)])
def test_simultaneous_sign_ups_fill_exactly_the_places_and_queue_the_rest(vol_world, volunteers, capacity):
    activity = vol_world.activity(capacity=capacity)
    names = [f"racer{n}" for n in range(volunteers)]
    for name in names:
        vol_world.volunteer(name)
    outcomes = run_at_once([signing_up(name, activity.pk) for name in names])
    assert outcomes.count("confirmed") == capacity
    assert outcomes.count("waitlisted") == volunteers - capacity
    statuses = list(SignUp.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses.count("confirmed") == capacity and len(statuses) == volunteers


def test_a_cancellation_racing_new_sign_ups_never_gives_a_place_twice(vol_world):
    activity = vol_world.activity(capacity=3)
    leaving = vol_world.volunteer("leaving")
    place = services.sign_up(actor=leaving, activity=activity)
    for name in ("stay1", "stay2", "queued"):
        services.sign_up(actor=vol_world.volunteer(name), activity=activity)
    newcomers = [f"new{n}" for n in range(5)]
    for name in newcomers:
        vol_world.volunteer(name)

    def cancelling(start: Callable[[], Any]) -> str:
        user = User.objects.get(username="leaving")
        signup = SignUp.objects.select_related("activity").get(pk=place.pk)
        start()
        return services.cancel_signup(actor=user, signup=signup).status

    outcomes = run_at_once([cancelling, *[signing_up(name, activity.pk) for name in newcomers]])
    assert outcomes[0] == "cancelled"
    confirmed = SignUp.objects.filter(activity=activity, status="confirmed")
    assert confirmed.count() == 3
    # The volunteer who queued first took the freed place, whoever signed up meanwhile.
    assert confirmed.filter(person=vol_world.people["queued"]).exists()


def test_confirming_the_same_hours_at_once_writes_one_record_and_announces_it_once(vol_world):
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.volunteer("served"), activity=activity)
    Activity.objects.filter(pk=activity.pk).update(status="finished")
    organisers = ["vol_staff", "vol_secretary", "vol_staff", "vol_secretary", "vol_staff", "vol_secretary"]
    announced: list[int] = []

    def receiver(sender: Any, record: ServiceRecord, **kwargs: Any) -> None:
        announced.append(record.pk)

    service_confirmed.connect(receiver, dispatch_uid="concurrency-test")

    def confirming(username: str) -> Callable[[Callable[[], Any]], int]:
        def job(start: Callable[[], Any]) -> int:
            user = User.objects.get(username=username)
            fresh = SignUp.objects.select_related("activity").get(pk=signup.pk)
            start()
            return services.confirm_hours(actor=user, signup=fresh, minutes=120).pk

        return job

    try:
        outcomes = run_at_once([confirming(name) for name in organisers])
    finally:
        service_confirmed.disconnect(dispatch_uid="concurrency-test")
    records = ServiceRecord.objects.filter(signup=signup)
    assert records.count() == 1
    assert set(outcomes) == {records.get().pk}
    assert announced == [records.get().pk]
