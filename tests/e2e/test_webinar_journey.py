"""A visitor in Manila registers; the organizer reschedules; the calendar update arrives."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from members.models import Organization, Role
from tests.mail import links, read_mailbox, wait_for_email
from webinars.models import Session, Webinar

pytestmark = pytest.mark.e2e


def ics_event(message):
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            calendar = Calendar.from_ical(part.get_payload(decode=True))
            return calendar, calendar.walk("VEVENT")[0]
    raise AssertionError("no calendar attached")


def test_register_from_manila_then_organizer_reschedules(live, page_in_zone, member_factory):
    org = Organization.objects.create(name="DSWD", slug="dswd", country="PH", kind="government")
    organizer = member_factory(
        email="maria@dswd.example",
        password="organizer-pass-2027",
        role=Role.PARTNER_ADMIN,
        organization=org,
        time_zone="Asia/Manila",
    )
    start = (datetime.now(UTC) + timedelta(days=20)).replace(
        hour=6, minute=0, second=0, microsecond=0
    )
    webinar = Webinar.objects.create(
        slug="adaptive-sp",
        title="Adaptive social protection",
        status="published",
        audience={"PH": 50, "KE": 50},
    )
    webinar.organizations.add(org)
    session = Session.objects.create(
        webinar=webinar,
        starts_at=start,
        duration_minutes=90,
        host_zone="Asia/Manila",
        join_url="https://zoom.example.org/j/123",
    )
    local = start.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Manila"))

    visitor = page_in_zone("Asia/Manila")
    visitor.goto(f"{live.url}/webinars/adaptive-sp/")
    visitor.wait_for_function(
        "document.querySelector('#current-zone').textContent.includes('Asia/Manila')"
    )
    when = visitor.locator(".when").first.inner_text()
    assert when == f"{local:%a} {local.day} {local:%b %Y}, 14:00 (Asia/Manila, UTC+8)"
    assert visitor.get_by_label("Your time zone").input_value() == "Asia/Manila"
    visitor.get_by_label("Email:", exact=True).fill("jose@example.ph")
    visitor.get_by_label("Full name").fill("José Reyes")
    visitor.get_by_label("Country").select_option("PH")
    visitor.get_by_label("I agree").check()
    visitor.get_by_role("button", name="Register").click()
    visitor.wait_for_url(re.compile(r"/registered/\?r="))
    assert "You are registered" in visitor.get_by_role("heading", level=1).inner_text()

    confirmation = wait_for_email(live.mail_dir, to="jose@example.ph")
    calendar, event = ics_event(confirmation)
    assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
    uid = str(event["UID"])  # the one event this registration keeps in her calendar
    join = next(link for link in links(confirmation) if "/j/" in link)
    assert "14:00 (Asia/Manila, UTC+8)" in confirmation.get_body(("plain",)).get_content()
    visitor.goto(join)  # too early: a countdown page, not the meeting
    assert "The room opens 30 minutes before the start" in visitor.content()

    manager = page_in_zone("Asia/Manila")
    manager.goto(f"{live.url}/accounts/login/")
    manager.get_by_label("Email").fill(organizer.email)
    manager.get_by_label("Password").fill("organizer-pass-2027")
    manager.get_by_role("button", name="Sign In").click()
    manager.wait_for_url(re.compile(r"/members/[-\w]+/$"))
    manager.goto(f"{live.url}/webinars/manage/adaptive-sp/sessions/{session.pk}/")
    new_local = local + timedelta(days=1, hours=1)
    manager.get_by_label("Start (local date and time)").fill(new_local.strftime("%Y-%m-%dT%H:%M"))
    manager.get_by_role("button", name="Save").click()
    manager.wait_for_url(re.compile(r"/webinars/manage/adaptive-sp/$"))

    def update_arrived():
        return [
            m
            for m in read_mailbox(live.mail_dir)
            if "jose@example.ph" in str(m["To"]) and str(m["Subject"]).startswith("New time")
        ]

    deadline = datetime.now() + timedelta(seconds=30)
    while not update_arrived() and datetime.now() < deadline:
        manager.wait_for_timeout(200)
    (update,) = update_arrived()
    calendar, event = ics_event(update)
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == uid
    assert event.decoded("DTSTART") == start + timedelta(days=1, hours=1)
    assert "15:00 (Asia/Manila, UTC+8)" in update.get_body(("plain",)).get_content()
