"""The embedded channel layer: Channels' InMemoryChannelLayer, made cheaper for big groups.

Two costs of the stock layer grow with the number of sockets, and a 200-socket chat room
(bench/chat_fanout.py) spent more on them than on delivering the frames:

- it walks every channel's queue for expired messages on each receive and group send
  (200 walks per chat message); once a second is enough to drop what nobody collected;
- group_send creates one asyncio task per channel, although putting a message on an
  in-memory queue never waits; here it puts them in a plain loop.

Semantics are the stock layer's: messages are copied per channel, a full channel drops
the message (as channels' group_send does), expiry and group expiry still apply.
"""

import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer


class EmbeddedChannelLayer(InMemoryChannelLayer):
    cleanup_interval = 1.0  # seconds
    _cleaned_at = 0.0

    def _clean_expired(self):
        at = time.monotonic()
        if at - self._cleaned_at < self.cleanup_interval:
            return
        self._cleaned_at = at
        super()._clean_expired()

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, {})):
            try:
                await self.send(channel, message)
            except ChannelFull:
                pass
