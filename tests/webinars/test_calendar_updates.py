"""What the attendee's calendar holds after each change, found the way a calendar program
finds it: every .ics that arrives is applied in order to a small calendar model that
follows RFC 5546's rules (a REQUEST replaces the event of its UID unless it is older; a
CANCEL removes it only when its SEQUENCE is above the event's, else it is stale)."""

import email
import email.policy
from dataclasses import dataclass
from datetime import timedelta

import pytest
from icalendar import Calendar

from webinars import services
from webinars.models import Registration

pytestmark = pytest.mark.django_db


@dataclass
class HeldEvent:
    sequence: int
    stamp: object
    start: object


class CalendarProgram:
    """An attendee's calendar: UID -> the event it holds."""

    def __init__(self):
        self.events: dict[str, HeldEvent] = {}
        self.ignored = 0

    def receive(self, message) -> None:
        for _name, content, _mimetype in message.attachments:
            calendar = Calendar.from_ical(content)
            method = str(calendar["METHOD"])
            for event in calendar.walk("VEVENT"):
                self.apply(method, event)

    def apply(self, method: str, event) -> None:
        uid, sequence = str(event["UID"]), int(event["SEQUENCE"])
        stamp = event.decoded("DTSTAMP")
        held = self.events.get(uid)
        if method == "REQUEST":
            if (
                held is None
                or sequence > held.sequence
                or (sequence == held.sequence and stamp >= held.stamp)
            ):
                self.events[uid] = HeldEvent(sequence, stamp, event.decoded("DTSTART"))
            else:
                self.ignored += 1
        elif method == "CANCEL":
            if held is not None and sequence > held.sequence:
                del self.events[uid]
            else:
                self.ignored += 1  # stale: the calendar keeps the event

    def starts(self) -> list:
        return sorted(held.start for held in self.events.values())


@pytest.fixture
def deliver_to(mailoutbox, django_capture_on_commit_callbacks):
    """Run `action` (tasks after commit, as the worker would) and hand every email that
    went to `address` to the calendar program."""

    def run(calendar: CalendarProgram, address: str, action):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        for message in mailoutbox:
            if message.to == [address]:
                calendar.receive(message)
        return result

    return run


def test_switching_session_leaves_one_event_at_the_new_time(
    frozen, webinar_factory, register, deliver_to
):
    webinar = webinar_factory(sessions=2)
    first, second = webinar.sessions.order_by("starts_at")
    calendar = CalendarProgram()
    registration = deliver_to(
        calendar, "ama@example.org", lambda: register(webinar, session=first).registration
    )
    assert calendar.starts() == [first.starts_at]
    deliver_to(
        calendar,
        "ama@example.org",
        lambda: services.registration_switch_session(registration=registration, session=second),
    )
    assert calendar.starts() == [second.starts_at]  # one event, at the new time
    assert calendar.ignored == 0


def test_cancelling_after_a_reschedule_removes_the_event(
    frozen, webinar_factory, register, organizer, deliver_to
):
    webinar = webinar_factory()
    session = webinar.sessions.get()
    calendar = CalendarProgram()
    registration = deliver_to(calendar, "ama@example.org", lambda: register(webinar).registration)
    moved = session.starts_at + timedelta(days=1)
    deliver_to(
        calendar,
        "ama@example.org",
        lambda: services.session_reschedule(session=session, actor=organizer, starts_at=moved),
    )
    assert calendar.starts() == [moved]
    registration.refresh_from_db()
    deliver_to(
        calendar, "ama@example.org", lambda: services.registration_cancel(registration=registration)
    )
    assert calendar.starts() == []  # the CANCEL's SEQUENCE is above the last REQUEST's
    assert calendar.ignored == 0


def test_registering_again_after_cancelling_puts_the_event_back(
    frozen, webinar_factory, register, deliver_to
):
    webinar = webinar_factory()
    calendar = CalendarProgram()
    registration = deliver_to(calendar, "ama@example.org", lambda: register(webinar).registration)
    deliver_to(
        calendar, "ama@example.org", lambda: services.registration_cancel(registration=registration)
    )
    assert calendar.starts() == []
    deliver_to(calendar, "ama@example.org", lambda: register(webinar))
    assert calendar.starts() == [webinar.sessions.get().starts_at]
    assert calendar.ignored == 0


def test_a_switch_then_a_session_cancellation_leaves_nothing(
    frozen, webinar_factory, register, organizer, deliver_to
):
    webinar = webinar_factory(sessions=2)
    first, second = webinar.sessions.order_by("starts_at")
    calendar = CalendarProgram()
    registration = deliver_to(
        calendar, "ama@example.org", lambda: register(webinar, session=first).registration
    )
    deliver_to(
        calendar,
        "ama@example.org",
        lambda: services.registration_switch_session(registration=registration, session=second),
    )
    deliver_to(
        calendar,
        "ama@example.org",
        lambda: services.session_cancel(session=second, actor=organizer),
    )
    assert calendar.starts() == []
    assert Registration.objects.get().ical_sequence == 2


def test_the_calendar_part_names_its_charset_once(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=True):
        register(webinar)
    (message,) = mailoutbox
    raw = message.message().as_string()
    start = raw.index("Content-Type: text/calendar")
    header = raw[start : raw.index("\nContent-", start + 1)]  # with its folded lines
    assert header.lower().count("charset") == 1, header
    parsed = email.message_from_string(raw, policy=email.policy.default)
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
