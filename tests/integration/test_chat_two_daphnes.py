"""Scale-out: two Daphne processes on the Redis channel layer share one chat room. A
message sent through one reaches a client connected to the other."""

import asyncio
import json
import os
import uuid

import pytest
import websockets
from django.conf import settings
from django.db import connection

from tests.conftest import CI
from tests.servers import BarazaProcesses, run_async, session_cookie

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def layer_redis(request) -> str:
    if not os.environ.get("REDIS_URL") and not CI:
        pytest.skip(
            "two Daphne processes need the Redis channel layer: set REDIS_URL "
            "(CI does; there this test fails when Redis is missing)"
        )
    return request.getfixturevalue("redis_url")  # fails under CI=true without Redis


async def next_frame(socket, kind: str, timeout: float = 10) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == kind:
                return frame


def test_a_message_through_one_daphne_reaches_a_client_of_the_other(
    tmp_path, member_factory, layer_redis
):
    from communities.services.membership import membership_add
    from communities.services.spaces import community_create
    from members.models import Organization, Role

    organization = Organization.objects.create(name="Network", slug="network")
    owner = member_factory(role=Role.STAFF)
    community = community_create(
        creator=owner, organization=organization, slug="scale-out", name="Scale out"
    )
    ama, kofi = member_factory(full_name="Ama Mensah"), member_factory(full_name="Kofi Owusu")
    for person in (ama, kofi):
        membership_add(community=community, member=person)

    prefix = f"t{uuid.uuid4().hex[:10]}"
    env = {
        "REDIS_URL": layer_redis,
        "CHANNEL_PREFIX": prefix,
        "CACHE_PREFIX": prefix,
        "DEBUG": "1",
        # Sessions written here must be valid there (each server would otherwise
        # generate its own key in its own var/ directory).
        "SECRET_KEY": settings.SECRET_KEY,
    }
    servers = [
        BarazaProcesses.create(
            workdir=tmp_path / name, db_settings=connection.settings_dict, extra_env=env
        )
        for name in ("one", "two")
    ]
    cookies = {ama.pk: session_cookie(ama), kofi.pk: session_cookie(kofi)}

    async def scenario():
        def socket(server, member):
            url = server.url.replace("http://", "ws://") + "/ws/communities/scale-out/chat/"
            return websockets.connect(
                url, additional_headers={"Cookie": cookies[member.pk], "Origin": server.url}
            )

        async with socket(servers[0], ama) as sender, socket(servers[1], kofi) as listener:
            await next_frame(sender, "history")
            await next_frame(listener, "history")
            await sender.send(
                json.dumps({"type": "message.send", "body": "Across processes", "client_id": "x1"})
            )
            received = await next_frame(listener, "message.new")
            # The sender gets its own message back, and (presence is shared too) learns
            # that a second person, on the other process, is in the room.
            echoed, crowd = None, 0
            async with asyncio.timeout(10):
                while echoed is None or crowd != 2:
                    frame = json.loads(await sender.recv())
                    if frame["type"] == "message.new":
                        echoed = frame
                    elif frame["type"] == "presence":
                        crowd = frame["count"]
            return received, echoed

    try:
        for server in servers:
            server.start_web()
        received, echoed = run_async(scenario)
    finally:
        for server in servers:
            server.stop()
    assert received == echoed
    assert received["message"]["body_html"] == "<p>Across processes</p>"
    assert received["message"]["author"] == {"id": ama.pk, "name": "Ama Mensah"}
    assert received["message"]["client_id"] == "x1"
