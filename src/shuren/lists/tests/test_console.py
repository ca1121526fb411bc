"""The staff pages: the needs list with its filters, a need with its suggestions and the buttons
that work, and lists whose query count does not grow with their rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuren.lists import services
from shuren.lists.models import Category, Need, NeedStatus

pytestmark = pytest.mark.django_db


def test_a_grid_worker_records_a_need_sees_the_suggestion_and_proposes_it(lists_world, verified_client):
    resource = lists_world.resource(title="楼道灯具维修")
    client = verified_client(lists_world.users["grid_worker"])
    response = client.post(
        reverse("lists:need_new"),
        {
            "title": "2楼楼道灯不亮",
            "category": Category.REPAIR,
            "area": lists_world.tree["grid_a1"].pk,
            "concerned": "building",
            "urgency": "high",
            "quantity": 1,
            "source": "visit",
        },
    )
    assert response.status_code == 302, response.content[:500]
    need = Need.objects.get(title="2楼楼道灯不亮")
    page = client.get(reverse("lists:need_detail", args=[need.pk])).content.decode()
    assert "楼道灯具维修" in page and 'data-testid="propose"' in page
    client.post(reverse("lists:need_propose", args=[need.pk]), {"resource": resource.pk, "quantity": 1})
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED


def test_the_needs_list_filters_by_status(lists_world, verified_client):
    lists_world.need(title="开着的需求")
    closed = lists_world.need(title="关掉的需求")
    services.close_need(actor=lists_world.users["staff"], need=closed, version=closed.version, reason="已解决")
    client = verified_client(lists_world.users["staff"])
    page = client.get(reverse("lists:need_list") + "?status=open").content.decode()
    assert "开着的需求" in page and "关掉的需求" not in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["lists:need_list", "lists:resource_list"])
def test_a_list_pages_queries_do_not_grow_with_its_rows(lists_world, verified_client, url_name):
    client = verified_client(lists_world.users["staff"])
    lists_world.need(building=lists_world.building, area=None)
    lists_world.resource()
    one = _queries(client, reverse(url_name))
    for n in range(6):
        lists_world.need(title=f"需求{n}", building=lists_world.building, area=None)
        lists_world.resource(title=f"资源{n}")
    assert _queries(client, reverse(url_name)) == one


def test_staff_of_another_community_get_not_found(lists_world, verified_client):
    need = lists_world.need()
    resource = lists_world.resource()
    client = verified_client(lists_world.users["staff_b"])
    assert client.get(reverse("lists:need_detail", args=[need.pk])).status_code == 404
    assert client.get(reverse("lists:resource_detail", args=[resource.pk])).status_code == 404
    assert "楼道灯维修" not in client.get(reverse("lists:need_list")).content.decode()
