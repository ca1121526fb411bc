"""E-mail through Django's SMTP backend to a real SMTP server started by the test."""

from __future__ import annotations

import pytest
from django.test import override_settings

from shuren.notifications.models import DeliverySchedule, Message, Status
from shuren.notifications.services import deliver_due, notify
from shuren.notifications.testing import smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp():
    with smtp_server() as (port, inbox):
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
            DEFAULT_FROM_EMAIL="shuren@example.org",
            SHUREN_SITE_URL="https://shuren.example.org",
            SHUREN_NOTIFICATION_CHANNELS={},
        ):
            yield inbox


def resolved(user, event="appeal:42:resolved", **kwargs):
    notify(
        kind="tests.resolved",
        event_key=event,
        recipients=[user],
        subject="您的诉求已办结",
        text="诉求 SR-42 已办结。\n请评价处理结果。",
        link="/my/appeals/42/",
        channels=("email",),
        **kwargs,
    )
    return Message.objects.get(event_key=event, channel="email")


def test_an_email_reaches_the_recipient_with_its_link_and_how_to_stop_it(resident, smtp):
    message = resolved(resident)
    assert deliver_due()["sent"] == 1
    [mail] = smtp.messages
    assert smtp.envelopes == [("shuren@example.org", ["resident@example.com"])]
    assert mail["Subject"] == "您的诉求已办结"
    assert mail["To"] == "resident@example.com"
    assert mail["List-Unsubscribe"] == "<https://shuren.example.org/notifications/preferences/>"
    body = mail.get_content().replace("\r\n", "\n")
    assert "诉求 SR-42 已办结。\n请评价处理结果。" in body
    assert "https://shuren.example.org/my/appeals/42/" in body
    assert "https://shuren.example.org/notifications/preferences/" in body  # how to stop it
    message.refresh_from_db()
    assert message.status == Status.SENT and message.provider_id == mail["Message-ID"]


def test_a_mail_server_refusing_for_a_while_gets_the_message_once_when_it_accepts(resident, smtp):
    smtp.refuse_next = 3
    message = resolved(resident)
    now = message.created_at
    for _attempt in range(3):
        assert deliver_due(now=now)["retrying"] == 1
        message.refresh_from_db()
        now = message.next_attempt_at
    assert smtp.messages == [] and smtp.refused_attempts == 3
    assert deliver_due(now=now)["sent"] == 1
    assert deliver_due(now=now)["sent"] == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 4)
    assert len(smtp.messages) == 1


def test_a_refused_address_is_given_up_and_shown_to_the_administrator(resident, smtp, make_user, verified_client):
    smtp.refuse_recipients.add("resident@example.com")
    message = resolved(resident)
    assert deliver_due()["failed"] == 1
    message.refresh_from_db()
    assert message.status == Status.FAILED and "refused" in message.last_error
    admin = make_user("system_admin")
    page = verified_client(admin).get("/notifications/delivery/?status=failed")
    assert page.status_code == 200
    assert f'data-message="{message.pk}" data-status="failed"' in page.content.decode()
    assert "诉求 SR-42" not in page.content.decode()  # the text stays private


def test_the_digest_is_one_email_with_every_message_of_the_day(resident, smtp):
    DeliverySchedule.objects.create(user=resident, email_digest=True)
    first = resolved(resident, "appeal:1:resolved")
    second = resolved(resident, "appeal:2:resolved")
    deliver_due(now=max(first.next_attempt_at, second.next_attempt_at))
    [mail] = smtp.messages
    body = mail.get_content().replace("\r\n", "\n")
    assert body.count("您的诉求已办结") == 2 and "/notifications/preferences/" in body
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}


def test_the_administrator_sends_a_failed_message_again_once_its_cause_is_mended(
    resident, smtp, make_user, verified_client
):
    from shuren.audit.models import AuditEvent

    smtp.refuse_recipients.add("resident@example.com")
    message = resolved(resident)
    deliver_due()
    smtp.refuse_recipients.clear()
    client = verified_client(make_user("system_admin"))
    assert client.post("/notifications/delivery/retry/", {"id": message.pk}).status_code == 302
    assert client.post("/notifications/delivery/retry/", {"id": message.pk}).status_code == 404  # not failed now
    assert AuditEvent.objects.filter(action="notifications.retry", object_id=str(message.pk)).count() == 1
    assert deliver_due()["sent"] == 1
    assert len(smtp.messages) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2


def test_only_the_administrator_sends_again(resident, smtp, verified_client):
    smtp.refuse_recipients.add("resident@example.com")
    message = resolved(resident)
    deliver_due()
    assert verified_client(resident).post("/notifications/delivery/retry/", {"id": message.pk}).status_code == 403
    message.refresh_from_db()
    assert message.status == Status.FAILED
