"""iCalendar (RFC 5545) for meetings: a user's feed and single-meeting downloads, in Asia/Shanghai
time. Cancelled meetings stay in the feed as STATUS:CANCELLED so calendar apps remove them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneStandard, vText

from .models import Meeting, MeetingStatus

TIME_ZONE = "Asia/Shanghai"


def _vtimezone() -> Timezone:
    """Asia/Shanghai has no daylight saving: one STANDARD component, UTC+8."""
    zone = Timezone()
    zone.add("tzid", TIME_ZONE)
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


_CONTROL = {c: None for c in range(32) if c not in (9, 10)} | {127: None}


def text(value: str) -> vText:
    """A TEXT value as RFC 5545 (3.3.11) wants it: any line break (CR, LF or CRLF) is one newline,
    which icalendar escapes as ``\\n`` along with commas, semicolons and backslashes; other control
    characters, which TEXT may not contain, are dropped. Lines are folded at 75 octets on output."""
    return vText(one_newline(value).translate(_CONTROL))


def one_newline(value: str) -> str:
    """Any line break (CR, LF or CRLF) as one newline."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _host() -> str:
    hosts = [h for h in getattr(settings, "ALLOWED_HOSTS", []) if h and not h.startswith((".", "*"))]
    return hosts[0] if hosts else "shuren.local"


def meeting_event(meeting: Meeting, *, url: str = "") -> Event:
    zone = ZoneInfo(TIME_ZONE)
    item = Event()
    item.add("uid", f"meeting-{meeting.pk}@{_host()}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", meeting.starts_at.astimezone(zone))
    item.add("dtend", meeting.ends_at.astimezone(zone))
    item.add("summary", text(f"{meeting.get_kind_display()} · {meeting.title}"))
    item.add("location", text(meeting.location))
    # Each part's own line breaks first, so that a trailing CR does not merge with the joining LF.
    description = [one_newline(meeting.description)] if meeting.description else []
    description.append(f"{meeting.reference} · {meeting.place_label}")
    item.add("description", text("\n".join(description)))
    item.add("sequence", meeting.version)
    item.add("last-modified", meeting.updated_at)
    item.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    if url:
        item.add("url", url)
    return item


def calendar_bytes(meetings: Iterable[Meeting], *, name: str, url_for: object = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Shuren//Meetings//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # NAME (RFC 7986) and the older X-WR-CALNAME that most apps still read, both escaped as TEXT:
    # icalendar writes X- properties unescaped by default, and a line break would end the line.
    cal.add("name", text(name))
    cal.add("x-wr-calname", text(name))
    cal.add("x-wr-timezone", TIME_ZONE)
    cal.add_component(_vtimezone())
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, url=url_for(meeting) if callable(url_for) else ""))
    return cal.to_ical()
