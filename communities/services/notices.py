"""Notifications from communities, in each recipient's language, never from a community
they muted. (What happened to one's own post — moderation.outcome — always arrives.)"""

from collections.abc import Callable
from functools import partial

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from communities.models import Community, Membership, Post, Thread
from notifications.services import notify


def _titled(title, name: str, thread_title: str) -> str:
    return title % {"name": name, "thread": thread_title}


def thread_url(thread: Thread, community: Community | None = None, post: Post | None = None):
    slug = (community or thread.community).slug
    url = reverse("communities:thread", args=[slug, thread.pk])
    return f"{url}#post-{post.pk}" if post is not None else url


def tell(
    recipient,
    kind: str,
    title: Callable[[], str],
    *,
    body: str = "",
    url: str = "",
    target: str = "",
    actor=None,
) -> None:
    """`title` is called with the recipient's language active."""
    with translation.override(recipient.language):
        text = str(title())
    notify(
        recipient=recipient,
        kind=kind,
        title=text,
        body=body,
        url=url,
        target=target,
        actor=actor,
    )


def moderators_of(community: Community, *, owners_only: bool = False) -> list:
    roles = [Membership.Role.OWNER]
    if not owners_only:
        roles.append(Membership.Role.MODERATOR)
    return [
        m.member
        for m in Membership.objects.filter(
            community=community, role__in=roles, notifications_muted=False
        ).select_related("member")
        if m.member.is_active
    ]


def tell_moderators(community: Community, kind: str, title, **fields) -> int:
    moderators = moderators_of(community, owners_only=kind == "moderation.escalation")
    for moderator in moderators:
        tell(moderator, kind, title, **fields)
    return len(moderators)


def tell_author(member, title, *, body: str = "", url: str = "", actor=None) -> None:
    if member is not None and member.is_active:
        tell(member, "moderation.outcome", title, body=body, url=url, actor=actor)


def post_notify(*, post: Post) -> int:
    """Tell the people a visible post concerns: those it mentions (@handle), the thread's
    author and earlier repliers. Members only (never someone who cannot read it), never
    the author, never someone who muted the community. Returns how many were told."""
    from communities.models import ContentStatus
    from communities.text import excerpt, mention_handles

    thread = post.thread
    community = post.community
    if post.status != ContentStatus.VISIBLE or thread.status != ContentStatus.VISIBLE:
        return 0
    memberships = Membership.objects.filter(
        community=community, notifications_muted=False, member__is_active=True
    ).select_related("member")
    handles = mention_handles(post.body)
    mentioned = {m.member_id: m.member for m in memberships.filter(handle__in=handles)}
    participants = set(
        Post.objects.filter(thread=thread, status=ContentStatus.VISIBLE)
        .exclude(pk=post.pk)
        .values_list("author_id", flat=True)
    )
    if post.is_opening:
        participants = set()
    replied_to = {
        m.member_id: m.member
        for m in memberships.filter(member_id__in=participants - set(mentioned))
    }
    author_name = post.author.get_full_name() if post.author else ""
    url = thread_url(thread, community, post)
    body = excerpt(post.body, 300)
    told = 0
    for recipients, kind, title in (
        # Lazy: each title is translated in its recipient's language, inside tell().
        (mentioned, "communities.mention", gettext_lazy("%(name)s mentioned you in “%(thread)s”")),
        (replied_to, "communities.reply", gettext_lazy("%(name)s replied in “%(thread)s”")),
    ):
        for member_id, member in recipients.items():
            if member_id == post.author_id:
                continue
            tell(
                member,
                kind,
                partial(_titled, title, author_name, thread.title),
                body=body,
                url=url,
                target=f"communities.thread:{thread.pk}",
                actor=post.author,
            )
            told += 1
    return told
