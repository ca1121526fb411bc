"""The insights API answers what the dashboard shows, for the caller's areas only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from shuren.accounts.models import User
from shuren.insights.figures import kpis_for
from shuren.insights.forms import preset_period
from shuren.places.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(demo_loaded, db):

    def client(username: str) -> APIClient:
        api_client = APIClient()
        api_client.force_authenticate(User.objects.get(username=username))
        return api_client

    return client


def test_an_area_s_kpis_and_its_children_s(api):
    from django.utils import timezone

    community = Area.objects.get(path="440605.01.017")
    body = api("community_staff").get(f"/api/v1/insights/areas/{community.pk}/kpis/?preset=12m").json()
    start, end = preset_period("12m", timezone.localdate())
    expected = kpis_for(community, start, end)
    assert body["start"] == f"{start}" and body["kpis"]["received"] == expected["received"] > 0
    assert body["kpis"]["response_rate"] == expected["response_rate"]
    assert {c["area"]["path"] for c in body["children"]} == set(
        Area.objects.filter(parent=community).values_list("path", flat=True)
    )


def test_wrong_periods_and_other_areas_are_refused(api):
    community = Area.objects.get(path="440605.01.017")
    client = api("grid_worker")
    assert client.get(f"/api/v1/insights/areas/{community.pk}/kpis/").status_code == 404  # above the grid
    staff = api("community_staff")
    response = staff.get(f"/api/v1/insights/areas/{community.pk}/kpis/?preset=custom&start=2026-05-02&end=2026-05-01")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")


def test_evaluations_of_the_callers_communities(api):
    body = api("community_staff").get("/api/v1/insights/evaluations/?period_kind=month").json()
    assert body and {row["community"]["path"] for row in body} == {"440605.01.017"}
    assert all(len(row["scores"]) == 12 for row in body)
