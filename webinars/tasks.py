"""Thin tasks: ids in, call a service (webinars.services.notify holds the sending, and
why each email goes exactly once). Retried with backoff."""

from celery import shared_task

from webinars.services import notify

RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(**RETRY)
def registration_notify(registration_id: int, kind: str, event: str | None = None) -> bool:
    return notify.registration_email_send(registration_id=registration_id, kind=kind, event=event)


@shared_task(**RETRY)
def registration_message(message_id: int, registration_id: int) -> bool:
    return notify.organizer_message_send(message_id=message_id, registration_id=registration_id)


@shared_task(acks_late=True)
def session_notify(session_id: int, kind: str, sequence: int | None = None) -> int:
    return notify.session_fan_out(session_id=session_id, kind=kind, sequence=sequence)


@shared_task(acks_late=True)
def webinar_message_send(message_id: int) -> int:
    return notify.organizer_message_fan_out(message_id=message_id)


@shared_task(acks_late=True)
def reminders_send_due() -> dict:
    from webinars.services import reminders_send_due as run_pass

    return run_pass()


@shared_task(acks_late=True)
def followup_dispatch(webinar_id: int) -> dict:
    """After a publish: claim every follow-up due and queue its email."""
    from webinars.attendance.followup import followup_claim_due
    from webinars.models import Webinar

    webinar = Webinar.objects.filter(pk=webinar_id).first()
    if webinar is None:
        return {"sent": 0, "already_sent": 0}
    return followup_claim_due(webinar=webinar)


@shared_task(**RETRY)
def followup_send(registration_id: int) -> bool:
    """One claimed follow-up (thank you / sorry we missed you) to one registrant."""
    from webinars.attendance.followup import followup_deliver

    return followup_deliver(registration_id=registration_id)
