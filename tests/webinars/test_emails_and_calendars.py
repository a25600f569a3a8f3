"""The email a registrant receives and the .ics their calendar opens."""

import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from events.models import PersonalFeed
from webinars import services
from webinars.models import Registration

pytestmark = pytest.mark.django_db


def invite(message) -> Calendar:
    for attachment in message.attachments:
        name, content, mimetype = attachment
        if name.endswith(".ics"):
            return Calendar.from_ical(content)
    raise AssertionError("no .ics attached")


def event_of(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_confirmation_carries_invite_join_and_manage_links_in_the_registrants_zone(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks, client
):
    webinar = webinar_factory(title="Cash <transfers> & digital ID")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(webinar, time_zone="Asia/Kathmandu").registration
    (message,) = mailoutbox
    assert message.subject == "You are registered: Cash <transfers> & digital ID"
    start = registration.session.starts_at
    assert start.isoformat() == "2027-03-11T12:00:00+00:00"
    assert "Thu 11 Mar 2027, 17:45 (Asia/Kathmandu, UTC+5:45)" in message.body
    html = message.alternatives[0][0]
    assert "Cash &lt;transfers&gt; &amp; digital ID" in html
    join = re.search(r"http://127\.0\.0\.1:8000(/j/\S+)", message.body).group(1)
    manage = re.search(
        r"http://127\.0\.0\.1:8000(/webinars/registration/\S+/)", message.body
    ).group(1)
    assert join.endswith(registration.join_token)
    assert client.get(manage).status_code == 200

    calendar = invite(message)
    assert calendar["METHOD"] == "REQUEST"
    event = event_of(calendar)
    assert str(event["UID"]) == registration.ical_uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=90)
    assert "DTSTAMP" in event
    assert "mailto:ama@example.org" in str(event["ATTENDEE"])
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert calendar.walk("VALARM")
    assert join in str(event["DESCRIPTION"])


def test_email_goes_out_in_the_registrants_language(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory(title="Pensiones")
    with django_capture_on_commit_callbacks(execute=True):
        register(webinar, "lucia@example.org", language="es", time_zone="America/Lima")
        register(webinar, "awa@example.org", language="fr", time_zone="Africa/Dakar")
    by_address = {m.to[0]: m for m in mailoutbox}
    assert by_address["lucia@example.org"].subject == "Está inscrito: Pensiones"
    assert "(America/Lima, UTC-5)" in by_address["lucia@example.org"].body
    assert by_address["awa@example.org"].subject == "Vous êtes inscrit·e : Pensiones"
    assert "jeu 11 mars 2027, 12:00 (Africa/Dakar, UTC+0)" in by_address["awa@example.org"].body


def test_reschedule_keeps_the_uid_and_raises_the_sequence_then_cancel_says_so(
    frozen, webinar_factory, register, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    session = webinar.sessions.get()
    with django_capture_on_commit_callbacks(execute=True):
        register(webinar)
    uid = str(event_of(invite(mailoutbox[0]))["UID"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_reschedule(
            session=session, actor=organizer, starts_at=session.starts_at + timedelta(days=1)
        )
    update = event_of(invite(mailoutbox[0]))
    assert (str(update["UID"]), update["SEQUENCE"]) == (uid, 1)
    assert mailoutbox[0].subject.startswith("New time:")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, actor=organizer)
    calendar = invite(mailoutbox[0])
    cancel = event_of(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert (str(cancel["UID"]), cancel["SEQUENCE"], cancel["STATUS"]) == (uid, 2, "CANCELLED")


def test_a_queued_confirmation_for_someone_who_cancelled_meanwhile_is_dropped(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = register(webinar).registration
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    for callback in callbacks:
        callback()
    assert mailoutbox == []


def test_session_ics_download_round_trips(frozen, webinar_factory, client):
    webinar = webinar_factory(title="Line one, with; commas\\ and a very long title " * 3)
    session = webinar.sessions.get()
    response = client.get(f"/webinars/{webinar.slug}/sessions/{session.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded
    event = event_of(Calendar.from_ical(raw))
    assert str(event["SUMMARY"]) == webinar.title
    assert str(event["UID"]) == session.ical_uid


def test_public_feed_filters_and_hides_drafts(frozen, webinar_factory, client):
    from webinars.models import Topic

    cash = Topic.objects.create(slug="cash", name="Cash")
    shown = webinar_factory(title="Shown", audience={"PH": 10})
    shown.topics.add(cash)
    webinar_factory(title="Other topic", audience={"BR": 10})
    webinar_factory(title="Draft", status="draft")
    calendar = Calendar.from_ical(client.get("/events/feed.ics").content)
    assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Shown", "Other topic"}
    by_topic = Calendar.from_ical(client.get("/events/feed.ics?topic=cash").content)
    assert [str(e["SUMMARY"]) for e in by_topic.walk("VEVENT")] == ["Shown"]
    by_region = Calendar.from_ical(client.get("/events/feed.ics?region=southeast_asia").content)
    assert [str(e["SUMMARY"]) for e in by_region.walk("VEVENT")] == ["Shown"]


def test_personal_feed_is_secret_and_revocable(
    frozen, webinar_factory, register, member_factory, client
):
    member = member_factory(email="ama@example.org")
    webinar = webinar_factory(title="Mine")
    webinar_factory(title="Not mine")
    register(webinar, "AMA@example.org")
    client.force_login(member)
    assert "feed-url" not in client.get("/events/my-calendar/").content.decode()
    assert not PersonalFeed.objects.exists()  # looking writes nothing
    page = client.post("/events/my-calendar/", follow=True).content.decode()
    client.post("/events/my-calendar/")  # a double click keeps the same address
    assert PersonalFeed.objects.count() == 1
    url = re.search(r'value="http://127\.0\.0\.1:8000(/events/feed/[^"]+\.ics)"', page).group(1)
    client.logout()
    calendar = Calendar.from_ical(client.get(url).content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Mine"]
    client.force_login(member)
    client.post("/events/my-calendar/revoke/")
    client.logout()
    assert client.get(url).status_code == 404
