"""Calendar reads: published webinar sessions in a range, for pages and feeds."""

from datetime import datetime

from django.db.models import Q

from events.models import PersonalFeed
from webinars.models import Registration, Session, Webinar
from webinars.selectors import matches_listing


def public_sessions(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    topic: str = "",
    language: str = "",
    region: str = "",
    include_cancelled: bool = False,
) -> list[Session]:
    queryset = (
        Session.objects.filter(
            webinar__status__in=[Webinar.Status.PUBLISHED, Webinar.Status.COMPLETED]
        )
        .select_related("webinar")
        .prefetch_related("webinar__topics")
    )
    if not include_cancelled:
        queryset = queryset.filter(status=Session.Status.SCHEDULED)
    if start:
        queryset = queryset.filter(starts_at__gte=start)
    if end:
        queryset = queryset.filter(starts_at__lt=end)
    if topic:
        queryset = queryset.filter(webinar__topics__slug=topic).distinct()
    sessions = list(queryset.order_by("starts_at")[:2000])
    if language or region:
        sessions = [
            s for s in sessions if matches_listing(s.webinar, language=language, region=region)
        ]
    return sessions


def member_registrations(*, member) -> list[Registration]:
    """The member's active registrations: linked to the account, or made with its
    (verified) address before signing in."""
    return list(
        Registration.objects.filter(Q(member=member) | Q(email__iexact=member.email))
        .filter(status__in=Registration.ACTIVE_STATUSES)
        .select_related("session", "webinar")
        .order_by("session__starts_at")
    )


def personal_feed_of(*, member) -> PersonalFeed | None:
    return PersonalFeed.objects.filter(member=member).first()
