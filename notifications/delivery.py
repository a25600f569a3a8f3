"""Email that arrives: one path for every email Baraza sends.

`email_queue` stores an `OutboundEmail` row (suppressed, opted-out and paused addresses
are recorded and never sent) and hands its id to the worker after commit; the worker
sends it through the configured anymail backend with List-Unsubscribe headers,
retrying with backoff. A delivery that runs twice sends once: the row is locked and
its status checked.
"""

import base64

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction

from config.clock import now
from notifications.categories import category_of
from notifications.models import EmailOptOut, OutboundEmail, SuppressedAddress
from notifications.unsubscribe import list_unsubscribe_headers

Status = OutboundEmail.Status


def is_suppressed(email: str) -> bool:
    return SuppressedAddress.objects.filter(email__iexact=email, lifted_at__isnull=True).exists()


def is_opted_out(email: str, category: str) -> bool:
    from members.models import Member

    if EmailOptOut.objects.filter(email__iexact=email, category=category).exists():
        return True
    member = Member.objects.filter(email__iexact=email).select_related("delivery_settings").first()
    if member is None:
        return False
    from notifications.preferences import channel_for

    settings_row = getattr(member, "delivery_settings", None)
    if settings_row is not None and settings_row.paused and not category_of(category).essential:
        return True
    return channel_for(member, category) == "off"


def _attachments(message: EmailMultiAlternatives) -> list[dict[str, str]]:
    stored = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        data = content.encode() if isinstance(content, str) else content
        stored.append(
            {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(data).decode()}
        )
    return stored


def email_queue(
    *,
    message: EmailMultiAlternatives,
    kind: str,
    dedupe_key: str | None = None,
    unsubscribe: bool = True,
) -> OutboundEmail | None:
    """Store one rendered message (one recipient) and queue its delivery after commit.

    Returns None when `dedupe_key` was queued before (the same email is never stored
    twice). `unsubscribe=False` only for mail the person just asked for (account
    verification, password reset), which no one may switch off.
    """
    from notifications.tasks import outbound_email_deliver

    (to,) = message.to
    category = category_of(kind).code if unsubscribe else kind
    status = Status.QUEUED
    if is_suppressed(to):
        status = Status.SUPPRESSED
    elif unsubscribe and not category_of(kind).essential and is_opted_out(to, category):
        status = Status.OPTED_OUT
    headers = dict(message.extra_headers)
    if unsubscribe:
        headers.update(list_unsubscribe_headers(to, category))
    html = next(
        (c for c, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
    )
    try:
        with transaction.atomic():
            row = OutboundEmail.objects.create(
                to=to,
                category=category,
                kind=kind,
                subject=message.subject[:400],
                text=message.body,
                html=html,
                headers=headers,
                attachments=_attachments(message),
                dedupe_key=dedupe_key,
                status=status,
                created_at=now(),
            )
    except IntegrityError:
        return None
    if status == Status.QUEUED:
        transaction.on_commit(lambda: outbound_email_deliver.delay(row.pk))
    return row


def build_message(row: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to],
        headers=row.headers,
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    for attachment in row.attachments:
        message.attach(
            attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"]
        )
    return message


def outbound_email_send(*, email_id: int) -> str:
    """Send a queued email once. Raises on a transport error so the task retries."""
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if row is None or row.status != Status.QUEUED:
            return row.status if row else "missing"
        if is_suppressed(row.to):
            row.status = Status.SUPPRESSED
            row.save(update_fields=["status"])
            return row.status
        row.attempts += 1
        try:
            build_message(row).send()
        except Exception as error:  # noqa: BLE001 - recorded, then raised for the retry
            failure = error
            row.last_error = f"{error.__class__.__name__}: {error}"[:2000]
            row.save(update_fields=["attempts", "last_error"])
        else:
            failure = None
            row.status, row.sent_at, row.last_error = Status.SENT, now(), ""
            row.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    if failure is not None:
        raise failure  # after the attempt is committed, so it is counted
    return row.status


def outbound_email_fail(*, email_id: int, error: str) -> None:
    """After the last retry: visible to staff, not lost (they can retry it)."""
    OutboundEmail.objects.filter(pk=email_id, status=Status.QUEUED).update(
        status=Status.FAILED, last_error=error[:2000]
    )


def outbound_email_retry(*, email_id: int) -> bool:
    from notifications.tasks import outbound_email_deliver

    updated = OutboundEmail.objects.filter(pk=email_id, status=Status.FAILED).update(
        status=Status.QUEUED, attempts=0
    )
    if updated:
        transaction.on_commit(lambda: outbound_email_deliver.delay(email_id))
    return bool(updated)


def outbound_email_requeue_stale(*, older_than_minutes: int = 15) -> int:
    from datetime import timedelta

    from notifications.tasks import outbound_email_deliver

    stale = list(
        OutboundEmail.objects.filter(
            status=Status.QUEUED,
            attempts=0,
            created_at__lt=now() - timedelta(minutes=older_than_minutes),
        ).values_list("pk", flat=True)[:1000]
    )
    for email_id in stale:
        outbound_email_deliver.delay(email_id)
    return len(stale)


def outbound_email_send_batch(*, email_ids: list[int]) -> dict[str, int]:
    """Send many queued emails with a few queries (digests). An email whose send fails
    is handed to the single-email task, which retries it with backoff."""
    from notifications.tasks import outbound_email_deliver

    counts = {"sent": 0, "suppressed": 0, "retrying": 0}
    with transaction.atomic():
        rows = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids, status=Status.QUEUED)
            .order_by("pk")
        )
        blocked = {
            e.lower()
            for e in SuppressedAddress.objects.filter(
                lifted_at__isnull=True, email__in=[r.to.lower() for r in rows]
            ).values_list("email", flat=True)
        }
        sent, suppressed, failed = [], [], []
        connection = get_connection()
        with connection:
            for row in rows:
                if row.to.lower() in blocked:
                    suppressed.append(row.pk)
                    continue
                try:
                    connection.send_messages([build_message(row)])
                except Exception:  # noqa: BLE001 - the single-email task retries it
                    failed.append(row.pk)
                else:
                    sent.append(row.pk)
        at = now()
        OutboundEmail.objects.filter(pk__in=sent).update(status=Status.SENT, sent_at=at, attempts=1)
        OutboundEmail.objects.filter(pk__in=suppressed).update(status=Status.SUPPRESSED)
    for email_id in failed:
        outbound_email_deliver.apply_async((email_id,), countdown=30)
    counts.update(sent=len(sent), suppressed=len(suppressed), retrying=len(failed))
    return counts
