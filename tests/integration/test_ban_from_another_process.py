"""A ban issued outside the server process (here `manage.py shell`, as an operator
would) closes the banned member's chat socket held by Daphne: through the embedded
layer's relay socket by default, through Redis when REDIS_URL is set (CI runs both)."""

import asyncio
import json

import pytest
import websockets
from django.db import connection

from tests.servers import BarazaProcesses, run_async, session_cookie

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BAN = """
from communities.models import Community
from communities.services.discipline import member_ban
from members.models import Member
member_ban(
    community=Community.objects.get(slug="cash-transfers"),
    member_id={banned},
    actor=Member.objects.get(pk={moderator}),
    reason="Spam",
)
"""


def test_a_ban_from_the_shell_closes_the_members_chat_socket(tmp_path, member_factory):
    from communities.services.membership import membership_add
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
    servers = BarazaProcesses.create(workdir=tmp_path, db_settings=connection.settings_dict)
    cookies = {ama.pk: session_cookie(ama), kofi.pk: session_cookie(kofi)}

    async def scenario():
        def socket(member):
            url = servers.url.replace("http://", "ws://") + "/ws/communities/cash-transfers/chat/"
            return websockets.connect(
                url, additional_headers={"Cookie": cookies[member.pk], "Origin": servers.url}
            )

        async with socket(ama) as banned, socket(kofi) as bystander:
            for each in (banned, bystander):
                assert json.loads(await asyncio.wait_for(each.recv(), 10))["type"] == "history"
            shell = await asyncio.to_thread(
                servers.manage, "shell", "-c", BAN.format(banned=ama.pk, moderator=owner.pk)
            )
            assert shell.returncode == 0, shell.stdout
            with pytest.raises(websockets.ConnectionClosed) as closed:
                async with asyncio.timeout(10):
                    while True:
                        await banned.recv()
            # Kofi stays: his socket still answers.
            await bystander.send(json.dumps({"type": "nonsense"}))
            async with asyncio.timeout(10):
                while (frame := json.loads(await bystander.recv()))["type"] != "error":
                    pass
            return closed.value.rcvd.code, frame["code"]

    try:
        servers.start_web()
        assert run_async(scenario) == (4403, "invalid")
    finally:
        servers.stop()
