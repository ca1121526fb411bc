"""The service records list of the API is built from values, without DRF's per-field machinery:
its rows must be exactly what the documented serializer gives, and a page costs the same number of
queries however many rows it holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from shuren.volunteering import selectors, services
from shuren.volunteering.api.serializers import VolunteeringRecordSerializer, record_items
from shuren.volunteering.models import Activity, ServiceRecord

pytestmark = pytest.mark.django_db

URL = "/api/v1/volunteering/records/"


def confirmed(world, names, minutes=60):
    """Records of an activity for ``names``, confirmed by staff."""
    activity = world.activity(capacity=len(names) + 1)
    volunteers = [world.users[name] if name in world.users else world.volunteer(name) for name in names]
    signups = [services.sign_up(actor=volunteer, activity=activity) for volunteer in volunteers]
    starts = timezone.now() - dt.timedelta(minutes=200)
    Activity.objects.filter(pk=activity.pk).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=3))
    return [services.confirm_hours(actor=world.users["staff"], signup=signup, minutes=minutes) for signup in signups]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_record_rows_built_from_values_equal_the_documented_serializer(vol_world, language):
    """Records of an activity, a correction, and one recorded without an activity or sign-up (with
    proposed minutes)."""
    first, _second = confirmed(vol_world, ["chen", "lin"])
    services.correct_record(actor=vol_world.users["staff"], record=first, minutes=-15, reason="签退晚扫了一刻钟")
    ServiceRecord.objects.create(
        person=vol_world.people["chen"],
        served_on=dt.date(2025, 3, 5),
        minutes=90,
        proposed_minutes=75,
        description="社区义诊帮忙",
        confirmed_by=vol_world.users["staff"],
        confirmed_at=timezone.now(),
        scope=first.scope,
    )
    records = list(ServiceRecord.objects.select_related("person").order_by("-served_on", "-pk"))
    assert len(records) == 4 and any(r.activity_id is None for r in records) and any(r.corrects_id for r in records)
    assert {r.proposed_minutes is None for r in records} == {True, False}
    with translation.override(language):
        documented = VolunteeringRecordSerializer(records, many=True).data
        fast = record_items(selectors.record_rows_of([r.pk for r in records]))
    assert [dict(row) for row in documented] == fast


@pytest.mark.parametrize("who", ["staff", "chen"])
def test_a_records_page_costs_the_same_queries_for_one_record_or_many(vol_world, verified_client, who):
    confirmed(vol_world, ["chen"])
    client = verified_client(vol_world.users[who])

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200, response.content
        return len(captured.captured_queries), response.json()["results"]

    few, rows = page()
    assert len(rows) == 1
    confirmed(vol_world, ["chen", "lin", "wang"])
    confirmed(vol_world, ["chen"])
    many, rows = page()
    assert len(rows) == (5 if who == "staff" else 3) and many == few
