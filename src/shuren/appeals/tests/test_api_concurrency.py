"""Two dispatchers, one appeal, the same version, the same moment, through the API: exactly one
dispatch happens (PostgreSQL, real threads, real transactions)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from shuren.appeals.models import Appeal, AppealEvent

from .api_support import BASE

ROUNDS = 3


def race(appeal_id: int, attempts: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, int]]:
    """POST each (token, body) as a dispatch of version 1, all released at the same instant from
    their own threads (each with its own database connection); (status, organisation) of each."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[tuple[int, int]] = []

    def dispatch(token: str, body: dict[str, Any]) -> None:
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            barrier.wait()
            response = client.post(
                f"{BASE}{appeal_id}/dispatch/", data=json.dumps({**body, "version": 1}), content_type="application/json"
            )
            outcomes.append((response.status_code, body["organization"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_sending_the_same_version_at_once_dispatch_once(appeal_world):
    w = appeal_world
    attempts = [
        (Token.objects.create(user=w.users["staff"]).key, {"organization": w.property_manager.pk}),
        (
            Token.objects.create(user=w.users["secretary"]).key,
            {"organization": w.residents_committee.pk, "reason": "先由居委会上门劝导"},
        ),
    ]
    for round_number in range(ROUNDS):
        appeal = w.submit(description=f"第{round_number + 1}次反映：1座楼道飞线给电动车充电，很危险")
        outcomes = race(appeal.pk, attempts)
        assert sorted(status for status, _org in outcomes) == [200, 409], outcomes
        winner = next(org for status, org in outcomes if status == 200)
        appeal.refresh_from_db()
        assert appeal.organization_id == winner and appeal.version == 2
        assert AppealEvent.objects.filter(appeal=appeal, kind="dispatch").count() == 1
    assert Appeal.objects.filter(status="dispatched").count() == ROUNDS
