"""RFC 5545 calendars: invitations (REQUEST / CANCEL) and feeds (PUBLISH).

Times are written in UTC (`DTSTART:20270329T063000Z`), which every calendar program
shows in its own zone; the UID of a session never changes and SEQUENCE grows with
every reschedule or cancellation, so calendars update the event they already hold.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Alarm, Calendar, Event, vCalAddress, vRecur, vText

from core.markdown import clean_line

PRODID = "-//Baraza//Webinars//EN"


@dataclass
class CalendarEntry:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""
    cancelled: bool = False
    categories: list[str] = field(default_factory=list)
    # Events with a zone of their own: a recurring one is written in local time with
    # its TZID (and VTIMEZONE), so calendars keep its wall-clock time across DST; an
    # all-day one as dates (DTEND exclusive).
    zone: str = ""
    all_day: bool = False
    rrule: str = ""
    exdates: list[datetime] = field(default_factory=list)
    recurrence_id: datetime | None = None
    geo: tuple[float, float] | None = None


def _local(entry: CalendarEntry, instant: datetime):
    local = instant.astimezone(ZoneInfo(entry.zone))
    return local.date() if entry.all_day else local


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or "Baraza")
    return organizer


def _event(entry: CalendarEntry, *, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    if entry.zone and (entry.all_day or entry.rrule or entry.recurrence_id):
        event.add("dtstart", _local(entry, entry.starts_at))
        event.add("dtend", _local(entry, entry.ends_at))
        if entry.rrule:
            event.add("rrule", vRecur.from_ical(entry.rrule))
            for skipped in entry.exdates:
                event.add("exdate", _local(entry, skipped))
        if entry.recurrence_id:
            event.add("recurrence-id", _local(entry, entry.recurrence_id))
    else:
        event.add("dtstart", entry.starts_at.astimezone(UTC))
        event.add("dtend", entry.ends_at.astimezone(UTC))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", entry.url)
    if entry.location:
        event.add("location", entry.location)
    if entry.categories:
        event.add("categories", entry.categories)
    if entry.geo:
        event.add("geo", entry.geo)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return event


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def invitation(
    entry: CalendarEntry, *, attendee_email: str, attendee_name: str, stamp: datetime
) -> bytes:
    """A METHOD:REQUEST (or CANCEL when the entry is cancelled) for one attendee."""
    calendar = _calendar("CANCEL" if entry.cancelled else "REQUEST")
    event = _event(entry, stamp=stamp)
    event.add("organizer", _organizer())
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name or attendee_email)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    if not entry.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        alarm.add("trigger", timedelta(minutes=-15))
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical()


def feed(entries: list[CalendarEntry], *, name: str, stamp: datetime) -> bytes:
    calendar = _calendar("PUBLISH")
    # X-WR-CALNAME is written as it is (icalendar does not escape unknown properties):
    # a name with a line break would break the feed or add properties to it.
    calendar.add("x-wr-calname", clean_line(name))
    for entry in entries:
        calendar.add_component(_event(entry, stamp=stamp))
    if any(entry.zone for entry in entries):
        calendar.add_missing_timezones()
    return calendar.to_ical()
