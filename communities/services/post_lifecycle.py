"""A post's lifecycle and what follows each write: held content goes to the review
queue, visible content updates its thread's counters and tells the people involved
(after commit, in a task)."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.models import (
    Community,
    ContentStatus,
    Flag,
    Membership,
    Post,
    ReviewItem,
    Thread,
)
from communities.services import broadcast
from communities.services.notices import tell_moderators
from communities.services.watched import WordDecision
from communities.text import excerpt
from core.clock import now

ACTIVE_EVERY = 600  # seconds: a member's "last active" is refreshed at most this often


def membership_touch_due(membership: Membership | None, at) -> bool:
    """Whether the member's "last active" is old enough to be written again."""
    return membership is not None and (
        membership.last_active_at is None
        or (at - membership.last_active_at).total_seconds() > ACTIVE_EVERY
    )


def membership_touch(membership: Membership | None) -> None:
    at = now()
    if membership is not None and membership_touch_due(membership, at):
        Membership.objects.filter(pk=membership.pk).update(last_active_at=at)
        membership.last_active_at = at


def review_item_announce_later(item: ReviewItem) -> None:
    """The worker tells the moderators, after commit: one notification per moderator is
    a query or three each, not for the request (or the chat socket) that opened it."""
    from communities.tasks import review_item_announce

    transaction.on_commit(lambda: review_item_announce.delay(item.pk))


def review_item_announce(*, item_id: int) -> int:
    """Tell the community's moderators about a new item in their queue, once (the item
    is marked in the same transaction). Returns how many were told."""
    with transaction.atomic():
        item = (
            ReviewItem.objects.select_for_update(of=("self",))
            .select_related("community", "join_request__member")
            .filter(pk=item_id, announced_at__isnull=True)
            .first()
        )
        if item is None:
            return 0
        community = item.community
        join_request = item.join_request  # set on JOIN_REQUEST items, and only on them
        if join_request is not None:
            member = join_request.member
            name = member.get_full_name()
            told = tell_moderators(
                community,
                "communities.join_request",
                lambda: (
                    _("%(name)s asks to join %(community)s")
                    % {"name": name, "community": community.name}
                ),
                body=join_request.message[:500],
                url=reverse("communities:dashboard"),
                target=f"communities.join:{community.pk}",
                actor=member,
            )
        else:
            held = item.kind in (ReviewItem.Kind.HELD_POST, ReviewItem.Kind.HELD_MESSAGE)
            told = tell_moderators(
                community,
                "moderation.queue",
                lambda: (
                    (
                        _("Waiting for approval in %(community)s")
                        if held
                        else _("Flagged in %(community)s")
                    )
                    % {"community": community.name}
                ),
                body=f"{item.get_kind_display()}: {item.reason}"[:500],
                url=reverse("communities:dashboard"),
                target=f"communities.queue:{community.pk}",
            )
        ReviewItem.objects.filter(pk=item.pk).update(announced_at=now())
    return told


def review_item_open(
    *, community: Community, kind: str, reason: str, post=None, message=None
) -> ReviewItem | None:
    """Put a post or chat message in front of the moderators (once while pending)."""
    pending = ReviewItem.objects.filter(status=ReviewItem.Status.PENDING)
    pending = pending.filter(post=post) if post is not None else pending.filter(message=message)
    existing = pending.first()
    if existing is not None:
        return existing  # already in the queue (held, or flagged before)
    try:
        with transaction.atomic():
            item = ReviewItem.objects.create(
                community=community,
                kind=kind,
                post=post,
                message=message,
                reason=reason[:300],
                created_at=now(),
            )
    except IntegrityError:  # another request queued it a moment ago
        return pending.first()
    review_item_announce_later(item)
    broadcast.publish_queue_change(community.pk, added=item.pk)
    return item


def system_flag_raise(
    *, community: Community, words: WordDecision, post=None, message=None
) -> None:
    Flag.objects.create(
        community=community,
        post=post,
        message=message,
        flagged_by=None,
        reason=Flag.Reason.WATCHED_WORD,
        detail=words.word,
        created_at=now(),
    )
    review_item_open(
        community=community,
        kind=ReviewItem.Kind.FLAGGED_POST if post is not None else ReviewItem.Kind.FLAGGED_MESSAGE,
        reason=words.reason,
        post=post,
        message=message,
    )


def thread_recount(thread: Thread) -> None:
    """Replies, last activity and first reply (by someone else) from the posts themselves."""
    replies = Post.objects.filter(thread=thread, is_opening=False, status=ContentStatus.VISIBLE)
    counts = replies.aggregate(n=Count("id"), last=Max("created_at"))
    others = replies.exclude(author_id=thread.author_id) if thread.author_id else replies
    first = others.aggregate(first=Min("created_at"))["first"]
    thread.reply_count = counts["n"]
    thread.last_activity_at = max(thread.created_at, counts["last"] or thread.created_at)
    thread.first_reply_at = first
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=thread.reply_count,
        last_activity_at=thread.last_activity_at,
        first_reply_at=first,
    )


def post_publish(post: Post, membership: Membership | None = None) -> None:
    from communities.tasks import post_published

    at = now()
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(status=ContentStatus.VISIBLE)
        post.thread.status = ContentStatus.VISIBLE
    else:
        thread_recount(post.thread)
    Community.objects.filter(pk=post.community_id).update(last_post_at=at)
    if membership is None and post.author_id:
        membership = Membership.objects.filter(
            community_id=post.community_id, member_id=post.author_id
        ).first()
    membership_touch(membership)
    post_id = post.pk
    transaction.on_commit(lambda: post_published.delay(post_id))


def post_route_new(*, post: Post, membership: Membership, words: WordDecision, held_reason: str):
    if held_reason:
        review_item_open(
            community=post.community,
            kind=ReviewItem.Kind.HELD_POST,
            reason=held_reason,
            post=post,
        )
    else:
        post_publish(post, membership)
    if words.flagged:
        system_flag_raise(community=post.community, words=words, post=post)


def post_route_edited(*, post: Post, words: WordDecision) -> None:
    if words.held and post.status == ContentStatus.VISIBLE:
        post_status_change(post=post, status=ContentStatus.HELD, reason=words.reason)
        review_item_open(
            community=post.community,
            kind=ReviewItem.Kind.HELD_POST,
            reason=words.reason,
            post=post,
        )
    if words.flagged:
        system_flag_raise(community=post.community, words=words, post=post)


def post_status_change(*, post: Post, status: str, reason: str = "") -> None:
    """Move a post to `status` and keep its thread in step (kept for the record)."""
    if post.status == status:
        return
    was_visible = post.status == ContentStatus.VISIBLE
    post.status = status
    fields = ["status"]
    if reason:
        post.hold_reason = reason[:200]
        fields.append("hold_reason")
    post.save(update_fields=fields)
    if post.is_opening:
        Thread.objects.filter(pk=post.thread_id).update(status=status)
        post.thread.status = status
    elif was_visible or status == ContentStatus.VISIBLE:
        thread_recount(post.thread)


def post_summary(post: Post) -> str:
    prefix = f"{post.thread.title}: " if post.is_opening else ""
    return excerpt(prefix + post.body, 200)
