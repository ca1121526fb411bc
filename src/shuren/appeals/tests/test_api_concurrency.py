"""Two dispatchers, one appeal, the same version, the same moment, through the API: exactly one
dispatch happens (PostgreSQL, real threads, real transactions)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from shuren.accounts.services import issue_api_token
from shuren.appeals.models import Appeal, AppealEvent
from shuren.core.testing import run_at_once

from .api_support import BASE

ROUNDS = 3


def race(appeal_id: int, attempts: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, int]]:
    """POST each (token, body) as a dispatch of version 1, all released at the same instant from
    their own threads (each with its own database connection); (status, organisation) of each."""

    def dispatch(token: str, body: dict[str, Any]) -> Callable[[Callable[[], Any]], tuple[int, int]]:
        def attempt(start: Callable[[], Any]) -> tuple[int, int]:
            client = Client(HTTP_AUTHORIZATION=f"Token {token}")
            start()
            response = client.post(
                f"{BASE}{appeal_id}/dispatch/", data=json.dumps({**body, "version": 1}), content_type="application/json"
            )
            return response.status_code, body["organization"]

        return attempt

    return run_at_once([dispatch(token, body) for token, body in attempts])


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_sending_the_same_version_at_once_dispatch_once(appeal_world):
    w = appeal_world
    attempts = [
        (issue_api_token(user=w.users["staff"], name="test")[1], {"organization": w.property_manager.pk}),
        (
            issue_api_token(user=w.users["secretary"], name="test")[1],
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
