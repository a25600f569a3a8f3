"""'Email at once', after a short delay: nothing if it was read meanwhile, and several
notifications about one target (a thread) in that delay become one email."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from core.clock import now
from notifications.categories import Channel, category_of
from notifications.delivery import email_queue
from notifications.models import Notification
from notifications.preferences import channels_for_members
from notifications.rendering import render_email
from notifications.services import EMAIL_DELAY

TOLERANCE = timedelta(seconds=5)  # the delayed task may wake a little early


def notifications_email_pending(*, recipient_id: int, at: datetime | None = None) -> int:
    """Email the recipient's unread, un-emailed 'at once' notifications whose delay has
    passed. Returns how many emails were queued; running it twice queues nothing more."""
    from members.models import Member

    at = at or now()
    member = Member.objects.filter(pk=recipient_id, is_active=True).first()
    if member is None:
        return 0
    channels = channels_for_members([member.pk])[member.pk]
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(
                recipient=member,
                read_at__isnull=True,
                emailed_at__isnull=True,
                created_at__lte=at - EMAIL_DELAY + TOLERANCE,
            )
            .order_by("created_at")
        )
        pending = [n for n in pending if channels[category_of(n.kind).code] == Channel.IMMEDIATE]
        if not pending:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=at)
        groups: dict[str, list[Notification]] = defaultdict(list)
        for notification in pending:
            groups[notification.target or f"n{notification.pk}"].append(notification)
        for items in groups.values():
            email_queue(
                message=_message(member, items),
                kind=items[0].kind,
                dedupe_key=f"notification:{items[0].pk}",
            )
    return len(groups)


def _message(member, items: list[Notification]) -> EmailMultiAlternatives:
    return render_email(
        "notifications/email/notification",
        {"member": member, "items": items},
        to=member.email,
        language=member.language,
    )
