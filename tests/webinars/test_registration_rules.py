"""Registration rules: one per address, seats, waitlist, approval, closing time, consent."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core import clock
from webinars import services
from webinars.models import Registration
from webinars.services import RegistrationClosed

pytestmark = pytest.mark.django_db
S = Registration.Status


def test_registering_confirms_and_emails_after_commit(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = register(webinar)
    assert outcome.created and outcome.registration.status == S.CONFIRMED
    assert mailoutbox == [] and callbacks  # the email waits for the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert len(mailoutbox) == 1


def test_registering_again_in_another_case_resends_instead_of_duplicating(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=True):
        first = register(webinar, "Ama@Example.org").registration
    with clock.travel(frozen + services.registrations.RESEND_EVERY):
        with django_capture_on_commit_callbacks(execute=True):
            again = register(webinar, "AMA@example.ORG")
    assert not again.created and again.registration.pk == first.pk
    assert Registration.objects.count() == 1
    assert len(mailoutbox) == 2  # confirmation, then the re-sent confirmation
    assert mailoutbox[1].subject == mailoutbox[0].subject


def test_resending_is_throttled_so_the_form_cannot_bomb_an_inbox(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    """Counted from the first confirmation: a burst of submissions is one email."""
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            register(webinar)
    assert len(mailoutbox) == 1
    later = frozen + services.registrations.RESEND_EVERY
    for at in (later, later + timedelta(minutes=1)):
        with clock.travel(at), django_capture_on_commit_callbacks(execute=True):
            register(webinar)
    assert len(mailoutbox) == 2


def test_full_session_waitlists_and_a_cancellation_promotes_the_first(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        a = register(webinar, "a@example.org").registration
        register(webinar, "b@example.org")
        c = register(webinar, "c@example.org").registration
        d = register(webinar, "d@example.org").registration
    assert (c.status, d.status) == (S.WAITLISTED, S.WAITLISTED)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=a)
    c.refresh_from_db(), d.refresh_from_db()
    assert (c.status, d.status) == (S.CONFIRMED, S.WAITLISTED)
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects["c@example.org"].startswith("A seat opened up for you")
    assert subjects["a@example.org"].startswith("Registration cancelled")


def test_cancelling_twice_changes_nothing_the_second_time(
    frozen, webinar_factory, register, django_capture_on_commit_callbacks
):
    webinar = webinar_factory(capacity=1)
    a = register(webinar, "a@example.org").registration
    b = register(webinar, "b@example.org").registration
    services.registration_cancel(registration=a)
    services.registration_cancel(registration=a)
    b.refresh_from_db()
    assert b.status == S.CONFIRMED
    assert Registration.objects.filter(status=S.CONFIRMED).count() == 1


def test_approval_mode_holds_then_organizer_decides(
    frozen,
    webinar_factory,
    register,
    organizer,
    member_factory,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    webinar = webinar_factory(approval_required=True)
    with django_capture_on_commit_callbacks(execute=True):
        a = register(webinar, "a@example.org").registration
        b = register(webinar, "b@example.org").registration
    assert a.status == b.status == S.PENDING
    outsider = member_factory(role="partner_admin")
    with pytest.raises(PermissionDenied):
        services.registration_approve(registration=a, actor=outsider)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_approve(registration=a, actor=organizer)
        services.registration_reject(registration=b, actor=organizer)
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.status, b.status) == (S.CONFIRMED, S.REJECTED)
    subjects = [m.subject for m in mailoutbox]
    assert any(s.startswith("Registration received") for s in subjects)
    assert any(s.startswith("You are registered") for s in subjects)
    assert any(s.startswith("Your registration was not accepted") for s in subjects)
    with pytest.raises(ValidationError):
        services.registration_approve(registration=a, actor=organizer)


def test_registration_close_time_is_respected(frozen, webinar_factory, register):
    webinar = webinar_factory(registration_closes_at=frozen - timedelta(minutes=1))
    with pytest.raises(RegistrationClosed):
        register(webinar)
    assert Registration.objects.count() == 0


def test_drafts_and_finished_sessions_take_no_registrations(frozen, webinar_factory, register):
    with pytest.raises(RegistrationClosed):
        register(webinar_factory(status="draft"))
    past = webinar_factory(starts_at=frozen - timedelta(days=1))
    with pytest.raises(RegistrationClosed):
        register(past)


def test_consent_is_required(frozen, webinar_factory, register):
    with pytest.raises(ValidationError):
        register(webinar_factory(), consent=False)


def test_switching_session_moves_the_seat_and_promotes_on_the_old_one(
    frozen, webinar_factory, register
):
    webinar = webinar_factory(sessions=2, capacity=1)
    first, second = webinar.sessions.all()
    a = register(webinar, "a@example.org", session=first).registration
    b = register(webinar, "b@example.org", session=first).registration
    assert b.status == S.WAITLISTED
    services.registration_switch_session(registration=a, session=second)
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.session_id, a.status) == (second.pk, S.CONFIRMED)
    assert b.status == S.CONFIRMED


def test_join_link_opens_30_minutes_before_and_records_the_first_click(
    frozen, webinar_factory, register
):
    webinar = webinar_factory()
    registration = register(webinar).registration
    start = registration.session.starts_at
    with clock.travel(start - timedelta(minutes=31)):
        assert services.registration_record_join(registration=registration) is False
    with clock.travel(start - timedelta(minutes=30)):
        assert services.registration_record_join(registration=registration) is True
    with clock.travel(start + timedelta(minutes=10)):
        assert services.registration_record_join(registration=registration) is True
    registration.refresh_from_db()
    assert registration.join_first_clicked_at == start - timedelta(minutes=30)
    with clock.travel(registration.session.ends_at + timedelta(seconds=1)):
        assert services.registration_record_join(registration=registration) is False


def test_the_join_windows_edges_are_the_same_on_the_page_in_the_email_and_in_the_service(
    frozen, webinar_factory, register, client, mailoutbox, django_capture_on_commit_callbacks
):
    """One join window (webinars.links): the waiting page's countdown ends exactly when
    the link starts letting people in, the link stops at the session's end, and the
    sentences in the page and the email say the same number of minutes."""
    from webinars.links import JOIN_OPENS_BEFORE

    minutes = int(JOIN_OPENS_BEFORE.total_seconds() // 60)
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(webinar).registration
    assert f"(opens {minutes} minutes before the start)" in mailoutbox[0].body
    assert f"opens {minutes} minutes before the start." in mailoutbox[0].alternatives[0][0]
    session = registration.session
    link = f"/j/{registration.join_token}"
    with clock.travel(session.starts_at - JOIN_OPENS_BEFORE - timedelta(seconds=61)):
        page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"The room opens {minutes} minutes before the start" in text
    assert 'data-seconds="61">2 minutes<' in text  # whole minutes, rounded up
    with clock.travel(session.starts_at - JOIN_OPENS_BEFORE):
        assert client.get(link)["Location"] == session.join_url
    with clock.travel(session.ends_at):
        assert client.get(link)["Location"] == session.join_url
    with clock.travel(session.ends_at + timedelta(seconds=1)):
        assert "This session is over." in client.get(link).content.decode()


def test_an_open_room_without_a_platform_link_says_so_instead_of_reloading_at_once(
    frozen, webinar_factory, register, client
):
    webinar = webinar_factory()
    registration = register(webinar).registration
    session = registration.session
    session.join_url = ""
    session.save()
    with clock.travel(session.starts_at - timedelta(minutes=5)):
        page = client.get(f"/j/{registration.join_token}").content.decode()
    assert "the organizers have not added its link yet" in page
    assert 'data-seconds="0"' not in page  # the countdown reloads the page when it ends
    with clock.travel(session.starts_at - timedelta(hours=2)):
        page = client.get(f"/j/{registration.join_token}").content.decode()
    assert 'data-seconds="5400"' in page and "not added its link" not in page
