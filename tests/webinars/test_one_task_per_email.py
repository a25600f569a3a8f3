"""A registrant's email costs the worker one task: the task that stores it sends it
(bench/drain.py measures what that does to a burst). A send that fails is handed to the
retrying email task, and nothing is sent twice."""

from contextlib import contextmanager

import pytest
from celery.signals import task_prerun
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from notifications.models import OutboundEmail
from webinars import services
from webinars.models import Registration

pytestmark = pytest.mark.django_db


@contextmanager
def tasks_run():
    """The names of the tasks run meanwhile (eager: each one the worker would run)."""
    names: list[str] = []

    def record(sender=None, **kwargs):
        names.append(sender.name.rpartition(".")[2])

    task_prerun.connect(record, weak=False)
    try:
        yield names
    finally:
        task_prerun.disconnect(record)


def test_a_confirmation_is_one_task(
    frozen, webinar_factory, client, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    session = webinar.sessions.get()
    page = f"/webinars/{webinar.slug}/"
    with tasks_run() as names, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page,
            {
                "session": session.pk,
                "email": "ama@example.org",
                "full_name": "Ama Mensah",
                "language": "en",
                "time_zone": "Africa/Accra",
                "consent": "on",
            },
        )
    assert response.status_code == 302, response.content[:2000]
    assert names == ["registration_notify"]
    assert [m.to for m in mailoutbox] == [["ama@example.org"]]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_an_organizer_message_is_one_task_per_registrant(
    frozen, webinar_factory, organizer, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("a@example.org", "b@example.org"):
            register(webinar, email)
    mail.outbox.clear()
    with tasks_run() as names, django_capture_on_commit_callbacks(execute=True):
        services.webinar_message_registrants(
            webinar=webinar, actor=organizer, subject="Slides", body="Here they are."
        )
    assert names == ["webinar_message_send", "registration_message", "registration_message"]
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]


class FailsOnce(BaseEmailBackend):
    failed = False

    def send_messages(self, messages):
        if not FailsOnce.failed:
            FailsOnce.failed = True
            raise ConnectionError("ESP answered 503")
        return LocmemBackend().send_messages(messages)


def test_a_confirmation_whose_send_fails_is_retried_by_the_email_task_and_sent_once(
    frozen, settings, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnce"
    FailsOnce.failed = False
    webinar = webinar_factory()
    with tasks_run() as names, django_capture_on_commit_callbacks(execute=True):
        register(webinar)
    assert FailsOnce.failed
    assert names == ["registration_notify", "outbound_email_deliver"]
    assert [m.to for m in mailoutbox] == [["ama@example.org"]]
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (OutboundEmail.Status.SENT, 2)
    assert Registration.objects.get().notice_sequence == 1
