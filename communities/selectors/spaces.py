"""Communities as people see them: the directory, one community's page, its members."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import ngettext

from communities import permissions
from communities.models import (
    Ban,
    ChatMessage,
    Community,
    ContentStatus,
    JoinRequest,
    Membership,
    ReviewItem,
    Thread,
)
from core.clock import now

THREADS_PER_PAGE = 30
MEMBERS_PER_PAGE = 50
CHAT_PREVIEW = 20


@dataclass
class Viewer:
    """What the person looking may do in one community."""

    community: Community
    membership: Membership | None
    can_read: bool
    can_moderate: bool
    can_manage: bool
    can_post: bool
    ban: Ban | None = None
    pending_request: JoinRequest | None = None


def communities_listed(*, viewer) -> dict:
    """Public and members-only communities, and hidden ones the viewer belongs to."""
    mine_ids = set()
    if viewer.is_authenticated:
        mine_ids = set(
            Membership.objects.filter(member=viewer).values_list("community_id", flat=True)
        )
    shown = Q(visibility__in=[Community.Visibility.PUBLIC, Community.Visibility.MEMBERS])
    if permissions.is_staff(viewer):
        shown = Q()
    elif mine_ids:
        shown |= Q(pk__in=mine_ids)
    members = (
        Membership.objects.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")
    )
    communities = list(
        Community.objects.filter(shown)
        .select_related("organization")
        .prefetch_related("topics")
        .annotate(member_count=Coalesce(Subquery(members), 0))
        .order_by("name")
    )
    return {
        "mine": [c for c in communities if c.pk in mine_ids],
        "others": [c for c in communities if c.pk not in mine_ids],
    }


def communities_active(*, limit: int = 6, days: int = 30) -> list[Community]:
    """Public communities with a post or chat in the last `days`, latest activity first
    (the home page: the same for every visitor, so nothing private can show). Two
    queries whatever the limit."""
    members = (
        Membership.objects.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Community.objects.filter(
            visibility=Community.Visibility.PUBLIC,
            last_post_at__gte=now() - timedelta(days=days),
        )
        .select_related("organization")
        .prefetch_related("topics")
        .annotate(member_count=Coalesce(Subquery(members), 0))
        .order_by("-last_post_at", "id")[:limit]
    )


def community_public(*, slug: str) -> Community | None:
    """A public community, with its organization and topics: what may be shown to anyone
    without a login (a calendar program fetching its feed). None for a community that is
    not public, so its existence does not leak, or that does not exist."""
    return (
        Community.objects.select_related("organization")
        .prefetch_related("topics")
        .filter(slug=slug, visibility=Community.Visibility.PUBLIC)
        .first()
    )


def viewer_in(*, slug: str, viewer, details: bool = False) -> Viewer:
    """The community (404 for outsiders of a hidden one) and the viewer's standing in it."""
    community = (
        Community.objects.select_related("organization", "series", "chat_room")
        .filter(slug=slug)
        .first()
    )
    if community is None:
        raise Http404
    membership = permissions.membership_of(viewer, community)
    permissions.require_listing(viewer, community, membership)
    can_read = permissions.can_read(viewer, community, membership)
    result = Viewer(
        community=community,
        membership=membership,
        can_read=can_read,
        can_moderate=permissions.can_moderate(viewer, community, membership),
        can_manage=permissions.can_manage(viewer, community, membership),
        can_post=permissions.can_participate(membership),
    )
    if details and viewer.is_authenticated and membership is None:
        result.ban = permissions.active_ban(viewer, community)
        result.pending_request = JoinRequest.objects.filter(
            community=community, member=viewer, status=JoinRequest.Status.PENDING
        ).first()
    return result


def visible_threads(community: Community):
    """The listing's threads: visible ones, pinned first, then by last activity (one
    index walks it in order, however many threads there are)."""
    return Thread.objects.filter(community=community, status=ContentStatus.VISIBLE).order_by(
        "-is_pinned", "-last_activity_at", "-id"
    )


def community_page(*, seat: Viewer, viewer, page_number) -> dict:
    community = seat.community
    context = {
        "member_count": Membership.objects.filter(community=community).count(),
        "topics": list(community.topics.all()),
        "threads": None,
        "my_held": [],
        "chat_preview": [],
        "pending_reviews": 0,
    }
    if seat.can_read:
        threads = visible_threads(community).select_related("author")
        page = Paginator(threads, THREADS_PER_PAGE).get_page(page_number)
        base = reverse("communities:thread", args=[community.slug, 0])[:-2]
        for thread in page.object_list:
            thread.url = f"{base}{thread.pk}/"
            thread.replies_label = ngettext("%(n)s reply", "%(n)s replies", thread.reply_count) % {
                "n": thread.reply_count
            }
        context["threads"] = page
        if seat.membership is not None:
            context["my_held"] = list(
                Thread.objects.filter(
                    community=community, status=ContentStatus.HELD, author=viewer
                ).order_by("-created_at")[:10]
            )
        room = getattr(community, "chat_room", None)
        if room is not None and viewer.is_authenticated:
            context["chat_preview"] = chat_recent(room_id=room.pk, limit=CHAT_PREVIEW)
    if seat.can_moderate:
        context["pending_reviews"] = ReviewItem.objects.filter(
            community=community, status=ReviewItem.Status.PENDING
        ).count()
    return context


def chat_recent(*, room_id: int, limit: int = 50) -> list[ChatMessage]:
    """The last `limit` visible messages, oldest first."""
    rows = list(
        ChatMessage.objects.filter(room_id=room_id, status=ContentStatus.VISIBLE).order_by("-id")[
            :limit
        ]
    )
    rows.reverse()
    return rows


def members_page(*, community: Community, page_number, query: str = "") -> Page:
    memberships = (
        Membership.objects.filter(community=community)
        .select_related("member", "member__organization")
        .order_by("role", "member__full_name", "id")
    )
    if query:
        memberships = memberships.filter(
            Q(member__full_name__icontains=query) | Q(handle__icontains=query)
        )
    return Paginator(memberships, MEMBERS_PER_PAGE).get_page(page_number)


def bans_standing(*, community: Community) -> list[Ban]:
    at = now()
    bans = Ban.objects.filter(community=community, lifted_at__isnull=True).select_related(
        "member", "created_by"
    )
    return [ban for ban in bans if ban.is_active_at(at)]


def series_community(*, series_id: int | None, viewer) -> Community | None:
    """The community a webinar series continues in, if the viewer may know of it."""
    if not series_id:
        return None
    for community in Community.objects.filter(series_id=series_id).order_by("pk"):
        if community.visibility != Community.Visibility.HIDDEN:
            return community
        if permissions.membership_of(viewer, community) is not None:
            return community
    return None


def series_community_panel(webinar, viewer):
    """On a webinar's page (registered with webinars.selectors): where its series'
    discussion continues, if the viewer may know of that community."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from webinars.selectors import RelatedPanel

    community = series_community(series_id=webinar.series_id, viewer=viewer)
    if community is None:
        return None
    return RelatedPanel(
        heading=_("Continue the discussion"),
        text=_(
            "Questions, materials and follow-up from this series live on in the %(name)s community."
        )
        % {"name": community.name},
        url=reverse("communities:detail", args=[community.slug]),
        label=_("Go to %(name)s") % {"name": community.name},
    )
