"""Outgoing email is rendered where it is caused and sent by the Celery worker.

`email_queue` serialises a rendered message and hands it to the worker after the
current transaction commits, so no email leaves for a change that was rolled back
and no request waits on an email provider.
"""

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction


def email_to_payload(message: EmailMessage) -> dict[str, Any]:
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def email_from_payload(payload: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload.get("cc") or None,
        bcc=payload.get("bcc") or None,
        reply_to=payload.get("reply_to") or None,
        headers=payload.get("headers") or None,
    )
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def email_queue(*, message: EmailMessage) -> None:
    from members.tasks import email_send

    payload = email_to_payload(message)
    transaction.on_commit(lambda: email_send.delay(payload))
