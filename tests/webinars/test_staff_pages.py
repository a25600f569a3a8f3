"""The organizer's and the registrant's pages as people meet them: lists in date order,
times in the viewer's zone with the zone named, a countdown in days and hours, a cancel
that asks once, a webinar with no session yet that says so."""

import re
from datetime import timedelta

import pytest

from core import clock
from tests.webinars.test_attendance_support import *  # noqa: F403 - the fixtures
from tests.webinars.test_attendance_support import sample
from webinars.links import manage_token
from webinars.models import Registration, Webinar

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """The page's words, tags dropped and spaces (non-breaking ones too) squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))


def test_the_organizer_dashboard_lists_webinars_by_their_dates(
    frozen, webinar_factory, organizer, client
):
    # Made in an order that is not the order of their dates.
    later = webinar_factory(title="In a month", starts_at=frozen + timedelta(days=30))
    past = webinar_factory(title="Last month", starts_at=frozen - timedelta(days=30))
    soon = webinar_factory(title="Next week", starts_at=frozen + timedelta(days=7))
    draft = webinar_factory(title="Not scheduled yet", sessions=0, status="draft")
    client.force_login(organizer)
    page = text_of(client.get("/webinars/manage/").content.decode())
    titles = [draft.title, later.title, soon.title, past.title]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions), "drafts first, then the latest date down to the oldest"


def test_the_registrants_list_shows_each_session_in_the_viewers_zone_named(
    frozen, webinar_factory, register, organizer, client
):
    webinar = webinar_factory(sessions=2)  # 11 Mar 2027, 12:00 and 20:00 UTC
    register(webinar, session=webinar.sessions.last())
    client.force_login(organizer)  # Africa/Nairobi
    html = client.get(f"/webinars/manage/{webinar.slug}/registrants/").content.decode()
    page = text_of(html)
    assert "Session 2 — Thu 11 Mar 2027, 23:00 (Africa/Nairobi, UTC+3)" in page
    # ...and so does the choice of session when adding someone by hand
    assert ">Session 1 — Thu 11 Mar 2027, 15:00 (Africa/Nairobi, UTC+3)</option>" in html


def test_switching_session_offers_each_session_with_its_date_and_time(
    frozen, webinar_factory, register, client
):
    webinar = webinar_factory(sessions=3)
    registration = register(webinar).registration  # Africa/Accra, in Session 1
    page = client.get(f"/webinars/registration/{manage_token(registration)}/").content.decode()
    options = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", page)
    assert options == [
        "Session 2 — Thu 11 Mar 2027, 20:00 (Africa/Accra, UTC+0)",
        "Session 3 — Fri 12 Mar 2027, 04:00 (Africa/Accra, UTC+0)",
    ]


def test_the_join_page_counts_down_in_days_and_hours(frozen, webinar_factory, register, client):
    registration = register(webinar_factory()).registration  # starts in ten days
    url = f"/j/{registration.join_token}"
    assert "Opens in: 9 days, 23 hours" in text_of(client.get(url).content.decode())
    start = registration.session.starts_at
    with clock.travel(start - timedelta(hours=5, minutes=10)):
        assert "Opens in: 4 hours, 40 minutes" in text_of(client.get(url).content.decode())
    with clock.travel(start - timedelta(minutes=42)):
        assert "Opens in: 12 minutes" in text_of(client.get(url).content.decode())


def test_cancelling_asks_once_and_a_second_confirm_changes_nothing(
    frozen, webinar_factory, register, client, mailoutbox, django_capture_on_commit_callbacks
):
    registration = register(webinar_factory()).registration
    url = f"/webinars/registration/{manage_token(registration)}/"
    sent = len(mailoutbox)

    asked = client.post(url, {"action": "cancel"})
    assert asked.status_code == 200
    page = text_of(asked.content.decode())
    assert "Are you sure you want to cancel your registration?" in page
    assert 'name="confirm" value="yes"' in asked.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"  # nothing happened yet

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"action": "cancel", "confirm": "yes"}, follow=True)
    assert "Your registration is cancelled." in done.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert len(mailoutbox) == sent + 1  # one cancellation notice

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"action": "cancel", "confirm": "yes"}, follow=True)
    assert again.status_code == 200
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"
    assert len(mailoutbox) == sent + 1  # the double submit sent nothing more


def test_keeping_the_registration_after_being_asked_changes_nothing(
    frozen, webinar_factory, register, client
):
    registration = register(webinar_factory()).registration
    url = f"/webinars/registration/{manage_token(registration)}/"
    asked = client.post(url, {"action": "cancel"}).content.decode()
    assert f'href="{url}"' in asked  # "Keep my registration" goes back to the page
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_a_published_webinar_without_a_session_says_so(frozen, webinar_factory, client):
    webinar = webinar_factory(sessions=0, status=Webinar.Status.PUBLISHED)
    page = client.get(f"/webinars/{webinar.slug}/").content.decode()
    assert "No session has been scheduled yet." in text_of(page)
    assert '<ul class="sessions">\n</ul>' not in page


def test_the_import_preview_names_the_session(frozen, past_webinar, registrants, organizer, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = past_webinar.sessions.get()
    name = "zoom_webinar_attendee_report.csv"
    client.force_login(organizer)
    response = client.post(
        f"/webinars/manage/{past_webinar.slug}/attendance/",
        {
            "session": session.pk,
            "zone": "",
            "report": SimpleUploadedFile(name, sample(name), content_type="text/csv"),
        },
    )
    page = text_of(client.get(response["Location"]).content.decode())
    assert "for Session 1 — Sun 26 Apr 2026, 10:00 (Africa/Nairobi, UTC+3)" in page
    assert f"for {session.pk} " not in page


def test_waiting_times_read_as_people_say_them():
    from webinars.links import waiting_time

    assert waiting_time(0) == "0 minutes"
    assert waiting_time(59) == "1 minute"  # rounded up: a wait never reads as none
    assert waiting_time(3600) == "1 hour"
    assert waiting_time(3660) == "1 hour, 1 minute"
    assert waiting_time(86400 + 60) == "1 day"  # a day away, the minutes do not matter
    assert waiting_time(2 * 86400 + 5 * 3600 + 59) == "2 days, 5 hours"
