"""The chat protocol's server frames, built once and sent to the room's group."""

from datetime import UTC

from communities.models import ChatMessage
from communities.services import broadcast


def iso_utc(instant) -> str:
    return instant.astimezone(UTC).isoformat()


def message_payload(message: ChatMessage) -> dict:
    return {
        "id": message.pk,
        "author": {"id": message.author_id, "name": message.author_name},
        "body_html": message.body_html,
        "created_at": iso_utc(message.created_at),
        "edited": message.edited_at is not None,
        "client_id": message.client_id,
    }


def publish_new(message: ChatMessage) -> None:
    broadcast.publish_frame(
        message.room.group_name, {"type": "message.new", "message": message_payload(message)}
    )


def publish_edited(message: ChatMessage) -> None:
    broadcast.publish_frame(
        message.room.group_name, {"type": "message.edited", "message": message_payload(message)}
    )


def publish_hidden(message: ChatMessage) -> None:
    broadcast.publish_frame(message.room.group_name, {"type": "message.hidden", "id": message.pk})
