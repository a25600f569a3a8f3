"""A notification created in another process rings the bell on a socket Daphne holds:
through the embedded layer's relay socket in var/ by default, through Redis when
REDIS_URL is set (CI runs both)."""

import asyncio
import json
import re

import httpx
import pytest
import websockets
from django.db import connection

from tests.servers import BarazaProcesses, run_async, session_cookie

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


async def next_unread(socket, timeout: float) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


def bell(servers, cookie: str):
    url = servers.url.replace("http://", "ws://") + "/ws/notifications/"
    return websockets.connect(url, additional_headers={"Cookie": cookie, "Origin": servers.url})


def test_notification_from_this_process_reaches_a_socket_on_daphne(
    tmp_path, member_factory, layer_of
):
    from notifications.services import notify

    member = member_factory()
    servers = BarazaProcesses.create(workdir=tmp_path, db_settings=connection.settings_dict)
    servers.start_web()
    layer_of(servers)  # this process shares the server's var/ (or Redis), as a shell would
    cookie = session_cookie(member)

    async def scenario():
        async with bell(servers, cookie) as socket:
            assert await next_unread(socket, 10) == {"type": "unread", "count": 0}
            await asyncio.to_thread(
                notify, recipient=member, kind="communities.mention", title="live"
            )
            return await next_unread(socket, 10)

    try:
        assert run_async(scenario) == {"type": "unread", "count": 1}
    finally:
        servers.stop()


def test_a_reply_notice_made_by_the_worker_rings_the_thread_authors_bell(tmp_path, member_factory):
    from communities.services.membership import membership_add
    from communities.services.posts import thread_create
    from communities.services.spaces import community_create
    from members.models import Organization, Role

    organization = Organization.objects.create(name="Network", slug="network")
    owner = member_factory(role=Role.STAFF)
    community = community_create(
        creator=owner, organization=organization, slug="cash-transfers", name="Cash transfers"
    )
    ama, kofi = member_factory(full_name="Ama Mensah"), member_factory(full_name="Kofi Owusu")
    for person in (ama, kofi):
        membership_add(community=community, member=person)
    thread = thread_create(community=community, author=ama, title="Targeting", body="How?")
    thread_path = f"/communities/{community.slug}/threads/{thread.pk}/"

    servers = BarazaProcesses.create(workdir=tmp_path, db_settings=connection.settings_dict)
    ama_cookie, kofi_cookie = session_cookie(ama), session_cookie(kofi)

    def reply_as_kofi() -> httpx.Response:
        name, value = kofi_cookie.split("=", 1)
        with httpx.Client(base_url=servers.url, cookies={name: value}) as browser:
            page = browser.get(thread_path)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            return browser.post(
                thread_path + "reply/",
                data={"csrfmiddlewaretoken": token.group(1), "body": "Proxy means tests."},
                headers={"Referer": servers.url + thread_path},
            )

    async def scenario():
        async with bell(servers, ama_cookie) as socket:
            assert await next_unread(socket, 10) == {"type": "unread", "count": 0}
            response = await asyncio.to_thread(reply_as_kofi)
            assert response.status_code == 302, response.text[:2000]
            return await next_unread(socket, 30)

    try:
        servers.start_web()
        servers.start_worker()
        assert run_async(scenario) == {"type": "unread", "count": 1}
        assert "communities.tasks.post_published" in servers.log("worker"), "the worker did it"
    finally:
        servers.stop()
    notice = ama.notifications.get()
    assert notice.kind == "communities.reply"
