"""The embedded channel layer: Channels' InMemoryChannelLayer, made cheaper for big groups,
with a relay so that group sends from other processes reach the server's sockets.

Two costs of the stock layer grow with the number of sockets, and a 200-socket chat room
(bench/chat_fanout.py) spent more on them than on delivering the frames:

- it walks every channel's queue for expired messages on each receive and group send
  (200 walks per chat message); once a second is enough to drop what nobody collected;
- group_send creates one asyncio task per channel, although putting a message on an
  in-memory queue never waits; here it puts them in a plain loop.

Semantics are the stock layer's: messages are copied per channel, a full channel drops
the message (as channels' group_send does), expiry and group expiry still apply.

The relay. An in-memory layer lives in one process, but notices and moderator alerts are
made in the Celery worker and bans may come from a shell. So the process that serves
ASGI (Daphne; `serving_relay` wraps its application) listens on a Unix socket in var/
(`relay_socket`), and every other process hands its group sends to it: one frame each,
a 4-byte length then msgpack `[group, message]`, over one kept-open connection. The
server fans them out as if they had been sent there. With no server listening a
forwarded send is dropped (a debug log line), never raised and never waited on for more
than CLIENT_TIMEOUT: nobody is connected to receive it anyway. Only `group_send` is
relayed (`send` to a specific channel stays in the process).

One server per var/: a lock file next to the socket decides which process serves; a
second Daphne on the same var/ serves no relay and says so on /healthz. Several web
processes are what the Redis layer is for.
"""

import asyncio
import errno
import fcntl
import logging
import os
import socket
import threading
import time
import uuid

import msgpack
from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

MAX_FRAME = 1 << 20  # bytes of one message; a chat frame is a few KiB at most
CLIENT_TIMEOUT = 0.5  # seconds a forwarding process waits to connect or write
SUN_PATH_MAX = 100  # sockaddr_un holds 108 bytes on Linux, 104 on macOS


def encode_frame(group: str, message: dict) -> bytes:
    """One relayed group send. TypeError for what msgpack cannot carry (as the Redis layer
    raises), ValueError past MAX_FRAME."""
    payload = msgpack.packb([group, message], use_bin_type=True)
    if len(payload) > MAX_FRAME:
        raise ValueError(f"message of {len(payload)} bytes is over the relay's {MAX_FRAME}")
    return len(payload).to_bytes(4, "big") + payload


def decode_payload(payload: bytes) -> tuple[str, dict]:
    """ValueError for anything but `[group, message]` with a typed message."""
    try:
        decoded = msgpack.unpackb(payload, raw=False)
    except (ValueError, TypeError) as exc:  # msgpack's errors derive from ValueError
        raise ValueError(f"not msgpack: {exc}") from exc
    if not (isinstance(decoded, list) and len(decoded) == 2):
        raise ValueError("not a [group, message] pair")
    group, message = decoded
    if not isinstance(group, str) or not isinstance(message, dict):
        raise ValueError("not a [group, message] pair")
    if not isinstance(message.get("type"), str):
        raise ValueError("message has no type")
    return group, message


_directory_fds: dict[tuple[int, str], int] = {}


def socket_address(path: str) -> str:
    """What to bind or connect to for `path`. A path too long for sockaddr_un (a deep
    var/, a test's tmp dir) is reached through a descriptor of its directory
    (/proc/self/fd/N/name, Linux); without /proc, OSError(ENAMETOOLONG)."""
    if len(os.fsencode(path)) <= SUN_PATH_MAX:
        return path
    directory, name = os.path.split(path)
    if not os.path.isdir("/proc/self/fd"):
        raise OSError(errno.ENAMETOOLONG, "relay socket path too long for AF_UNIX", path)
    key = (os.getpid(), directory)
    if key not in _directory_fds:
        _directory_fds[key] = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    short = f"/proc/self/fd/{_directory_fds[key]}/{name}"
    if len(os.fsencode(short)) > SUN_PATH_MAX:
        raise OSError(errno.ENAMETOOLONG, "relay socket name too long for AF_UNIX", path)
    return short


class RelayClient:
    """Forwards frames to the relay server over one connection per process, opened on
    first use and opened again once when it broke (the server restarted)."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._pid = 0

    def send(self, frame: bytes) -> bool:
        """True when the frame was handed to a listening server."""
        with self._lock:
            if self._pid != os.getpid():
                self.close()  # a forked child's copy of its parent's connection
            error: OSError | None = None
            for _attempt in (1, 2):
                fresh = self._sock is None
                try:
                    if fresh:
                        self._sock = self._connect()
                    self._sock.sendall(frame)
                    return True
                except OSError as exc:
                    self.close()
                    error = exc
                    if fresh:
                        break  # nobody listening: no second try
                    # else the kept connection broke (the server restarted): one fresh try
            logger.debug("no channel relay at %s (%s): live event dropped", self.path, error)
            return False

    def _connect(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(CLIENT_TIMEOUT)
        try:
            sock.connect(socket_address(self.path))
        except OSError:
            sock.close()
            raise
        self._pid = os.getpid()
        return sock

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


class RelayServer:
    """Listens on the relay socket inside the server's event loop; each frame read is
    group-sent on the local layer."""

    def __init__(self, layer: "EmbeddedChannelLayer", path: str):
        self.layer = layer
        self.path = path
        self._lock_fd: int | None = None
        self._server: asyncio.AbstractServer | None = None
        self._address = ""
        self._connections: set[asyncio.StreamWriter] = set()

    async def start(self) -> str:
        """The relay's state: "listening on …", or why not."""
        try:
            lock_fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            return f"not listening: {exc}"
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock_fd)
            return f"not listening: another process serves {self.path}"
        self._lock_fd = lock_fd
        try:
            self._address = socket_address(self.path)
            try:
                os.unlink(self._address)  # left by a server that stopped; we hold the lock
            except FileNotFoundError:
                pass
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.bind(self._address)
                os.chmod(self._address, 0o600)
                sock.listen(64)
                sock.setblocking(False)
                self._server = await asyncio.start_unix_server(self._serve, sock=sock)
            except BaseException:
                sock.close()
                raise
        except OSError as exc:
            self.close()
            return f"not listening: {exc}"
        return f"listening on {self.path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(writer)
        try:
            while True:
                size = int.from_bytes(await reader.readexactly(4), "big")
                if size > MAX_FRAME:
                    logger.warning("channel relay: a %d-byte frame; connection closed", size)
                    return
                payload = await reader.readexactly(size)
                try:
                    group, message = decode_payload(payload)
                    await self.layer.group_send_here(group, message)
                except (ValueError, TypeError) as exc:
                    logger.warning("channel relay: frame dropped: %s", exc)
        except (asyncio.IncompleteReadError, ConnectionError):
            return  # the sending process went away
        finally:
            self._connections.discard(writer)
            writer.close()

    def close(self) -> None:
        for writer in list(self._connections):
            writer.close()  # as a stopping process's would be: senders connect afresh
        if self._server is not None:
            self._server.close()
            self._server = None
            try:
                os.unlink(self._address)
            except OSError:
                pass
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


class EmbeddedChannelLayer(InMemoryChannelLayer):
    cleanup_interval = 1.0  # seconds
    _cleaned_at = 0.0

    def __init__(self, relay_socket: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.relay_socket = relay_socket
        self.relay_state = f"forwarding to {relay_socket}" if relay_socket else "off"
        self._relay_client = RelayClient(relay_socket) if relay_socket else None
        self._relay_server: RelayServer | None = None
        self._relay_started = False

    def _clean_expired(self):
        at = time.monotonic()
        if at - self._cleaned_at < self.cleanup_interval:
            return
        self._cleaned_at = at
        super()._clean_expired()

    async def group_send(self, group, message):
        await self.group_send_here(group, message)
        if self._relay_client is not None and self._relay_server is None:
            try:
                frame = encode_frame(group, message)
            except ValueError as exc:
                logger.warning("channel relay: not forwarded to %s: %s", group, exc)
                return
            self._relay_client.send(frame)

    async def group_send_here(self, group, message):
        """To the group's channels in this process only."""
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, {})):
            try:
                await self.send(channel, message)
            except ChannelFull:
                pass

    # --- the relay ----------------------------------------------------------------------

    async def relay_listen(self) -> None:
        """Serve the relay from this process (once; called inside the server's loop)."""
        if self._relay_started or self.relay_socket is None:
            return
        self._relay_started = True
        server = RelayServer(self, self.relay_socket)
        self.relay_state = await server.start()
        if self.relay_state.startswith("listening"):
            self._relay_server = server
            self._relay_client.close()
        else:
            logger.warning("channel relay %s; this process forwards instead", self.relay_state)

    async def relay_check(self) -> None:
        """A group send through the relay socket comes back (for /healthz); RuntimeError
        naming the state when this process serves no relay."""
        if self.relay_socket is None:
            return
        if self._relay_server is None:
            raise RuntimeError(f"this process serves no relay ({self.relay_state})")
        group, token = f"healthz.relay.{uuid.uuid4().hex}", uuid.uuid4().hex
        channel = await self.new_channel("healthz.")
        await self.group_add(group, channel)
        try:
            _, writer = await asyncio.open_unix_connection(socket_address(self.relay_socket))
            writer.write(encode_frame(group, {"type": "healthz.ping", "token": token}))
            await writer.drain()
            writer.close()
            message = await self.receive(channel)
        finally:
            await self.group_discard(group, channel)
        if message.get("token") != token:
            raise RuntimeError("relay round trip returned another message")

    async def close(self):
        if self._relay_server is not None:
            self._relay_server.close()
            self._relay_server = None
        if self._relay_client is not None:
            self._relay_client.close()


def serving_relay(application):
    """Wraps the ASGI application: the process that serves it (Daphne) is the one whose
    embedded layer listens for other processes' group sends, from its first request on,
    inside its event loop."""

    async def app(scope, receive, send):
        layer = get_channel_layer()
        if isinstance(layer, EmbeddedChannelLayer) and not layer._relay_started:
            await layer.relay_listen()
        return await application(scope, receive, send)

    return app
