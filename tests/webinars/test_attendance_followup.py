"""Follow-up after the webinar: the recording and slides to attendees ("thank you") and to
no-shows ("sorry we missed you"), each exactly once, in the recipient's language."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.webinars.test_attendance_support import *  # noqa: F403 - the fixtures
from tests.webinars.test_attendance_support import (
    FIXTURES,
    add_registrants,
    run,
)
from webinars.attendance.followup import followup_pending, webinar_publish_followup
from webinars.models import FollowUpDelivery, Session

pytestmark = pytest.mark.django_db

RECORDING = "https://video.example.org/cash-and-climate"
SLIDES = "https://files.example.org/cash-and-climate.pdf"


def publish(webinar, actor, callbacks, **urls):
    urls = {"recording_url": RECORDING, "slides_url": SLIDES, **urls}
    with callbacks(execute=True):
        return webinar_publish_followup(webinar=webinar, actor=actor, **urls)


def by_recipient(mailoutbox):
    return {m.to[0]: m for m in mailoutbox}


def test_attendees_are_thanked_and_no_shows_get_the_recording_once(
    frozen,
    past_webinar,
    registrants,
    organizer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    run(past_webinar.slug, str(FIXTURES / "zoom_webinar_attendee_report.csv"))
    counts = publish(past_webinar, organizer, django_capture_on_commit_callbacks)
    assert counts == {"thank_you": 5, "sorry_missed": 2, "already_sent": 0}
    mail = by_recipient(mailoutbox)
    from notifications.models import OutboundEmail

    kinds = dict(OutboundEmail.objects.values_list("to", "kind"))
    thanked = {to for to in mail if kinds[to] == "webinars.thank_you"}
    missed = {to for to in mail if kinds[to] == "webinars.sorry_missed"}
    assert mail["juan.perez@mides.gub.uy"].subject.startswith("Gracias")  # their language
    assert thanked == {
        "maria.santos@dswd.gov.ph",
        "juan.perez@mides.gub.uy",
        "amina.diallo@example.sn",
        "li.wei@example.cn",
        "zawadi@example.ke",  # no report row, but she clicked her join link
    }
    assert missed == {"ravi.kumar@example.in", "nadia.benali@example.ma"}
    # the waitlisted and the cancelled, and the walk-in (no registration), get nothing
    assert len(mailoutbox) == 7
    body = mail["ravi.kumar@example.in"].body
    assert RECORDING in body and SLIDES in body
    html = mail["maria.santos@dswd.gov.ph"].alternatives[0][0]
    assert f'href="{RECORDING}"' in html

    mailoutbox.clear()
    assert publish(past_webinar, organizer, django_capture_on_commit_callbacks) == {
        "thank_you": 0,
        "sorry_missed": 0,
        "already_sent": 7,
    }
    assert mailoutbox == []
    assert FollowUpDelivery.objects.count() == 7


def test_each_email_is_in_the_recipients_language_and_zone(
    frozen, past_webinar, registrants, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    publish(past_webinar, organizer, django_capture_on_commit_callbacks)
    mail = by_recipient(mailoutbox)
    juan = mail["juan.perez@mides.gub.uy"].body  # Spanish, Montevideo time
    assert "Hola, Juan Pérez" in juan
    assert "Inicio: dom 26 Abr 2026, 04:00 (America/Montevideo, UTC-3)" in juan
    amina = mail["amina.diallo@example.sn"].body  # French, Dakar time
    assert "26 avril 2026, 07:00 (Africa/Dakar, UTC+0)" in amina


def test_registrants_of_a_session_still_to_come_wait_for_a_later_publish(
    frozen, past_webinar, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    later = Session.objects.create(
        webinar=past_webinar,
        starts_at=frozen + timedelta(days=3),
        duration_minutes=90,
        host_zone="Africa/Nairobi",
        title="Repeat",
    )
    add_registrants(past_webinar, past_webinar.sessions.get(title="Session 1"))
    add_registrants(
        past_webinar,
        later,
        [("later@example.org", "Later", "confirmed", "KE", "en", "Africa/Nairobi", "")],
    )
    publish(past_webinar, organizer, django_capture_on_commit_callbacks)
    assert "later@example.org" not in by_recipient(mailoutbox)


def test_concurrent_or_repeated_passes_claim_each_registration_once(
    frozen, past_webinar, registrants, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    from webinars.attendance.followup import followup_claim_due

    past_webinar.recording_url = RECORDING
    past_webinar.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = followup_claim_due(webinar=past_webinar)
        second = followup_claim_due(webinar=past_webinar)
    assert first == {"sent": 7, "already_sent": 0}
    assert second == {"sent": 0, "already_sent": 0}  # nothing due any more
    assert len(mailoutbox) == 7


def test_only_organizers_publish_and_urls_are_checked(
    frozen, past_webinar, registrants, organizer, member_factory
):
    with pytest.raises(PermissionDenied):
        webinar_publish_followup(
            webinar=past_webinar,
            actor=member_factory(role="partner_admin"),
            recording_url=RECORDING,
            slides_url="",
        )
    with pytest.raises(ValidationError):
        webinar_publish_followup(
            webinar=past_webinar, actor=organizer, recording_url="not a url", slides_url=""
        )
    with pytest.raises(ValidationError):
        webinar_publish_followup(
            webinar=past_webinar, actor=organizer, recording_url="", slides_url=""
        )
    assert not FollowUpDelivery.objects.exists()
    assert followup_pending(webinar=past_webinar) == {
        "thank_you": 1,
        "sorry_missed": 6,
        "already_sent": 0,
    }


def test_the_follow_up_page(
    frozen,
    past_webinar,
    registrants,
    organizer,
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(organizer)
    url = f"/webinars/manage/{past_webinar.slug}/follow-up/"
    assert "would send 1 thank-you and 6 sorry" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"recording_url": RECORDING, "slides_url": ""}, follow=True)
    assert "1 thank-you and 6 sorry-we-missed-you emails are being sent" in (
        response.content.decode()
    )
    past_webinar.refresh_from_db()
    assert past_webinar.recording_url == RECORDING
    assert len(mailoutbox) == 7
