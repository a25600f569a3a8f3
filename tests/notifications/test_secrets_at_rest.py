"""Sent email does not keep secrets in the database (finding #10.3).

Account emails (password reset, sign-in codes, address confirmation) lose their body
once sent; everything else that was sent is deleted after OUTBOUND_EMAIL_RETENTION_DAYS
by a beat task. Failed emails stay for staff to retry."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

from core import clock
from notifications.delivery import email_queue
from notifications.models import DigestRun, OutboundEmail
from notifications.tasks import outbound_email_purge

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def _row_text(row: OutboundEmail) -> str:
    return " ".join([row.subject, row.text, row.html, str(row.headers), str(row.attachments)])


def test_a_sent_password_reset_keeps_no_link_in_the_database(
    client, member_factory, mailoutbox, django_capture_on_commit_callbacks
):
    member_factory(email="ama@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "ama@example.org"})
    assert response.status_code == 302
    (sent,) = mailoutbox
    reset_link = re.search(r"http://testserver/accounts/password/reset/key/\S+", sent.body)
    assert reset_link, "the person still gets the link"
    row = OutboundEmail.objects.get(kind__startswith="account.")
    assert row.status == OutboundEmail.Status.SENT
    assert not LINK.search(_row_text(row)), _row_text(row)
    assert "/password/reset/key/" not in _row_text(row)
    assert row.html == "" and row.attachments == [] and row.headers == {}
    # The link in the email still works: nothing was needed from the row.
    page = client.get(reset_link.group(0), follow=True)
    assert page.status_code == 200
    assert b'name="password1"' in page.content


def test_a_sign_in_code_is_not_kept_once_sent(
    client, member_factory, mailoutbox, django_capture_on_commit_callbacks
):
    member_factory(email="kofi@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/code/", {"email": "kofi@example.org"})
    (sent,) = mailoutbox
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", sent.body, re.MULTILINE)
    assert code, sent.body
    row = OutboundEmail.objects.get(kind__startswith="account.")
    assert code.group(1) not in _row_text(row)


def test_an_account_email_that_failed_keeps_its_body_for_staff(member_factory):
    row = email_queue(
        message=mail.EmailMultiAlternatives(
            subject="Reset", body="http://testserver/accounts/password/reset/key/x/", to=["a@b.c"]
        ),
        kind="account.password_reset_key",
        unsubscribe=False,
    )
    OutboundEmail.objects.filter(pk=row.pk).update(status=OutboundEmail.Status.FAILED)
    outbound_email_purge()
    row.refresh_from_db()
    assert "reset/key" in row.text  # a staff retry sends it as it was


def _sent(kind: str, at, **fields) -> OutboundEmail:
    fields.setdefault("status", OutboundEmail.Status.SENT)
    fields.setdefault("sent_at", at)
    return OutboundEmail.objects.create(
        to="ama@example.org",
        category=kind,
        kind=kind,
        subject="Your join link",
        text="http://127.0.0.1:8000/j/secret-token/",
        created_at=at,
        **fields,
    )


def test_the_purge_removes_old_sent_email_and_keeps_recent_failed_and_queued(member_factory):
    assert settings.OUTBOUND_EMAIL_RETENTION_DAYS == 30
    now = clock.now()
    old = now - timedelta(days=31)
    old_sent = _sent("webinars.confirmation", old, dedupe_key="old-sent")
    old_digest = _sent("notifications.digest", old)
    member = member_factory()
    run = DigestRun.objects.create(
        member=member,
        kind="daily",
        period=old.date(),
        status="queued",
        email=old_digest,
        created_at=old,
    )
    recent = _sent("webinars.reminder", now - timedelta(days=29))
    failed = _sent("webinars.reminder", old, status=OutboundEmail.Status.FAILED)
    queued = _sent("webinars.reminder", old, status=OutboundEmail.Status.QUEUED, sent_at=None)

    assert outbound_email_purge() == 2
    left = set(OutboundEmail.objects.values_list("pk", flat=True))
    assert left == {recent.pk, failed.pk, queued.pk}
    assert old_sent.pk not in left
    run.refresh_from_db()
    assert run.email is None  # the digest is still recorded as sent once for its period
    assert outbound_email_purge() == 0  # a second run changes nothing
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == left


def test_the_retention_comes_from_the_setting(settings):
    settings.OUTBOUND_EMAIL_RETENTION_DAYS = 7
    now = clock.now()
    eight_days = _sent("webinars.reminder", now - timedelta(days=8))
    six_days = _sent("webinars.reminder", now - timedelta(days=6))
    assert outbound_email_purge() == 1
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [six_days.pk]
    assert not OutboundEmail.objects.filter(pk=eight_days.pk).exists()


def test_the_purge_runs_on_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "notifications.tasks.outbound_email_purge" in tasks


def test_an_account_email_to_a_suppressed_address_is_stored_without_its_link(mailoutbox):
    from notifications.models import SuppressedAddress

    SuppressedAddress.objects.create(email="bounced@example.org", reason="bounced")
    row = email_queue(
        message=mail.EmailMultiAlternatives(
            subject="Reset",
            body="http://testserver/accounts/password/reset/key/x/",
            to=["Bounced@example.org"],
        ),
        kind="account.password_reset_key",
        unsubscribe=False,
    )
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SUPPRESSED
    assert not LINK.search(_row_text(row))
    assert mailoutbox == []
