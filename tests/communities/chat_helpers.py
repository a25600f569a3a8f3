"""Talking to the chat consumer as a plain client would (WebsocketCommunicator)."""

import json

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from communities.routing import websocket_urlpatterns

app = URLRouter(websocket_urlpatterns)


def community_path(community) -> str:
    return f"/ws/communities/{community.slug}/chat/"


async def open_socket(path: str, user, session: dict | None = None) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(app, path)
    comm.scope["user"] = user
    if session is not None:
        comm.scope["session"] = session
    connected, _code = await comm.connect(timeout=5)
    assert connected
    return comm


async def frame(comm, kind: str | None = None, timeout: float = 3) -> dict:
    """The next frame (of `kind`, when given), skipping presence updates unless asked."""
    while True:
        data = json.loads(await comm.receive_from(timeout=timeout))
        if kind is None and data["type"] == "presence":
            continue
        if kind is not None and data["type"] != kind:
            continue
        return data


async def joined(comm) -> dict:
    """Read what a socket gets on connect: the history, then its presence count."""
    history = await frame(comm, "history")
    await frame(comm, "presence")
    return history


async def closed_with(comm, timeout: float = 2) -> int:
    while True:
        output = await comm.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


async def nothing_but_presence(comm, timeout: float = 0.3) -> bool:
    """True when nothing but presence frames arrive within `timeout` (the socket lives on)."""
    while not await comm.receive_nothing(timeout=timeout):
        data = json.loads(await comm.receive_from())
        if data["type"] != "presence":
            return False
    return True


async def send(comm, body, client_id="c1", **extra):
    await comm.send_json_to({"type": "message.send", "body": body, "client_id": client_id, **extra})
