"""iCalendar output (RFC 5545): whatever a title, place or description holds (line breaks of any
kind, commas, semicolons, backslashes, long Chinese text), the download and the feed are valid
calendars that read back to the same text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from icalendar.parser.property import unescape_backslash

from shuren.meetings import services
from shuren.meetings.calendar import calendar_bytes

pytestmark = pytest.mark.django_db


def _one_line_breaks(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _assert_folded(body: bytes) -> None:
    """Every physical line is at most 75 octets and ends with CRLF; no bare CR or LF."""
    assert body.endswith(b"\r\n")
    for line in body.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        assert b"\r" not in line and b"\n" not in line


TRICKY = "三月\r\n联席会议\n第二行\r第三行, 分号; 反斜杠\\ 结束"

text_with_breaks = (
    st.lists(
        st.sampled_from(["\r", "\n", "\r\n", ",", ";", "\\", ":", '"', " ", "\t", "楼", "议", "a", "é", "𠀋"])
        | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        min_size=1,
        max_size=200,
    )
    .map("".join)
    .filter(lambda s: s.strip())
)


def _meeting(world):
    """One meeting for every example (the fixture lives across them); its texts are set in memory."""
    if not hasattr(world, "ics_meeting"):
        world.ics_meeting = world.schedule(title="占位", location="占位")
    return world.ics_meeting


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=text_with_breaks, location=text_with_breaks, description=text_with_breaks)
def test_any_text_survives_a_round_trip_through_icalendar(meeting_world, title, location, description) -> None:
    meeting = _meeting(meeting_world)
    meeting.title, meeting.location, meeting.description = title, location, description
    body = calendar_bytes([meeting], name=title)
    _assert_folded(body)
    calendar = Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    # icalendar reads NAME and X-WR-CALNAME back as unknown values: unescape them as TEXT.
    assert unescape_backslash(str(calendar["name"])) == _one_line_breaks(title)
    assert unescape_backslash(str(calendar["x-wr-calname"])) == _one_line_breaks(title)
    assert str(event["summary"]) == f"{meeting.get_kind_display()} · {_one_line_breaks(title)}"
    assert str(event["location"]) == _one_line_breaks(location)
    assert str(event["description"]).startswith(_one_line_breaks(description) + "\n")


def test_a_line_break_in_the_title_still_downloads_and_feeds(meeting_world, verified_client, client) -> None:
    world = meeting_world
    staff = world.users["staff"]
    long_place = "富丰新城党群服务站三楼会议室（请从东门进入，电梯旁；带上身份证\\居住证）" * 3
    meeting = world.schedule(title=TRICKY, location=long_place, description="议程：\r\n1. 电梯\r\n2. 停车")
    services.invite_person(actor=staff, meeting=meeting, person=world.people["resident"])

    download = verified_client(staff).get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert download.status_code == 200
    _assert_folded(download.content)
    event = Calendar.from_ical(download.content).walk("VEVENT")[0]
    assert str(event["summary"]).endswith(_one_line_breaks(TRICKY))
    assert str(event["location"]) == long_place
    assert str(event["description"]).startswith("议程：\n1. 电梯\n2. 停车\n")

    client.force_login(world.users["resident"])
    portal = client.get(reverse("meetings_portal:meeting_ics", args=[meeting.pk]))
    assert portal.status_code == 200
    address = client.post(reverse("meetings_portal:calendar_feed"), {"renew": "1"}).context["address"]
    client.logout()
    feed = client.get(reverse("meetings_portal:feed", args=[address.rsplit("/", 1)[1].removesuffix(".ics")]))
    assert feed.status_code == 200
    _assert_folded(feed.content)
    (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["summary"]).endswith(_one_line_breaks(TRICKY))
