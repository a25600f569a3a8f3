"""What a chat socket reads: its history on connect, and the dashboard's groups."""

import json

from communities import permissions
from communities.selectors.spaces import chat_recent
from communities.services.broadcast import moderation_group
from communities.services.chat_frames import message_payload

HISTORY = 50


def history_frame(room_id: int) -> str:
    """`{"type": "history", "messages": [...]}`: the last 50 visible messages."""
    messages = [message_payload(m) for m in chat_recent(room_id=room_id, limit=HISTORY)]
    return json.dumps({"type": "history", "messages": messages}, ensure_ascii=False)


def moderation_groups(*, viewer) -> list[str]:
    from communities.selectors.dashboard import moderated_communities

    if permissions.is_staff(viewer):
        return [moderation_group(None)]
    return [moderation_group(c.pk) for c in moderated_communities(viewer=viewer)]
