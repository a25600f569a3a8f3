"""A discussion as its page shows it, a post's history, and search within a community."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.http import Http404

from communities.models import (
    Attachment,
    Community,
    ContentStatus,
    Membership,
    Post,
    PostLike,
    PostRevision,
    Thread,
)
from communities.selectors.spaces import Viewer

POSTS_PER_PAGE = 50
SEARCH_LIMIT = 50
SHOWN_TO_ALL = [ContentStatus.VISIBLE, ContentStatus.HIDDEN, ContentStatus.DELETED]


def thread_for_viewer(*, seat: Viewer, thread_id: int, viewer) -> Thread:
    thread = (
        Thread.objects.filter(community=seat.community, pk=thread_id)
        .select_related("author")
        .first()
    )
    if thread is None:
        raise Http404
    if thread.status == ContentStatus.VISIBLE or seat.can_moderate:
        return thread
    if thread.status == ContentStatus.HELD and viewer.is_authenticated:
        if thread.author_id == viewer.pk:
            return thread
    raise Http404


@dataclass
class ShownPost:
    """A post as the thread page shows it to this viewer."""

    post: Post
    redacted: bool  # hidden or deleted: the reader sees that it was there, not what it said
    attachments: list[Attachment]
    handle: str  # the author's @handle in this community, if they have one


def thread_posts(
    *, thread: Thread, seat: Viewer, viewer, page_number
) -> tuple[Page, list[ShownPost], set[int]]:
    """Posts in order. Everyone sees that a hidden or deleted reply was there (not what it
    said); moderators see everything; authors see their own held posts."""
    shown = Q(status__in=SHOWN_TO_ALL)
    if seat.can_moderate:
        shown = Q()
    elif viewer.is_authenticated:
        shown |= Q(status=ContentStatus.HELD, author=viewer)
    posts = (
        Post.objects.filter(thread=thread)
        .filter(shown)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    paginator = Paginator(posts, POSTS_PER_PAGE)
    page = paginator.get_page(paginator.num_pages if page_number == "last" else page_number)
    on_page: list[Post] = list(page.object_list)
    handles = dict(
        Membership.objects.filter(
            community=seat.community,
            member_id__in={p.author_id for p in on_page if p.author_id},
        ).values_list("member_id", "handle")
    )
    rows = []
    for post in on_page:
        redact = post.status in (ContentStatus.HIDDEN, ContentStatus.DELETED) and not (
            seat.can_moderate
        )
        if redact:
            post.body = post.body_html = ""
        rows.append(
            ShownPost(
                post=post,
                redacted=redact,
                attachments=[] if redact else list(post.attachments.all()),
                handle=handles.get(post.author_id, "") if post.author_id else "",
            )
        )
    liked: set[int] = set()
    if viewer.is_authenticated:
        liked = set(
            PostLike.objects.filter(member=viewer, post_id__in=[p.pk for p in on_page]).values_list(
                "post_id", flat=True
            )
        )
    return page, rows, liked


def post_for_viewer(*, seat: Viewer, post_id: int, viewer) -> Post:
    post = (
        Post.objects.select_related("thread", "community", "author")
        .filter(community=seat.community, pk=post_id)
        .first()
    )
    if post is None:
        raise Http404
    if post.status == ContentStatus.VISIBLE and post.thread.status == ContentStatus.VISIBLE:
        return post
    if seat.can_moderate or (viewer.is_authenticated and post.author_id == viewer.pk):
        return post
    raise Http404


def post_revisions(*, post: Post) -> list[PostRevision]:
    return list(PostRevision.objects.filter(post=post).select_related("edited_by"))


def community_search(*, community: Community, query: str) -> list[Post]:
    """Visible posts in visible threads whose text or thread title has every word."""
    words = [w for w in query.split() if len(w) >= 2][:8]
    if not words:
        return []
    posts = Post.objects.filter(
        community=community,
        status=ContentStatus.VISIBLE,
        thread__status=ContentStatus.VISIBLE,
    )
    for word in words:
        posts = posts.filter(Q(body__icontains=word) | Q(thread__title__icontains=word))
    return list(posts.select_related("thread", "author").order_by("-created_at")[:SEARCH_LIMIT])


def attachment_for_viewer(*, seat: Viewer, attachment_id: int, viewer) -> Attachment:
    attachment = (
        Attachment.objects.select_related("post__thread")
        .filter(pk=attachment_id, post__community=seat.community, kind=Attachment.Kind.FILE)
        .first()
    )
    if attachment is None:
        raise Http404
    post_for_viewer(seat=seat, post_id=attachment.post_id, viewer=viewer)
    return attachment
