"""The embedded channel layer: Channels' InMemoryChannelLayer, cleaning up less often.

Channels walks every channel's queue for expired messages on each receive and each
group send. In a chat room of 200 sockets that walk runs 200 times per message and cost
more than delivering the frames (measured with bench/chat_fanout.py); once a second is
enough to drop messages nobody collected (they expire after 60 s either way).
"""

import time

from channels.layers import InMemoryChannelLayer


class ThrottledInMemoryChannelLayer(InMemoryChannelLayer):
    cleanup_interval = 1.0  # seconds
    _cleaned_at = 0.0

    def _clean_expired(self):
        at = time.monotonic()
        if at - self._cleaned_at < self.cleanup_interval:
            return
        self._cleaned_at = at
        super()._clean_expired()
