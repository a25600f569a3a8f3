"""A notification created in one process reaches a browser's socket held by another
(Daphne on the Redis channel layer in CI; skipped without Redis)."""

import asyncio
import json
import os

import pytest
import websockets
from django.db import connection

from tests.servers import BarazaProcesses, run_async, session_cookie

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_notification_from_this_process_reaches_a_socket_on_daphne(
    tmp_path, member_factory, redis_url
):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs the Redis channel layer in both processes (REDIS_URL); CI sets it")
    from notifications.services import notify

    member = member_factory()
    servers = BarazaProcesses.create(workdir=tmp_path, db_settings=connection.settings_dict)
    servers.start_web()
    cookie = session_cookie(member)

    async def scenario():
        url = servers.url.replace("http://", "ws://") + "/ws/notifications/"
        async with websockets.connect(
            url, additional_headers={"Cookie": cookie, "Origin": servers.url}
        ) as socket:
            assert json.loads(await asyncio.wait_for(socket.recv(), 10)) == {
                "type": "unread",
                "count": 0,
            }
            await asyncio.to_thread(
                notify, recipient=member, kind="communities.mention", title="live"
            )
            return json.loads(await asyncio.wait_for(socket.recv(), 10))

    try:
        assert run_async(scenario) == {"type": "unread", "count": 1}
    finally:
        servers.stop()
