"""Moderation of content: flags (and hiding after K of them), the review queue's one-click
actions, hiding, restoring and deleting posts and chat messages, locking and pinning.

Every action is checked against the community the content belongs to, logged, and its
author told what happened and why.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from communities import permissions
from communities.models import (
    ChatMessage,
    ContentStatus,
    Flag,
    Membership,
    Post,
    ReviewItem,
    Thread,
)
from communities.services import broadcast, chat_frames, post_lifecycle
from communities.services.audit import Action, audit_record
from communities.services.notices import tell_author, thread_url
from communities.text import excerpt
from core.clock import now

Status = ContentStatus
USER_REASONS = [r for r in Flag.Reason.values if r != Flag.Reason.WATCHED_WORD]

# What a moderator may do to content in each state, and where it leaves it.
TRANSITIONS = {
    "approve": ({Status.HELD}, Status.VISIBLE),
    "reject": ({Status.HELD}, Status.REJECTED),
    "hide": ({Status.VISIBLE, Status.HELD}, Status.HIDDEN),
    "restore": ({Status.HIDDEN}, Status.VISIBLE),
    "delete": ({Status.VISIBLE, Status.HELD, Status.HIDDEN}, Status.DELETED),
    "dismiss": ({Status.VISIBLE}, Status.VISIBLE),
}
AUDIT = {
    "approve": Action.APPROVE,
    "reject": Action.REJECT,
    "hide": Action.HIDE,
    "restore": Action.RESTORE,
    "delete": Action.DELETE,
    "dismiss": Action.DISMISS,
}


def _outcome_title(action: str, kind: str, community) -> str:
    """Built with the recipient's language active (`kind`: discussion, reply or chat)."""
    what = {"discussion": _("discussion"), "reply": _("reply"), "chat": _("chat message")}[kind]
    titles = {
        "approve": _("Your %(what)s in %(community)s was approved"),
        "reject": _("Your %(what)s in %(community)s was not approved"),
        "hide": _("Your %(what)s in %(community)s was hidden by a moderator"),
        "restore": _("Your %(what)s in %(community)s is visible again"),
        "delete": _("Your %(what)s in %(community)s was removed by a moderator"),
        "auto_hide": _("Your %(what)s in %(community)s was hidden after flags, pending review"),
    }
    return titles[action] % {"what": what, "community": community.name}


def _resolve(*, post=None, message=None, actor, resolution: str) -> None:
    at = now()
    items = ReviewItem.objects.filter(status=ReviewItem.Status.PENDING)
    items = items.filter(post=post) if post is not None else items.filter(message=message)
    ids = list(items.values_list("pk", flat=True))
    if ids:
        ReviewItem.objects.filter(pk__in=ids).update(
            status=ReviewItem.Status.RESOLVED,
            resolved_at=at,
            resolved_by=actor if actor is not None and actor.is_authenticated else None,
            resolution=resolution,
        )
    flags = Flag.objects.filter(resolved_at__isnull=True)
    flags = flags.filter(post=post) if post is not None else flags.filter(message=message)
    flags.update(resolved_at=at)
    community_id = post.community_id if post is not None else message.room.community_id
    for item_id in ids:
        broadcast.publish_queue_change(community_id, resolved=item_id)


def _check_transition(status: str, action: str) -> str:
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    allowed, target = TRANSITIONS[action]
    if status not in allowed:
        raise ValidationError(_("This cannot be done to content in its current state."))
    return target


def post_moderate(*, post: Post, actor, action: str, reason: str = "") -> Post:
    community = post.community
    permissions.require_moderator(actor, community)
    with transaction.atomic():
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("thread", "community")
            .get(pk=post.pk)
        )
        target = _check_transition(post.status, action)
        was_held = post.status == Status.HELD
        post_lifecycle.post_status_change(post=post, status=target)
        if action == "approve" or (action == "restore" and was_held):
            post_lifecycle.post_publish(post)
        _resolve(post=post, actor=actor, resolution=action)
        audit_record(
            community=community,
            actor=actor,
            action=AUDIT[action],
            target_member=post.author,
            thread=post.thread,
            post=post,
            summary=post_lifecycle.post_summary(post),
            reason=reason,
        )
        if action != "dismiss":
            what = "discussion" if post.is_opening else "reply"
            tell_author(
                post.author,
                lambda: _outcome_title(action, what, community),
                body=reason,
                url=thread_url(post.thread, community) if target == Status.VISIBLE else "",
                actor=actor,
            )
    return post


def _room_moderator(actor, message: ChatMessage) -> None:
    room = message.room
    if room.community is not None:
        permissions.require_moderator(actor, room.community)
        return
    from webinars.permissions import can_manage_webinar

    # Not a community's room, so a webinar session's (the database allows no third kind).
    if room.session is None or not can_manage_webinar(actor, room.session.webinar):
        raise PermissionDenied(_("You do not run this webinar."))


def message_moderate(*, message: ChatMessage, actor, action: str, reason: str = "") -> ChatMessage:
    _room_moderator(actor, message)
    with transaction.atomic():
        message = (
            ChatMessage.objects.select_for_update(of=("self",))
            .select_related("room__community", "room__session")
            .get(pk=message.pk)
        )
        was = message.status
        target = _check_transition(was, action)
        if target != was:
            message.status = target
            message.save(update_fields=["status"])
        room = message.room
        if was == Status.VISIBLE and target != Status.VISIBLE:
            chat_frames.publish_hidden(message)
        elif target == Status.VISIBLE and was != Status.VISIBLE:
            chat_frames.publish_new(message)
        if room.community_id:
            _resolve(message=message, actor=actor, resolution=action)
        audit_record(
            community=room.community,
            room=room,
            actor=actor,
            action=AUDIT[action],
            target_member=message.author,
            message=message,
            summary=excerpt(message.body, 200),
            reason=reason,
        )
        if action != "dismiss" and room.community_id:
            tell_author(
                message.author,
                lambda: _outcome_title(action, "chat", room.community),
                body=reason,
                actor=actor,
            )
    return message


def thread_moderate(*, thread: Thread, actor, action: str, reason: str = "") -> Thread:
    community = thread.community
    permissions.require_moderator(actor, community)
    fields = {
        "lock": ("is_locked", True, Action.LOCK),
        "unlock": ("is_locked", False, Action.UNLOCK),
        "pin": ("is_pinned", True, Action.PIN),
        "unpin": ("is_pinned", False, Action.UNPIN),
    }
    if action not in fields:
        raise ValidationError(_("Unknown action."))
    field, value, audit_action = fields[action]
    with transaction.atomic():
        if getattr(thread, field) == value:
            return thread
        Thread.objects.filter(pk=thread.pk).update(**{field: value})
        setattr(thread, field, value)
        audit_record(
            community=community,
            actor=actor,
            action=audit_action,
            thread=thread,
            target_member=thread.author,
            summary=thread.title,
            reason=reason,
        )
    return thread


def _flag(*, community, member, reason: str, detail: str, post=None, message=None) -> Flag:
    if reason not in USER_REASONS:
        raise ValidationError(_("Choose a reason."))
    detail = detail.strip()[:1000]
    if reason == Flag.Reason.OTHER and not detail:
        raise ValidationError(_("Tell the moderators what is wrong."))
    try:
        with transaction.atomic():
            return Flag.objects.create(
                community=community,
                post=post,
                message=message,
                flagged_by=member,
                reason=reason,
                detail=detail,
                created_at=now(),
            )
    except IntegrityError:
        raise ValidationError(_("You have already flagged this.")) from None


def _flaggers(*, post=None, message=None) -> int:
    flags = Flag.objects.filter(flagged_by__isnull=False, resolved_at__isnull=True)
    flags = flags.filter(post=post) if post is not None else flags.filter(message=message)
    return flags.count()


def _check_flaggable(community, member, content, yours: str, not_shown: str) -> None:
    if not Membership.objects.filter(community=community, member=member).exists():
        raise PermissionDenied(_("Join the community to flag content."))
    if content.author_id == member.pk:
        raise ValidationError(yours)
    if content.status != Status.VISIBLE:
        raise ValidationError(not_shown)


def _flag_content(*, community, member, reason, detail, post=None, message=None):
    """Store the flag, count the members who flagged it, put it in the review queue.
    Returns the flag and that count (auto-hide is the caller's, per kind)."""
    content = post if post is not None else message
    flag = _flag(
        community=community,
        member=member,
        reason=reason,
        detail=detail,
        post=post,
        message=message,
    )
    count = _flaggers(post=post, message=message)
    type(content).objects.filter(pk=content.pk).update(flag_count=count)
    post_lifecycle.review_item_open(
        community=community,
        kind=ReviewItem.Kind.FLAGGED_POST if post is not None else ReviewItem.Kind.FLAGGED_MESSAGE,
        reason=flag.get_reason_display(),
        post=post,
        message=message,
    )
    return flag, count


def post_flag(*, post: Post, member, reason: str, detail: str = "") -> Flag:
    community = post.community
    _check_flaggable(
        community,
        member,
        post,
        _("You cannot flag your own post."),
        _("This post is not shown; there is nothing to flag."),
    )
    with transaction.atomic():
        flag, count = _flag_content(
            community=community, member=member, reason=reason, detail=detail, post=post
        )
        if count >= community.auto_hide_flags:
            _auto_hide_post(post, count)
    return flag


def _auto_hide_post(post: Post, count: int) -> None:
    community = post.community
    post_lifecycle.post_status_change(post=post, status=Status.HIDDEN)
    audit_record(
        community=community,
        actor=None,
        action=Action.AUTO_HIDE,
        target_member=post.author,
        thread=post.thread,
        post=post,
        summary=post_lifecycle.post_summary(post),
        reason=_("Flagged by %(n)s members") % {"n": count},
    )
    what = "discussion" if post.is_opening else "reply"
    tell_author(post.author, lambda: _outcome_title("auto_hide", what, community))


def message_flag(*, message: ChatMessage, member, reason: str, detail: str = "") -> Flag:
    room = message.room
    community = room.community
    if community is None:
        raise ValidationError(_("Tell the webinar's hosts in the room instead."))
    _check_flaggable(
        community,
        member,
        message,
        _("You cannot flag your own message."),
        _("This message is not shown; there is nothing to flag."),
    )
    with transaction.atomic():
        flag, count = _flag_content(
            community=community, member=member, reason=reason, detail=detail, message=message
        )
        if count >= community.auto_hide_flags:
            ChatMessage.objects.filter(pk=message.pk).update(status=Status.HIDDEN)
            chat_frames.publish_hidden(message)
            audit_record(
                community=community,
                room=room,
                actor=None,
                action=Action.AUTO_HIDE,
                target_member=message.author,
                message=message,
                summary=excerpt(message.body, 200),
                reason=_("Flagged by %(n)s members") % {"n": count},
            )
            tell_author(message.author, lambda: _outcome_title("auto_hide", "chat", community))
    return flag


# The queue's one-click actions, per kind of item.
ITEM_ACTIONS: dict[str, tuple[str, ...]] = {
    ReviewItem.Kind.HELD_POST: ("approve", "reject"),
    ReviewItem.Kind.HELD_MESSAGE: ("approve", "reject"),
    ReviewItem.Kind.FLAGGED_POST: ("keep", "hide", "delete"),
    ReviewItem.Kind.FLAGGED_MESSAGE: ("keep", "hide", "delete"),
    ReviewItem.Kind.JOIN_REQUEST: ("approve", "deny"),
}


def review_item_act(*, item: ReviewItem, actor, action: str, reason: str = "") -> ReviewItem:
    """One click on the dashboard. Acting on an item someone already handled changes
    nothing (two moderators may click at once)."""
    from communities.services.membership import join_request_decide

    permissions.require_moderator(actor, item.community)
    if action not in ITEM_ACTIONS.get(item.kind, ()):
        raise ValidationError(_("This action does not apply to this item."))
    if item.status != ReviewItem.Status.PENDING:
        return item
    # An item is about exactly one join request, post or chat message.
    if item.join_request is not None:
        join_request_decide(
            join_request=item.join_request, actor=actor, approve=action == "approve", reason=reason
        )
    elif item.post is not None:
        post_moderate(
            post=item.post, actor=actor, action=_kept(action, item.post.status), reason=reason
        )
    elif item.message is not None:
        message_moderate(
            message=item.message,
            actor=actor,
            action=_kept(action, item.message.status),
            reason=reason,
        )
    item.refresh_from_db()
    return item


def _kept(action: str, status: str) -> str:
    """The queue's "keep": restore hidden content, approve held content, otherwise
    dismiss the flags. Other actions are what they say."""
    if action != "keep":
        return action
    if status == Status.HIDDEN:
        return "restore"
    if status == Status.HELD:
        return "approve"
    return "dismiss"
