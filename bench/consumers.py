"""The ceiling of the chat benchmark: a consumer that only broadcasts.

It speaks the chat protocol's `message.send` → `message.new` like the real room, through
the same Daphne, channel layer and group fan-out, but stores nothing and checks nothing
(no session, no membership, no rate limit, no database). The real room's throughput and
latency against it are what persistence and the rules cost.
"""

import json
from datetime import UTC, datetime
from html import escape
from itertools import count

from channels.generic.websocket import AsyncWebsocketConsumer

GROUP = "bench.ceiling"
_ids = count(1)


class CeilingConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()
        await self.send(text_data=json.dumps({"type": "history", "messages": []}))

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        content = json.loads(text_data)
        frame = {
            "type": "message.new",
            "message": {
                "id": next(_ids),
                "author": {"id": 0, "name": "Ceiling"},
                "body_html": f"<p>{escape(content.get('body', ''))}</p>",
                "created_at": datetime.now(UTC).isoformat(),
                "client_id": content.get("client_id", ""),
            },
        }
        await self.channel_layer.group_send(
            GROUP, {"type": "chat.frame", "text": json.dumps(frame, ensure_ascii=False)}
        )

    async def dispatch(self, message):
        # As the chat room does: a forwarded frame skips Channels' per-handler
        # close_old_connections (a hop to the database thread).
        if message["type"] == "chat.frame":
            await self.send(text_data=message["text"])
            return
        await super().dispatch(message)
