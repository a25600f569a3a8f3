"""The communities section of daily and weekly digests (notifications.digests calls it).

New and lively discussions in the communities a member belongs to (never one they
muted, never one they cannot read), and for moderators what waits in their queue.
"""

from datetime import timedelta

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import ContentStatus, Membership, ReviewItem, Thread
from communities.services.notices import thread_url
from notifications.categories import Channel
from notifications.digests import DigestItem, DigestSection

PER_COMMUNITY = 5
PER_MEMBER = 8
MODERATOR_ROLES = [Membership.Role.OWNER, Membership.Role.MODERATOR]


def community_digest_section(members, kind: str, at, channels: dict) -> dict:
    if not members:
        return {}
    since = at - (timedelta(days=1) if kind == "daily" else timedelta(days=7))
    memberships = list(
        Membership.objects.filter(
            member_id__in=[m.pk for m in members], notifications_muted=False
        ).values_list("member_id", "community_id", "role", "community__name")
    )
    if not memberships:
        return {}
    community_ids = {community_id for _m, community_id, _r, _n in memberships}
    threads = (
        Thread.objects.filter(
            community_id__in=community_ids,
            status=ContentStatus.VISIBLE,
            last_activity_at__gte=since,
        )
        .select_related("community")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("community_id"),
                order_by=[F("reply_count").desc(), F("last_activity_at").desc()],
            )
        )
        .filter(rank__lte=PER_COMMUNITY)
    )
    by_community: dict[int, list[Thread]] = {}
    for thread in threads:
        by_community.setdefault(thread.community_id, []).append(thread)
    pending = dict(
        ReviewItem.objects.filter(community_id__in=community_ids, status=ReviewItem.Status.PENDING)
        .values("community_id")
        .annotate(n=Count("id"))
        .values_list("community_id", "n")
    )
    sections = {}
    for member in members:
        wants_activity = channels[member.pk].get("communities.activity") == kind
        wants_queue = channels[member.pk].get("moderation.queue") != Channel.OFF
        mine = [row for row in memberships if row[0] == member.pk]
        with translation.override(member.language):
            items = []
            if wants_queue:
                for _member_id, community_id, role, name in mine:
                    if role in MODERATOR_ROLES and pending.get(community_id):
                        items.append(_queue_item(pending[community_id], name))
            if wants_activity:
                threads_of = [t for _m, c, _r, _n in mine for t in by_community.get(c, [])]
                threads_of.sort(key=lambda t: (-t.reply_count, -t.last_activity_at.timestamp()))
                items += [_thread_item(t, since) for t in threads_of[:PER_MEMBER]]
            if items:
                sections[member.pk] = [DigestSection(title=_("In your communities"), items=items)]
    return sections


def _queue_item(count: int, community_name: str) -> DigestItem:
    from django.urls import reverse

    return DigestItem(
        title=ngettext(
            "%(n)s item waits for moderation in %(community)s",
            "%(n)s items wait for moderation in %(community)s",
            count,
        )
        % {"n": count, "community": community_name},
        url=reverse("communities:dashboard"),
    )


def _thread_item(thread: Thread, since) -> DigestItem:
    new = thread.created_at >= since
    label = (
        _("new")
        if new
        else ngettext("%(n)s reply", "%(n)s replies", thread.reply_count)
        % {"n": thread.reply_count}
    )
    return DigestItem(
        title=f"{thread.community.name}: {thread.title} ({label})",
        url=thread_url(thread, thread.community),
    )
