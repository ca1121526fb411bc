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


def profiles_with_teams_and_hours(world):
    """Volunteers with two teams, one, or none; hours this year, in an earlier year, and none."""
    from shuren.orgs.models import Membership, Organization, OrganizationKind

    confirmed(world, ["chen", "lin"], minutes=95)
    world.volunteer("wang", "王建国")
    other_team = Organization.objects.create(
        kind=OrganizationKind.VOLUNTEER_TEAM, name="大新社区巡逻队", area=world.tree["com_a"]
    )
    Membership.objects.create(organization=other_team, person=world.people["chen"], role="leader")
    Membership.objects.create(organization=world.team, person=world.people["chen"], role="member")
    Membership.objects.create(organization=world.team, person=world.people["lin"], role="member")
    ServiceRecord.objects.create(
        person=world.people["lin"],
        served_on=dt.date(timezone.localdate().year - 1, 6, 1),
        minutes=130,
        confirmed_by=world.users["staff"],
        confirmed_at=timezone.now(),
        scope=world.people["lin"].community.path,
    )


def test_profile_rows_from_the_page_equal_those_read_one_profile_at_a_time(vol_world):
    """The list reads the page's teams in one query and the hours as annotations; each row must be
    what the serializer reads for one profile on its own (its teams and hours queried)."""
    from shuren.volunteering.api.serializers import VolunteeringProfileSerializer

    profiles_with_teams_and_hours(vol_world)
    ordered = selectors.visible_profiles(vol_world.users["staff"]).order_by("person__name_pinyin", "pk")
    one_by_one = VolunteeringProfileSerializer(list(ordered), many=True).data
    page = list(selectors.with_hours(ordered, timezone.localdate().year))
    teams = services.current_teams_of([p.person_id for p in page])
    listed = VolunteeringProfileSerializer(page, many=True, context={"teams": teams}).data
    assert [dict(row) for row in listed] == [dict(row) for row in one_by_one]
    by_name = {row["name"]: row for row in listed}
    assert len(by_name["chen"]["teams"]) == 2 and by_name["王建国"]["teams"] == []
    assert by_name["lin"]["hours_overall"] > by_name["lin"]["hours_this_year"] > 0


def test_a_profiles_page_costs_the_same_queries_for_one_volunteer_or_many(vol_world, verified_client):
    client = verified_client(vol_world.users["staff"])
    vol_world.volunteer("zhao", "赵春花")

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/volunteering/profiles/")
        assert response.status_code == 200, response.content
        return len(captured.captured_queries), response.json()["results"]

    few, rows = page()
    profiles_with_teams_and_hours(vol_world)
    many, rows = page()
    assert len(rows) == 4 and many == few
