"""Registrants' emails, each one an event with an identity, sent exactly once.

A service that changes state decides the email inside its transaction and queues the
worker's task after commit (`notify_*`). The worker renders it, stores it in the
outbox and, once that has committed, sends it in the same task (one task per email, so
a burst of registrations drains at the worker's pace, not the broker's), under its
event key, `webinars.<kind>.<registration>.<event>`, where <event> is

    <n>               the registration's n-th notice (its own state changed, or a
                      deliberate re-send): `Registration.notice_sequence`, counted in
                      the transaction that decided it
    s<session>-<seq>  a change to a whole session (rescheduled, cancelled) at its
                      iCalendar SEQUENCE
    r<reminder>       the claimed `ReminderDelivery` row
    m<message>        the stored `OrganizerMessage`

The outbox's unique index on the key is what makes it exactly once: a task redelivered
after its worker was killed, or run by two workers, stores and sends one email, and a
fan-out run again skips the registrants whose email is already stored.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse

from core.clock import now
from core.faults import pause_point
from notifications.delivery import email_queue, email_send_stored, emails_stored
from notifications.models import OutboundEmail
from notifications.services import notify
from webinars.models import OrganizerMessage, Registration, Session

ACTIVE = Registration.ACTIVE_STATUSES


def event_key(kind: str, registration_id: int, event: str) -> str:
    return f"webinars.{kind}.{registration_id}.{event}"


# --- deciding (inside the service's transaction) --------------------------------------


def _queue(registration_id: int, kind: str, event: str) -> None:
    from webinars.tasks import registration_notify

    transaction.on_commit(lambda: registration_notify.delay(registration_id, kind, event))


def notice_number(registration: Registration, at: datetime) -> None:
    """Number the next notice about `registration` on the instance; the caller, holding
    the row (or its session) locked, saves it. Each notice may change the calendar event
    (another session, cancelled, confirmed again): its SEQUENCE grows with it."""
    registration.notice_sequence += 1
    if registration.notice_sequence > 1:  # the first invitation goes out at SEQUENCE 0
        registration.ical_sequence += 1
    registration.last_notice_at = at


def notify_registration(
    registration: Registration, kind: str, *, at: datetime | None = None, saved: bool = False
) -> None:
    """Queue the email for a new notice about `registration`'s own state (numbered and
    saved here unless the caller did it with `notice_number` already)."""
    if not saved:
        notice_number(registration, at or now())
        Registration.objects.filter(pk=registration.pk).update(
            notice_sequence=registration.notice_sequence,
            ical_sequence=registration.ical_sequence,
            last_notice_at=registration.last_notice_at,
        )
    _queue(registration.pk, kind, str(registration.notice_sequence))


def notify_reminder(registration_id: int, reminder_id: int) -> None:
    _queue(registration_id, "reminder", f"r{reminder_id}")


def notify_session(session: Session, kind: str) -> None:
    """Tell every active registrant of `session` about its change at its current SEQUENCE
    (inside the change's transaction: their calendar events' SEQUENCE grows with it)."""
    from webinars.tasks import session_notify

    Registration.objects.filter(session=session, status__in=ACTIVE).update(
        ical_sequence=F("ical_sequence") + 1
    )
    session_id, sequence = session.pk, session.sequence
    transaction.on_commit(lambda: session_notify.delay(session_id, kind, sequence))


def notify_organizer_message(message: OrganizerMessage) -> None:
    from webinars.tasks import webinar_message_send

    message_id = message.pk
    transaction.on_commit(lambda: webinar_message_send.delay(message_id))


# --- sending (the worker) -------------------------------------------------------------


def registration_email_store(
    registration: Registration, message, kind: str, *, dedupe_key: str | None
) -> OutboundEmail | None:
    """The first half of `registration_email_deliver`: store the email, and for a member
    the same news in their notifications (no second email): both or neither, and neither
    when the event's email exists already. The stored row, or None."""
    deliver = dedupe_key is None  # a task queued before events had keys: the old way
    with transaction.atomic():
        stored = email_queue(message=message, kind=kind, dedupe_key=dedupe_key, deliver=deliver)
        if stored is None:
            return None
        if registration.member is not None:
            notify(
                recipient=registration.member,
                kind=kind,
                title=message.subject,
                url=reverse("webinars:detail", args=[registration.webinar.slug]),
                email=False,
            )
    return stored


def registration_email_send(*, registration_id: int, kind: str, event: str | None) -> bool:
    """One registrant's email for one event; False when it was sent before or its
    reason has gone (cancelled since, session over). `event` is None only for tasks
    queued before events had identities."""
    from webinars.emails import registration_email, still_relevant

    registration = (
        Registration.objects.select_related("webinar", "session", "member")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not still_relevant(registration, kind):
        return False
    if registration.session.webinar_id == registration.webinar_id:
        registration.session.webinar = registration.webinar  # the invitation's title: no query
    key = None if event is None else event_key(kind, registration.pk, event)
    message = registration_email(registration, kind)
    return registration_email_deliver(registration, message, f"webinars.{kind}", dedupe_key=key)


def registration_email_deliver(
    registration: Registration, message, kind: str, *, dedupe_key: str | None
) -> bool:
    """Store a registrant's email under its event key, then send it in this task, not a
    second one (a confirmation goes out as soon as one worker process is free). Stored
    before and still waiting (the task was redelivered after its worker died), it is
    sent now; sent before, nothing happens. True when this call stored it."""
    stored = registration_email_store(registration, message, kind, dedupe_key=dedupe_key)
    pause_point("webinars.registration_email_send")
    if dedupe_key is not None:
        email_send_stored(dedupe_key=dedupe_key, stored=stored)
    return stored is not None


def _fan_out(registration_ids: list[int], kind: str, event: str, queue_one) -> int:
    """Queue one task per registrant whose email for `event` is not stored yet, so a
    fan-out redelivered after its worker died picks up where it stopped."""
    done = emails_stored(event_key(kind, pk, event) for pk in registration_ids)
    queued = 0
    for registration_id in registration_ids:
        if event_key(kind, registration_id, event) in done:
            continue
        queue_one(registration_id)
        queued += 1
        pause_point(f"webinars.fan_out.{kind}")
    return queued


def session_fan_out(*, session_id: int, kind: str, sequence: int | None) -> int:
    from webinars.tasks import registration_notify

    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    if sequence is not None and sequence != session.sequence:
        return 0  # changed again since: that change's emails say what holds now
    ids = list(
        Registration.objects.filter(session=session, status__in=ACTIVE).values_list("pk", flat=True)
    )
    event = f"s{session.pk}-{session.sequence}"
    return _fan_out(ids, kind, event, lambda pk: registration_notify.delay(pk, kind, event))


def organizer_message_fan_out(*, message_id: int) -> int:
    from webinars.tasks import registration_message

    message = OrganizerMessage.objects.filter(pk=message_id).first()
    if message is None:
        return 0
    ids = list(
        Registration.objects.filter(webinar_id=message.webinar_id, status__in=ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _fan_out(
        ids, "message", f"m{message.pk}", lambda pk: registration_message.delay(message.pk, pk)
    )


def organizer_message_send(*, message_id: int, registration_id: int) -> bool:
    from webinars.emails import organizer_message_email

    message = OrganizerMessage.objects.filter(pk=message_id).first()
    registration = (
        Registration.objects.select_related("webinar", "session").filter(pk=registration_id).first()
    )
    if message is None or registration is None or registration.status not in ACTIVE:
        return False
    if registration.webinar_id != message.webinar_id:
        return False
    key = event_key("message", registration.pk, f"m{message.pk}")
    row = email_queue(
        message=organizer_message_email(registration, message.subject, message.body),
        kind="webinars.message",
        dedupe_key=key,
        deliver=False,
    )
    email_send_stored(dedupe_key=key, stored=row)  # in this task, as registration_email_send does
    return row is not None
