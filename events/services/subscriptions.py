"""Calendar subscriptions: an organization's feed, polled by the worker."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.clock import now
from core.zones import clean_zone
from events.models import CalendarSubscription
from events.services.fetching import FetchRefused, feed_fetch
from events.services.imports import CalendarUnreadable, ImportResult, calendar_import
from members.models import Organization


def can_manage_organization_events(member, organization_id: int | None) -> bool:
    if member is None or not member.is_authenticated:
        return False
    if member.is_platform_staff:
        return True
    return bool(
        member.is_partner_admin and organization_id and member.organization_id == organization_id
    )


def subscription_create(
    *, actor, organization: Organization, url: str, default_zone: str = "UTC"
) -> CalendarSubscription:
    if not can_manage_organization_events(actor, organization.pk):
        raise PermissionDenied(_("Only the organization's admins or staff can add its feeds."))
    if not url.startswith(("http://", "https://")):
        raise ValidationError({"url": _("Give an http:// or https:// address.")})
    subscription, _created = CalendarSubscription.objects.get_or_create(
        organization=organization, url=url, defaults={"default_zone": clean_zone(default_zone)}
    )
    transaction.on_commit(lambda: _poll_later(subscription.pk))
    return subscription


def subscription_review_first_set(
    *, actor, organization: Organization, subscription_id: int, review_first: bool
) -> CalendarSubscription:
    """Staff decide whether a feed's events go on the calendar at once or to the review
    queue first: the organization vouches for its feed, the platform may stop trusting it.
    What the feed already brought stays as it is; the next poll follows the new setting."""
    if actor is None or not actor.is_authenticated or not actor.is_platform_staff:
        raise PermissionDenied(_("Only staff decide whether a feed is reviewed first."))
    subscription = CalendarSubscription.objects.filter(
        pk=subscription_id, organization=organization
    ).first()
    if subscription is None:
        raise ValidationError(_("This feed does not belong to the organization."))
    CalendarSubscription.objects.filter(pk=subscription.pk).update(review_first=review_first)
    subscription.review_first = review_first
    return subscription


def _poll_later(subscription_id: int) -> None:
    from events.tasks import subscription_poll

    subscription_poll.delay(subscription_id)


def subscription_poll(*, subscription_id: int) -> ImportResult | None:
    """Fetch the feed (conditionally) and import it. Returns None when the feed did not
    change (HTTP 304) or could not be read; the reason is kept in `last_error`."""
    subscription = (
        CalendarSubscription.objects.select_related("organization")
        .filter(pk=subscription_id, active=True)
        .first()
    )
    if subscription is None:
        return None
    at = now()
    try:
        fetched = feed_fetch(
            subscription.url,
            etag=subscription.etag,
            last_modified=subscription.last_modified_header,
        )
        if fetched.body is None:
            CalendarSubscription.objects.filter(pk=subscription.pk).update(
                last_polled_at=at, last_success_at=at, last_error=""
            )
            return None
        result = calendar_import(
            organization=subscription.organization, data=fetched.body, subscription=subscription
        )
    except (FetchRefused, CalendarUnreadable) as error:
        CalendarSubscription.objects.filter(pk=subscription.pk).update(
            last_polled_at=at, last_error=str(error)[:1000]
        )
        return None
    error_text = ""
    if result.errors:
        first = result.errors[0]
        error_text = _("%(count)s events were refused; first: %(where)s: %(reason)s") % {
            "count": len(result.errors),
            "where": first["where"],
            "reason": first["reason"],
        }
    CalendarSubscription.objects.filter(pk=subscription.pk).update(
        last_polled_at=at,
        last_success_at=at,
        last_error=error_text,
        last_result=result.as_dict(),
        etag=fetched.etag,
        last_modified_header=fetched.last_modified,
    )
    return result


def subscriptions_due() -> list[int]:
    return list(CalendarSubscription.objects.filter(active=True).values_list("pk", flat=True))
