"""Racing steps in real threads on PostgreSQL: a scheduled notice released by two workers at once,
a draft published twice at once, a household told by two people at once — each happens once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.testing import run_at_once
from shuren.notices import services
from shuren.notices.models import Notice, NoticeHousehold, NoticeStatus
from shuren.notifications.models import Message

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]


def test_two_workers_release_a_scheduled_notice_once(notice_world) -> None:
    at = timezone.now() + dt.timedelta(minutes=5)
    notice = notice_world.published(publish_at=at)

    def worker(start: Any) -> int:
        start()
        return services.release_due(at=at)

    assert sum(run_at_once([worker, worker, worker])) == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    assert NoticeHousehold.objects.filter(notice=notice).count() == 6
    assert Message.objects.filter(event_key=f"notice:{notice.pk}:published", channel="inapp").count() == 5


def test_a_draft_published_twice_at_once_goes_out_once(notice_world) -> None:
    draft = notice_world.notice()
    staff, grid_worker = notice_world.users["staff"], notice_world.users["grid_worker"]

    def publish(actor: Any) -> Any:
        def job(start: Any) -> str:
            notice = Notice.objects.get(pk=draft.pk)
            start()
            try:
                services.publish_notice(actor=actor, notice=notice, version=notice.version)
            except (InvalidTransition, StaleVersion):
                return "refused"
            return "published"

        return job

    assert sorted(run_at_once([publish(staff), publish(grid_worker)])) == ["published", "refused"]
    assert NoticeHousehold.objects.filter(notice_id=draft.pk).count() == 6
    assert Message.objects.filter(event_key=f"notice:{draft.pk}:published", channel="inapp").count() == 5


def test_a_household_told_by_two_people_at_once_is_told_once(notice_world) -> None:
    notice = notice_world.published()
    household = NoticeHousehold.objects.get(notice=notice, dwelling=notice_world.dwelling(0, "202"))

    def tell(actor: Any) -> Any:
        def job(start: Any) -> int:
            start()
            services.mark_told(actor=actor, household=household)
            return 0

        return job

    run_at_once([tell(notice_world.users["leader"]), tell(notice_world.users["grid_worker"])])
    household.refresh_from_db()
    assert household.told_at is not None
    assert household.told_by in (notice_world.users["leader"], notice_world.users["grid_worker"])
    assert AuditEvent.objects.filter(action="notices.tell").count() == 1
