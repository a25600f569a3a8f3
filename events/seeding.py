"""Demo events beside the demo webinars: a conference in Nairobi, a workshop in Dakar,
a study tour in Manila (all day), a weekly online course in Berlin's zone that crosses a
DST change, a call for papers, a cancelled meeting and one submission waiting for review.
Safe to run again: each is found by its UID."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from core.clock import now
from core.markdown import render_markdown
from events.models import Event, Venue
from events.places import cities_matching, zone_at
from events.recurrence import rule_clean
from members.models import Organization
from webinars.models import Topic

# uid, owner slug, kind, title, city or zone, days from now, local hour, hours, extra
DEMO_EVENTS = [
    (
        "demo-nairobi",
        "kenya-sp",
        "conference",
        "East Africa dialogue on cash transfers",
        "Nairobi",
        3,
        9,
        8,
        {"topics": ["cash-transfers"], "regions": ["sub_saharan_africa"]},
    ),
    (
        "demo-dakar",
        "africa-cash",
        "workshop",
        "Adaptive social protection in the Sahel",
        "Dakar",
        12,
        10,
        7,
        {"topics": ["shock-responsive"], "languages": ["fr"]},
    ),
    (
        "demo-manila",
        "dswd-ph",
        "study_tour",
        "Study tour: 4Ps family development sessions",
        "Manila",
        25,
        0,
        72,
        {"all_day": True, "topics": ["cash-transfers"]},
    ),
    (
        "demo-course",
        "ipc-ig",
        "course",
        "Online course: social registries (weekly)",
        "Europe/Berlin",
        -10,
        9,
        1.5,
        {"rrule": "FREQ=WEEKLY;COUNT=12", "online": True},
    ),
    (
        "demo-cfp",
        "sp-gateway",
        "deadline",
        "Call for papers: financing social protection",
        "UTC",
        30,
        0,
        24,
        {"all_day": True, "online": True, "topics": ["financing"]},
    ),
    (
        "demo-cancelled",
        "bisp-pk",
        "workshop",
        "Islamabad workshop on graduation (cancelled)",
        "Islamabad",
        5,
        14,
        3,
        {"status": "cancelled"},
    ),
    (
        "demo-pending",
        "tnp2k-id",
        "conference",
        "Jakarta forum on adaptive social protection",
        "Jakarta",
        40,
        9,
        8,
        {"review": "pending"},
    ),
]


def _venue(city_name: str) -> Venue:
    city = cities_matching(city_name)[0]
    zone = zone_at(latitude=city.latitude, longitude=city.longitude)
    return Venue.objects.create(
        name=f"Conference centre, {city.name}",
        city=city.name,
        country=city.country,
        latitude=city.latitude,
        longitude=city.longitude,
        zone=zone,
    )


@transaction.atomic
def seed_events() -> dict[str, int]:
    created = 0
    today = now().astimezone(UTC).date()
    for uid, owner_slug, kind, title, place, days, hour, hours, extra in DEMO_EVENTS:
        owner = Organization.objects.filter(slug=owner_slug).first()
        if owner is None or Event.objects.filter(owner=owner, uid=uid).exists():
            continue
        extra = dict(extra)
        venue = None if "/" in place or place == "UTC" else _venue(place)
        zone = venue.zone if venue else place
        day = today + timedelta(days=days)
        local = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone))
        starts_at = local.astimezone(UTC)
        ends_at = starts_at + timedelta(hours=hours)
        rule, until = "", None
        if extra.get("rrule"):
            rule, until = rule_clean(extra.pop("rrule"), first_start=starts_at, zone=zone)
        topics = extra.pop("topics", [])
        description = f"{title}. Demo event on Baraza's calendar."
        event = Event.objects.create(
            owner=owner,
            uid=uid,
            kind=kind,
            title=title,
            description=description,
            description_html=render_markdown(description),
            starts_at=starts_at,
            ends_at=ends_at,
            zone=zone,
            venue=venue,
            rrule=rule,
            repeats_until=until,
            online=extra.pop("online", venue is None),
            review=extra.pop("review", Event.Review.APPROVED),
            info_url="https://example.org/events",
            **extra,
        )
        event.organizations.add(owner)
        event.topics.set(Topic.objects.filter(slug__in=topics))
        created += 1
    return {"events": Event.objects.filter(uid__startswith="demo-").count(), "created": created}
