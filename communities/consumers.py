"""Websockets: the chat room (a community's, or a webinar session's Q&A) and the
moderator dashboard's live counts. Every rule lives in the services they call."""

import asyncio
import json
import random

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from communities.errors import ChatClosed, ChatRefused
from communities.models import ContentStatus
from communities.selectors.chat import history_frame, moderation_groups
from communities.services import chat, presence
from communities.services.broadcast import moderation_group
from communities.services.chat_frames import message_payload

HEARTBEAT_SECONDS = 60
MAX_IN_FLIGHT = 8  # messages of one socket being stored at once
PRESENCE_COALESCE = 1.0  # at most one presence frame per room per second


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/communities/<slug>/chat/` and `/ws/webinars/sessions/<id>/qa/`.

    The socket is accepted first and then closed with a code (4401 anonymous, 4403 not
    allowed, 4404 no such room), so that plain websocket clients can read the code.
    """

    seat: chat.ChatSeat | None = None
    heartbeat: asyncio.Task | None = None
    closed = False

    async def connect(self):
        self.in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        await self.accept()
        try:
            self.seat = await database_sync_to_async(self._open_seat)()
        except ChatClosed as closed:
            await self._close(closed.code)
            return
        await self.channel_layer.group_add(self.seat.group, self.channel_name)
        await self.send(text_data=await database_sync_to_async(history_frame)(self.seat.room_id))
        await database_sync_to_async(presence.chat_presence_enter)(
            seat=self.seat, channel_name=self.channel_name
        )
        count = await database_sync_to_async(presence.chat_presence_count)(
            room_id=self.seat.room_id
        )
        await self.send_json({"type": "presence", "count": count})
        await self._presence_soon()
        self.heartbeat = asyncio.ensure_future(self._beat())

    def _open_seat(self) -> chat.ChatSeat:
        user = self.scope.get("user")
        route = self.scope["url_route"]["kwargs"]
        if "slug" in route:
            return chat.chat_seat_for_community(user=user, slug=route["slug"])
        session = self.scope.get("session")
        guest = session.get("qa_registration") if session is not None else None
        return chat.chat_seat_for_session(
            user=user, session_id=route["session_id"], guest_registration_id=guest
        )

    async def disconnect(self, code):
        self.closed = True
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        if self.seat is None:
            return
        await self.channel_layer.group_discard(self.seat.group, self.channel_name)
        await database_sync_to_async(presence.chat_presence_leave)(channel_name=self.channel_name)
        await self._presence_soon()

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.seat is None or self.closed:
            return
        try:
            content = json.loads(text_data) if text_data is not None else None
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self._handle(None, content)
        elif content.get("type") == "message.send":
            # Sends are pipelined: the next frame is read while this one is stored.
            # They are stored in order (one database thread, first come first served)
            # and broadcast in that order; at most MAX_IN_FLIGHT wait, then the socket
            # stops being read (backpressure on a flooding client).
            await self.in_flight.acquire()
            task = asyncio.ensure_future(self._handle(self._send_message, content))
            task.add_done_callback(lambda _task: self.in_flight.release())
        else:
            handler = {"message.edit": self._edit_message, "message.hide": self._hide_message}
            await self._handle(handler.get(content.get("type")), content)

    async def _handle(self, handler, content):
        with translation.override(self.seat.language):
            try:
                if not isinstance(content, dict):
                    raise ChatRefused("invalid", _("Frames are JSON objects with a type."))
                if handler is None:
                    raise ChatRefused("invalid", _("Unknown frame type."))
                await handler(content)
            except ChatRefused as refused:
                await self._error(refused.code, refused.detail)
            except ChatClosed as closed:
                await self._close(closed.code)

    async def _send_message(self, content):
        message = await database_sync_to_async(chat.chat_message_post)(
            seat=self.seat, body=content.get("body"), client_id=content.get("client_id")
        )
        if message.status == ContentStatus.HELD and not self.closed:
            await self.send_json(
                {
                    "type": "message.held",
                    "message": message_payload(message),
                    "detail": _("A moderator will look at this message before it is shown."),
                }
            )

    async def _edit_message(self, content):
        await database_sync_to_async(chat.chat_message_edit)(
            seat=self.seat, message_id=content.get("id"), body=content.get("body")
        )

    async def _hide_message(self, content):
        await database_sync_to_async(self._hide)(content.get("id"))

    def _hide(self, message_id):
        return chat.chat_message_hide(
            seat=self.seat, message_id=message_id, actor=self.scope.get("user")
        )

    async def _error(self, code: str, detail: str):
        if not self.closed:
            await self.send_json({"type": "error", "code": code, "detail": detail})

    async def _close(self, code: int):
        if not self.closed:
            self.closed = True
            await self.close(code=code)

    # --- events from the room's group -------------------------------------------------

    async def dispatch(self, message):
        # Channels runs close_old_connections in the one database thread before every
        # handler. A room's frames touch no database and arrive once per socket per
        # message: with 200 sockets that hop, not the socket, would set the pace.
        if message["type"] == "chat.frame":
            await self.send(text_data=message["text"])
            return
        await super().dispatch(message)

    async def member_banned(self, event):
        if self.seat is not None and self.seat.member_id == event["member_id"]:
            await self._close(4403)

    async def member_removed(self, event):
        if self.seat is None or self.seat.member_id != event["member_id"]:
            return
        still = await database_sync_to_async(self._open_seat_or_none)()
        if still is None:
            await self._close(4403)

    def _open_seat_or_none(self):
        try:
            return self._open_seat()
        except ChatClosed:
            return None

    # --- presence -----------------------------------------------------------------------

    async def _beat(self):
        # Each socket keeps a phase of its own: sockets that connected together (a room
        # reconnecting after a deploy) would otherwise refresh together, and two hundred
        # writes at once would queue ahead of the room's messages in the database thread.
        await asyncio.sleep(random.uniform(0, HEARTBEAT_SECONDS))
        while True:
            await database_sync_to_async(presence.chat_presence_touch)(
                channel_name=self.channel_name
            )
            await asyncio.sleep(HEARTBEAT_SECONDS)

    async def _presence_soon(self):
        """Coalesce joins and leaves (across server processes, through the cache) into
        one presence frame per room per second."""
        room_id, group = self.seat.room_id, self.seat.group
        first = await sync_to_async(cache.add)(
            f"chat-presence:{room_id}", 1, timeout=PRESENCE_COALESCE
        )
        if first:
            asyncio.ensure_future(_presence_later(self.channel_layer, room_id, group))


async def _presence_later(layer, room_id: int, group: str) -> None:
    await asyncio.sleep(PRESENCE_COALESCE + 0.05)
    count = await database_sync_to_async(presence.chat_presence_count)(room_id=room_id)
    frame = json.dumps({"type": "presence", "count": count})
    await layer.group_send(group, {"type": "chat.frame", "text": frame})


class ModerationConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/moderation/`: the dashboard's queue counts, live."""

    groups_joined: list[str] = []

    async def connect(self):
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.groups_joined = await database_sync_to_async(moderation_groups)(viewer=user)
        if not self.groups_joined:
            await self.close(code=4403)
            return
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self._send_counts()

    async def disconnect(self, code):
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.send_json(
            {"type": "error", "code": "invalid", "detail": _("This socket only listens.")}
        )

    async def queue_changed(self, event):
        await self._send_counts()
        if event.get("added"):
            await self.send_json(
                {"type": "added", "id": event["added"], "community_id": event["community_id"]}
            )
        if event.get("resolved"):
            await self.send_json({"type": "resolved", "id": event["resolved"]})

    async def _send_counts(self):
        from communities.selectors.dashboard import queue_counts

        counts = await database_sync_to_async(queue_counts)(viewer=self.scope["user"])
        await self.send_json({"type": "counts", **counts})


__all__ = ["ChatConsumer", "ModerationConsumer", "moderation_group"]
