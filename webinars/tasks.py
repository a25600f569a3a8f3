"""Thin tasks: ids in, fetch, call a service or send one email. Retried with backoff."""

from celery import shared_task
from django.urls import reverse

from notifications.delivery import email_queue
from notifications.services import notify
from webinars.models import Registration, Session, Webinar

RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}
ACTIVE = [
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.PENDING,
]


def _deliver(registration: Registration, message, kind: str, dedupe_key=None) -> None:
    """The email, and for a member the same news in their notifications (no second email)."""
    email_queue(message=message, kind=kind, dedupe_key=dedupe_key)
    if registration.member is not None:
        notify(
            recipient=registration.member,
            kind=kind,
            title=message.subject,
            url=reverse("webinars:detail", args=[registration.webinar.slug]),
            email=False,
        )


@shared_task(**RETRY)
def registration_notify(registration_id: int, kind: str) -> bool:
    from webinars.emails import registration_email, still_relevant

    registration = (
        Registration.objects.select_related("webinar", "session", "member")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not still_relevant(registration, kind):
        return False
    _deliver(registration, registration_email(registration, kind), f"webinars.{kind}")
    return True


@shared_task(**RETRY)
def registration_message(registration_id: int, subject: str, body: str) -> bool:
    from webinars.emails import organizer_message_email

    registration = (
        Registration.objects.select_related("webinar", "session").filter(pk=registration_id).first()
    )
    if registration is None or registration.status not in ACTIVE:
        return False
    email_queue(
        message=organizer_message_email(registration, subject, body), kind="webinars.message"
    )
    return True


@shared_task(acks_late=True)
def session_notify(session_id: int, kind: str) -> int:
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    ids = list(
        Registration.objects.filter(session=session, status__in=ACTIVE).values_list("pk", flat=True)
    )
    for registration_id in ids:
        registration_notify.delay(registration_id, kind)
    return len(ids)


@shared_task(acks_late=True)
def webinar_message_send(webinar_id: int, subject: str, body: str) -> int:
    if not Webinar.objects.filter(pk=webinar_id).exists():
        return 0
    ids = list(
        Registration.objects.filter(webinar_id=webinar_id, status__in=ACTIVE).values_list(
            "pk", flat=True
        )
    )
    for registration_id in ids:
        registration_message.delay(registration_id, subject, body)
    return len(ids)


@shared_task(acks_late=True)
def reminders_send_due() -> dict:
    from webinars.services import reminders_send_due as run_pass

    return run_pass()


@shared_task(acks_late=True)
def followup_dispatch(webinar_id: int) -> dict:
    """After a publish: claim every follow-up due and queue its email."""
    from webinars.attendance.followup import followup_claim_due

    webinar = Webinar.objects.filter(pk=webinar_id).first()
    if webinar is None:
        return {"sent": 0, "already_sent": 0}
    return followup_claim_due(webinar=webinar)


@shared_task(**RETRY)
def followup_send(registration_id: int) -> bool:
    """One claimed follow-up (thank you / sorry we missed you) to one registrant, through
    the one stored email path (the "Recordings and slides" category can be switched off)."""
    from webinars.attendance.followup import followup_email
    from webinars.models import FollowUpDelivery

    delivery = (
        FollowUpDelivery.objects.select_related(
            "registration__webinar", "registration__session", "registration__member"
        )
        .filter(registration_id=registration_id)
        .first()
    )
    if delivery is None:
        return False
    registration, kind = delivery.registration, f"webinars.{delivery.kind}"
    if not (registration.webinar.recording_url or registration.webinar.slides_url):
        return False
    message = followup_email(registration, delivery.kind)
    _deliver(registration, message, kind, dedupe_key=f"webinars.follow-up.{registration_id}")
    return True
