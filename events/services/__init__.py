from django.db import transaction

from events.models import Event, PersonalFeed, new_feed_token
from events.services.subscriptions import can_manage_organization_events


def can_review_event(member, event: Event) -> bool:
    """Staff, or an admin of the organization the event was submitted for."""
    return can_manage_organization_events(member, event.owner_id)


def personal_feed_create(*, member) -> PersonalFeed:
    """The member's secret address; asking twice (a double click) gives the same one."""
    feed, _created = PersonalFeed.objects.get_or_create(member=member)
    return feed


def personal_feed_revoke(*, member) -> PersonalFeed:
    """Replace the secret: the old URL stops working at once."""
    with transaction.atomic():
        feed, _created = PersonalFeed.objects.select_for_update().get_or_create(member=member)
        feed.token = new_feed_token()
        feed.save(update_fields=["token", "created_at"])
    return feed
