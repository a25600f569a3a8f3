"""Thin tasks: ids in, fetch, call a service. Running one twice changes nothing more."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.clock import now

RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}
ESCALATE_AFTER = timedelta(hours=24)


@shared_task(**RETRY)
def review_item_announce(item_id: int) -> int:
    from communities.services.post_lifecycle import review_item_announce as announce

    return announce(item_id=item_id)


@shared_task(**RETRY)
def post_published(post_id: int) -> int:
    """Replies and mentions, once per post (the post is marked in the same transaction)."""
    from communities.models import Post
    from communities.services.notices import post_notify

    with transaction.atomic():
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("thread", "community", "author")
            .filter(pk=post_id, notified_at__isnull=True)
            .first()
        )
        if post is None:
            return 0
        told = post_notify(post=post)
        Post.objects.filter(pk=post.pk).update(notified_at=now())
    return told


@shared_task(**RETRY)
def invitation_send(invitation_id: int, token: str) -> bool:
    from communities.emails import invitation_email
    from communities.models import Invitation
    from notifications.delivery import email_queue

    invitation = (
        Invitation.objects.select_related("community", "invited_by")
        .filter(pk=invitation_id, token=token, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    email_queue(
        message=invitation_email(invitation),
        kind="communities.invitation",
        dedupe_key=f"community-invitation:{invitation.pk}:{token}",
    )
    return True


@shared_task(acks_late=True)
def moderation_escalate_due() -> int:
    """Owners hear about queue items waiting more than 24 hours (each item once)."""
    from communities.models import ReviewItem
    from communities.services.notices import tell_moderators
    from communities.services.presence import chat_presence_prune

    chat_presence_prune()
    at = now()
    told = 0
    with transaction.atomic():
        waiting = list(
            ReviewItem.objects.select_for_update(of=("self",))
            .filter(
                status=ReviewItem.Status.PENDING,
                escalated_at__isnull=True,
                created_at__lt=at - ESCALATE_AFTER,
            )
            .select_related("community")
            .order_by("community_id", "created_at")
        )
        by_community: dict = {}
        for item in waiting:
            by_community.setdefault(item.community, []).append(item)
        for community, items in by_community.items():
            count = len(items)
            tell_moderators(
                community,
                "moderation.escalation",
                lambda c=community, n=count: (
                    _("%(n)s items have waited more than a day in %(community)s")
                    % {"n": n, "community": c.name}
                ),
                url=reverse("communities:dashboard"),
                target=f"communities.escalation:{community.pk}",
            )
            told += 1
        ReviewItem.objects.filter(pk__in=[i.pk for i in waiting]).update(escalated_at=at)
    return told
