"""The embedded channel layer's relay: group sends of a process that serves no sockets
(the worker, a shell) reach the groups of the one that does, through a Unix socket.

Here both ends are layers in this process talking over a real socket; the integration
tests (tests/integration/test_live_bell.py, test_ban_from_another_process.py) run them
in separate processes."""

import asyncio
import json
import logging
import socket
from datetime import datetime

import msgpack
import pytest
from channels.layers import channel_layers, get_channel_layer
from channels.testing import HttpCommunicator

from config.channel_layers import (
    MAX_FRAME,
    EmbeddedChannelLayer,
    decode_payload,
    encode_frame,
    socket_address,
)


@pytest.fixture
async def layers(tmp_path):
    """make(path=None) -> a layer relaying through `path` (tmp_path/channels.sock)."""
    made = []

    def make(path=None) -> EmbeddedChannelLayer:
        layer = EmbeddedChannelLayer(relay_socket=str(path or tmp_path / "channels.sock"))
        made.append(layer)
        return layer

    yield make
    for layer in made:
        await layer.close()
    await asyncio.sleep(0.01)  # the servers' connection handlers see their ends close


async def listening(layer: EmbeddedChannelLayer, group: str) -> str:
    """A channel of `layer`'s, in `group`."""
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return channel


async def received(layer, channel, timeout: float = 2) -> dict:
    return await asyncio.wait_for(layer.receive(channel), timeout)


async def nothing_on(layer, channel, timeout: float = 0.2) -> bool:
    try:
        await asyncio.wait_for(layer.receive(channel), timeout)
    except TimeoutError:
        return True
    return False


# --- frames ---------------------------------------------------------------------------


def test_a_frame_is_a_length_then_the_group_and_message():
    message = {"type": "chat.frame", "text": "Sawubona 👋 — ça va?", "raw": b"\x00\xff", "n": 7}
    frame = encode_frame("community.42", message)
    assert int.from_bytes(frame[:4], "big") == len(frame) - 4
    assert decode_payload(frame[4:]) == ("community.42", message)


def test_what_msgpack_cannot_carry_is_refused_as_on_redis():
    with pytest.raises(TypeError):
        encode_frame("user.7", {"type": "notifications.count", "at": datetime(2026, 1, 1)})


def test_a_message_over_the_frame_limit_is_refused():
    with pytest.raises(ValueError, match="over the relay"):
        encode_frame("user.7", {"type": "x", "text": "a" * MAX_FRAME})


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"\xc1",  # never used in msgpack
        b"not msgpack at all",
        encode_frame("g", {"type": "x"})[4:] + b"\x01",  # trailing bytes
        msgpack.packb(["g"]),
        msgpack.packb(["g", "not a dict"]),
        msgpack.packb([7, {"type": "x"}]),
        msgpack.packb(["g", {"no": "type"}]),
        msgpack.packb(["g", {"type": 3}]),
        msgpack.packb({"group": "g"}),
    ],
)
def test_anything_but_a_group_and_a_typed_message_is_refused(payload):
    with pytest.raises(ValueError):
        decode_payload(payload)


# --- forwarding -----------------------------------------------------------------------


async def test_a_group_send_elsewhere_reaches_the_servers_group_once(layers):
    server, worker = layers(), layers()
    await server.relay_listen()
    assert server.relay_state.startswith("listening on ")
    ama, kofi = await listening(server, "user.7"), await listening(server, "user.8")

    await worker.group_send("user.7", {"type": "notifications.count", "unread": 3})

    assert await received(server, ama) == {"type": "notifications.count", "unread": 3}
    assert await nothing_on(server, ama)
    assert await nothing_on(server, kofi)


async def test_the_server_delivers_its_own_sends_here_and_forwards_nothing(layers, tmp_path):
    server = layers()
    await server.relay_listen()
    channel = await listening(server, "community.1")
    await server.group_send("community.1", {"type": "member.banned", "member_id": 5})
    assert await received(server, channel) == {"type": "member.banned", "member_id": 5}
    assert await nothing_on(server, channel)
    assert server._relay_client._sock is None


async def test_sends_keep_their_order_over_one_connection(layers):
    server, worker = layers(), layers()
    await server.relay_listen()
    channel = await listening(server, "community.3")
    for n in range(50):
        await worker.group_send("community.3", {"type": "chat.frame", "text": str(n)})
    got = [(await received(server, channel))["text"] for _ in range(50)]
    assert got == [str(n) for n in range(50)]


async def test_with_no_server_a_send_is_dropped_with_a_debug_line(layers, tmp_path, caplog):
    worker = layers()
    elsewhere = layers(tmp_path / "no" / "such" / "dir" / "channels.sock")
    local = await listening(worker, "user.7")
    with caplog.at_level(logging.DEBUG, logger="config.channel_layers"):
        await asyncio.wait_for(worker.group_send("user.7", {"type": "x"}), 2)
        await asyncio.wait_for(elsewhere.group_send("user.7", {"type": "x"}), 2)
    assert [r.levelname for r in caplog.records] == ["DEBUG", "DEBUG"]
    assert "live event dropped" in caplog.records[0].getMessage()
    # What is in this process still gets it.
    assert await received(worker, local) == {"type": "x"}


async def test_a_socket_left_by_a_stopped_server_is_refused_then_replaced(layers, tmp_path):
    path = tmp_path / "channels.sock"
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # bound, never listening: what a killed server leaves behind
    stale.close()
    worker = layers()
    await asyncio.wait_for(worker.group_send("user.7", {"type": "x"}), 2)  # refused, dropped

    server = layers()
    await server.relay_listen()
    assert server.relay_state == f"listening on {path}"
    channel = await listening(server, "user.7")
    await worker.group_send("user.7", {"type": "after"})
    assert await received(server, channel) == {"type": "after"}


async def test_a_restarted_server_gets_the_next_send_on_a_fresh_connection(layers):
    first, worker = layers(), layers()
    await first.relay_listen()
    channel = await listening(first, "user.7")
    await worker.group_send("user.7", {"type": "before"})
    assert await received(first, channel) == {"type": "before"}
    await first.close()
    await asyncio.sleep(0.05)  # the server's end of the kept connection closes

    second = layers()
    await second.relay_listen()
    channel = await listening(second, "user.7")
    await worker.group_send("user.7", {"type": "after"})
    assert await received(second, channel) == {"type": "after"}


async def test_a_second_server_on_the_same_socket_forwards_to_the_first(layers, caplog):
    first, second = layers(), layers()
    await first.relay_listen()
    with caplog.at_level(logging.WARNING, logger="config.channel_layers"):
        await second.relay_listen()
    assert second.relay_state.startswith("not listening: another process serves ")
    assert "forwards instead" in caplog.text
    channel = await listening(first, "user.7")
    await second.group_send("user.7", {"type": "x"})
    assert await received(first, channel) == {"type": "x"}


async def test_a_var_dir_too_deep_for_a_unix_socket_path_still_relays(layers, tmp_path):
    deep = tmp_path / ("var-" + "v" * 60) / ("x" * 60)
    deep.mkdir(parents=True)
    path = deep / "channels.sock"
    assert len(str(path)) > 108
    assert len(socket_address(str(path))) <= 100
    server, worker = layers(path), layers(path)
    await server.relay_listen()
    assert server.relay_state == f"listening on {path}"
    assert path.exists()
    channel = await listening(server, "user.7")
    await worker.group_send("user.7", {"type": "x"})
    assert await received(server, channel) == {"type": "x"}


async def test_bad_frames_are_dropped_and_the_server_serves_on(layers, tmp_path):
    server = layers()
    await server.relay_listen()
    channel = await listening(server, "user.7")
    address = str(tmp_path / "channels.sock")

    reader, writer = await asyncio.open_unix_connection(address)
    writer.write((MAX_FRAME + 1).to_bytes(4, "big"))  # too big: the connection is closed
    await writer.drain()
    assert await asyncio.wait_for(reader.read(), 2) == b""

    reader, writer = await asyncio.open_unix_connection(address)
    junk = b"\xc1junk"
    hostile = encode_frame("user.7", {"type": "x"})[4:].replace(b"user.7", b"user!7")
    for payload in (junk, hostile):  # undecodable; an invalid group name
        writer.write(len(payload).to_bytes(4, "big") + payload)
    writer.write(encode_frame("user.7", {"type": "good"}))  # same connection, still read
    await writer.drain()
    assert await received(server, channel) == {"type": "good"}
    writer.close()


# --- the server process and /healthz ----------------------------------------------------


@pytest.fixture
def relay_settings(settings, tmp_path):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "config.channel_layers.EmbeddedChannelLayer",
            "CONFIG": {"relay_socket": str(tmp_path / "channels.sock")},
        }
    }
    channel_layers.backends.clear()
    yield tmp_path / "channels.sock"
    layer = channel_layers.backends.get("default")
    if layer is not None and layer._relay_server is not None:
        layer._relay_server.close()
    channel_layers.backends.clear()


async def healthz() -> tuple[int, dict]:
    from config.asgi import application

    communicator = HttpCommunicator(
        application, "GET", "/healthz", headers=[(b"host", b"testserver")]
    )
    response = await communicator.get_response(timeout=10)
    return response["status"], json.loads(response["body"])


@pytest.mark.django_db(transaction=True)
async def test_the_asgi_server_serves_the_relay_and_healthz_checks_it(relay_settings):
    status, body = await healthz()
    assert (status, body["checks"]["channel_layer"]) == (200, "ok")
    layer = get_channel_layer()
    assert layer.relay_state == f"listening on {relay_settings}"

    worker = EmbeddedChannelLayer(relay_socket=str(relay_settings))
    channel = await listening(layer, "user.7")
    await worker.group_send("user.7", {"type": "x"})
    assert await received(layer, channel) == {"type": "x"}
    worker._relay_client.close()


@pytest.mark.django_db(transaction=True)
async def test_healthz_says_when_another_process_serves_the_relay(relay_settings):
    holder = EmbeddedChannelLayer(relay_socket=str(relay_settings))
    await holder.relay_listen()
    try:
        status, body = await healthz()
    finally:
        await holder.close()
    assert status == 503
    assert body["failed"] == ["channel_layer"]
    assert body["checks"]["channel_layer"] == (
        "error: RuntimeError: this process serves no relay"
        f" (not listening: another process serves {relay_settings})"
    )
