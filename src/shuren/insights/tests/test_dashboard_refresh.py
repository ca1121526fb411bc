"""A stale dashboard asks the worker for a refresh, once, and the worker brings the figures up to date.

The worker runs the task in its own transaction, so this test commits and loads the demo itself."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuren.accounts.models import User
from shuren.insights import rollups
from shuren.insights.models import RefreshRun


@pytest.mark.django_db(transaction=True)  # the worker runs the task in its own transaction
def test_a_stale_dashboard_queues_a_refresh_once(verified_client, settings):
    from django_tasks_db.models import DBTaskResult

    call_command("demo", stdout=io.StringIO())
    client = verified_client(User.objects.get(username="community_staff"))
    settings.SHUREN_INSIGHTS_STALE_MINUTES = 10
    RefreshRun.objects.all().delete()  # the demo's own run is fresh
    rollups.rebuild(now=timezone.now() - dt.timedelta(minutes=30))
    before = DBTaskResult.objects.filter(task_path__endswith="refresh_task").count()
    client.get("/dashboard/")
    client.get("/dashboard/")
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_task").count() == before + 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert timezone.now() - rollups.last_run().as_of < dt.timedelta(minutes=1)
