"""Reminders: exactly once each, re-armed on reschedule, never to the wrong people."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from core import clock
from tests.threads import in_threads
from webinars import services
from webinars.models import Registration, ReminderDelivery
from webinars.services import reminders_send_due

pytestmark = pytest.mark.django_db


def reminder_subjects(mailoutbox):
    return [m.subject for m in mailoutbox if m.subject.startswith("Reminder")]


def test_each_offset_once_and_a_second_pass_sends_nothing(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    start = webinar.sessions.get().starts_at
    register(webinar, "a@example.org")
    mailoutbox.clear()
    for at in (
        start - timedelta(hours=25),
        start - timedelta(hours=24),
        start - timedelta(hours=23),
        start - timedelta(minutes=60),
        start - timedelta(minutes=59),
    ):
        with clock.travel(at), django_capture_on_commit_callbacks(execute=True):
            reminders_send_due()
            reminders_send_due()
    assert len(reminder_subjects(mailoutbox)) == 2
    assert set(ReminderDelivery.objects.values_list("offset_minutes", flat=True)) == {1440, 60}


def test_only_confirmed_registrants_are_reminded(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory(capacity=1)
    register(webinar, "confirmed@example.org")
    register(webinar, "waitlisted@example.org")
    cancelled = register(webinar, "gone@example.org", session=webinar.sessions.get())
    Registration.objects.filter(pk=cancelled.registration.pk).update(status="cancelled")
    pending = webinar_factory(approval_required=True)
    register(pending, "pending@example.org")
    mailoutbox.clear()
    start = webinar.sessions.get().starts_at
    with (
        clock.travel(start - timedelta(minutes=30)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_send_due()
    assert [m.to for m in mailoutbox] == [["confirmed@example.org"]]


def test_a_late_registrant_skips_reminders_already_past(
    webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    start = datetime(2027, 3, 11, 12, 0, tzinfo=UTC)
    webinar = webinar_factory(starts_at=start)
    with clock.travel(start - timedelta(hours=3)):
        register(webinar)
    mailoutbox.clear()
    with clock.travel(start - timedelta(hours=2)), django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due() == {"sent": 0, "already_sent": 0}
    with (
        clock.travel(start - timedelta(minutes=55)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders_send_due()["sent"] == 1
    assert ReminderDelivery.objects.get().offset_minutes == 60


def test_after_an_outage_only_the_latest_reminder_goes_out(
    webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    start = datetime(2027, 3, 11, 12, 0, tzinfo=UTC)
    webinar = webinar_factory(starts_at=start)
    with clock.travel(start - timedelta(days=3)):
        register(webinar)
    with (
        clock.travel(start - timedelta(minutes=20)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_send_due()
    assert list(ReminderDelivery.objects.values_list("offset_minutes", flat=True)) == [60]


def test_reschedule_rearms_reminders_for_the_new_time(
    frozen, webinar_factory, register, organizer, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    session = webinar.sessions.get()
    register(webinar)
    with clock.travel(session.starts_at - timedelta(hours=23)):
        reminders_send_due()
    services.session_reschedule(
        session=session, actor=organizer, starts_at=session.starts_at + timedelta(days=2)
    )
    session.refresh_from_db()
    with clock.travel(session.starts_at - timedelta(hours=23)):
        assert reminders_send_due()["sent"] == 1
    assert ReminderDelivery.objects.filter(offset_minutes=1440).count() == 2


def test_dst_day_after_the_change_gets_its_24h_reminder_24_real_hours_before(
    webinar_factory, register
):
    # Europe/London springs forward at 01:00Z on Sun 28 Mar 2027. A session at 10:00
    # London time on Monday 29 March is 09:00Z; the 24 h reminder is due at 09:00Z on
    # Sunday — which is 10:00 local, not 09:00 local (wall clock moved, real time did not).
    from zoneinfo import ZoneInfo

    from core.zones import local_to_utc

    start = local_to_utc(datetime(2027, 3, 29, 10, 0), "Europe/London")
    assert start == datetime(2027, 3, 29, 9, 0, tzinfo=UTC)
    webinar = webinar_factory(starts_at=start)
    with clock.travel(start - timedelta(days=5)):
        register(webinar)
    just_before = start - timedelta(hours=24, seconds=1)
    with clock.travel(just_before):
        assert reminders_send_due()["sent"] == 0
    with clock.travel(start - timedelta(hours=24)):
        assert reminders_send_due()["sent"] == 1
    sent_at = ReminderDelivery.objects.get().created_at
    assert start - sent_at == timedelta(hours=24)
    assert sent_at.astimezone(ZoneInfo("Europe/London")).hour == 10  # 23 wall-clock hours


@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_send_each_reminder_once(
    webinar_factory, register, mailoutbox, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent passes need PostgreSQL (CI runs them there)")
    start = datetime(2027, 3, 11, 12, 0, tzinfo=UTC)
    webinar = webinar_factory(starts_at=start)
    with clock.travel(start - timedelta(days=3)):
        for index in range(40):
            register(webinar, f"p{index}@example.org")
    mailoutbox.clear()
    results, barrier = [], threading.Barrier(2)

    def run_pass():
        barrier.wait()
        results.append(reminders_send_due(at=start - timedelta(minutes=30)))

    in_threads(run_pass, 2)
    assert sum(r["sent"] for r in results) == 40
    assert ReminderDelivery.objects.count() == 40
    assert len(reminder_subjects(mailoutbox)) == 40
