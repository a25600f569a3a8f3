"""Feeds out: /events/feed.ics carries webinars and events (same filters), a feed per
organization; each validates in icalendar and in recurring-ical-events, and a series
keeps its local hour across DST once a calendar program expands it."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from events.models import Event
from tests.events.calendars import expanded as _expanded
from tests.events.calendars import parsed as _parse

pytestmark = pytest.mark.django_db


def test_the_public_feed_carries_webinars_and_events_in_both_parsers(calendar_rows, client):
    content = client.get("/events/feed.ics").content
    calendar = _parse(content)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries == {
        "Cash plus",
        "Registry course",
        "Registry course (moved)",
        "Dakar seminar",
        "Call for papers",
    }
    assert {tz["TZID"] for tz in calendar.walk("VTIMEZONE")} >= {"Europe/Berlin"}
    occurrences = _expanded(content, date(2027, 3, 1), date(2027, 5, 3))
    course = sorted(
        o["DTSTART"].dt for o in occurrences if str(o["SUMMARY"]).startswith("Registry")
    )
    berlin = ZoneInfo("Europe/Berlin")
    local = [start.astimezone(berlin) for start in course]
    assert [d.day for d in local] == [1, 8, 15, 22, 29, 13, 19]  # 5 Apr skipped, 12 → 13
    assert {d.hour for d in local if d.day != 13} == {9}  # across DST (28 March)
    assert [d.astimezone(UTC).hour for d in local[:5]] == [8, 8, 8, 8, 7]
    deadline = next(o for o in occurrences if str(o["SUMMARY"]) == "Call for papers")
    assert deadline["DTSTART"].dt == date(2027, 5, 1)  # an all-day date, DTEND exclusive
    assert deadline["DTEND"].dt == date(2027, 5, 2)


def test_the_feed_takes_the_calendars_filters(calendar_rows, client):
    def summaries(query):
        calendar = _parse(client.get("/events/feed.ics?" + query).content)
        return {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}

    assert summaries("kind=webinar") == {"Cash plus"}
    assert summaries("mode=in_person") == {"Dakar seminar"}
    assert summaries("kind=deadline") == {"Call for papers"}


def test_the_organization_feed_holds_only_its_own(calendar_rows, client):
    from members.models import Organization

    other = Organization.objects.create(name="Other", slug="other")
    elsewhere = Event.objects.get(title="Dakar seminar")
    elsewhere.organizations.set([other])
    own = _parse(client.get("/events/organizations/kenya-sp/feed.ics").content)
    assert "Dakar seminar" not in {str(e["SUMMARY"]) for e in own.walk("VEVENT")}
    theirs = _parse(client.get("/events/organizations/other/feed.ics").content)
    assert {str(e["SUMMARY"]) for e in theirs.walk("VEVENT")} == {"Dakar seminar"}
    assert client.get("/events/organizations/nobody/feed.ics").status_code == 404


def test_a_cancelled_event_stays_in_the_feed_as_cancelled(calendar_rows, client):
    Event.objects.filter(title="Dakar seminar").update(status=Event.Status.CANCELLED, sequence=3)
    calendar = _parse(client.get("/events/feed.ics").content)
    dakar = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Dakar seminar")
    assert (str(dakar["STATUS"]), int(dakar["SEQUENCE"])) == ("CANCELLED", 3)
    assert dakar["GEO"].latitude == pytest.approx(14.69, abs=0.01)


def test_an_imported_feed_round_trips_through_our_feed(frozen, organization, client):
    from pathlib import Path

    from events.services.imports import calendar_import

    data = (Path(__file__).parent / "fixtures" / "outlook_export.ics").read_bytes()
    calendar_import(organization=organization, data=data)
    content = client.get("/events/feed.ics").content
    _parse(content)
    clinic = [
        o
        for o in _expanded(content, date(2027, 3, 1), date(2027, 9, 1))
        if str(o["SUMMARY"]) == "Registry clinic"
    ]
    assert len(clinic) == 6  # COUNT=6, first Tuesdays
    assert {o["DTSTART"].dt.astimezone(ZoneInfo("Europe/Berlin")).hour for o in clinic} == {9}


def test_a_public_communitys_feed_holds_its_organizations_calendar_on_its_topics(
    calendar_rows, client, organization
):
    from communities.models import Community
    from webinars.models import Topic

    registries = Topic.objects.create(slug="registries", name="Social registries")
    Event.objects.get(title="Registry course").topics.add(registries)
    community = Community.objects.create(
        slug="registries-club", name="Registries club", organization=organization
    )
    community.topics.add(registries)
    calendar = _parse(client.get("/events/communities/registries-club/feed.ics").content)
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {
        "Registry course",
        "Registry course (moved)",
    }
    Community.objects.filter(pk=community.pk).update(visibility="private")
    assert client.get("/events/communities/registries-club/feed.ics").status_code == 404
    for visibility in (Community.Visibility.MEMBERS, Community.Visibility.HIDDEN):
        Community.objects.filter(pk=community.pk).update(visibility=visibility)
        assert client.get("/events/communities/registries-club/feed.ics").status_code == 404
    assert client.get("/events/communities/no-such-club/feed.ics").status_code == 404


def test_every_feed_reads_in_both_parsers(calendar_rows, client, member_factory, register):
    from communities.models import Community
    from events.models import PersonalFeed
    from webinars.models import Webinar

    member = member_factory(email="ama@example.org")
    register(Webinar.objects.get(title="Cash plus"), email=member.email)
    token = PersonalFeed.objects.create(member=member).token
    Community.objects.create(slug="club", name="Club", organization=calendar_rows.owner)
    for path in (
        "/events/feed.ics",
        "/events/organizations/kenya-sp/feed.ics",
        "/events/communities/club/feed.ics",
        f"/events/feed/{token}.ics",
        f"/events/{calendar_rows.pk}/event.ics",
    ):
        content = client.get(path).content
        calendar = _parse(content)
        assert calendar.walk("VEVENT"), path
        assert _expanded(content, date(2027, 3, 1), date(2027, 7, 1)), path


def test_a_name_with_a_line_break_neither_breaks_nor_injects_into_the_feed(
    frozen, event_factory, organization, client
):
    # X-WR-CALNAME is written unescaped by icalendar: a community or organization name
    # carrying CR/LF made every feed of it a 500 (or, escaped wrongly, a new property).
    event_factory(title="Registry course", starts_at=datetime(2027, 3, 1, 8, 0, tzinfo=UTC))
    organization.name = "Kenya SP\r\nBEGIN:VEVENT\r\nSUMMARY:Injected"
    organization.save(update_fields=["name"])
    response = client.get(f"/events/organizations/{organization.slug}/feed.ics")
    assert response.status_code == 200
    calendar = _parse(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Registry course"]
    assert b"\r\nBEGIN:VEVENT\r\nSUMMARY:Injected" not in response.content
    assert "Injected" in str(calendar["X-WR-CALNAME"])


def test_the_subscribe_link_gives_the_feed_of_what_the_page_shows(calendar_rows, client):
    # The feed read the calendar's filters but for the words searched: subscribing from
    # a search for "Dakar" gave every event.
    import re

    page = client.get("/events/?q=Dakar").content.decode()
    assert "Dakar seminar" in page and "Registry course" not in page
    link = re.search(r'href="(/events/feed\.ics\?[^"]*)"', page).group(1).replace("&amp;", "&")
    assert link == "/events/feed.ics?q=Dakar"
    calendar = _parse(client.get(link).content)
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Dakar seminar"}
