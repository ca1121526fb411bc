"""The inbox and the preferences of every signed-in user, and the unread count in the header."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from shuren.notifications.models import DeliverySchedule, Message, Preference
from shuren.notifications.services import notify

pytestmark = pytest.mark.django_db


def tell(user, event, subject="停水通知", link=""):
    notify(kind="tests.reminder", event_key=event, recipients=[user], subject=subject, text="明日停水", link=link)
    return Message.objects.get(event_key=event, recipient=user, channel="inapp")


def test_the_inbox_lists_my_messages_unread_first(resident, neighbour, verified_client):
    old = tell(resident, "n:1", "旧消息")
    new = tell(resident, "n:2", "新消息")
    tell(neighbour, "n:3", "邻居的消息")
    Message.objects.filter(pk=new.pk).update(read_at=new.created_at)
    page = verified_client(resident).get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "邻居的消息" not in html
    assert html.index(f'data-message="{old.pk}"') < html.index(f'data-message="{new.pk}"')
    assert "web/portal_base.html" in [t.name for t in page.templates]


def test_staff_see_the_inbox_in_the_console(user_for_role, verified_client):
    staff = user_for_role("community_staff")
    tell(staff, "n:1")
    page = verified_client(staff).get("/notifications/")
    assert "web/console.html" in [t.name for t in page.templates]
    assert 'data-testid="inbox-unread">1' in page.content.decode()  # the navigation's badge


def test_the_header_of_both_shells_shows_the_unread_count(resident, user_for_role, verified_client):
    staff = user_for_role("community_staff")
    for user, event in ((resident, "n:r"), (staff, "n:s")):
        tell(user, f"{event}1")
        tell(user, f"{event}2")
        html = verified_client(user).get("/").content.decode()
        if 'data-testid="inbox-bell"' not in html:  # home redirects to the user's own landing page
            html = verified_client(user).get("/", follow=True).content.decode()
        bell = html.split('data-testid="inbox-bell"')[1].split("</a>")[0]
        assert 'data-testid="inbox-unread">2' in bell, user


def test_marking_read_one_then_all(resident, verified_client):
    first, second, third = (tell(resident, f"n:{n}") for n in range(3))
    client = verified_client(resident)
    assert client.post("/notifications/read/", {"id": first.pk}).status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert Message.objects.filter(recipient=resident, read_at__isnull=True).count() == 2
    client.post("/notifications/read/", {"all": "1"})
    assert Message.objects.filter(recipient=resident, read_at__isnull=True).count() == 0


def test_opening_a_message_marks_it_read_and_follows_its_link(resident, verified_client):
    message = tell(resident, "n:1", link="/my/appeals/")
    answer = verified_client(resident).post("/notifications/open/", {"id": message.pk})
    assert answer.status_code == 302 and answer["Location"] == "/my/appeals/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_an_outside_link_is_never_followed(resident, verified_client):
    message = tell(resident, "n:1", link="//evil.example.com/")
    answer = verified_client(resident).post("/notifications/open/", {"id": message.pk})
    assert answer["Location"] == "/notifications/"


def test_another_users_message_is_not_found(resident, neighbour, verified_client):
    theirs = tell(neighbour, "n:1")
    client = verified_client(resident)
    assert client.post("/notifications/read/", {"id": theirs.pk}).status_code == 404
    assert client.post("/notifications/open/", {"id": theirs.pk}).status_code == 404
    assert client.post("/notifications/read/", {"id": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_shows_the_unread_count(resident, neighbour):
    for n in range(3):
        tell(resident, f"n:{n}")
    tell(neighbour, "n:9")
    request = RequestFactory().get("/")
    request.user = resident
    html = Template("{% load notifications_inbox %}{% inbox_bell %}").render(Context({"request": request}))
    assert 'href="/notifications/"' in html and 'data-testid="inbox-unread">3' in html
    assert Template("{% load notifications_inbox %}{% unread_messages %}").render(Context({"request": request}))
    Message.objects.filter(recipient=resident).update(read_at=Message.objects.first().created_at)
    next_page = RequestFactory().get("/")  # counted once per request: the next page counts again
    next_page.user = resident
    html = Template("{% load notifications_inbox %}{% inbox_bell %}").render(Context({"request": next_page}))
    assert "inbox-unread" not in html


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/preferences/").status_code == 302


def test_preferences_switch_channels_per_kind_and_set_quiet_hours_and_the_digest(resident, verified_client):
    client = verified_client(resident)
    page = client.get("/notifications/preferences/")
    html = page.content.decode()
    assert 'name="pref:tests.resolved:email"' in html and 'name="pref:tests.reminder:sms"' in html
    answer = client.post(
        "/notifications/preferences/",
        {
            "pref:tests.resolved:sms": "on",  # email switched off, SMS kept
            "pref:tests.reminder:sms": "on",  # an optional channel switched on
            "quiet_start": "22:30",
            "quiet_end": "07:00",
            "email_digest": "on",
        },
    )
    assert answer.status_code == 302
    chosen = set(Preference.objects.filter(user=resident).values_list("kind", "channel", "enabled"))
    assert chosen == {("tests.resolved", "email", False), ("tests.reminder", "sms", True)}
    schedule = DeliverySchedule.objects.get(user=resident)
    assert (str(schedule.quiet_start), str(schedule.quiet_end), schedule.email_digest) == ("22:30:00", "07:00:00", True)
    notify(kind="tests.resolved", event_key="e", recipients=[resident], subject="s", text="t")
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["inapp", "sms"]


def test_the_delivery_page_is_for_the_system_administrator(resident, verified_client):
    assert verified_client(resident).get("/notifications/delivery/").status_code == 403


def test_a_message_is_shown_as_text_never_as_html(resident, verified_client):
    notify(
        kind="tests.reminder",
        event_key="x",
        recipients=[resident],
        subject="<b>标题</b>",
        text="<script>alert(1)</script>\n第二行",
    )
    html = verified_client(resident).get("/notifications/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行" in html
    assert "&lt;b&gt;标题&lt;/b&gt;" in html


@pytest.mark.django_db
def test_the_preferences_page_offers_each_user_only_the_kinds_meant_for_them(
    resident, make_user, tree, verified_client
):
    from shuren.accounts.roles import Role
    from shuren.notifications import kinds

    kinds.register(
        kinds.Kind("tests.assigned", "An appeal was dispatched to my organisation", audience=("appeals.handle",))
    )
    html = verified_client(resident).get("/notifications/preferences/").content.decode()
    assert 'name="pref:tests.resolved:email"' in html
    assert "pref:tests.assigned:" not in html

    handler = make_user(Role.HANDLER, tree["com_a"], username="pm_clerk")
    html = verified_client(handler).get("/notifications/preferences/").content.decode()
    assert 'name="pref:tests.assigned:email"' in html
