"""One path for every email: suppression, unsubscribe, retries, exactly-once delivery."""

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend

from notifications.delivery import email_queue, outbound_email_send
from notifications.models import EmailOptOut, OutboundEmail, SuppressedAddress
from notifications.preferences import unsubscribe
from notifications.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db


def message(to="ama@example.org", subject="Hello"):
    return mail.EmailMultiAlternatives(subject=subject, body="Body", to=[to])


def test_every_notification_email_carries_one_click_unsubscribe(
    frozen, webinar_factory, register, mailoutbox, deliver
):
    with deliver():
        register(webinar_factory())
    (sent,) = mailoutbox
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://127.0.0.1:8000/notifications/unsubscribe/")
    assert "/notifications/preferences/" in sent.body


def test_one_click_post_unsubscribes_without_a_session(client, mailoutbox, deliver):
    token = unsubscribe_token("ama@example.org", "webinars.reminder")
    response = client.post(
        f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(
        email="ama@example.org", category="webinars.reminder"
    ).exists()
    with deliver():
        email_queue(message=message(), kind="webinars.reminder")
        email_queue(message=message(), kind="webinars.message")
    assert [m.subject for m in mailoutbox] == ["Hello"]  # the message still came
    assert OutboundEmail.objects.filter(status="opted_out").count() == 1


def test_the_mail_programs_one_click_post_works_with_csrf_checks_on(
    frozen, webinar_factory, register, mailoutbox, deliver
):
    from django.test import Client

    with deliver():
        register(webinar_factory(), "ama@example.org")
    (sent,) = mailoutbox
    url = sent.extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no token, no session
    response = mail_program.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(email="ama@example.org").exists()


def test_a_forged_or_tampered_token_is_refused(client):
    token = unsubscribe_token("ama@example.org", "webinars.reminder")
    assert client.post(f"/notifications/unsubscribe/{token[:-3]}abc/").status_code == 404
    assert client.post("/notifications/unsubscribe/forged/").status_code == 404
    assert not EmailOptOut.objects.exists()


def test_the_unsubscribe_link_in_a_browser_asks_first(client):
    token = unsubscribe_token("ama@example.org", "webinars.reminder")
    page = client.get(f"/notifications/unsubscribe/{token}/")
    assert "ama@example.org" in page.content.decode()
    assert not EmailOptOut.objects.exists()
    done = client.post(f"/notifications/unsubscribe/{token}/", {"confirm": "1"})
    assert "will no longer get" in done.content.decode()


def test_suppression_blocks_every_path(
    frozen, webinar_factory, register, member_factory, mailoutbox, deliver, client
):
    from notifications.services import notify

    SuppressedAddress.objects.create(email="ama@example.org", reason="bounced")
    member = member_factory(email="AMA@example.org")
    with deliver():
        register(webinar_factory(), "Ama@Example.org")
        email_queue(
            message=message("ama@example.org"), kind="account.password_reset", unsubscribe=False
        )
        notify(recipient=member, kind="communities.mention", title="You were mentioned")
        client.post("/accounts/password/reset/", {"email": "ama@example.org"})
    from datetime import timedelta

    from core.clock import now
    from notifications.immediate import notifications_email_pending

    notifications_email_pending(recipient_id=member.pk, at=now() + timedelta(minutes=3))
    assert mailoutbox == []
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"suppressed"}


def test_suppressed_after_queueing_is_still_not_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        row = email_queue(message=message(), kind="webinars.message")
    SuppressedAddress.objects.create(email="ama@example.org", reason="complained")
    assert outbound_email_send(email_id=row.pk) == "suppressed"
    assert mailoutbox == []


def test_delivering_twice_sends_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        row = email_queue(message=message(), kind="webinars.message")
    assert outbound_email_send(email_id=row.pk) == "sent"
    assert outbound_email_send(email_id=row.pk) == "sent"
    assert len(mailoutbox) == 1


def test_the_same_dedupe_key_is_stored_once(deliver, mailoutbox):
    with deliver():
        assert email_queue(message=message(), kind="webinars.message", dedupe_key="k1")
        assert email_queue(message=message(), kind="webinars.message", dedupe_key="k1") is None
    assert len(mailoutbox) == 1


class FlakyBackend(BaseEmailBackend):
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        raise ConnectionError("ESP answered 503")


def test_a_failing_esp_is_retried_with_backoff_then_visible_to_staff(
    settings, django_capture_on_commit_callbacks, deliver, member_factory, client
):
    from members.models import Role
    from notifications.tasks import MAX_RETRIES, outbound_email_deliver

    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    with django_capture_on_commit_callbacks(execute=False):
        row = email_queue(message=message(), kind="webinars.message")
    waits = []
    for retries in (0, 1, 4):
        with pytest.raises(Retry) as retry:
            # The worker's n-th retry, run here once (eager mode retries only one level).
            outbound_email_deliver.apply((row.pk,), retries=retries)
        waits.append(retry.value.when)
    assert waits[0] < waits[1] < waits[2]
    row.refresh_from_db()
    assert row.status == "queued" and "ESP answered 503" in row.last_error
    assert outbound_email_deliver.apply((row.pk,), retries=MAX_RETRIES).get() == "failed"
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts >= 4
    client.force_login(member_factory(role=Role.STAFF))
    assert "ESP answered 503" in client.get("/notifications/staff/failed/").content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with deliver():
        client.post("/notifications/staff/failed/", {"retry": row.pk})
    row.refresh_from_db()
    assert row.status == "sent"


def test_the_task_that_stored_an_email_sends_it_once(mailoutbox):
    from notifications.delivery import email_send_stored

    row = email_queue(message=message(), kind="webinars.message", dedupe_key="k", deliver=False)
    assert email_send_stored(dedupe_key="k", stored=row) == "sent"
    assert email_send_stored(dedupe_key="k", stored=row) is None  # its row in hand, stale
    assert email_send_stored(dedupe_key="k") is None  # redelivered without it
    assert email_send_stored(dedupe_key="other", stored=row) is None  # not that email's row
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 1
    assert len(mailoutbox) == 1


def test_a_redelivered_task_sends_what_its_first_run_left_queued(mailoutbox):
    from notifications.delivery import email_send_stored

    email_queue(message=message(), kind="webinars.message", dedupe_key="k", deliver=False)
    EmailOptOut.objects.create(email="kofi@example.org", category="webinars.message")
    opted_out = email_queue(
        message=message("kofi@example.org"), kind="webinars.message", dedupe_key="o", deliver=False
    )
    assert email_send_stored(dedupe_key="k") == "sent"
    assert email_send_stored(dedupe_key="k") is None
    assert email_send_stored(dedupe_key="o", stored=opted_out) is None
    assert email_send_stored(dedupe_key="o") is None
    assert email_send_stored(dedupe_key="never-stored") is None
    assert [m.to for m in mailoutbox] == [["ama@example.org"]]


class FailsOnceBackend(locmem.EmailBackend):
    failed = False

    def send_messages(self, messages):
        if not FailsOnceBackend.failed:
            FailsOnceBackend.failed = True
            raise ConnectionError("ESP answered 503")
        return super().send_messages(messages)


@pytest.mark.parametrize("in_hand", [True, False], ids=["row in hand", "redelivered"])
def test_a_send_that_fails_in_the_storing_task_is_handed_to_the_retrying_task(
    in_hand, settings, monkeypatch, mailoutbox
):
    from notifications.delivery import email_send_stored

    settings.EMAIL_BACKEND = f"{__name__}.FailsOnceBackend"
    monkeypatch.setattr(FailsOnceBackend, "failed", False)
    row = email_queue(message=message(), kind="webinars.message", dedupe_key="k", deliver=False)
    # The failure is recorded and the single-email task takes it over (eager: at once,
    # where the ESP answers again).
    assert email_send_stored(dedupe_key="k", stored=row if in_hand else None) == "queued"
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and FailsOnceBackend.failed
    assert len(mailoutbox) == 1


def test_unsubscribing_a_member_moves_the_category_to_in_app(member_factory):
    from notifications.preferences import channel_for

    member = member_factory(email="ama@example.org")
    unsubscribe(email="AMA@example.org", category="communities.mention")
    assert channel_for(member, "communities.mention") == "in_app"


def test_batch_delivery_sends_skips_suppressed_and_hands_failures_to_retry(
    settings, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    from notifications import tasks
    from notifications.delivery import outbound_email_send_batch

    with django_capture_on_commit_callbacks(execute=False):
        rows = [
            email_queue(message=message(f"p{i}@example.org"), kind="webinars.message")
            for i in range(4)
        ]
    SuppressedAddress.objects.create(email="p1@example.org", reason="bounced")
    retried = []
    monkeypatch.setattr(
        tasks.outbound_email_deliver,
        "apply_async",
        lambda args, countdown: retried.append((args, countdown)),
    )
    counts = outbound_email_send_batch(email_ids=[r.pk for r in rows])
    assert counts == {"sent": 3, "suppressed": 1, "retrying": 0}
    assert sorted(m.to[0] for m in mailoutbox) == [
        "p0@example.org",
        "p2@example.org",
        "p3@example.org",
    ]
    assert outbound_email_send_batch(email_ids=[r.pk for r in rows])["sent"] == 0  # once
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    with django_capture_on_commit_callbacks(execute=False):
        late = email_queue(message=message("late@example.org"), kind="webinars.message")
    assert outbound_email_send_batch(email_ids=[late.pk])["retrying"] == 1
    assert retried == [((late.pk,), 30)]


class WatchingBackend(BaseEmailBackend):
    """Notes whether a database transaction was open while it 'talked to the ESP'."""

    in_transaction: list[bool] = []

    def send_messages(self, messages):
        from django.db import connection

        WatchingBackend.in_transaction.append(connection.in_atomic_block)
        return len(messages)


@pytest.mark.django_db(transaction=True)
def test_emails_go_out_with_no_transaction_open(settings):
    from core.clock import now
    from notifications.delivery import outbound_email_send_batch

    settings.EMAIL_BACKEND = f"{__name__}.WatchingBackend"
    WatchingBackend.in_transaction = []
    first, second = (
        OutboundEmail.objects.create(
            to=to,
            category="webinars",
            kind="webinars.message",
            subject="Hi",
            text="Body",
            created_at=now(),
        )
        for to in ("ama@example.org", "kofi@example.org")
    )
    assert outbound_email_send(email_id=first.pk) == "sent"
    assert outbound_email_send_batch(email_ids=[second.pk])["sent"] == 1
    assert WatchingBackend.in_transaction == [False, False]
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_an_email_whose_worker_died_mid_send_is_queued_again(frozen, mailoutbox):
    from datetime import timedelta

    from core import clock
    from notifications.delivery import _claim, outbound_email_requeue_stale

    row = email_queue(message=message(), kind="webinars.message")
    _claim([row.pk])  # a worker took it, then its process was killed
    assert outbound_email_send(email_id=row.pk) == "sending"  # nobody else sends it meanwhile
    with clock.travel(frozen + timedelta(minutes=20)):
        assert outbound_email_requeue_stale() == 1  # eager: delivered at once
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2
    assert len(mailoutbox) == 1
