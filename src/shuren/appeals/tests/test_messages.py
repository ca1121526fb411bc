"""The appeals send through the outbox: each step tells the reporter and the staff who must act, in
Chinese, once per event, on the channels they chose; nothing is sent for a step that is undone. The
appeals' old in-app notices move to the inbox (migration 0005)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from shuren.appeals import services
from shuren.appeals.testing import appeal_notices
from shuren.notifications import kinds
from shuren.notifications.models import Message, Preference
from shuren.notifications.services import deliver_due
from shuren.notifications.testing import RecordingSms, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(appeal_world):
    resident = appeal_world.users["resident"]
    resident.email, resident.phone = "resident@example.com", "13800138000"
    resident.save()
    handler = appeal_world.users["handler"]
    handler.email = "clerk@example.com"
    handler.save()
    return appeal_world


def rows(appeal, kind: str) -> list[tuple[str, str]]:
    """(recipient, channel) of the appeal's messages of ``appeals.<kind>``, sorted."""
    messages = Message.objects.filter(event_key__startswith=f"appeal:{appeal.pk}:", kind=f"appeals.{kind}")
    return sorted(messages.values_list("recipient__username", "channel"))


def dispatch(world, appeal):
    return services.dispatch_appeal(
        actor=world.users["staff"], appeal=appeal, version=appeal.version, organization=world.property_manager
    )


def test_the_kinds_are_registered_with_chinese_labels():
    codes = {kind.code for kind in kinds.all_kinds()}
    assert {"appeals.progress", "appeals.resolved", "appeals.assigned", "appeals.overdue"} <= codes
    assert str(kinds.get("appeals.resolved").label) == "我反映的诉求已办结，请我评价"


def test_each_step_tells_the_reporter_and_the_handlers_on_their_channels(world):
    resident, handler = world.users["resident"], world.users["handler"]
    appeal = dispatch(world, world.submit())
    # The handler hears of the new appeal; the reporter that it was passed on (SMS is optional).
    assert rows(appeal, "assigned") == [("pm_clerk", "email"), ("pm_clerk", "inapp")]
    assert rows(appeal, "progress") == [(resident.username, "email"), (resident.username, "inapp")]
    told = Message.objects.get(kind="appeals.progress", channel="inapp")
    assert told.text == f"诉求 {appeal.reference} 已转交富丰物业办理。"
    assert told.link == reverse("appeals_portal:detail", args=[appeal.pk])
    assert told.params == {"ref": appeal.reference, "status": "已派单"}
    assigned = Message.objects.get(kind="appeals.assigned", channel="inapp")
    assert assigned.link == reverse("appeals:appeal_detail", args=[appeal.pk]) and appeal.reference in assigned.text

    appeal = services.take_up_appeal(actor=handler, appeal=appeal, version=appeal.version)
    appeal = services.resolve_appeal(actor=handler, appeal=appeal, version=appeal.version, resolution="已修复路灯")
    # The request to rate it goes by SMS too (a default channel of the kind), with one parameter.
    assert rows(appeal, "resolved") == [(resident.username, c) for c in ("email", "inapp", "sms")]
    sms = Message.objects.get(kind="appeals.resolved", channel="sms")
    assert sms.params == {"ref": appeal.reference} and sms.status == "pending"
    assert Message.objects.get(kind="appeals.resolved", channel="inapp").text == (
        f"诉求 {appeal.reference} 已办结，请告诉我们问题是否已解决。"
    )
    # Nobody is told of what they did themselves: the handler gets nothing for resolving.
    assert not Message.objects.filter(recipient=handler, kind__in=["appeals.progress", "appeals.resolved"]).exists()


def test_a_step_retried_or_told_twice_sends_once(world):
    appeal = dispatch(world, world.submit())
    before = Message.objects.count()
    # The same event told again (a retried task, a second call) adds nothing.
    from shuren.appeals.services.base import tell_staff

    tell_staff([world.users["handler"]], appeal, "assigned", lambda: "again")
    assert Message.objects.count() == before
    assert Message.objects.filter(kind="appeals.assigned", recipient=world.users["handler"]).count() == 2


def test_a_step_rolled_back_leaves_no_message(world):
    appeal = world.submit()
    with pytest.raises(RuntimeError), transaction.atomic():
        dispatch(world, appeal)
        raise RuntimeError("the request failed after the dispatch")
    assert not Message.objects.filter(event_key__startswith=f"appeal:{appeal.pk}:").exists()


def test_a_kind_switched_off_reaches_only_the_inbox(world):
    resident = world.users["resident"]
    Preference.objects.create(user=resident, kind="appeals.resolved", channel="email", enabled=False)
    Preference.objects.create(user=resident, kind="appeals.resolved", channel="sms", enabled=False)
    appeal = dispatch(world, world.submit())
    appeal = services.take_up_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version)
    services.resolve_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version, resolution="已修复")
    assert rows(appeal, "resolved") == [(resident.username, "inapp")]


def test_the_desk_hears_of_returns_and_the_reporter_does_not(world):
    appeal = dispatch(world, world.submit())
    services.return_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version, reason="不归物业管")
    assert {recipient for recipient, _channel in rows(appeal, "returned")} == {"gridworker"}
    assert not appeal_notices(appeal=appeal, kind="returned", recipient=world.users["resident"]).exists()


def test_reminders_go_once_per_deadline(world):
    appeal = dispatch(world, world.submit())
    due = appeal.resolution_due_at
    assert services.remind_deadline(appeal=appeal, which="resolution_overdue", now=due) > 0
    assert services.remind_deadline(appeal=appeal, which="resolution_overdue", now=due) == 0
    overdue = appeal_notices(appeal=appeal, kind="overdue")
    assert overdue.count() == len({m.recipient_id for m in overdue})
    assert all("已逾期" in m.text and m.link == f"/appeals/{appeal.pk}/" for m in overdue)


def test_the_reporter_reads_the_resolution_by_email_with_how_to_stop_it(daytime, world):
    with (
        smtp_server() as (port, inbox),
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
            DEFAULT_FROM_EMAIL="shuren@example.org",
            SHUREN_SITE_URL="https://shuren.example.org",
            SHUREN_NOTIFICATION_CHANNELS={"sms": "shuren.notifications.testing.RecordingSms"},
            SHUREN_SMS_TEMPLATES={"appeals.resolved": "SMS_1", "appeals.progress": "SMS_2"},
        ),
    ):
        appeal = dispatch(world, world.submit())
        appeal = services.take_up_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version)
        services.resolve_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version, resolution="好了")
        RecordingSms.reset()
        # Out of quiet hours (the test may run at night): the SMS is due now.
        Message.objects.filter(channel="sms").update(next_attempt_at=timezone.now())
        deliver_due()
    sms = Message.objects.get(kind="appeals.resolved", channel="sms")
    assert sms.status == "sent" and [pk for pk, _thread in RecordingSms.sent] == [sms.pk]
    to_resident = [m for m in inbox.messages if m["To"] == "resident@example.com"]
    subjects = [" ".join(m["Subject"].split()) for m in to_resident]
    assert f"诉求 {appeal.reference} 已办结，请告诉我们问题是否已解决。" in subjects
    body = to_resident[subjects.index(f"诉求 {appeal.reference} 已办结，请告诉我们问题是否已解决。")].get_content()
    assert f"https://shuren.example.org/my/appeals/{appeal.pk}/" in body
    assert "https://shuren.example.org/notifications/preferences/" in body


# --- the old notices move to the inbox ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_old_notices_into_the_inbox_keeping_their_read_marks(appeal_world):
    appeal = appeal_world.submit()
    resident, handler = appeal_world.users["resident"], appeal_world.users["handler"]
    Message.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.migrate([("appeals", "0004_publication_review")])
    old = executor.loader.project_state([("appeals", "0004_publication_review")]).apps
    Notification = old.get_model("appeals", "Notification")
    read = Notification.objects.create(
        recipient_id=resident.pk, appeal_id=appeal.pk, kind="resolved", message="诉求已办结", dedupe_key=""
    )
    Notification.objects.filter(pk=read.pk).update(read_at="2026-03-01T08:00:00+00:00")
    Notification.objects.create(
        recipient_id=handler.pk, appeal_id=appeal.pk, kind="resolution_overdue", message="诉求已超期", dedupe_key="x"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    mine = Message.objects.get(recipient=resident)
    assert (mine.kind, mine.channel, mine.status, mine.text) == ("appeals.resolved", "inapp", "sent", "诉求已办结")
    assert mine.read_at is not None and mine.link == f"/my/appeals/{appeal.pk}/"
    theirs = Message.objects.get(recipient=handler)
    assert (theirs.kind, theirs.read_at, theirs.link) == ("appeals.overdue", None, f"/appeals/{appeal.pk}/")
    assert theirs.event_key.startswith(f"appeal:{appeal.pk}:")


def test_the_reporter_is_asked_once_more_on_the_last_day_of_the_feedback_period(world, settings):
    settings.SHUREN_APPEAL_FEEDBACK_DAYS = 7
    appeal = dispatch(world, world.submit())
    appeal = services.take_up_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version)
    appeal = services.resolve_appeal(
        actor=world.users["handler"], appeal=appeal, version=appeal.version, resolution="好"
    )
    resolved_at = appeal.resolved_at
    assert services.ask_unrated(now=resolved_at + dt.timedelta(days=5)) == 0  # not the last day yet
    last_day = resolved_at + dt.timedelta(days=6, hours=2)
    assert services.ask_unrated(now=last_day) == 1
    assert services.ask_unrated(now=last_day + dt.timedelta(hours=1)) == 0  # once
    asked = appeal_notices(appeal=appeal, kind="resolved", event_key__contains=":rate:").get()
    assert asked.recipient == world.users["resident"] and "否则将不经评价结案" in asked.text
    assert asked.link == reverse("appeals_portal:detail", args=[appeal.pk])
