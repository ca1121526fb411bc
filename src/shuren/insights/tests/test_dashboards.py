"""Dashboards per scope: each user opens their own level and drills down, never sideways or up;
the period chooser keeps what was typed; figures come from the roll-ups, not the raw tables."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shuren.insights import rollups
from shuren.insights.figures import kpis_for
from shuren.insights.forms import preset_period
from shuren.places.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_loaded, db):
    """The demo district, loaded once for the module; its areas by path."""
    return {area.path: area for area in Area.objects.all()}


def demo_user(username: str):
    from shuren.accounts.models import User

    return User.objects.get(username=username)


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("district", "440605"),
        ("subdistrict", "440605.01"),
        ("community_staff", "440605.01.017"),
        ("grid_worker", "440605.01.017.01"),
    ],
)
def test_each_level_lands_on_its_own_dashboard(demo, verified_client, username, path):
    client = verified_client(demo_user(username))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="dashboard-area">{demo[path].name}<' in html
    for section in ("people", "organisations", "appeals", "co-governance", "volunteering"):
        assert f'data-testid="section-{section}"' in html
    # Each chart has its table behind it; a chart with nothing to show says so.
    drawn, empty = html.count('class="chart"'), html.count("data-chart-empty")
    assert html.count("data-chart-card=") == drawn + empty >= 8 and drawn >= 4
    assert html.count('class="table-responsive chart-table"') == drawn


def test_a_district_drills_down_to_a_grid_and_a_grid_worker_cannot_go_up_or_sideways(demo, verified_client):
    district = verified_client(demo_user("district"))
    path = "440605"
    while True:
        area = demo[path]
        html = district.get(f"/insights/areas/{area.pk}/").content.decode()
        children = list(Area.objects.filter(parent=area).order_by("path"))
        if not children:
            break
        assert 'data-testid="drill-down"' in html
        for child in children:
            assert f'href="/insights/areas/{child.pk}/?' in html
        path = children[0].path
    assert area.kind == "grid"

    worker = verified_client(demo_user("grid_worker"))
    own = demo["440605.01.017.01"]
    assert worker.get(f"/insights/areas/{own.pk}/").status_code == 200
    for other in (demo["440605.01.017"], demo["440605.01"], demo["440605.01.017.02"]):
        assert worker.get(f"/insights/areas/{other.pk}/").status_code == 404


def test_roles_without_figures_cannot_open_the_dashboards(demo, verified_client):
    for username in ("resident", "handler", "sysadmin"):
        client = verified_client(demo_user(username))
        assert client.get(f"/insights/areas/{demo['440605.01.017'].pk}/").status_code in (403, 404)


def test_the_page_shows_the_roll_ups_not_a_scan_of_the_appeals(demo, verified_client):
    client = verified_client(demo_user("community_staff"))
    community = demo["440605.01.017"]
    rollups.rebuild()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/insights/areas/{community.pk}/?preset=12m").content.decode()
    raw_tables = (
        "appeals_appeal",
        "governance_governanceitem",
        "volunteering_servicerecord",
        "points_ledgerentry",
        "people_person",
    )
    # The viewer's own registry record (looked up by their user id, e.g. whether they keep a member
    # unit's resources) is not a scan of the residents.
    own_record = '"people_person"."user_id" = '
    scans = [q["sql"] for q in queries.captured_queries if own_record not in q["sql"]]
    assert not [sql for sql in scans if any(f'"{t}"' in sql for t in raw_tables)]
    kpis = kpis_for(community, *preset_period("12m", timezone.localdate()))
    for name in ("received", "residents", "items_collected", "service_hours"):
        shown = re.search(rf'data-kpi="{name}">.*?<div class="stat-value">\s*([^<\s]+)', html, re.S).group(1)
        assert shown.replace(",", "") == f"{kpis[name]:g}", name


def test_a_wrong_pair_of_dates_is_explained_and_kept(demo, verified_client):
    client = verified_client(demo_user("community_staff"))
    community = demo["440605.01.017"]
    html = client.get(f"/insights/areas/{community.pk}/?preset=custom&start=2026-05-20&end=2026-05-01").content.decode()
    assert 'data-testid="period-errors"' in html and "开始日期晚于结束日期" in html
    assert 'value="2026-05-20"' in html and 'value="2026-05-01"' in html
    html = client.get(f"/insights/areas/{community.pk}/?preset=custom&start=2026-05-01&end=2026-05-20").content.decode()
    assert "2026-05-01" in html and 'data-testid="period-errors"' not in html


def test_the_dashboard_speaks_english_too(demo, verified_client):
    client = verified_client(demo_user("community_staff"))
    client.cookies["shuren_language"] = "en"
    html = client.get("/dashboard/").content.decode()
    assert "Appeals answered at once" in html and "Response rate" in html


def test_counts_of_sensitive_groups_need_the_permission_to_see_them(demo, verified_client):
    from shuren.people.models import PersonTag

    sensitive = set(PersonTag.objects.filter(is_sensitive=True, taggings__isnull=False).values_list("name", flat=True))
    assert sensitive, "the demo tags someone with a sensitive category"
    grid = demo["440605.01.017.01"]

    def tag_chart(username: str) -> str:
        html = verified_client(demo_user(username)).get(f"/insights/areas/{grid.pk}/?preset=12m").content.decode()
        return html.split('id="chart-tags-table"')[1].split("</table>")[0]

    assert not any(name in tag_chart("grid_worker") for name in sensitive)  # no people.view_sensitive
    assert any(name in tag_chart("community_staff") for name in sensitive)
