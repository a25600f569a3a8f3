"""The moderator dashboard: the review queue, counts, health per community, the audit log.

A moderator sees the communities they moderate; platform staff see all of them.
Queries are per page, not per community or per item.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities import permissions
from communities.models import (
    ChatMessage,
    Community,
    ContentStatus,
    Flag,
    Membership,
    ModerationAction,
    Post,
    ReviewItem,
    Thread,
)
from communities.services.review import ITEM_ACTIONS
from core import sql
from core.clock import now
from members.models import Member

QUEUE_LIMIT = 100
DORMANT_AFTER = timedelta(days=14)
UNANSWERED_AFTER = timedelta(hours=48)
MODERATOR_ROLES = [Membership.Role.OWNER, Membership.Role.MODERATOR]


def moderated_communities(*, viewer) -> list[Community]:
    if not viewer.is_authenticated:
        return []
    communities = Community.objects.select_related("series").order_by("name")
    if not permissions.is_staff(viewer):
        communities = communities.filter(
            memberships__member=viewer, memberships__role__in=MODERATOR_ROLES
        )
    return list(communities)


def moderates_any(*, viewer) -> bool:
    """On every page a member sees (the account menu): written out (core.sql), as
    `Membership.objects.filter(member=viewer, role__in=MODERATOR_ROLES).exists()`."""
    if permissions.is_staff(viewer):
        return True
    if not viewer.is_authenticated:
        return False
    roles = ", ".join(["%s"] * len(MODERATOR_ROLES))
    found = sql.one_value(
        # Names from the model, values as parameters.
        f"SELECT 1 FROM {sql.table(Membership)} WHERE {sql.column(Membership, 'member')} = %s"  # noqa: S608
        f" AND {sql.column(Membership, 'role')} IN ({roles}) LIMIT 1",
        [viewer.pk, *(str(role) for role in MODERATOR_ROLES)],
    )
    return found is not None


def queue_counts(*, viewer, communities: list[Community] | None = None) -> dict:
    if communities is None:
        communities = moderated_communities(viewer=viewer)
    rows = (
        ReviewItem.objects.filter(
            status=ReviewItem.Status.PENDING, community__in=[c.pk for c in communities]
        )
        .values("community_id")
        .annotate(n=Count("id"))
    )
    by_community = {str(row["community_id"]): row["n"] for row in rows}
    return {"total": sum(by_community.values()), "communities": by_community}


@dataclass
class QueueEntry:
    """One row of the review queue: the item, what it is about and what may be done."""

    item: ReviewItem
    actions: tuple[str, ...]
    flags: list
    content: Post | ChatMessage | None
    person: Member | None
    person_name: str


def review_queue(
    *, communities: list[Community], community_id: int | None = None
) -> list[QueueEntry]:
    ids = [c.pk for c in communities]
    if community_id is not None:
        ids = [pk for pk in ids if pk == community_id]

    def open_flags():
        return Flag.objects.filter(resolved_at__isnull=True).select_related("flagged_by")

    items = list(
        ReviewItem.objects.filter(status=ReviewItem.Status.PENDING, community_id__in=ids)
        .select_related(
            "community",
            "post__thread",
            "post__author",
            "message__author",
            "join_request__member__organization",
        )
        .prefetch_related(
            Prefetch("post__flags", queryset=open_flags(), to_attr="open_flags"),
            Prefetch("message__flags", queryset=open_flags(), to_attr="open_flags"),
        )
        .order_by("created_at", "id")[:QUEUE_LIMIT]
    )
    return [_queue_entry(item) for item in items]


def _queue_entry(item: ReviewItem) -> QueueEntry:
    content: Post | ChatMessage | None = item.post or item.message
    person: Member | None
    if item.join_request is not None:
        person = item.join_request.member
    else:
        person = content.author if content is not None else None
    if person is not None:
        name = person.get_full_name()
    else:
        name = getattr(content, "author_name", "") or _("(former member)")
    return QueueEntry(
        item=item,
        actions=ITEM_ACTIONS[ReviewItem.Kind(item.kind)],
        flags=getattr(content, "open_flags", []) if content is not None else [],
        content=content,
        person=person,
        person_name=name,
    )


@dataclass
class Health:
    community: Community
    members: int = 0
    active_7: int = 0
    active_30: int = 0
    posts_week: int = 0
    median_first_reply: timedelta | None = None
    unanswered: int = 0
    last_moderator_action: datetime | None = None
    pending: int = 0
    dormant: bool = False
    suggestion: str = ""

    @property
    def days_since_moderation(self) -> int | None:
        if self.last_moderator_action is None:
            return None
        return (now() - self.last_moderator_action).days

    @property
    def median_first_reply_hours(self) -> float | None:
        if self.median_first_reply is None:
            return None
        return round(self.median_first_reply.total_seconds() / 3600, 1)


def community_health(*, communities: list[Community], pending: dict | None = None):
    at = now()
    ids = [c.pk for c in communities]
    health = {c.pk: Health(community=c) for c in communities}
    for row in (
        Membership.objects.filter(community_id__in=ids)
        .values("community_id")
        .annotate(
            members=Count("id"),
            active_7=Count("id", filter=Q(last_active_at__gte=at - timedelta(days=7))),
            active_30=Count("id", filter=Q(last_active_at__gte=at - timedelta(days=30))),
        )
    ):
        entry = health[row["community_id"]]
        entry.members, entry.active_7, entry.active_30 = (
            row["members"],
            row["active_7"],
            row["active_30"],
        )
    for community_id, posts in (
        Post.objects.filter(
            community_id__in=ids,
            status=ContentStatus.VISIBLE,
            created_at__gte=at - timedelta(days=7),
        )
        .values_list("community_id")
        .annotate(n=Count("id"))
    ):
        health[community_id].posts_week = posts
    waits: dict[int, list[timedelta]] = {}
    for community_id, created, first in Thread.objects.filter(
        community_id__in=ids,
        status=ContentStatus.VISIBLE,
        first_reply_at__isnull=False,
        created_at__gte=at - timedelta(days=90),
    ).values_list("community_id", "created_at", "first_reply_at"):
        if first is not None:
            waits.setdefault(community_id, []).append(first - created)
    for community_id, values in waits.items():
        seconds = statistics.median(value.total_seconds() for value in values)
        health[community_id].median_first_reply = timedelta(seconds=seconds)
    for community_id, unanswered in (
        Thread.objects.filter(
            community_id__in=ids,
            status=ContentStatus.VISIBLE,
            first_reply_at__isnull=True,
            is_locked=False,
            created_at__lt=at - UNANSWERED_AFTER,
        )
        .values_list("community_id")
        .annotate(n=Count("id"))
    ):
        health[community_id].unanswered = unanswered
    for community_id, last_action in (
        ModerationAction.objects.filter(community_id__in=ids, actor__isnull=False)
        .values_list("community_id")
        .annotate(last=Max("created_at"))
    ):
        health[community_id].last_moderator_action = last_action
    for community_id, entry in health.items():
        entry.pending = int((pending or {}).get(str(community_id), 0))
        community = entry.community
        last = community.last_post_at or community.created_at
        entry.dormant = at - last >= DORMANT_AFTER
        entry.suggestion = _suggestion(entry)
    return [health[c.pk] for c in communities]


def _suggestion(entry: Health) -> str:
    if entry.dormant and entry.unanswered:
        return ngettext(
            "Nothing new for two weeks. Answer the discussion still waiting for a reply: "
            "an answer often restarts the conversation.",
            "Nothing new for two weeks. Answer the %(n)s discussions still waiting for a "
            "reply: an answer often restarts the conversation.",
            entry.unanswered,
        ) % {"n": entry.unanswered}
    if entry.dormant and entry.community.series_id:
        return _(
            "Nothing new for two weeks. Ask what members took away from the last webinar "
            "of “%(series)s”, and pin the discussion."
        ) % {"series": entry.community.series}
    if entry.dormant:
        return _(
            "Nothing new for two weeks. Start a discussion with a question members can "
            "answer from their own programme, pin it, and mention two or three of them."
        )
    if entry.unanswered:
        return ngettext(
            "%(n)s discussion has had no reply for 48 hours.",
            "%(n)s discussions have had no reply for 48 hours.",
            entry.unanswered,
        ) % {"n": entry.unanswered}
    if entry.pending:
        return ngettext(
            "%(n)s item waits in the queue.", "%(n)s items wait in the queue.", entry.pending
        ) % {"n": entry.pending}
    return ""
