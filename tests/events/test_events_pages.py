"""Events on the calendar: month/week/list in the viewer's zone beside webinars, series
that keep their local hour across DST, filters, the event page and query counts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event

pytestmark = pytest.mark.django_db

BERLIN_COURSE = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin (CET)


def _course(event_factory, **fields):
    # Weekly on Mondays 09:00 Europe/Berlin, across the switch to summer time (28 March).
    return event_factory(
        title="Registry course",
        kind=Event.Kind.COURSE,
        starts_at=BERLIN_COURSE,
        duration=timedelta(minutes=90),
        zone="Europe/Berlin",
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=8",
        **fields,
    )


def test_a_weekly_course_keeps_its_local_hour_across_dst_in_month_view(calendar_rows, client):
    # calendar_rows: the 5 April session skipped, the 12 April one moved to Tuesday 14:00.
    client.cookies["baraza_tz"] = "Europe/Berlin"
    march = client.get("/events/?view=month&month=2027-03").content.decode()
    assert march.count('09:00</time> <span class="badge">Course</span>') == 5  # 1, 8, …, 29
    april = client.get("/events/?view=month&month=2027-04").content.decode()
    # 5 April skipped (EXDATE), 12 April moved to the 13th at 14:00, 19 April as usual.
    assert april.count('09:00</time> <span class="badge">Course</span>') == 1
    assert "14:00</time>" in april and "Registry course (moved)" in april
    client.cookies["baraza_tz"] = "Asia/Kolkata"
    march = client.get("/events/?view=month&month=2027-03").content.decode()
    # In Kolkata the same sessions move by an hour when Berlin changes its clocks.
    assert march.count('13:30</time> <span class="badge">Course</span>') == 4
    assert march.count('12:30</time> <span class="badge">Course</span>') == 1
    assert "Times are in Asia/Kolkata (UTC+5:30)." in march


def test_webinars_and_events_together_and_distinguishable_in_the_week_view(
    frozen, event_factory, webinar_factory, client
):
    webinar_factory(title="Cash plus", starts_at=datetime(2027, 3, 3, 9, 0, tzinfo=UTC))
    event_factory(
        title="Sahel workshop",
        kind=Event.Kind.WORKSHOP,
        city="Dakar",
        starts_at=datetime(2027, 3, 4, 9, 0, tzinfo=UTC),
    )
    page = client.get("/events/?view=week&week=2027-03-01").content.decode()
    assert re.search(r'class="badge">Webinar</span> <a href="/webinars/webinar-1/">Cash plus', page)
    assert re.search(r'class="badge">Workshop</span> <a href="/events/\d+/">Sahel workshop', page)
    assert "Dakar" in page


def test_filters_kind_mode_organization_and_free_text(
    frozen, event_factory, webinar_factory, client
):
    webinar_factory(title="Cash plus webinar", starts_at=datetime(2027, 3, 3, 9, 0, tzinfo=UTC))
    event_factory(
        title="Pension conference", city="Nairobi", starts_at=datetime(2027, 3, 4, 9, 0, tzinfo=UTC)
    )
    event_factory(
        title="Online clinic",
        kind=Event.Kind.ONLINE,
        zone="Asia/Manila",
        starts_at=datetime(2027, 3, 5, 9, 0, tzinfo=UTC),
    )
    event_factory(
        title="Hidden draft",
        review=Event.Review.PENDING,
        starts_at=datetime(2027, 3, 5, 9, 0, tzinfo=UTC),
    )

    def titles(query):
        page = client.get("/events/?" + query).content.decode()
        return {
            t
            for t in ("Cash plus webinar", "Pension conference", "Online clinic", "Hidden draft")
            if t in page
        }

    assert titles("") == {"Cash plus webinar", "Pension conference", "Online clinic"}
    assert titles("kind=webinar") == {"Cash plus webinar"}
    assert titles("kind=conference") == {"Pension conference"}
    assert titles("mode=in_person") == {"Pension conference"}
    assert titles("mode=online") == {"Cash plus webinar", "Online clinic"}
    assert titles("q=pension") == {"Pension conference"}
    assert titles("organization=kenya-sp") == {
        "Cash plus webinar",
        "Pension conference",
        "Online clinic",
    }
    assert titles("organization=nobody") == set()
    assert titles("region=sub_saharan_africa&kind=conference") == {"Pension conference"}


def test_the_event_page_gives_the_venue_time_and_the_viewers(frozen, event_factory, client):
    event = event_factory(
        title="Nairobi dialogue", city="Nairobi", starts_at=datetime(2027, 3, 10, 7, 0, tzinfo=UTC)
    )
    client.cookies["baraza_tz"] = "Asia/Kolkata"
    page = client.get(f"/events/{event.pk}/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert (
        "Wed 10 Mar 2027, 10:00 (Africa/Nairobi, UTC+3) in Nairobi · "
        "Wed 10 Mar 2027, 12:30 (Asia/Kolkata, UTC+5:30) for you in Kolkata" in text
    )
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "dates=20270310T070000Z%2F20270310T090000Z" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page
    ics = client.get(f"/events/{event.pk}/event.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:Nairobi dialogue" in ics.content


def test_pending_events_are_not_public(frozen, event_factory, client):
    event = event_factory(
        title="Not yet",
        review=Event.Review.PENDING,
        starts_at=datetime(2027, 3, 10, 7, 0, tzinfo=UTC),
    )
    assert client.get(f"/events/{event.pk}/").status_code == 404
    assert client.get(f"/events/{event.pk}/event.ics").status_code == 404
    assert b"Not yet" not in client.get("/events/feed.ics").content


def test_the_month_view_runs_the_same_queries_for_many_rows(
    frozen, event_factory, webinar_factory, client
):
    def fill(n):
        for index in range(n):
            event_factory(
                title=f"One-off {n}-{index}",
                city="Dakar" if index % 2 else "",
                starts_at=datetime(2027, 3, 2 + index, 9, 0, tzinfo=UTC),
            )
            _course(event_factory)
            webinar_factory(starts_at=datetime(2027, 3, 2 + index, 12, 0, tzinfo=UTC))

    fill(1)
    with CaptureQueriesContext(connection) as few:
        client.get("/events/?view=month&month=2027-03")
    fill(6)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/events/?view=month&month=2027-03").content.decode()
    assert page.count("Registry course") == 7 * 5
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "path", ["/events/?view=list", "/events/?view=week&week=2027-03-01", "/", "/events/feed.ics"]
)
def test_list_week_home_and_feed_run_the_same_queries_for_many_rows(
    frozen, event_factory, webinar_factory, client, path
):
    def fill(n):
        for index in range(n):
            event_factory(
                title=f"One-off {n}-{index}",
                city="Dakar" if index % 2 else "",
                starts_at=datetime(2027, 3, 2 + index, 9, 0, tzinfo=UTC),
            )
            _course(event_factory)
            webinar_factory(starts_at=datetime(2027, 3, 2 + index, 12, 0, tzinfo=UTC))

    fill(1)
    client.get(path)  # caches warmed (the home page's partners and communities)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    fill(5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
