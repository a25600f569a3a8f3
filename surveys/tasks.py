"""Thin tasks: ids in, call a service (surveys.services.distribution says why each email
goes exactly once). Retried with backoff."""

from celery import shared_task

from surveys.services import distribution

RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(acks_late=True)
def survey_fan_out(survey_id: int, kind: str) -> int:
    return distribution.fan_out(survey_id=survey_id, kind=kind)


@shared_task(**RETRY)
def invitation_email(invitation_id: int, kind: str) -> bool:
    return distribution.invitation_email_send(invitation_id=invitation_id, kind=kind)


@shared_task(acks_late=True)
def surveys_close_due() -> int:
    return distribution.surveys_close_due()
