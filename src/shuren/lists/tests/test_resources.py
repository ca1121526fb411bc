"""The units' resources: staff record them for the organisations of their areas; a member unit's
contact keeps its own organisation's entries and sees no other's."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuren.core.errors import OutOfScope, StaleVersion
from shuren.lists import selectors, services
from shuren.lists.models import Category, ResourceKind

pytestmark = pytest.mark.django_db


def test_a_contact_sees_and_edits_only_their_own_organisations_resources(lists_world):
    ours = lists_world.resource(title="楼道灯具维修")
    theirs = lists_world.resource(title="免费法律咨询", organization=lists_world.lawyers, category=Category.LEGAL)
    contact = lists_world.users["pm_contact"]
    assert list(selectors.own_resources(contact)) == [ours]
    services.edit_resource(actor=contact, resource=ours, version=ours.version, remaining=2)
    with pytest.raises(OutOfScope):
        services.edit_resource(actor=contact, resource=theirs, version=theirs.version, remaining=2)
    # A plain member of the unit keeps nothing.
    assert list(selectors.own_resources(lists_world.users["pm_member"])) == []


def test_a_contacts_pages_answer_not_found_for_another_organisations_resource(lists_world, verified_client):
    theirs = lists_world.resource(title="免费法律咨询", organization=lists_world.lawyers, category=Category.LEGAL)
    ours = lists_world.resource()
    client = verified_client(lists_world.users["pm_contact"])
    assert client.get(reverse("lists:unit_resource", args=[ours.pk])).status_code == 200
    assert client.get(reverse("lists:unit_resource", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("lists:unit_resource_edit", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("lists:unit_resources")).content.decode()
    assert "楼道灯具维修" in page and "免费法律咨询" not in page


def test_a_contact_records_for_their_own_organisation_only(lists_world):
    contact = lists_world.users["pm_contact"]
    made = services.create_resource(
        actor=contact,
        title="小区会议室",
        kind=ResourceKind.VENUE,
        category=Category.VENUE,
        organization=lists_world.manager,
        capacity=4,
    )
    assert made.area == lists_world.tree["com_a"]
    with pytest.raises(OutOfScope):
        services.create_resource(
            actor=contact,
            title="冒名资源",
            kind=ResourceKind.SERVICE,
            category=Category.LEGAL,
            organization=lists_world.lawyers,
        )


def test_remaining_stays_within_capacity_and_an_old_version_is_refused(lists_world):
    resource = lists_world.resource(capacity=3)
    with pytest.raises(ValidationError):
        services.edit_resource(
            actor=lists_world.users["staff"], resource=resource, version=resource.version, remaining=4
        )
    old = resource.version
    services.edit_resource(actor=lists_world.users["staff"], resource=resource, version=old, title="楼道灯具及门禁维修")
    with pytest.raises(StaleVersion):
        services.edit_resource(actor=lists_world.users["staff"], resource=resource, version=old, title="又改")


def test_staff_of_another_community_cannot_record_for_ours(lists_world):
    with pytest.raises(OutOfScope):
        lists_world.resource(actor=lists_world.users["staff_b"])
