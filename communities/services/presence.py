"""Who is in a chat room: one row per open socket, shared by every server process.

Sockets refresh their row every minute; a row not refreshed for 150 s belongs to a
socket whose server died without saying goodbye, and no longer counts.
"""

from datetime import timedelta

from communities.models import ChatPresence
from communities.services.chat import ChatSeat
from core.clock import now

PRESENCE_FRESH = timedelta(seconds=150)


def chat_presence_enter(*, seat: ChatSeat, channel_name: str) -> None:
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"room_id": seat.room_id, "who": seat.who, "seen_at": now()},
    )


def chat_presence_touch(*, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).update(seen_at=now())


def chat_presence_leave(*, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).delete()


def chat_presence_count(*, room_id: int) -> int:
    fresh = ChatPresence.objects.filter(room_id=room_id, seen_at__gte=now() - PRESENCE_FRESH)
    return fresh.values("who").distinct().count()


def chat_presence_prune() -> int:
    """Rows of sockets whose server died without saying goodbye."""
    deleted, _kinds = ChatPresence.objects.filter(seen_at__lt=now() - PRESENCE_FRESH).delete()
    return deleted
