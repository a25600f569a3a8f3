"""The chat websocket protocol, exactly as a plain client sees it."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from communities.models import ChatMessage, ChatRoom, ContentStatus, ModerationAction
from tests.communities.chat_helpers import (
    closed_with,
    community_path,
    frame,
    joined,
    nothing_but_presence,
    open_socket,
    send,
)

pytestmark = pytest.mark.django_db(transaction=True)


def db(function):
    return database_sync_to_async(function)


async def test_anonymous_sockets_are_closed_4401(community):
    comm = await open_socket(community_path(community), AnonymousUser())
    assert await closed_with(comm) == 4401


@pytest.mark.parametrize("visibility", ["members", "hidden"])
async def test_non_members_of_a_private_community_are_closed_4403(
    community_factory, outsider, visibility
):
    policy = "invite" if visibility == "hidden" else "request"
    private = await db(community_factory)(visibility=visibility, join_policy=policy)
    comm = await open_socket(community_path(private), outsider)
    assert await closed_with(comm) == 4403


async def test_unknown_room_is_closed_4404(outsider):
    comm = await open_socket("/ws/communities/no-such-place/chat/", outsider)
    assert await closed_with(comm) == 4404


async def test_history_is_the_last_50_visible_messages_oldest_first(community, ama):
    room = await db(ChatRoom.objects.get)(community=community)

    def fill():
        start = datetime(2027, 3, 1, tzinfo=UTC)
        rows = [
            ChatMessage(
                room=room,
                author=ama,
                author_name="Ama Mensah",
                body=f"message {i}",
                body_html=f"<p>message {i}</p>",
                created_at=start + timedelta(minutes=i),
                status=ContentStatus.HIDDEN if i == 54 else ContentStatus.VISIBLE,
            )
            for i in range(55)
        ]
        ChatMessage.objects.bulk_create(rows)

    await db(fill)()
    comm = await open_socket(community_path(community), ama)
    history = await joined(comm)
    assert history["type"] == "history"
    bodies = [m["body_html"] for m in history["messages"]]
    assert len(bodies) == 50
    assert bodies[0] == "<p>message 4</p>" and bodies[-1] == "<p>message 53</p>"  # 54 is hidden
    first = history["messages"][0]
    assert set(first) == {"id", "author", "body_html", "created_at", "edited", "client_id"}
    assert first["author"] == {"id": ama.pk, "name": "Ama Mensah"}
    assert first["created_at"] == "2027-03-01T00:04:00+00:00"
    await comm.disconnect()


async def test_a_message_is_stored_then_broadcast_to_everyone_in_the_room(community, ama, kofi):
    sender = await open_socket(community_path(community), ama)
    listener = await open_socket(community_path(community), kofi)
    await joined(sender)
    await joined(listener)

    await send(sender, "Hello **Sahel**", client_id="abc-1")
    received = await frame(listener, "message.new")
    echoed = await frame(sender, "message.new")
    assert received == echoed
    message = received["message"]
    stored = await db(ChatMessage.objects.get)(pk=message["id"])
    assert stored.body == "Hello **Sahel**" and stored.status == ContentStatus.VISIBLE
    assert message["author"] == {"id": ama.pk, "name": "Ama Mensah"}
    assert message["body_html"] == "<p>Hello <strong>Sahel</strong></p>"
    assert message["client_id"] == "abc-1"
    created = datetime.fromisoformat(message["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert abs((created - stored.created_at).total_seconds()) < 0.001
    await sender.disconnect()
    await listener.disconnect()


async def test_a_message_too_long_is_refused_and_not_stored(community, ama):
    comm = await open_socket(community_path(community), ama)
    await joined(comm)
    await send(comm, "x" * 2001)
    error = await frame(comm)
    assert error["type"] == "error" and error["code"] == "too_long" and error["detail"]
    await send(comm, "y" * 2000)
    assert (await frame(comm))["type"] == "message.new"
    assert await db(ChatMessage.objects.count)() == 1
    await comm.disconnect()


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "message.send", "body": "   "},
        {"type": "message.send", "body": 42},
        {"type": "message.send"},
        {"type": "message.send", "body": "hi", "client_id": "x" * 65},
        {"type": "message.shout", "body": "hi"},
        ["not", "an", "object"],
    ],
)
async def test_malformed_frames_get_invalid_and_store_nothing(community, ama, payload):
    comm = await open_socket(community_path(community), ama)
    await joined(comm)
    await comm.send_json_to(payload)
    error = await frame(comm)
    assert (error["type"], error["code"]) == ("error", "invalid")
    await comm.send_to(text_data="{not json")
    assert (await frame(comm))["code"] == "invalid"
    assert await db(ChatMessage.objects.count)() == 0
    await comm.disconnect()


async def test_muted_members_get_muted_and_nothing_is_stored(community, ama, moderator):
    from communities.services.discipline import member_mute

    comm = await open_socket(community_path(community), ama)
    await joined(comm)
    await db(member_mute)(
        community=community,
        member_id=ama.pk,
        actor=moderator,
        reason="Cool down",
        duration=timedelta(hours=1),
    )
    await send(comm, "but why")
    error = await frame(comm)
    assert (error["type"], error["code"]) == ("error", "muted")
    assert await db(ChatMessage.objects.count)() == 0
    await comm.disconnect()


async def test_a_public_community_can_be_read_by_non_members_who_cannot_speak(community, outsider):
    comm = await open_socket(community_path(community), outsider)
    history = await joined(comm)
    assert history["messages"] == []
    await send(comm, "hello?")
    error = await frame(comm)
    assert error["code"] == "muted"
    assert "Join" in error["detail"]
    await comm.disconnect()


async def test_the_sixth_message_in_ten_seconds_is_rate_limited(community, ama):
    comm = await open_socket(community_path(community), ama)
    await joined(comm)
    for index in range(5):
        await send(comm, f"message {index}", client_id=str(index))
        assert (await frame(comm))["type"] == "message.new"
    await send(comm, "one too many", client_id="6")
    error = await frame(comm)
    assert (error["type"], error["code"]) == ("error", "rate_limited")
    assert await db(ChatMessage.objects.count)() == 5
    await comm.disconnect()


async def test_slow_mode_allows_one_message_per_interval(community, ama, moderator):
    from communities.services.chat import room_set_slow_mode

    await db(room_set_slow_mode)(community=community, actor=moderator, seconds=30)
    comm = await open_socket(community_path(community), ama)
    await joined(comm)
    await send(comm, "first")
    assert (await frame(comm))["type"] == "message.new"
    await send(comm, "second")
    error = await frame(comm)
    assert error["code"] == "rate_limited"
    assert "30" in error["detail"]
    # Moderators are not slowed down.
    mod = await open_socket(community_path(community), moderator)
    await joined(mod)
    for text in ("announcement", "and another"):
        await send(mod, text)
        assert (await frame(mod, "message.new"))["message"]["body_html"] == f"<p>{text}</p>"
    await comm.disconnect()
    await mod.disconnect()


async def test_a_member_banned_while_connected_is_disconnected_within_a_second(
    community, ama, kofi, moderator
):
    from communities.services.discipline import member_ban

    banned = await open_socket(community_path(community), ama)
    stays = await open_socket(community_path(community), kofi)
    await joined(banned)
    await joined(stays)
    await db(member_ban)(community=community, member_id=ama.pk, actor=moderator, reason="Spam")
    assert await closed_with(banned, timeout=1) == 4403
    assert await nothing_but_presence(stays)
    # and cannot come back
    again = await open_socket(community_path(community), ama)
    assert await closed_with(again) == 4403
    await stays.disconnect()


async def test_removal_from_a_members_only_community_disconnects(
    community_factory, member_factory, join, partner
):
    from communities.services.discipline import member_remove

    private = await db(community_factory)(visibility="members", join_policy="request")
    person = await db(member_factory)()
    await db(join)(private, person)
    comm = await open_socket(community_path(private), person)
    await joined(comm)
    await db(member_remove)(community=private, member_id=person.pk, actor=partner)
    assert await closed_with(comm, timeout=1) == 4403


async def test_moderators_hide_messages_live_for_everyone(community, ama, kofi, moderator):
    author = await open_socket(community_path(community), ama)
    mod = await open_socket(community_path(community), moderator)
    await joined(author)
    await joined(mod)
    await send(author, "buy my course")
    message_id = (await frame(author, "message.new"))["message"]["id"]
    await frame(mod, "message.new")

    # a member cannot hide
    reader = await open_socket(community_path(community), kofi)
    await joined(reader)
    await reader.send_json_to({"type": "message.hide", "id": message_id})
    assert (await frame(reader, "error"))["code"] == "invalid"

    await mod.send_json_to({"type": "message.hide", "id": message_id})
    assert await frame(author, "message.hidden") == {"type": "message.hidden", "id": message_id}
    assert await frame(reader, "message.hidden") == {"type": "message.hidden", "id": message_id}
    stored = await db(ChatMessage.objects.get)(pk=message_id)
    assert stored.status == ContentStatus.HIDDEN  # kept for the record
    logged = await db(ModerationAction.objects.filter(action="hide", message_id=message_id).count)()
    assert logged == 1
    # a fresh socket's history no longer has it
    late = await open_socket(community_path(community), kofi)
    assert (await joined(late))["messages"] == []
    for comm in (author, mod, reader, late):
        await comm.disconnect()


async def test_authors_edit_their_message_and_everyone_sees_it(community, ama, kofi):
    author = await open_socket(community_path(community), ama)
    other = await open_socket(community_path(community), kofi)
    await joined(author)
    await joined(other)
    await send(author, "Helo")
    message_id = (await frame(other, "message.new"))["message"]["id"]
    await author.send_json_to({"type": "message.edit", "id": message_id, "body": "Hello"})
    edited = await frame(other, "message.edited")
    assert edited["message"]["id"] == message_id
    assert edited["message"]["body_html"] == "<p>Hello</p>" and edited["message"]["edited"]
    await other.send_json_to({"type": "message.edit", "id": message_id, "body": "Hijacked"})
    assert (await frame(other, "error"))["code"] == "invalid"
    stored = await db(ChatMessage.objects.get)(pk=message_id)
    assert (stored.body, stored.previous_bodies) == ("Hello", ["Helo"])
    await author.disconnect()
    await other.disconnect()


async def test_presence_counts_people_in_the_room(community, ama, kofi):
    first = await open_socket(community_path(community), ama)
    await frame(first, "history")
    assert await frame(first, "presence") == {"type": "presence", "count": 1}
    second = await open_socket(community_path(community), kofi)
    await frame(second, "history")
    assert await frame(second, "presence") == {"type": "presence", "count": 2}
    assert await frame(first, "presence") == {"type": "presence", "count": 2}
    second_tab = await open_socket(community_path(community), kofi)  # one person, two tabs
    await frame(second_tab, "history")
    assert await frame(second_tab, "presence") == {"type": "presence", "count": 2}
    await second.disconnect()
    await second_tab.disconnect()
    assert await frame(first, "presence", timeout=3) == {"type": "presence", "count": 1}
    await first.disconnect()


async def test_hostile_chat_is_stored_as_written_and_sent_inert(community, ama):
    comm = await open_socket(community_path(community), ama)
    await joined(comm)
    hostile = (
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
        "[click](javascript:alert(3)) \x00\x1b[31m\u202eevil"
    )
    await send(comm, hostile)
    html = (await frame(comm, "message.new"))["message"]["body_html"]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "\x00" not in html and "\x1b" not in html and "\u202e" not in html
    stored = await db(ChatMessage.objects.get)()
    assert "<script>alert(1)</script>" in stored.body  # kept as written, minus control chars
    assert "\x00" not in stored.body
    await comm.disconnect()


async def test_watched_words_block_hold_or_flag_chat(community, ama, kofi, moderator):
    from communities.models import ReviewItem
    from communities.services.spaces import watched_word_add

    for word, action in (("casino", "block"), ("crypto*", "hold"), ("idiot", "flag")):
        await db(watched_word_add)(community=community, actor=moderator, word=word, action=action)
    author = await open_socket(community_path(community), ama)
    other = await open_socket(community_path(community), kofi)
    await joined(author)
    await joined(other)

    await send(author, "Visit my CASINO")
    assert (await frame(author))["code"] == "invalid"
    assert await db(ChatMessage.objects.count)() == 0

    await send(author, "cryptocurrency payouts!", client_id="held-1")
    held = await frame(author)
    assert held["type"] == "message.held" and held["message"]["client_id"] == "held-1"
    assert await nothing_but_presence(other)

    await send(author, "you idiot")
    assert (await frame(other, "message.new"))["message"]["body_html"] == "<p>you idiot</p>"
    kinds = await db(lambda: sorted(ReviewItem.objects.values_list("kind", flat=True)))()
    assert kinds == ["flagged_message", "held_message"]
    await author.disconnect()
    await other.disconnect()


async def test_cross_site_origins_are_refused(community, ama):
    from config.asgi import application

    comm = WebsocketCommunicator(
        application, community_path(community), headers=[(b"origin", b"https://evil.example")]
    )
    connected, _code = await comm.connect()
    assert not connected


async def test_same_origin_with_a_session_cookie_connects(community, ama):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from config.asgi import application

    def login():
        session = SessionStore()
        session[SESSION_KEY] = str(ama.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = ama.get_session_auth_hash()
        session.save()
        return session.session_key

    key = await sync_to_async(login)()
    comm = WebsocketCommunicator(
        application,
        community_path(community),
        headers=[
            (b"origin", b"http://127.0.0.1:8000"),
            (b"host", b"127.0.0.1:8000"),
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode()),
        ],
    )
    connected, _code = await comm.connect()
    assert connected
    assert (await joined(comm))["type"] == "history"
    await comm.disconnect()


async def test_an_edit_that_breaks_a_rule_is_refused_and_changes_nothing(community, ama):
    from communities.models import WatchedWord

    await db(WatchedWord.objects.create)(community=community, word="casino", action="block")
    author = await open_socket(community_path(community), ama)
    await joined(author)
    await send(author, "Original")
    message_id = (await frame(author, "message.new"))["message"]["id"]
    for body, code in (
        ("x" * 2001, "too_long"),
        ("Play at the casino", "invalid"),
        ("", "invalid"),
    ):
        await author.send_json_to({"type": "message.edit", "id": message_id, "body": body})
        assert (await frame(author, "error"))["code"] == code
    stored = await db(ChatMessage.objects.get)(pk=message_id)
    assert (stored.body, stored.previous_bodies) == ("Original", [])
    # a hostile edit is stored as written and sent inert, control characters out
    hostile = "<script>alert(1)</script>\x00\u202e[link](javascript:alert(2))"
    await author.send_json_to({"type": "message.edit", "id": message_id, "body": hostile})
    html = (await frame(author, "message.edited"))["message"]["body_html"]
    assert "<script" not in html and "javascript:" not in html
    assert "\x00" not in html and "\u202e" not in html
    await author.disconnect()


async def test_sockets_that_join_together_refresh_their_presence_apart(community, ama, monkeypatch):
    """A room reconnecting at once (after a deploy) must not refresh every socket's
    presence in the same instant: those writes would queue ahead of its messages."""
    from communities import consumers
    from communities.models import ChatPresence

    monkeypatch.setattr(consumers, "HEARTBEAT_SECONDS", 3.0)
    sockets = [await open_socket(community_path(community), ama) for _ in range(20)]
    for socket in sockets:
        await frame(socket, "history")
    entered = dict(await db(lambda: list(ChatPresence.objects.values_list("pk", "seen_at")))())
    await asyncio.sleep(1.5)  # half a heartbeat: about half of them have refreshed
    now = dict(await db(lambda: list(ChatPresence.objects.values_list("pk", "seen_at")))())
    refreshed = sum(now[pk] > seen for pk, seen in entered.items())
    assert 0 < refreshed < 20
    for socket in sockets:
        await socket.disconnect()
