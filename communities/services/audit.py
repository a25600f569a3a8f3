"""The moderation log: one append-only row per moderator (or system) action."""

from communities.models import ModerationAction
from core.clock import now

Action = ModerationAction.Action


def audit_record(
    *,
    community,
    actor,
    action: str,
    target_member=None,
    thread=None,
    post=None,
    message=None,
    room=None,
    summary: str = "",
    reason: str = "",
    until=None,
) -> ModerationAction:
    return ModerationAction.objects.create(
        community=community,
        room=room,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_member=target_member,
        thread=thread,
        post=post,
        message=message,
        summary=summary[:300],
        reason=reason,
        until=until,
        created_at=now(),
    )
