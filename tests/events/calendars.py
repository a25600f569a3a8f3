"""Reading a feed the way calendar programs do: two parsers, one expanding the rules."""

from datetime import date

import recurring_ical_events
from icalendar import Calendar


def parsed(content: bytes):
    calendar = Calendar.from_ical(content)  # parser 1: icalendar
    for component in calendar.walk():
        assert not component.errors, component.errors
    return calendar


def expanded(content: bytes, start: date, end: date):
    # parser 2: recurring-ical-events reads the text again and expands the rules.
    return recurring_ical_events.of(Calendar.from_ical(content.decode())).between(start, end)
