"""Reads for notification pages: a member's notifications; for staff, the suppression
list and the emails that failed."""

from django.db.models import QuerySet

from notifications.models import Notification, OutboundEmail, SuppressedAddress


def suppressions_active(*, search: str = "") -> QuerySet[SuppressedAddress]:
    rows = SuppressedAddress.objects.filter(lifted_at__isnull=True)
    if search:
        rows = rows.filter(email__icontains=search[:200])
    return rows


def outbound_emails_failed() -> QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)


def notifications_of(*, member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member).select_related("actor")


def notification_of(*, member, notification_id: int) -> Notification | None:
    return Notification.objects.filter(pk=notification_id, recipient=member).first()
