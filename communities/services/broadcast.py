"""Websocket events, sent only after the transaction that caused them commits."""

import asyncio
import json
import logging
import os

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def moderation_group(community_id: int | None) -> str:
    return f"moderation.{community_id}" if community_id else "moderation.all"


def _logged(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("group_send failed", exc_info=future.exception())


def send_now(group: str, event: dict) -> None:
    """Hand the event to the channel layer. In a server process (a consumer or a view,
    in a thread under the event loop) it is queued on that loop without waiting, so a
    chat sender's next message is not held up by the fan-out; elsewhere (a worker, a
    command) it is sent before returning."""
    layer = get_channel_layer()
    if layer is None:
        return
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid():
        loop = None  # a forked process inherited it
    try:
        if loop is not None and loop.is_running():
            future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop)
            future.add_done_callback(_logged)
        else:
            async_to_sync(layer.group_send)(group, event)
    except Exception:  # noqa: BLE001 - a lost live update must not fail the request
        logger.exception("group_send to %s failed", group)


def publish(group: str, event: dict) -> None:
    transaction.on_commit(lambda: send_now(group, event))


def publish_frame(group: str, frame: dict) -> None:
    """A frame every socket in the group forwards as is (serialised once, here)."""
    publish(group, {"type": "chat.frame", "text": json.dumps(frame, ensure_ascii=False)})


def publish_queue_change(community_id: int, *, added: int = 0, resolved: int = 0) -> None:
    """Moderator dashboards of this community (and platform staff) refresh their counts."""
    event = {
        "type": "queue.changed",
        "community_id": community_id,
        "added": added,
        "resolved": resolved,
    }
    publish(moderation_group(community_id), event)
    publish(moderation_group(None), event)
