from datetime import UTC, datetime, timedelta

import pytest

from tests.webinars.conftest import (  # noqa: F401 - shared fixtures
    frozen,
    organization,
    organizer,
    register,
    webinar_factory,
)


@pytest.fixture
def event_factory(organization):  # noqa: F811 - the shared fixture
    """An approved event of `organization`; `city` makes a venue there (its zone from
    the coordinates), `rrule` a series (cleaned as the services clean it)."""
    from events.models import Event, Venue
    from events.places import cities_matching, zone_at
    from events.recurrence import rule_clean

    def make(
        *,
        starts_at,
        title="Event",
        duration=timedelta(hours=2),
        zone="UTC",
        city="",
        rrule="",
        **fields,
    ):
        venue = None
        if city:
            found = cities_matching(city)[0]
            zone = zone_at(latitude=found.latitude, longitude=found.longitude)
            venue = Venue.objects.create(
                name=f"Centre in {found.name}",
                city=found.name,
                country=found.country,
                latitude=found.latitude,
                longitude=found.longitude,
                zone=zone,
            )
        fields.setdefault("review", Event.Review.APPROVED)
        fields.setdefault("online", venue is None)
        repeats_until = None
        if rrule:
            rrule, repeats_until = rule_clean(rrule, first_start=starts_at, zone=zone)
        event = Event.objects.create(
            owner=organization,
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            zone=zone,
            venue=venue,
            rrule=rrule,
            repeats_until=repeats_until,
            **fields,
        )
        event.organizations.add(organization)
        return event

    return make


@pytest.fixture
def calendar_rows(frozen, event_factory, webinar_factory):  # noqa: F811 - shared fixtures
    """Kenya SP's calendar: a webinar, a weekly course (a skipped and a moved date), an
    in-person workshop in Dakar and an all-day deadline."""
    from events.models import Event

    webinar_factory(title="Cash plus", starts_at=datetime(2027, 3, 3, 9, 0, tzinfo=UTC))
    course = event_factory(
        title="Registry course",
        kind=Event.Kind.COURSE,
        zone="Europe/Berlin",
        starts_at=datetime(2027, 3, 1, 8, 0, tzinfo=UTC),
        duration=timedelta(minutes=90),
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=8",
        exdates=["2027-04-05T09:00"],
    )
    Event.objects.create(
        owner=course.owner,
        uid=course.uid,
        recurrence_of=course,
        recurrence_id=datetime(2027, 4, 12, 7, 0, tzinfo=UTC),
        title="Registry course (moved)",
        starts_at=datetime(2027, 4, 13, 12, 0, tzinfo=UTC),
        ends_at=datetime(2027, 4, 13, 13, 30, tzinfo=UTC),
        zone="Europe/Berlin",
        review=Event.Review.APPROVED,
        kind=Event.Kind.COURSE,
        online=True,
    )
    event_factory(
        title="Dakar seminar",
        city="Dakar",
        kind=Event.Kind.WORKSHOP,
        starts_at=datetime(2027, 6, 14, 9, 0, tzinfo=UTC),
    )
    event_factory(
        title="Call for papers",
        kind=Event.Kind.DEADLINE,
        all_day=True,
        zone="Africa/Nairobi",
        starts_at=datetime(2027, 4, 30, 21, 0, tzinfo=UTC),
        duration=timedelta(days=1),
    )
    return course
