"""Every registrant email is one event: a task run again (redelivered after its worker
died, or by two workers) sends nothing more; a deliberate re-send is a new event.

The worker-kill version of these, with real processes, is tests/integration/test_exactly_once.py.
"""

from datetime import timedelta

import pytest
from django.db import connection

from core import clock
from notifications.models import Notification, OutboundEmail
from tests.threads import in_threads
from webinars import services
from webinars.emails import registration_email
from webinars.models import OrganizerMessage, Registration, ReminderDelivery
from webinars.services import notify
from webinars.services.reminders import reminders_send_due
from webinars.tasks import registration_notify, session_notify, webinar_message_send

pytestmark = pytest.mark.django_db


def subjects(mailoutbox, start: str) -> list[str]:
    return [m.to[0] for m in mailoutbox if m.subject.startswith(start)]


def test_a_confirmation_task_run_twice_sends_one_email_and_one_notification(
    frozen,
    webinar_factory,
    register,
    member_factory,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    member = member_factory(email="ama@example.org")
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(webinar, member=member).registration
    assert registration.notice_sequence == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_notify(registration.pk, "confirmed", "1") is False  # redelivered
    assert len(mailoutbox) == 1
    assert OutboundEmail.objects.get().dedupe_key == f"webinars.confirmed.{registration.pk}.1"
    assert Notification.objects.filter(recipient=member).count() == 1


def test_a_worker_dead_after_storing_the_email_still_gets_it_sent_once(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        register(webinar)
    (notify_task,) = queued
    registration = Registration.objects.get()
    # the task stores the email (its first half), and the worker dies before sending it
    notify.registration_email_store(
        registration,
        registration_email(registration, "confirmed"),
        "webinars.confirmed",
        dedupe_key=notify.event_key("confirmed", registration.pk, "1"),
    )
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.QUEUED
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        notify_task()  # the broker delivers the task again
    assert len(mailoutbox) == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_a_reschedule_fan_out_run_again_sends_nothing_more(
    frozen, webinar_factory, register, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    session = webinar.sessions.get()
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(3):
            register(webinar, f"p{index}@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_reschedule(
            session=session, actor=organizer, starts_at=session.starts_at + timedelta(days=1)
        )
    assert len(subjects(mailoutbox, "New time:")) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert session_notify(session.pk, "rescheduled", session.sequence) == 0
    assert len(subjects(mailoutbox, "New time:")) == 3
    # a second move is a new event: everyone hears once more
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_reschedule(
            session=session, actor=organizer, starts_at=session.starts_at + timedelta(days=1)
        )
    assert len(subjects(mailoutbox, "New time:")) == 6


def test_a_superseded_reschedule_fan_out_sends_nothing(
    frozen, webinar_factory, register, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    session = webinar.sessions.get()
    with django_capture_on_commit_callbacks(execute=True):
        register(webinar)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False):  # the first move's fan-out waits
        first = services.session_reschedule(
            session=session, actor=organizer, starts_at=session.starts_at + timedelta(days=1)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, actor=organizer)
        assert session_notify(session.pk, "rescheduled", first.sequence) == 0
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Cancelled"]


def test_an_organizer_message_is_stored_once_and_a_second_fan_out_sends_nothing(
    frozen, webinar_factory, register, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(3):
            register(webinar, f"p{index}@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = services.webinar_message_registrants(
            webinar=webinar, actor=organizer, subject="Slides ready", body="See you *soon*."
        )
    message = OrganizerMessage.objects.get()
    assert count == 3 and (message.subject, message.sent_by) == ("Slides ready", organizer)
    assert sorted(m.to[0] for m in mailoutbox) == [f"p{i}@example.org" for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        assert webinar_message_send(message.pk) == 0  # redelivered
    assert len(mailoutbox) == 3
    # the same words sent again on purpose are a second message
    with django_capture_on_commit_callbacks(execute=True):
        services.webinar_message_registrants(
            webinar=webinar, actor=organizer, subject="Slides ready", body="See you *soon*."
        )
    assert len(mailoutbox) == 6


def test_a_reminder_task_run_twice_sends_one_reminder(
    webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    start = webinar.sessions.get().starts_at
    with clock.travel(start - timedelta(days=3)):
        with django_capture_on_commit_callbacks(execute=True):
            registration = register(webinar).registration
    mailoutbox.clear()
    with clock.travel(start - timedelta(minutes=30)):
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_send_due()["sent"] == 1
        reminder = ReminderDelivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            assert registration_notify(registration.pk, "reminder", f"r{reminder.pk}") is False
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_submissions_at_once_are_one_email_and_a_later_one_resends(
    webinar_factory, register, mailoutbox
):
    """Issue #11: a burst is one event; a deliberate register-again later still re-sends."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("threads need a file database")
    webinar = webinar_factory()
    at = webinar.sessions.get().starts_at - timedelta(days=5)

    def submit():
        register(webinar, "Burst@Example.org")

    with clock.travel(at):
        in_threads(submit, 20)
    assert Registration.objects.count() == 1
    assert len(mailoutbox) == 1
    with clock.travel(at + services.registrations.RESEND_EVERY):
        register(webinar, "burst@example.org")
    assert len(mailoutbox) == 2
    keys = sorted(OutboundEmail.objects.values_list("dedupe_key", flat=True))
    registration = Registration.objects.get()
    assert keys == [f"webinars.confirmed.{registration.pk}.{n}" for n in (1, 2)]
