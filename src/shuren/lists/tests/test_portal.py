"""The serviceable list (public) and a resident's requests from it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuren.lists import services
from shuren.lists.models import Category, MatchStatus, Need, NeedSource, NeedStatus, ResourceKind

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_organisations_by_name_and_residents_only_when_they_chose(lists_world, client):
    person = lists_world.people["lawyer"]
    person.phone = "13912345678"
    person.save()
    lists_world.resource(title="楼道灯具维修")
    lists_world.resource(
        title="陪老人聊天", person=person, kind=ResourceKind.VOLUNTEERS, category=Category.CARE, show_name=False
    )
    lists_world.resource(title="不公开的资金", is_public=False, kind=ResourceKind.MONEY, category=Category.FUNDS)
    page = client.get(reverse("lists_public:serviceable", args=[lists_world.tree["com_a"].pk])).content.decode()
    assert "楼道灯具维修" in page and "富丰物业" in page
    assert "陪老人聊天" in page
    assert "周律师" not in page and "13912345678" not in page and "5678" not in page
    assert "不公开的资金" not in page
    assert 'data-testid="request"' not in page  # an anonymous visitor only reads


def test_a_resident_who_chose_so_is_named(lists_world, client):
    lists_world.resource(
        title="陪老人聊天",
        person=lists_world.people["lawyer"],
        kind=ResourceKind.VOLUNTEERS,
        category=Category.CARE,
        show_name=True,
    )
    page = client.get(reverse("lists_public:serviceable", args=[lists_world.tree["com_a"].pk])).content.decode()
    assert "周律师" in page


def test_a_residents_request_is_a_need_already_matched_to_the_resource(lists_world, verified_client):
    resource = lists_world.resource(title="长者上门健康检查", category=Category.HEALTH)
    client = verified_client(lists_world.users["resident"])
    response = client.post(
        reverse("lists_portal:request", args=[resource.pk]), {"description": "母亲想量血压", "quantity": 1}
    )
    assert response.status_code == 302
    need = Need.objects.get(requested_by=lists_world.users["resident"])
    assert (need.source, need.status, need.person) == (
        NeedSource.SERVICEABLE_REQUEST,
        NeedStatus.MATCHED,
        lists_world.people["resident"],
    )
    (match,) = need.matches.all()
    assert (match.resource, match.status) == (resource, MatchStatus.PROPOSED)
    assert "长者上门健康检查" in client.get(reverse("lists_portal:my_requests")).content.decode()
    # The unit's contact finds it among the requests to them and accepts.
    services.accept_match(actor=lists_world.users["pm_contact"], match=match)
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROGRESS


def test_a_resident_of_another_community_cannot_request_it(lists_world, verified_client):
    resource = lists_world.resource()
    client = verified_client(lists_world.users["resident_b"])
    assert client.get(reverse("lists_portal:request", args=[resource.pk])).status_code == 404
    assert client.post(reverse("lists_portal:request", args=[resource.pk]), {"quantity": 1}).status_code == 404


def test_one_cannot_open_another_residents_request(lists_world, verified_client):
    resource = lists_world.resource()
    need = services.request_resource(actor=lists_world.users["resident"], resource=resource)
    client = verified_client(lists_world.users["resident_b"])
    assert client.get(reverse("lists_portal:my_request", args=[need.pk])).status_code == 404
