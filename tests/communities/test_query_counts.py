"""Pages cost a fixed number of queries, whatever the number of threads, members,
posts, communities or queue items they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import ChatMessage, ChatRoom, Membership
from communities.services import chat, posts, review
from communities.services.membership import join_request_create
from members.models import Organization

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(community, member_factory, *, people: int, threads: int) -> list:
    members = [member_factory() for _ in range(people)]
    for person in members:
        Membership.objects.create(
            community=community, member=person, handle=f"h{person.pk}", last_active_at=None
        )
    room = ChatRoom.objects.get(community=community)
    for index in range(threads):
        author = members[index % len(members)]
        thread = posts.thread_create(
            community=community, author=author, title=f"T{index}", body="b"
        )
        posts.reply_create(thread=thread, author=members[(index + 1) % len(members)], body="r")
        ChatMessage.objects.create(
            room=room, author=author, author_name=author.full_name, body="hi", body_html="<p>hi</p>"
        )
    return members


@pytest.mark.parametrize("as_member", [False, True])
def test_community_page_queries_do_not_grow(community, member_factory, client, as_member, settings):
    members = grow(community, member_factory, people=3, threads=3)
    if as_member:
        client.force_login(members[0])
    url = f"/communities/{community.slug}/"
    queries(client, url)  # warm caches (sessions, content types)
    small = queries(client, url)
    grow(community, member_factory, people=40, threads=45)
    large = queries(client, url)
    assert small == large, (small, large)
    assert large <= (14 if as_member else 8)


def test_thread_page_queries_do_not_grow(community, member_factory, client):
    people = [member_factory() for _ in range(6)]
    for person in people:
        Membership.objects.create(community=community, member=person, handle=f"h{person.pk}")
    thread = posts.thread_create(community=community, author=people[0], title="T", body="b")
    for index in range(3):
        posts.reply_create(thread=thread, author=people[index % 6], body=f"r{index}")
    client.force_login(people[1])
    url = f"/communities/{community.slug}/threads/{thread.pk}/"
    queries(client, url)
    small = queries(client, url)
    for index in range(30):
        posts.reply_create(thread=thread, author=people[index % 6], body=f"more {index}")
    assert queries(client, url) == small


def test_dashboard_queries_do_not_grow_with_communities_or_items(
    community_factory, partner, member_factory, client
):
    def fill(count: int):
        for _ in range(count):
            space = community_factory(premoderate_posts=1, join_policy="request")
            room = ChatRoom.objects.get(community=space)
            author, flagger = member_factory(), member_factory()
            # The queue shows where a person asking to join works.
            ministry = Organization.objects.create(name="Ministry", slug=f"ministry-{space.pk}")
            asker = member_factory(organization=ministry)
            for person in (author, flagger):
                Membership.objects.create(community=space, member=person, handle=f"h{person.pk}")
            posts.thread_create(community=space, author=author, title="Held", body="x")
            Membership.objects.filter(community=space, member=author).update(role="moderator")
            flagged = posts.thread_create(community=space, author=author, title="Flag", body="y")
            review.post_flag(post=flagged.posts.get(), member=flagger, reason="spam")
            message = ChatMessage.objects.create(
                room=room, author=author, author_name="A", body="m", body_html="<p>m</p>"
            )
            review.message_flag(message=message, member=flagger, reason="harassment")
            join_request_create(community=space, member=asker, message="please")

    fill(1)
    client.force_login(partner)
    queries(client, "/communities/moderation/")
    small = queries(client, "/communities/moderation/")
    fill(4)
    large = queries(client, "/communities/moderation/")
    assert small == large, (small, large)
    assert large <= 20


def test_feed_queries_do_not_grow_with_threads(community, member_factory, client):
    grow(community, member_factory, people=2, threads=2)
    url = f"/communities/{community.slug}/feed/"
    queries(client, url)
    small = queries(client, url)
    grow(community, member_factory, people=2, threads=10)
    assert queries(client, url) == small


@pytest.mark.django_db(transaction=True)
def test_a_chat_message_is_three_statements(community, member_factory):
    """A room's sender may send many messages a second, and its socket waits on each
    round trip: the member's standing with the room in one read, the watched words, the
    INSERT, which commits on its own (no BEGIN and COMMIT around it)."""
    ama = member_factory()
    Membership.objects.create(community=community, member=ama, handle="ama")
    seat = chat.chat_seat_for_community(user=ama, slug=community.slug)
    chat.chat_message_post(seat=seat, body="first")  # records activity: a transaction
    with CaptureQueriesContext(connection) as captured:
        message = chat.chat_message_post(seat=seat, body="second", client_id="c2")
    statements = [query["sql"].split()[0].upper() for query in captured]
    assert statements == ["SELECT", "SELECT", "INSERT"], captured.captured_queries
    assert ChatMessage.objects.get(pk=message.pk).client_id == "c2"
