"""Threads and replies: writing, editing (history kept), deleting one's own, likes."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from communities import permissions
from communities.attachments import MAX_PER_POST, CheckedFile
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
from communities.services import post_lifecycle
from communities.services.watched import WordDecision, watched_word_decision
from communities.text import MAX_POST, MAX_TITLE, clean_text
from core.clock import now
from core.markdown import clean_line, render_markdown


@dataclass(frozen=True)
class LinkInput:
    url: str
    name: str = ""


def _poster(community: Community, author) -> Membership:
    """The author's membership, if they may write here now."""
    if author is None or not author.is_authenticated:
        raise PermissionDenied
    membership = Membership.objects.filter(community=community, member=author).first()
    if membership is None:
        raise PermissionDenied(_("Join the community to take part."))
    if membership.is_muted_at(now()):
        raise ValidationError(_("You are read-only in this community for now."))
    return membership


def _checked_body(body: str) -> str:
    if len(body) > MAX_POST * 2:
        raise ValidationError(_("Posts are limited to %(n)s characters.") % {"n": f"{MAX_POST:,}"})
    body = clean_text(body)
    if not body:
        raise ValidationError(_("Write something first."))
    if len(body) > MAX_POST:
        raise ValidationError(_("Posts are limited to %(n)s characters.") % {"n": f"{MAX_POST:,}"})
    return body


def _checked_title(title: str) -> str:
    title = clean_line(title)
    if not title:
        raise ValidationError(_("Give the discussion a title."))
    if len(title) > MAX_TITLE:
        raise ValidationError(_("Titles are limited to %(n)s characters.") % {"n": MAX_TITLE})
    return title


def _words(community: Community, membership: Membership, *texts: str) -> WordDecision:
    decision = watched_word_decision(
        community_id=community.pk, texts=texts, moderator=membership.is_moderator
    )
    if decision.blocked:
        raise ValidationError(
            _("Your text contains “%(word)s”, which this community does not allow.")
            % {"word": decision.word}
        )
    return decision


def _hold_reason(community: Community, membership: Membership, words: WordDecision) -> str:
    if words.held:
        return words.reason
    if membership.is_moderator:
        return ""
    if community.premoderate_posts:
        approved = Post.objects.filter(
            community=community, author_id=membership.member_id, status=ContentStatus.VISIBLE
        ).count()
        if approved < community.premoderate_posts:
            return _("One of a new member's first %(n)s posts") % {"n": community.premoderate_posts}
    return ""


def _attach(post: Post, files: Sequence[CheckedFile], links: Sequence[LinkInput]) -> None:
    if len(files) + len(links) > MAX_PER_POST:
        raise ValidationError(_("At most %(n)s files and links per post.") % {"n": MAX_PER_POST})
    for checked in files:
        attachment = Attachment(
            post=post,
            kind=Attachment.Kind.FILE,
            name=checked.name,
            size=checked.size,
            content_type=checked.content_type,
        )
        attachment.file.save(checked.name, checked.upload, save=False)
        attachment.save()
    for link in links:
        if not link.url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Links must start with http:// or https://."))
        Attachment.objects.create(
            post=post,
            kind=Attachment.Kind.LINK,
            url=link.url[:500],
            name=(clean_text(link.name) or link.url)[:200],
        )


def thread_create(
    *,
    community: Community,
    author,
    title: str,
    body: str,
    files: Sequence[CheckedFile] = (),
    links: Sequence[LinkInput] = (),
    glossary_links: bool = True,
) -> Thread:
    membership = _poster(community, author)
    title, body = _checked_title(title), _checked_body(body)
    words = _words(community, membership, title, body)
    held = _hold_reason(community, membership, words)
    at = now()
    status = ContentStatus.HELD if held else ContentStatus.VISIBLE
    with transaction.atomic():
        thread = Thread.objects.create(
            community=community,
            author=author,
            title=title,
            status=status,
            created_at=at,
            last_activity_at=at,
        )
        post = Post.objects.create(
            thread=thread,
            community=community,
            author=author,
            is_opening=True,
            body=body,
            body_html=render_markdown(body),
            glossary_links=glossary_links,
            status=status,
            hold_reason=held,
            created_at=at,
        )
        _attach(post, files, links)
        post_lifecycle.post_route_new(
            post=post, membership=membership, words=words, held_reason=held
        )
    return thread


def reply_create(
    *,
    thread: Thread,
    author,
    body: str,
    files: Sequence[CheckedFile] = (),
    links: Sequence[LinkInput] = (),
    glossary_links: bool = True,
) -> Post:
    community = thread.community
    membership = _poster(community, author)
    if thread.status != ContentStatus.VISIBLE:
        raise ValidationError(_("This discussion is not open for replies."))
    if thread.is_locked and not membership.is_moderator:
        raise ValidationError(_("This discussion is locked."))
    body = _checked_body(body)
    words = _words(community, membership, body)
    held = _hold_reason(community, membership, words)
    with transaction.atomic():
        post = Post.objects.create(
            thread=thread,
            community=community,
            author=author,
            body=body,
            body_html=render_markdown(body),
            glossary_links=glossary_links,
            status=ContentStatus.HELD if held else ContentStatus.VISIBLE,
            hold_reason=held,
            created_at=now(),
        )
        _attach(post, files, links)
        post_lifecycle.post_route_new(
            post=post, membership=membership, words=words, held_reason=held
        )
    return post


def post_edit(
    *,
    post: Post,
    editor,
    body: str,
    title: str | None = None,
    glossary_links: bool | None = None,
) -> Post:
    """The author edits; what the post said before is kept as a revision.
    `glossary_links`: the author's choice of linking glossary terms (None keeps it)."""
    if editor is None or post.author_id != editor.pk:
        raise PermissionDenied(_("Only the author can edit a post."))
    community = post.community
    membership = _poster(community, editor)
    if post.status not in (ContentStatus.VISIBLE, ContentStatus.HELD):
        raise ValidationError(_("This post can no longer be edited."))
    thread = post.thread
    if thread.is_locked and not membership.is_moderator:
        raise ValidationError(_("This discussion is locked."))
    body = _checked_body(body)
    title = _checked_title(title) if post.is_opening and title is not None else None
    words = _words(community, membership, title or "", body)
    with transaction.atomic():
        PostRevision.objects.create(
            post=post,
            title=thread.title if post.is_opening else "",
            body=post.body,
            edited_by=editor,
            created_at=now(),
        )
        post.body, post.body_html, post.edited_at = body, render_markdown(body), now()
        if glossary_links is not None:
            post.glossary_links = glossary_links
        post.save(update_fields=["body", "body_html", "edited_at", "glossary_links"])
        if title is not None and title != thread.title:
            Thread.objects.filter(pk=thread.pk).update(title=title)
            thread.title = title
        post_lifecycle.post_route_edited(post=post, words=words)
    return post


def post_delete(*, post: Post, actor) -> Post:
    """Authors delete their own posts (kept for the record, shown as deleted).
    Moderators remove other people's posts through moderation (post_moderate)."""
    if actor is None or post.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can delete a post."))
    if post.status == ContentStatus.DELETED:
        return post
    with transaction.atomic():
        post_lifecycle.post_status_change(post=post, status=ContentStatus.DELETED)
    return post


def post_like_toggle(*, post: Post, member) -> bool:
    """Like or unlike; True when the member now likes the post."""
    community = post.community
    membership = permissions.membership_of(member, community)
    if membership is None:
        raise PermissionDenied(_("Join the community to take part."))
    if post.status != ContentStatus.VISIBLE:
        raise ValidationError(_("This post cannot be liked."))
    with transaction.atomic():
        removed, _kinds = PostLike.objects.filter(post=post, member=member).delete()
        if removed:
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") - 1)
            return False
        try:
            with transaction.atomic():
                PostLike.objects.create(post=post, member=member, created_at=now())
        except IntegrityError:
            return True
        Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    return True
