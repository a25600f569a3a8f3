"""The bell over /ws/notifications/: a count on connect, then live updates."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from config.asgi import application
from notifications.consumers import NotificationConsumer

pytestmark = pytest.mark.django_db(transaction=True)


def communicator(user):
    comm = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    comm.scope["user"] = user
    return comm


async def test_anonymous_sockets_are_closed_4401():
    comm = communicator(AnonymousUser())
    connected, code = await comm.connect()
    assert (connected, code) == (False, 4401)


async def test_count_on_connect_then_live_on_notify_and_read(member_factory):
    from notifications.services import notification_mark_read, notify

    member = await sync_to_async(member_factory)()
    other = await sync_to_async(member_factory)()
    await sync_to_async(notify)(recipient=member, kind="communities.mention", title="one")
    comm = communicator(member)
    connected, _code = await comm.connect()
    assert connected
    assert await comm.receive_json_from() == {"type": "unread", "count": 1}
    await sync_to_async(notify)(recipient=member, kind="communities.mention", title="two")
    assert await comm.receive_json_from(timeout=2) == {"type": "unread", "count": 2}
    await sync_to_async(notify)(recipient=other, kind="communities.mention", title="not yours")
    assert await comm.receive_nothing(timeout=0.3)
    await sync_to_async(notification_mark_read)(member=member)
    assert await comm.receive_json_from(timeout=2) == {"type": "unread", "count": 0}
    await comm.disconnect()


async def test_cross_site_origins_are_refused(member_factory):
    comm = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _code = await comm.connect()
    assert not connected


def test_notifications_page_marks_read(client, member_factory):
    from notifications.services import notify

    member = member_factory()
    note = notify(
        recipient=member, kind="communities.mention", title="Hello <b>you</b>", url="/webinars/"
    )
    client.force_login(member)
    page = client.get("/notifications/").content.decode()
    assert "Hello &lt;b&gt;you&lt;/b&gt;" in page
    assert 'id="unread-count" data-socket="/ws/notifications/">1<' in page
    response = client.post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response["Location"] == "/webinars/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize(
    "url",
    [
        "//evil.example",
        "//evil.example/webinars/",
        "https://evil.example/",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "http:evil.example",
    ],
)
def test_opening_a_notification_never_leaves_the_site(client, member_factory, url):
    from notifications.models import Notification
    from notifications.services import notify

    member = member_factory()
    note = notify(recipient=member, kind="communities.mention", title="Hi", url="/webinars/")
    Notification.objects.filter(pk=note.pk).update(url=url)  # e.g. a link built from input
    client.force_login(member)
    response = client.post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_preferences_page_saves_the_matrix(client, member_factory):
    from notifications.preferences import channel_for

    member = member_factory()
    client.force_login(member)
    page = client.get("/notifications/preferences/").content.decode()
    assert "Mentions of you" in page
    data = {"digest_hour": "7", "weekly_day": "4", "channel__communities.mention": "daily"}
    from notifications.categories import CATEGORIES

    for code, category in CATEGORIES.items():
        if not category.hidden:
            data.setdefault(f"channel__{code}", category.default)
    client.post("/notifications/preferences/", data)
    assert channel_for(member, "communities.mention") == "daily"
    assert member.delivery_settings.digest_hour == 7
    data["channel__webinars.registration"] = "off"  # essential: not allowed
    response = client.post("/notifications/preferences/", data)
    assert "Select a valid choice" in response.content.decode()
