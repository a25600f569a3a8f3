"""Thin tasks: ids in, call a service."""

from celery import shared_task

from events.services import subscriptions


@shared_task(acks_late=True)
def subscription_poll(subscription_id: int) -> dict | None:
    result = subscriptions.subscription_poll(subscription_id=subscription_id)
    return result.as_dict() if result else None


@shared_task(acks_late=True)
def subscriptions_poll_due() -> int:
    due = subscriptions.subscriptions_due()
    for subscription_id in due:
        subscription_poll.delay(subscription_id)
    return len(due)
