"""Thin tasks: ids in, call a service. Delivery retries with backoff; nothing is lost."""

from celery import shared_task

from notifications import delivery

MAX_RETRIES = 8


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def outbound_email_deliver(self, email_id: int) -> str:
    try:
        return delivery.outbound_email_send(email_id=email_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            delivery.outbound_email_fail(email_id=email_id, error=str(error))
            return "failed"
        raise self.retry(exc=error, countdown=min(3600, 30 * 2**self.request.retries))


@shared_task(acks_late=True)
def notifications_email_pending(recipient_id: int) -> int:
    from notifications.immediate import notifications_email_pending as run

    return run(recipient_id=recipient_id)


@shared_task(acks_late=True)
def digests_send_due() -> dict:
    from notifications.digests import digests_send

    return digests_send().as_dict()


@shared_task(acks_late=True)
def outbound_email_requeue_stale() -> int:
    """Queued rows whose task was lost (a broker restart) are handed to the worker again."""
    return delivery.outbound_email_requeue_stale()


@shared_task(acks_late=True)
def outbound_email_purge() -> int:
    """Sent emails past OUTBOUND_EMAIL_RETENTION_DAYS are deleted (run twice: none more)."""
    return delivery.outbound_email_purge_sent()


@shared_task(acks_late=True)
def outbound_emails_deliver(email_ids: list[int]) -> dict:
    """Many emails (a digest batch) in one task; failures fall back to the retrying task."""
    return delivery.outbound_email_send_batch(email_ids=email_ids)
