"""A moderator of one community has no power in another (403), and a private community's
content never leaks: not through pages, search, the websocket, a feed, email or export."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from communities.models import (
    Ban,
    ChatMessage,
    ChatRoom,
    ContentStatus,
    Membership,
    ModerationAction,
    ReviewItem,
)
from communities.services import discipline, posts, review

pytestmark = pytest.mark.django_db

SECRET = "Fraud case in district 7"


def read_stream(response) -> str:
    from asgiref.sync import async_to_sync

    async def collect():
        return b"".join([chunk async for chunk in response.streaming_content])

    return async_to_sync(collect)().decode("utf-8-sig")


@pytest.fixture
def private(community_factory, member_factory, join):
    space = community_factory(
        name="Inspectors", slug="inspectors", visibility="members", join_policy="request"
    )
    insider = member_factory(full_name="In Sider")
    join(space, insider)
    thread = posts.thread_create(community=space, author=insider, title=SECRET, body=SECRET)
    return space, insider, thread


@pytest.fixture
def hidden(community_factory, member_factory, join):
    space = community_factory(
        name="Secret circle", slug="secret-circle", visibility="hidden", join_policy="invite"
    )
    insider = member_factory(full_name="Hid Den")
    join(space, insider)
    posts.thread_create(community=space, author=insider, title=SECRET, body=SECRET)
    return space


def test_moderator_of_one_community_gets_403_in_another(
    community, moderator, private, client, member_factory
):
    space, insider, thread = private
    post = thread.posts.get()
    flagger = member_factory()
    Membership.objects.create(community=space, member=flagger, handle="flagger")
    review.post_flag(post=post, member=flagger, reason="spam")
    item = ReviewItem.objects.get(community=space)
    said = ChatMessage.objects.create(
        room=ChatRoom.objects.get(community=space),
        author=insider,
        author_name="In Sider",
        body="inside",
        body_html="<p>inside</p>",
    )
    banned = member_factory(full_name="Ban Ned")
    Membership.objects.create(community=space, member=banned, handle="ban-ned")
    owner = Membership.objects.get(community=space, role="owner").member
    discipline.member_ban(community=space, member_id=banned.pk, actor=owner, reason="spam")
    client.force_login(moderator)
    forbidden = [
        client.post(f"/communities/moderation/items/{item.pk}/", {"action": "hide"}),
        client.post(
            f"/communities/moderation/items/{item.pk}/",
            {"action": "hide"},
            HTTP_ACCEPT="application/json",
        ),
        client.post(f"/communities/{space.slug}/posts/{post.pk}/moderate/", {"action": "hide"}),
        client.post(
            f"/communities/{space.slug}/members/act/",
            {"action": "ban", "member": insider.pk, "reason": "x"},
        ),
        client.post(f"/communities/{space.slug}/settings/words/", {"word": "x", "action": "block"}),
        client.get(f"/communities/{space.slug}/settings/"),
        client.get(f"/communities/{space.slug}/members.csv"),
        client.post(f"/communities/{space.slug}/threads/{thread.pk}/moderate/", {"action": "lock"}),
        client.post(f"/communities/{space.slug}/chat/{said.pk}/moderate/", {"action": "hide"}),
        client.post(f"/communities/{space.slug}/settings/slow-mode/", {"slow_mode_seconds": 60}),
        client.post(f"/communities/{space.slug}/members/{banned.pk}/unban/"),
    ]
    assert [r.status_code for r in forbidden] == [403] * len(forbidden)
    post.refresh_from_db()
    assert post.status == ContentStatus.VISIBLE
    said.refresh_from_db()
    assert said.status == ContentStatus.VISIBLE
    assert ChatRoom.objects.get(community=space).slow_mode_seconds == 0
    assert Ban.objects.filter(community=space, member=banned, lifted_at__isnull=True).exists()
    # their own dashboard shows nothing of the other community
    dashboard = client.get("/communities/moderation/").content.decode()
    assert SECRET not in dashboard and "Inspectors" not in dashboard
    log = client.get(f"/communities/moderation/log/?community={space.pk}").content.decode()
    assert "Inspectors" not in log


def test_pages_and_search_do_not_show_a_private_communitys_content(private, outsider, client):
    space, _insider, thread = private
    for who in (None, outsider):
        if who:
            client.force_login(who)
        page = client.get(f"/communities/{space.slug}/")
        assert page.status_code == 200 and SECRET not in page.content.decode()
        assert client.get(f"/communities/{space.slug}/threads/{thread.pk}/").status_code == 403
        assert client.get(f"/communities/{space.slug}/search/", {"q": "fraud"}).status_code == 403
        assert client.get(f"/communities/{space.slug}/feed/").status_code == 404
        listing = client.get("/communities/").content.decode()
        assert "Inspectors" in listing and SECRET not in listing


def test_hidden_communities_do_not_exist_for_outsiders(hidden, outsider, client, staff):
    client.force_login(outsider)
    assert "Secret circle" not in client.get("/communities/").content.decode()
    assert client.get(f"/communities/{hidden.slug}/").status_code == 404
    assert client.get(f"/communities/{hidden.slug}/search/", {"q": "fraud"}).status_code == 404
    assert client.get(f"/communities/{hidden.slug}/chat/").status_code == 404
    client.force_login(staff)
    assert client.get(f"/communities/{hidden.slug}/").status_code == 200


def test_members_read_what_outsiders_cannot(private, client):
    space, insider, thread = private
    client.force_login(insider)
    page = client.get(f"/communities/{space.slug}/threads/{thread.pk}/")
    assert page.status_code == 200 and SECRET in page.content.decode()


def test_mentions_and_replies_never_email_someone_outside(private, outsider, deliver):
    space, insider, thread = private
    with deliver():
        posts.reply_create(thread=thread, author=insider, body="cc @olivia-smith " + SECRET)
    assert not outsider.notifications.exists()
    assert all(SECRET not in message.body for message in mail.outbox)


def community_digest_section(members, kind, at):
    """The communities digest provider, given the channel matrix the digest pass reads."""
    from communities.digest import community_digest_section as provider
    from notifications.preferences import channels_for_members

    return provider(members, kind, at, channels_for_members([m.pk for m in members]))


def test_digests_carry_only_what_the_member_may_read(frozen, private, outsider, community, ama):
    posts.thread_create(community=community, author=ama, title="Open talk", body="Hello")
    space, insider, _thread = private
    sections = community_digest_section([insider, outsider, ama], "weekly", frozen)
    assert outsider.pk not in sections
    insider_titles = [item.title for item in sections[insider.pk][0].items]
    assert any(SECRET in title for title in insider_titles)
    ama_titles = [item.title for item in sections[ama.pk][0].items]
    assert all(SECRET not in title for title in ama_titles)
    assert any("Open talk" in title for title in ama_titles)


def test_muted_communities_leave_the_digest(frozen, community, ama):
    from communities.services.membership import community_mute_notifications

    posts.thread_create(community=community, author=ama, title="Open talk", body="Hello")
    community_mute_notifications(community=community, member=ama, muted=True)
    assert community_digest_section([ama], "weekly", frozen) == {}


def test_moderators_get_a_queue_summary_in_their_digest(
    frozen, community_factory, partner, member_factory, join
):
    space = community_factory(premoderate_posts=3, name="Queue place")
    author = member_factory()
    join(space, author)
    posts.thread_create(community=space, author=author, title="Held", body="Held")
    ((section,),) = community_digest_section([partner], "daily", frozen).values()
    assert section.items[0].title == "1 item waits for moderation in Queue place"
    assert section.items[0].url == "/communities/moderation/"


def test_exports_are_for_moderators_of_that_community_only(
    private, community, moderator, client, outsider
):
    space, insider, _thread = private
    client.force_login(insider)
    assert client.get(f"/communities/{space.slug}/members.csv").status_code == 403
    client.force_login(outsider)
    assert client.get("/communities/moderation/log.csv").status_code == 403
    client.force_login(moderator)
    log = client.get(f"/communities/moderation/log.csv?community={space.pk}")
    assert log.status_code == 200
    assert SECRET not in read_stream(log)


def test_the_websocket_refuses_outsiders_of_private_communities(private, outsider):
    from asgiref.sync import async_to_sync

    from tests.communities.chat_helpers import closed_with, community_path, open_socket

    space, _insider, _thread = private

    async def scenario():
        comm = await open_socket(community_path(space), outsider)
        return await closed_with(comm)

    assert async_to_sync(scenario)() == 4403


def test_a_refused_slow_mode_creates_no_chat_room(community_factory, moderator, client):
    """The room of a community that never chatted is made after the permission check."""
    other = community_factory(name="Elsewhere")  # `moderator` moderates another community
    ChatRoom.objects.filter(community=other).delete()
    client.force_login(moderator)
    response = client.post(
        f"/communities/{other.slug}/settings/slow-mode/", {"slow_mode_seconds": 5}
    )
    assert response.status_code == 403
    assert not ChatRoom.objects.filter(community=other).exists()


def test_a_moderator_cannot_discipline_someone_who_is_only_in_another_community(
    community, moderator, community_factory, member_factory, join, client
):
    from notifications.models import Notification

    elsewhere = community_factory(name="Elsewhere", slug="elsewhere")
    bea = member_factory(full_name="Bea Elsewhere")
    join(elsewhere, bea)
    client.force_login(moderator)
    url = f"/communities/{community.slug}/members/act/"
    answers = [
        client.post(url, {"action": action, "member": bea.pk, "reason": "because", "hours": "24"})
        for action in ("warn", "mute", "unmute", "ban", "remove")
    ]
    answers.append(
        client.post(url, {"action": "warn", "member": 10**9, "reason": "x"})  # nobody at all
    )
    answers.append(client.post(f"/communities/{community.slug}/members/{bea.pk}/unban/"))
    assert [a.status_code for a in answers] == [403] * len(answers)
    assert not ModerationAction.objects.filter(target_member=bea).exists()
    assert not Notification.objects.filter(recipient=bea).exists()
    assert not Ban.objects.exists()
    assert not Membership.objects.filter(community=community, member=bea).exists()
    assert Membership.objects.get(community=elsewhere, member=bea).muted_until is None
    assert len(mail.outbox) == 0
    for act in (discipline.member_warn, discipline.member_remove):
        with pytest.raises(PermissionDenied):
            act(community=community, member_id=bea.pk, actor=moderator, reason="x")


def test_someone_who_left_after_writing_here_can_still_be_banned(community, moderator, ama):
    from communities.services.membership import community_leave

    posts.thread_create(community=community, author=ama, title="Spam", body="Buy now")
    community_leave(community=community, member=ama)
    discipline.member_ban(community=community, member_id=ama.pk, actor=moderator, reason="spam")
    assert Ban.objects.filter(community=community, member=ama).exists()
    # removing or unmuting someone already gone changes nothing and is not an error
    discipline.member_remove(community=community, member_id=ama.pk, actor=moderator)
    discipline.member_unban(community=community, member_id=ama.pk, actor=moderator)
    discipline.member_unban(community=community, member_id=ama.pk, actor=moderator)
    assert list(
        ModerationAction.objects.filter(target_member=ama).values_list("action", flat=True)
    ) == ["unban", "ban"]


@pytest.mark.parametrize("member", ["abc", "", None, "1e9999", "1.5"])
def test_a_malformed_member_id_on_the_members_page_is_a_400_and_changes_nothing(
    community, moderator, ama, client, member
):
    client.force_login(moderator)
    data = {"action": "ban", "reason": "spam"}
    if member is not None:
        data["member"] = member
    url = f"/communities/{community.slug}/members/act/"
    as_json = client.post(url, data, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 400
    assert as_json.json() == {"ok": False, "detail": "Choose a member and an action."}
    page = client.post(url, data, follow=True)
    assert page.status_code == 200 and "Choose a member and an action." in page.content.decode()
    assert not Ban.objects.exists() and not ModerationAction.objects.filter(action="ban").exists()
