"""The console and portal pages, the check-in landing and the iCalendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from shuren.meetings import services
from shuren.meetings.models import ActionStatus, Attendance, CalendarFeed, MeetingStatus

pytestmark = pytest.mark.django_db


def test_staff_schedule_a_meeting_from_the_form_and_see_it_with_its_qr_code(meeting_world, verified_client) -> None:
    world = meeting_world
    client = verified_client(world.users["staff"])
    starts = timezone.localtime() + dt.timedelta(days=2)
    response = client.post(
        reverse("meetings:meeting_new"),
        {
            "kind": "joint",
            "title": "三月联席会议",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "location": "党群服务站",
            "area": world.tree["com_a"].pk,
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "三月联席会议" in text and "data:image/svg+xml" in text
    meeting = page.context["meeting"]
    assert f"/my/meetings/checkin/{meeting.checkin_token}/" in text
    assert client.get(reverse("meetings:meeting_list")).content.decode().count("三月联席会议") == 1


def test_a_form_error_keeps_what_was_typed(meeting_world, verified_client) -> None:
    world = meeting_world
    client = verified_client(world.users["staff"])
    meeting = world.schedule()
    services.set_checkin(actor=world.users["staff"], meeting=meeting, version=meeting.version, open=True)
    response = client.post(
        reverse("meetings:meeting_action", args=[meeting.pk, "resolution"]),
        {"text": "加装充电桩的决议", "vote_mode": "counts", "votes_for": 5},
    )
    assert response.status_code == 400
    assert "加装充电桩的决议" in response.content.decode()


def test_other_communities_meetings_answer_404(meeting_world, verified_client) -> None:
    world = meeting_world
    meeting = world.schedule()
    client = verified_client(world.users["staff_b"])
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:meeting_ics", args=[meeting.pk])).status_code == 404
    assert (
        client.post(reverse("meetings:meeting_action", args=[meeting.pk, "open_checkin"]), {"version": 1}).status_code
        == 404
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_opening_the_checkin_url_signs_in_and_a_closed_sign_in_says_so(meeting_world, client) -> None:
    world = meeting_world
    meeting = world.schedule()
    services.invite_person(actor=world.users["staff"], meeting=meeting, person=world.people["resident"])
    url = reverse("meetings_portal:checkin", args=[meeting.checkin_token])
    client.force_login(world.users["resident"])
    closed = client.get(url)
    assert closed.status_code == 403 and not Attendance.objects.exists()
    services.set_checkin(actor=world.users["staff"], meeting=meeting, version=meeting.version, open=True)
    response = client.get(url)
    assert response.status_code == 200 and "林小梅" in response.content.decode()
    invitation = Attendance.objects.get().invitation
    assert invitation is not None and invitation.person == world.people["resident"]
    assert client.get(reverse("meetings_portal:checkin", args=["wrong"])).status_code == 404


def test_invitee_replies_in_the_portal_and_owner_marks_the_action_item_done(
    meeting_world, client, verified_client
) -> None:
    world = meeting_world
    staff = world.users["staff"]
    meeting = world.schedule()
    services.invite_person(actor=staff, meeting=meeting, person=world.people["resident"])
    client.force_login(world.users["resident"])
    assert "富丰新城联席会议" in client.get(reverse("meetings_portal:list")).content.decode()
    client.post(reverse("meetings_portal:reply", args=[meeting.pk]), {"answer": "accept"})
    assert meeting.invitations.get().status == "accepted"
    meeting = services.set_checkin(actor=staff, meeting=meeting, version=meeting.version, open=True)
    item = services.add_action_item(
        actor=staff,
        meeting=meeting,
        title="收集楼道意见",
        due_on=timezone.localdate(),
        owner_user=world.users["resident"],
    )
    page = client.get(reverse("meetings_portal:action_item", args=[item.pk]))
    assert page.status_code == 200
    client.post(
        reverse("meetings_portal:action_item", args=[item.pk]),
        {"version": item.version, "text": "已收集12条意见", "progress": 100, "status": "done"},
    )
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    client = verified_client(world.users["leader2"])
    assert client.get(reverse("meetings_portal:action_item", args=[item.pk])).status_code == 404
    assert client.get(reverse("meetings_portal:detail", args=[meeting.pk])).status_code == 404


def test_the_calendar_feed_lists_my_meetings_with_cancellations_and_refuses_a_wrong_token(
    meeting_world, client
) -> None:
    world = meeting_world
    staff = world.users["staff"]
    invited = world.schedule(title="一楼道会议")
    services.invite_person(actor=staff, meeting=invited, person=world.people["resident"])
    cancelled = world.schedule(title="取消的会议", days=5)
    services.invite_person(actor=staff, meeting=cancelled, person=world.people["resident"])
    services.cancel_meeting(actor=staff, meeting=cancelled, version=cancelled.version, reason="改期")
    world.schedule(title="与我无关的会议", days=6)
    client.force_login(world.users["resident"])
    response = client.post(reverse("meetings_portal:calendar_feed"), {"renew": "1"})
    address = response.context["address"]
    feed = CalendarFeed.objects.get(user=world.users["resident"])
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    client.logout()
    body = client.get(reverse("meetings_portal:feed", args=[token]))
    assert body.status_code == 200 and body["Content-Type"].startswith("text/calendar")
    events = {str(e["summary"]): e for e in Calendar.from_ical(body.content).walk("VEVENT")}
    assert set(events) == {
        f"{invited.get_kind_display()} · 一楼道会议",
        f"{cancelled.get_kind_display()} · 取消的会议",
    }
    cancelled_event = events[f"{cancelled.get_kind_display()} · 取消的会议"]
    assert str(cancelled_event["status"]) == "CANCELLED"
    start = events[f"{invited.get_kind_display()} · 一楼道会议"].decoded("dtstart")
    assert start == invited.starts_at.replace(microsecond=0) and str(start.tzinfo) == "Asia/Shanghai"
    assert client.get(reverse("meetings_portal:feed", args=["wrong-token"])).status_code == 404
    # A new address ends the old one.
    client.force_login(world.users["resident"])
    client.post(reverse("meetings_portal:calendar_feed"), {"renew": "1"})
    client.logout()
    assert client.get(reverse("meetings_portal:feed", args=[token])).status_code == 404


def test_staff_feed_includes_the_meetings_of_their_areas(meeting_world, client) -> None:
    world = meeting_world
    world.schedule(title="社区会议")
    token = services.renew_feed(actor=world.users["staff"])
    body = client.get(reverse("meetings_portal:feed", args=[token]))
    assert len(Calendar.from_ical(body.content).walk("VEVENT")) == 1
    other = services.renew_feed(actor=world.users["staff_b"])
    assert Calendar.from_ical(client.get(reverse("meetings_portal:feed", args=[other])).content).walk("VEVENT") == []


def test_rules_of_procedure_are_configured_by_the_system_admin(meeting_world, make_user, verified_client) -> None:
    from shuren.accounts.roles import Role
    from shuren.meetings.models import MeetingRule

    admin = make_user(Role.SYSTEM_ADMIN)
    client = verified_client(admin)
    rule = MeetingRule.objects.get(kind="council")
    response = client.post(
        reverse("meetings:rule_edit", args=[rule.pk]),
        {
            "quorum_numerator": 3,
            "quorum_denominator": 4,
            "quorum_strict": "",
            "majority_numerator": 1,
            "majority_denominator": 2,
            "majority_strict": "on",
            "majority_of_present": "on",
            "takes_resolutions": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.quorum_numerator, rule.quorum_denominator) == (3, 4)
    staff_client = verified_client(world_staff := meeting_world.users["staff"])
    assert world_staff and staff_client.get(reverse("meetings:rule_list")).status_code == 403
