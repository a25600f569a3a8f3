"""The events calendar in a browser: an organizer puts an in-person event in Dakar by
picking the city and sees its zone; a visitor in Kolkata reads it in their own time; a
weekly course in Berlin keeps 09:00 across the change to summer time, in the month view
and in the feed a calendar program reads."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from events.models import Event
from events.recurrence import rule_clean
from members.models import Organization, Role
from tests.e2e.test_accessibility import blocking_violations
from tests.e2e.test_community_journey import log_in

pytestmark = pytest.mark.e2e


def test_dakar_event_for_kolkata_and_a_berlin_course_across_dst(live, page_in_zone, member_factory):
    org = Organization.objects.create(name="Senegal SP", slug="senegal-sp", country="SN")
    organizer = member_factory(
        email="awa@example.org", full_name="Awa Diop", role=Role.PARTNER_ADMIN, organization=org
    )

    page = page_in_zone("Africa/Dakar")
    log_in(page, live, organizer, "/events/submit/")
    page.get_by_label("Title").fill("Adaptive social protection in the Sahel")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("City of the venue").fill("Dakar")
    page.get_by_role("button", name="Find city").click()
    assert "Dakar — Africa/Dakar, UTC+0" in page.locator(".picked-zone").inner_text()
    assert blocking_violations(page) == []  # the form, with the city found
    page.get_by_label("Venue name").fill("King Fahd Palace")
    page.get_by_label("Starts (local time at the venue)").fill("2027-06-14T10:00")
    page.get_by_label("Ends (local time at the venue)").fill("2027-06-14T17:00")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(f"{live.url}/events/*/")
    event = Event.objects.get(title="Adaptive social protection in the Sahel")
    assert (event.zone, event.starts_at) == ("Africa/Dakar", datetime(2027, 6, 14, 10, tzinfo=UTC))
    assert "Africa/Dakar" in page.locator(".when").inner_text()

    visitor = page_in_zone("Asia/Kolkata")
    visitor.goto(f"{live.url}/")  # the browser tells its zone on the first page
    visitor.goto(f"{live.url}/events/{event.pk}/")
    when = " ".join(visitor.locator(".when").inner_text().split())
    assert "Mon 14 Jun 2027, 10:00 (Africa/Dakar, UTC+0) in Dakar" in when
    assert "Mon 14 Jun 2027, 15:30 (Asia/Kolkata, UTC+5:30) for you in Kolkata" in when
    assert blocking_violations(visitor) == []

    # A weekly course, Mondays 09:00 in Berlin, across 28 March 2027 (summer time).
    first = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    rule, until = rule_clean(
        "FREQ=WEEKLY;BYDAY=MO;COUNT=6", first_start=first, zone="Europe/Berlin"
    )
    course = Event.objects.create(
        owner=org,
        title="Registry course",
        kind=Event.Kind.COURSE,
        starts_at=first,
        ends_at=first + timedelta(minutes=90),
        zone="Europe/Berlin",
        rrule=rule,
        repeats_until=until,
        online=True,
        review=Event.Review.APPROVED,
    )
    course.organizations.add(org)
    berliner = page_in_zone("Europe/Berlin")
    berliner.goto(f"{live.url}/")
    berliner.goto(f"{live.url}/events/?view=month&month=2027-03")
    cells = berliner.locator("table.month .item-course")
    assert cells.count() == 5  # 1, 8, 15, 22, 29 March
    assert {cells.nth(i).locator(".when").inner_text() for i in range(5)} == {"09:00"}
    visitor.goto(f"{live.url}/events/?view=month&month=2027-03")
    kolkata = visitor.locator("table.month .item-course .when")
    assert [kolkata.nth(i).inner_text() for i in range(5)] == ["13:30"] * 4 + ["12:30"]
    assert "Times are in Asia/Kolkata (UTC+5:30)." in visitor.content()
    assert blocking_violations(visitor) == []
    phone = page_in_zone("Asia/Kolkata", width=360)
    phone.goto(f"{live.url}/events/?view=week&week=2027-03-22")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert blocking_violations(phone) == []
    phone.goto(f"{live.url}/events/?view=month&month=2027-03")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # Following the organization from its calendar, without JavaScript's help: a form.
    page.goto(f"{live.url}/events/?organization=senegal-sp")
    page.get_by_role("button", name="Follow Senegal SP").click()
    page.get_by_role("button", name="Unfollow Senegal SP").wait_for()
    assert page.url == f"{live.url}/events/?organization=senegal-sp"
    assert blocking_violations(page) == []
    page.goto(f"{live.url}/members/settings/")
    assert page.get_by_role("button", name="Unfollow Senegal SP").count() == 1

    # The organizer's review queue and calendars page pass axe too.
    page.goto(f"{live.url}/events/review/")
    assert blocking_violations(page) == []
    page.goto(f"{live.url}/events/calendars/")
    assert blocking_violations(page) == []

    feed = visitor.request.get(f"{live.url}/events/feed.ics")
    calendar = Calendar.from_ical(feed.body().decode())
    sessions = [
        o
        for o in recurring_ical_events.of(calendar).between(date(2027, 3, 1), date(2027, 4, 30))
        if str(o["SUMMARY"]) == "Registry course"
    ]
    berlin = ZoneInfo("Europe/Berlin")
    assert len(sessions) == 6
    assert {o["DTSTART"].dt.astimezone(berlin).hour for o in sessions} == {9}
