from celery import shared_task

from members.emails import email_from_payload


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def email_send(payload: dict) -> int:
    """Send one rendered email. Transport errors are retried with backoff."""
    return email_from_payload(payload).send()
