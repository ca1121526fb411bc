"""Revealing a masked field is permitted only in scope, with a reason and a recent re-authentication,
and always leaves an audit event."""

from __future__ import annotations

import pytest
from conftest import confirmed_seconds_ago
from django.core.exceptions import ValidationError
from django.db import connection
from tests.testapp.models import Contact

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.pii import masked, reveal

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(tree):
    a = Contact.objects.create(
        name="林小梅", phone="+8613800138001", id_number="11010519491231002X", area=tree["grid_a1"]
    )
    b = Contact.objects.create(
        name="陈志强", phone="+8613800138002", id_number="440524188001010014", area=tree["grid_b1"]
    )
    return a, b


def test_list_display_is_masked(contacts):
    a, _ = contacts
    assert masked(a, "phone") == "138****8001"
    assert masked(a, "id_number") == "1101**********002X"


def test_staff_reveals_a_phone_in_their_community_and_it_is_audited(contacts, user_for_role):
    a, _ = contacts
    staff = user_for_role(Role.COMMUNITY_STAFF)
    assert reveal(actor=staff, obj=a, field="phone", reason="电话回访诉求") == "+8613800138001"
    event = AuditEvent.objects.get(action="pii.reveal")
    assert event.actor_id == staff.pk
    assert event.object_id == str(a.pk)
    assert event.reason == "电话回访诉求"
    assert event.detail == {"field": "phone"}
    assert "13800138001" not in str(event.detail)


def test_reveal_outside_the_community_is_not_found(contacts, user_for_role):
    _, b = contacts
    with pytest.raises(OutOfScope):
        reveal(actor=user_for_role(Role.COMMUNITY_STAFF), obj=b, field="phone", reason="回访")
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_roles_without_the_reveal_permission_are_refused(contacts, user_for_role):
    a, _ = contacts
    for role in (Role.GRID_WORKER, Role.BUILDING_LEADER, Role.SYSTEM_ADMIN, Role.AUDITOR):
        with pytest.raises((NotPermitted, OutOfScope)):
            reveal(actor=user_for_role(role), obj=a, field="id_number", reason="核对身份")


def test_a_reason_is_required(contacts, user_for_role):
    a, _ = contacts
    with pytest.raises(ValidationError):
        reveal(actor=user_for_role(Role.COMMUNITY_STAFF), obj=a, field="phone", reason=" ")


def test_reveal_fails_closed_when_the_audit_write_fails(contacts, user_for_role, monkeypatch):
    a, _ = contacts

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("shuren.audit.services.record_event", broken)
    with pytest.raises(RuntimeError):
        reveal(actor=user_for_role(Role.COMMUNITY_STAFF), obj=a, field="phone", reason="回访")


def test_the_database_holds_no_plaintext(contacts):
    a, _ = contacts
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number FROM testapp_contact WHERE id = %s", [a.pk])
        phone, id_number = cursor.fetchone()
    assert "13800138001" not in phone and "11010519491231002" not in id_number
    assert phone.startswith("v1:")


def test_reveal_endpoint_needs_recent_reauthentication(contacts, user_for_role, verified_client):
    a, _ = contacts
    client = verified_client(user_for_role(Role.COMMUNITY_STAFF))
    confirmed_seconds_ago(client, 3600)
    data = {"model": "testapp.contact", "pk": a.pk, "field": "phone", "reason": "回访"}
    response = client.post("/pii/reveal/", data)
    assert response.status_code == 302 and "/accounts/reauth/" in response["Location"]
    confirmed_seconds_ago(client, 0)
    response = client.post("/pii/reveal/", data)
    assert response.status_code == 200
    assert response.json() == {"value": "+8613800138001"}
    assert response["Cache-Control"] == "no-store"


def test_reveal_endpoint_answers_404_for_another_community(contacts, user_for_role, verified_client):
    _, b = contacts
    client = verified_client(user_for_role(Role.COMMUNITY_STAFF))
    response = client.post("/pii/reveal/", {"model": "testapp.contact", "pk": b.pk, "field": "phone", "reason": "回访"})
    assert response.status_code == 404
    assert "13800138002" not in response.content.decode()


def test_reveal_endpoint_refuses_unregistered_fields(contacts, user_for_role, verified_client):
    a, _ = contacts
    client = verified_client(user_for_role(Role.COMMUNITY_STAFF))
    response = client.post("/pii/reveal/", {"model": "testapp.contact", "pk": a.pk, "field": "name", "reason": "回访"})
    assert response.status_code == 404
