"""Notifications: stored rows first, then delivered live, by email at once, or in digests."""

from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import sql
from core.clock import now
from notifications.categories import Channel, category_of
from notifications.models import Notification, SuppressedAddress
from notifications.preferences import channel_for

EMAIL_DELAY = timedelta(minutes=2)


def user_group(member_id: int) -> str:
    return f"user.{member_id}"


def unread_count(member) -> int:
    """Of a member, or a member's id. On every page a member sees (the bell): written
    out (core.sql), as `Notification.objects.filter(recipient=member,
    read_at__isnull=True).count()` would be."""
    return sql.one_value(
        # Names from the model, the id as a parameter.
        f"SELECT COUNT(*) FROM {sql.table(Notification)}"  # noqa: S608
        f" WHERE {sql.column(Notification, 'recipient')} = %s"
        f" AND {sql.column(Notification, 'read_at')} IS NULL",
        [getattr(member, "pk", member)],
    )


def _push_count(member_id: int) -> None:
    layer = get_channel_layer()
    count = unread_count(member_id)
    async_to_sync(layer.group_send)(
        user_group(member_id), {"type": "notifications.count", "unread": count}
    )


def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    target: str = "",
    actor=None,
    email: bool = True,
) -> Notification | None:
    """Store a notification for `recipient`; deliver it after commit per their preference.

    `email=False` when the caller sends its own email about the same thing (a webinar
    confirmation carries its invitation): the row and the live count only.
    """
    from notifications.tasks import notifications_email_pending

    category = category_of(kind)
    channel = channel_for(recipient, category.code)
    if channel == Channel.OFF and not category.essential:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None  # nobody is notified of their own action
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title[:300],
        body=body,
        url=url[:500],
        target=target[:100],
        actor=actor,
        created_at=now(),
    )
    transaction.on_commit(lambda: _push_count(recipient.pk))
    if channel == Channel.IMMEDIATE and email:
        transaction.on_commit(
            lambda: notifications_email_pending.apply_async(
                (recipient.pk,), countdown=int(EMAIL_DELAY.total_seconds())
            )
        )
    return notification


def notification_mark_read(*, member, notification_id: int | None = None) -> int:
    queryset = Notification.objects.filter(recipient=member, read_at__isnull=True)
    if notification_id is not None:
        queryset = queryset.filter(pk=notification_id)
    marked = queryset.update(read_at=now())
    if marked:
        transaction.on_commit(lambda: _push_count(member.pk))
    return marked


def suppression_lift(*, suppression_id: int, actor) -> SuppressedAddress | None:
    """Staff let an address receive email again (after the person fixed their mailbox).
    None when there is no such active suppression (lifted already, or never there)."""
    if not getattr(actor, "is_platform_staff", False):
        raise PermissionDenied
    with transaction.atomic():
        row = (
            SuppressedAddress.objects.select_for_update()
            .filter(pk=suppression_id, lifted_at__isnull=True)
            .first()
        )
        if row is None:
            return None
        row.lifted_at, row.lifted_by = now(), actor
        row.save(update_fields=["lifted_at", "lifted_by"])
    return row
