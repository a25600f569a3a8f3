"""Reminders before a session: exactly once per registration, offset and start time.

A pass claims each due reminder by inserting its `ReminderDelivery` row; the unique
constraint lets only one pass win, however many run at once, and the email is queued
only after that row commits. A reschedule changes the start time, so the reminders
for the new time are new rows: they are re-armed by construction.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from core.clock import now as clock_now
from webinars.models import Registration, ReminderDelivery, Session, Webinar
from webinars.services.notify import notify_reminder


def _due_offset(offsets: list[int], starts_at: datetime, registered_at: datetime, at: datetime):
    """The one offset to send now: the closest to the start among those already due.

    Offsets whose moment passed before the person registered are skipped (a late
    registrant gets no '24 hours to go' an hour before), and after an outage only the
    most recent reminder goes out, not a burst of stale ones.
    """
    due = [
        offset for offset in offsets if registered_at <= starts_at - timedelta(minutes=offset) <= at
    ]
    return min(due) if due else None


def reminders_send_due(*, at: datetime | None = None) -> dict[str, int]:
    at = at or clock_now()
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED,
        webinar__status=Webinar.Status.PUBLISHED,
        starts_at__gt=at,
        starts_at__lte=at + timedelta(days=8),
    ).select_related("webinar")
    claimed = skipped = 0
    for session in sessions:
        offsets = [int(o) for o in session.webinar.reminder_offsets or [] if int(o) > 0]
        if not offsets or session.starts_at - timedelta(minutes=max(offsets)) > at:
            continue
        registrations = Registration.objects.filter(
            session=session, status=Registration.Status.CONFIRMED
        ).only("pk", "created_at")
        sent = set(
            ReminderDelivery.objects.filter(
                registration__session=session, session_starts_at=session.starts_at
            ).values_list("registration_id", "offset_minutes")
        )
        for registration in registrations:
            offset = _due_offset(offsets, session.starts_at, registration.created_at, at)
            if offset is None or (registration.pk, offset) in sent:
                continue
            if _claim(registration.pk, offset, session.starts_at, at):
                claimed += 1
            else:
                skipped += 1
    return {"sent": claimed, "already_sent": skipped}


def _claim(registration_id: int, offset: int, starts_at: datetime, at: datetime) -> bool:
    try:
        with transaction.atomic():
            reminder = ReminderDelivery.objects.create(
                registration_id=registration_id,
                offset_minutes=offset,
                session_starts_at=starts_at,
                created_at=at,
            )
            notify_reminder(registration_id, reminder.pk)
    except IntegrityError:
        return False  # another pass claimed it first
    return True
