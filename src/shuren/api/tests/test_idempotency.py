"""Idempotency-Key: one effect per key, the stored answer on replay, 422 and 409 as the draft says."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from conftest import sign_in_verified
from django.db import connection
from django.test import Client
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.core.models import IdempotencyRecord
from shuren.places.models import Area, AreaKind


def create_grid(client, tree, key=None, code="03", name="大新社区第3网格"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        "/api/v1/areas/",
        data=json.dumps({"parent": tree["com_a"].pk, "code": code, "name": name}),
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def staff(user_for_role, verified_client):
    return verified_client(user_for_role(Role.COMMUNITY_SECRETARY))


@pytest.mark.django_db
def test_replay_returns_the_stored_response_and_writes_once(staff, tree):
    first = create_grid(staff, tree, key="k-1")
    second = create_grid(staff, tree, key="k-1")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Area.objects.filter(parent=tree["com_a"], kind=AreaKind.GRID).count() == 3


@pytest.mark.django_db
def test_same_key_with_a_different_body_is_422(staff, tree):
    create_grid(staff, tree, key="k-2")
    response = create_grid(staff, tree, key="k-2", code="04", name="另一个网格")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert not Area.objects.filter(code="04").exists()


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_retry_while_the_first_is_running_is_409_and_then_gets_its_answer(user_for_role, verified_client, tree):
    """The first request holds its key until it commits; a retry in the meantime is told to wait (409)
    without waiting itself, and a retry after the commit gets the first request's answer."""
    from unittest import mock

    from shuren.api import views

    client = verified_client(user_for_role(Role.COMMUNITY_SECRETARY))
    inside, release = threading.Event(), threading.Event()
    original = views.create_grid
    first: list[int] = []

    def slow_create_grid(**kwargs):
        inside.set()
        assert release.wait(30)
        return original(**kwargs)

    def first_request() -> None:
        own = Client()
        own.cookies = client.cookies
        try:
            first.append(create_grid(own, tree, key="k-3", code="05", name="五").status_code)
        finally:
            connection.close()

    with mock.patch.object(views, "create_grid", side_effect=slow_create_grid):
        thread = threading.Thread(target=first_request)
        thread.start()
        try:
            assert inside.wait(30)
            retry = create_grid(client, tree, key="k-3", code="05", name="五")
            assert retry.status_code == 409
            assert retry.json()["type"].endswith("/idempotency-key-in-use")
        finally:
            release.set()
            thread.join()
    assert first == [201]
    again = create_grid(client, tree, key="k-3", code="05", name="五")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Area.objects.filter(code="05").count() == 1


@pytest.mark.django_db
def test_a_claim_an_older_version_left_running_is_409_within_its_lease(staff, tree):
    body = json.dumps({"parent": tree["com_a"].pk, "code": "05", "name": "五"}).encode()
    from django.test import RequestFactory

    from shuren.core.idempotency import fingerprint_of

    request = RequestFactory().post("/api/v1/areas/", data=body, content_type="application/json")
    user_id = staff.session["_auth_user_id"]
    IdempotencyRecord.objects.create(
        principal=f"user:{user_id}",
        key="k-3",
        method="POST",
        path="/api/v1/areas/",
        fingerprint=fingerprint_of(request),
        created_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=24),
    )
    response = create_grid(staff, tree, key="k-3", code="05", name="五")
    assert response.status_code == 409
    assert not Area.objects.filter(code="05").exists()


@pytest.mark.django_db
def test_an_abandoned_claim_is_taken_over_after_its_lease(staff, tree):
    user_id = staff.session["_auth_user_id"]
    IdempotencyRecord.objects.create(
        principal=f"user:{user_id}",
        key="k-4",
        method="POST",
        path="/api/v1/areas/",
        fingerprint="x" * 64,
        created_at=timezone.now() - timedelta(minutes=5),
        expires_at=timezone.now() + timedelta(hours=24),
    )
    assert create_grid(staff, tree, key="k-4").status_code == 201


@pytest.mark.django_db
def test_the_key_is_required_for_creation(staff, tree):
    response = create_grid(staff, tree)
    assert response.status_code == 400
    assert response.json()["type"].endswith("/idempotency-key-missing")
    assert Area.objects.filter(parent=tree["com_a"]).count() == 2


@pytest.mark.django_db
def test_a_failed_request_releases_its_key(staff, tree):
    bad = create_grid(staff, tree, key="k-5", code="01")  # the code is taken: 400, stored as the outcome
    assert bad.status_code == 400
    assert IdempotencyRecord.objects.get(key="k-5").status == "completed"
    boom = IdempotencyRecord.objects.count()

    from unittest import mock

    with mock.patch("shuren.api.views.create_grid", side_effect=RuntimeError("database went away")):
        with pytest.raises(RuntimeError):
            create_grid(staff, tree, key="k-6", code="06")
    assert IdempotencyRecord.objects.count() == boom  # the crashed request left no claim
    assert create_grid(staff, tree, key="k-6", code="06").status_code == 201


@pytest.mark.django_db
def test_two_users_with_the_same_key_do_not_collide(user_for_role, verified_client, tree):
    alice = verified_client(user_for_role(Role.COMMUNITY_SECRETARY))
    first = create_grid(alice, tree, key="shared", code="07", name="七")
    bob_client = sign_in_verified(Client(), user_for_role(Role.COMMUNITY_SECRETARY))
    second = create_grid(bob_client, tree, key="shared", code="08", name="八")
    assert first.status_code == second.status_code == 201
    assert Area.objects.filter(code__in=["07", "08"]).count() == 2


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_retries_of_one_key_have_one_effect(user_for_role, verified_client, tree):
    client = verified_client(user_for_role(Role.COMMUNITY_SECRETARY))
    cookies = client.cookies
    statuses: list[int] = []
    bodies: list[bytes] = []
    barrier = threading.Barrier(20)

    def attempt() -> None:
        own = Client()
        own.cookies = cookies
        barrier.wait()
        try:
            response = create_grid(own, tree, key="same-key", code="09", name="九")
            statuses.append(response.status_code)
            if response.status_code == 201:
                bodies.append(response.content)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Area.objects.filter(code="09").count() == 1
    assert set(statuses) <= {201, 409}
    assert statuses.count(201) >= 1
    assert len(set(bodies)) == 1  # every success is the same stored answer
