"""Email that arrives: one path for every email Baraza sends.

`email_queue` stores an `OutboundEmail` row (suppressed, opted-out and paused addresses
are recorded and never sent) and hands its id to the worker after commit (or, stored by
a task that sends it itself, `email_send_stored`: one task per email); the worker
sends it through the configured anymail backend with List-Unsubscribe headers,
retrying with backoff. A delivery that runs twice sends once: the row is locked and
its status checked.
"""

import base64
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower

from core.clock import now
from notifications.categories import category_of
from notifications.models import EmailOptOut, OutboundEmail, SuppressedAddress
from notifications.unsubscribe import list_unsubscribe_headers

Status = OutboundEmail.Status

# Account emails (address confirmation, password reset, sign-in codes) carry one-time
# links and codes. Once sent, or once it is certain they never will be, the row keeps
# the recipient, subject and dates and no copy of the secret.
ONE_TIME_KIND_PREFIX = "account."
RETRY_AFTER = 30  # seconds before a failed send is tried again by the single-email task
SECRET_REMOVED = "[removed once sent: account emails carry one-time links and codes]"


def _forget_secrets(kind: str) -> dict:
    """The field values that replace an account email's content; none for other kinds."""
    if not kind.startswith(ONE_TIME_KIND_PREFIX):
        return {}
    return {"text": SECRET_REMOVED, "html": "", "headers": {}, "attachments": []}


def blocked_addresses(emails, category: str | None = None) -> set[str]:
    """Which of `emails` (lower-cased) must not be mailed: suppressed after a bounce or
    complaint, or, given a category, unsubscribed from it. One query each, on the
    lower(email) the unique indexes use."""
    lowered = {email.lower() for email in emails}
    if not lowered:
        return set()
    blocked = set(
        SuppressedAddress.objects.annotate(address=Lower("email"))
        .filter(lifted_at__isnull=True, address__in=lowered)
        .values_list("address", flat=True)
    )
    if category is not None:
        blocked |= set(
            EmailOptOut.objects.annotate(address=Lower("email"))
            .filter(category=category, address__in=lowered)
            .values_list("address", flat=True)
        )
    return blocked


def is_suppressed(email: str) -> bool:
    return bool(blocked_addresses([email]))


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
    deliver: bool = True,
) -> OutboundEmail | None:
    """Store one rendered message (one recipient) and queue its delivery after commit.

    `dedupe_key` is the email's event identity (`webinars.confirmed.42.1`): the unique
    index stores it once however often the task that asks for it runs (a redelivered
    task, two workers, a burst of requests). Returns None when it was stored before; a
    row still waiting to be sent is handed to the worker again (the first task may have
    died before it did), and the worker's claim sends it once. `unsubscribe=False` only
    for mail the person just asked for (account verification, password reset), which no
    one may switch off. `deliver=False` (with a `dedupe_key`) queues no delivery task:
    the task that stores it sends it itself once this commits, `email_send_stored`.
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
    content = {
        "text": message.body,
        "html": html,
        "headers": headers,
        "attachments": _attachments(message),
    }
    if status != Status.QUEUED:  # never sent: an account email's secret is not kept
        content.update(_forget_secrets(kind))
    try:
        with transaction.atomic():
            row = OutboundEmail.objects.create(
                to=to,
                category=category,
                kind=kind,
                subject=message.subject[:400],
                dedupe_key=dedupe_key,
                status=status,
                created_at=now(),
                **content,
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        if not deliver:
            return None
        waiting = OutboundEmail.objects.filter(dedupe_key=dedupe_key, status=Status.QUEUED)
        if (email_id := waiting.values_list("pk", flat=True).first()) is not None:
            transaction.on_commit(lambda: outbound_email_deliver.delay(email_id))
        return None
    if status == Status.QUEUED and deliver:
        transaction.on_commit(lambda: outbound_email_deliver.delay(row.pk))
    return row


def emails_stored(dedupe_keys) -> set[str]:
    """Which of these event keys already have their email (a fan-out run again skips them)."""
    keys = list(dedupe_keys)
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            OutboundEmail.objects.filter(dedupe_key__in=keys[start : start + 500]).values_list(
                "dedupe_key", flat=True
            )
        )
    return found


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


def _claim(email_ids: list[int]) -> list[OutboundEmail]:
    """Take queued emails for sending, in a short transaction of their own: the send
    itself (network, seconds) happens with no transaction open, so it neither holds
    SQLite's single write lock nor a PostgreSQL transaction. A row another worker has
    claimed is skipped; one whose worker died mid-send is put back by
    `outbound_email_requeue_stale`."""
    at = now()
    with transaction.atomic():
        rows = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids, status=Status.QUEUED)
            .order_by("pk")
        )
        OutboundEmail.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Status.SENDING, claimed_at=at, attempts=F("attempts") + 1
        )
    for row in rows:
        row.status, row.claimed_at, row.attempts = Status.SENDING, at, row.attempts + 1
    return rows


def _error_text(error: Exception) -> str:
    return f"{error.__class__.__name__}: {error}"[:2000]


def outbound_email_send(*, email_id: int) -> str:
    """Send a queued email once. Raises on a transport error so the task retries."""
    rows = _claim([email_id])
    if not rows:
        status = OutboundEmail.objects.filter(pk=email_id).values_list("status", flat=True)
        return status.first() or "missing"
    (row,) = rows
    if blocked_addresses(row.to for row in rows):
        done = OutboundEmail.objects.filter(pk=row.pk, status=Status.SENDING)
        done.update(status=Status.SUPPRESSED, **_forget_secrets(row.kind))
        return Status.SUPPRESSED
    return _send_claimed(row)


def _send_claimed(row: OutboundEmail) -> str:
    """Send a row this worker has claimed (status `sending`) and record the outcome."""
    done = OutboundEmail.objects.filter(pk=row.pk, status=Status.SENDING)
    try:
        build_message(row).send()
    except Exception as error:  # noqa: BLE001 - recorded, then raised for the retry
        done.update(status=Status.QUEUED, last_error=_error_text(error))
        raise  # after the attempt is recorded, so it is counted
    done.update(status=Status.SENT, sent_at=now(), last_error="", **_forget_secrets(row.kind))
    return Status.SENT


def email_send_stored(*, dedupe_key: str, stored: OutboundEmail | None = None) -> str | None:
    """Send the email stored under `dedupe_key` (by `email_queue(deliver=False)`) in the
    task that stored it: one task per email instead of a second one queued behind it,
    with the same claim, send and record (no transaction open during the send). Run
    again (a redelivered task) it sends nothing more; an email whose send fails is
    handed to the single-email task, which retries it with backoff. None when there is
    no such email waiting (sent already, suppressed, opted out).

    `stored` is the row this same task has just stored (what `email_queue` returned):
    its addresses were checked a moment ago and its content is in hand, so it is
    claimed with one conditional UPDATE (queued -> sending; no lookup, no second
    check) and sent. A task run again after its worker died has no row in hand and
    takes the general path."""
    send: Callable[[], str]
    if stored is not None:
        if stored.status != Status.QUEUED or stored.dedupe_key != dedupe_key:
            return None
        claimed = OutboundEmail.objects.filter(pk=stored.pk, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now(), attempts=F("attempts") + 1
        )
        if not claimed:
            return None  # another worker took it
        email_id, send = stored.pk, partial(_send_claimed, stored)
    else:
        waiting = OutboundEmail.objects.filter(dedupe_key=dedupe_key, status=Status.QUEUED)
        found = waiting.values_list("pk", flat=True).first()
        if found is None:
            return None
        email_id, send = found, partial(outbound_email_send, email_id=found)
    try:
        return send()
    except Exception:  # noqa: BLE001 - recorded on the row; the retrying task takes over
        _retry_later(email_id)
        return Status.QUEUED


def _retry_later(email_id: int) -> None:
    """Hand an email whose send failed (recorded on its row, queued again) to the
    single-email task, which retries it with backoff."""
    from notifications.tasks import outbound_email_deliver

    outbound_email_deliver.apply_async((email_id,), countdown=RETRY_AFTER)


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
    """Queue again what no worker has taken (a lost task message) or what a worker took
    and never finished (it died mid-send: the email may go twice, never zero times)."""
    from datetime import timedelta

    from notifications.tasks import outbound_email_deliver

    before = now() - timedelta(minutes=older_than_minutes)
    abandoned = list(
        OutboundEmail.objects.filter(status=Status.SENDING, claimed_at__lt=before).values_list(
            "pk", flat=True
        )[:1000]
    )
    OutboundEmail.objects.filter(pk__in=abandoned, status=Status.SENDING).update(
        status=Status.QUEUED
    )
    never_taken = list(
        OutboundEmail.objects.filter(
            status=Status.QUEUED, attempts=0, created_at__lt=before
        ).values_list("pk", flat=True)[:1000]
    )
    for email_id in [*abandoned, *never_taken]:
        outbound_email_deliver.delay(email_id)
    return len(abandoned) + len(never_taken)


def outbound_email_send_batch(*, email_ids: list[int]) -> dict[str, int]:
    """Send many queued emails with a few queries (digests). An email whose send fails
    is handed to the single-email task, which retries it with backoff."""
    counts = {"sent": 0, "suppressed": 0, "retrying": 0}
    rows = _claim(email_ids)
    blocked = blocked_addresses(row.to for row in rows)
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
    claimed = OutboundEmail.objects.filter(status=Status.SENDING)
    claimed.filter(pk__in=sent).update(status=Status.SENT, sent_at=now())
    claimed.filter(pk__in=suppressed).update(status=Status.SUPPRESSED)
    claimed.filter(pk__in=failed).update(status=Status.QUEUED)
    OutboundEmail.objects.filter(
        pk__in=[*sent, *suppressed], kind__startswith=ONE_TIME_KIND_PREFIX
    ).update(**_forget_secrets(ONE_TIME_KIND_PREFIX))
    for email_id in failed:
        _retry_later(email_id)
    counts.update(sent=len(sent), suppressed=len(suppressed), retrying=len(failed))
    return counts


def outbound_email_purge_sent(*, at: datetime | None = None, batch_size: int = 1000) -> int:
    """Delete sent emails older than OUTBOUND_EMAIL_RETENTION_DAYS: their bodies hold
    personal join, manage and unsubscribe links. Queued, sending and failed emails stay
    (staff retry failed ones); suppressions and opt-outs live in their own tables, and a
    digest keeps its DigestRun (its email link becomes empty). Returns how many were
    deleted; a second run deletes nothing more."""
    cutoff = (at or now()) - timedelta(days=settings.OUTBOUND_EMAIL_RETENTION_DAYS)
    old = OutboundEmail.objects.filter(status=Status.SENT, created_at__lt=cutoff).filter(
        Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True)
    )
    deleted = 0
    while True:
        ids = list(old.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        with transaction.atomic():
            batch = OutboundEmail.objects.filter(pk__in=ids, status=Status.SENT)
            _total, per_model = batch.delete()
        count = per_model.get(OutboundEmail._meta.label, 0)
        if not count:
            return deleted
        deleted += count
