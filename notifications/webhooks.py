"""Anymail tracking webhooks → the suppression list.

Anymail's views check the basic-auth secret (ANYMAIL_WEBHOOK_SECRET) and answer 401
otherwise; they normalise each ESP's payload into `AnymailTrackingEvent`s and send
the `tracking` signal handled here. Each event counts once (ESPs retry webhooks).
"""

import hashlib
import json

from anymail.signals import tracking
from django.db import IntegrityError, transaction
from django.dispatch import receiver

from notifications.delivery import is_suppressed
from notifications.models import SuppressedAddress, WebhookEvent

SUPPRESSING = {
    "bounced": SuppressedAddress.Reason.BOUNCED,
    "complained": SuppressedAddress.Reason.COMPLAINED,
    "rejected": SuppressedAddress.Reason.REJECTED,
    "unsubscribed": SuppressedAddress.Reason.UNSUBSCRIBED,
}


def suppression_record(
    *, esp: str, event_id: str, event_type: str, recipient: str, detail: str = ""
) -> bool:
    """Record one ESP event; True when it suppressed an address now."""
    reason = SUPPRESSING.get(event_type)
    if not recipient:
        return False
    with transaction.atomic():
        if event_id:
            try:
                with transaction.atomic():
                    WebhookEvent.objects.create(
                        esp=esp,
                        event_id=event_id[:200],
                        event_type=event_type,
                        recipient=recipient,
                    )
            except IntegrityError:
                return False  # seen before
        if reason is None:
            return False
        if is_suppressed(recipient):
            return False
        try:
            with transaction.atomic():
                SuppressedAddress.objects.create(
                    email=recipient.lower(), reason=reason, detail=detail[:2000], esp=esp
                )
        except IntegrityError:
            return False
    return True


def _event_id(event) -> str:
    """The ESP's event id; for ESPs without one (Brevo), a digest of the raw event."""
    if event.event_id:
        return str(event.event_id)
    raw = json.dumps(event.esp_event, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


@receiver(tracking, dispatch_uid="baraza-suppression")
def handle_tracking(sender, event, esp_name, **kwargs):
    suppression_record(
        esp=esp_name,
        event_id=_event_id(event),
        event_type=event.event_type,
        recipient=event.recipient or "",
        detail=event.description or event.reject_reason or event.mta_response or "",
    )
