"""The embedded broker (kombu's filesystem transport), with acknowledgements.

kombu's filesystem transport deletes a message's file the moment a worker reads it, so
`acks_late` means nothing there: a worker killed mid-task loses the task (a confirmation
never sent, a fan-out stopped half-way). This transport keeps what Redis keeps:

- a message read by a worker moves to `unacked_folder`, its file name prefixed with
  the time it was taken; the worker's ack deletes it;
- a rejected-and-requeued message, or one a worker still held when it shut down
  warm, goes back to the queue (kombu's own restore) and its file is deleted;
- a message no one acknowledged within `visibility_timeout` seconds (its worker was
  killed) goes back to the queue, at its old place, for any worker to take again.

As with Redis, a task running longer than the visibility timeout is delivered a second
time, which is why tasks are idempotent. Queues consumed without acks (a worker's
remote-control mailbox) keep kombu's read-and-delete.
"""

import os
import time
import uuid
from functools import cached_property

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads


class QoS(virtual.QoS):
    def ack(self, delivery_tag):
        self.channel.forget(delivery_tag)
        super().ack(delivery_tag)

    def reject(self, delivery_tag, requeue=False):
        super().reject(delivery_tag, requeue=requeue)  # a requeue puts a copy back first
        self.channel.forget(delivery_tag)


class Channel(filesystem.Channel):
    QoS = QoS
    restore_every = 1.0  # seconds between looks for abandoned messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._taken: dict[str, str] = {}  # delivery tag -> its file in unacked_folder
        self._no_ack_queues: set[str] = set()
        self._looked_at = 0.0

    @cached_property
    def unacked_folder(self) -> str:
        folder = self.transport_options.get("unacked_folder", "unacked")
        os.makedirs(folder, exist_ok=True)
        return folder

    @cached_property
    def visibility_timeout(self) -> float:
        return float(self.transport_options.get("visibility_timeout", 3600))

    def basic_consume(self, queue, no_ack, *args, **kwargs):
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_consume(queue, no_ack, *args, **kwargs)

    def basic_get(self, queue, no_ack=False, **kwargs):
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack:
            self.forget(message.delivery_tag)
        return message

    def _put(self, queue, payload, **kwargs):
        """Write the message under a name no reader looks for, then rename it into the
        queue: a worker never takes a file still being written (kombu writes in place,
        and a worker draining as fast as messages arrive read half-written ones)."""
        name = f"{int(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _get(self, queue):
        if queue in self._no_ack_queues:
            return super()._get(queue)
        self.restore_abandoned()
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            taken = os.path.join(self.unacked_folder, f"{int(time.time() * 1000)}-{name}")
            try:
                os.rename(os.path.join(self.data_folder_in, name), taken)  # one worker wins
            except OSError:
                continue
            with open(taken, "rb") as file:
                payload = loads(bytes_to_str(file.read()))
            self._taken[payload["properties"]["delivery_tag"]] = taken
            return payload
        raise filesystem.Empty()

    def _restore(self, message):
        super()._restore(message)
        self.forget(message.delivery_tag)

    def forget(self, delivery_tag) -> None:
        path = self._taken.pop(delivery_tag, None)
        if path is not None:
            try:
                os.remove(path)
            except FileNotFoundError:
                pass  # it outlived the visibility timeout and went back to the queue

    def restore_abandoned(self) -> int:
        """Put messages unacknowledged for longer than the visibility timeout back."""
        now = time.time()
        if now - self._looked_at < self.restore_every:
            return 0
        self._looked_at = now
        restored = 0
        for name in os.listdir(self.unacked_folder):
            taken_ms, _, original = name.partition("-")
            if not taken_ms.isdigit() or now - int(taken_ms) / 1000 < self.visibility_timeout:
                continue
            try:
                os.rename(
                    os.path.join(self.unacked_folder, name),
                    os.path.join(self.data_folder_in, original),
                )
            except OSError:
                continue  # another worker put it back first
            restored += 1
        return restored


class Transport(filesystem.Transport):
    Channel = Channel
