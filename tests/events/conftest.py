from datetime import timedelta

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
