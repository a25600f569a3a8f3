"""The moderator dashboard: one page across communities, one-click actions (JSON for fetch,
a redirect without JS), health figures, the dormant alert, the audit log, live counts."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async

from communities.models import ContentStatus, ModerationAction, ReviewItem
from communities.selectors.dashboard import community_health
from communities.services import posts, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(community_factory, partner, member_factory, join):
    space = community_factory(name="Held place", premoderate_posts=2)
    author = member_factory(full_name="New Person")
    join(space, author)
    thread = posts.thread_create(community=space, author=author, title="First post", body="Hi!")
    return space, author, thread, ReviewItem.objects.get(community=space)


def test_the_dashboard_lists_every_moderated_community_and_its_queue(
    held, community, partner, client
):
    client.force_login(partner)
    page = client.get("/communities/moderation/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Held place" in html and community.name in html
    assert "First post" in html and 'value="approve"' in html
    assert 'id="queue-total">1<' in html


def test_one_click_approve_answers_json_with_fresh_counts(held, partner, client):
    space, author, thread, item = held
    client.force_login(partner)
    answer = client.post(
        f"/communities/moderation/items/{item.pk}/",
        {"action": "approve"},
        HTTP_ACCEPT="application/json",
    ).json()
    assert answer["ok"] is True and answer["resolution"] == "approve"
    assert answer["counts"] == {"total": 0, "communities": {}}
    thread.refresh_from_db()
    assert thread.status == ContentStatus.VISIBLE


def test_without_javascript_the_same_form_redirects_back(held, partner, client):
    _space, _author, thread, item = held
    client.force_login(partner)
    response = client.post(
        f"/communities/moderation/items/{item.pk}/", {"action": "reject", "reason": "Spam"}
    )
    assert response.status_code == 302 and response["Location"] == "/communities/moderation/"
    thread.refresh_from_db()
    assert thread.status == ContentStatus.REJECTED


def test_an_action_that_does_not_fit_is_a_clear_400(held, partner, client):
    _space, _author, _thread, item = held
    client.force_login(partner)
    answer = client.post(
        f"/communities/moderation/items/{item.pk}/",
        {"action": "deny"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 400 and answer.json()["ok"] is False


def test_members_who_moderate_nothing_cannot_open_the_dashboard(ama, client):
    client.force_login(ama)
    assert client.get("/communities/moderation/").status_code == 403


def test_the_header_leads_moderators_and_only_them_to_the_dashboard(moderator, ama, client):
    link = 'href="/communities/moderation/">Moderation</a>'
    client.force_login(moderator)
    assert link in client.get("/webinars/").content.decode()
    client.force_login(ama)
    assert link not in client.get("/webinars/").content.decode()


def test_health_figures(community, ama, kofi, moderator, frozen):
    from core import clock

    earlier = frozen - timedelta(days=10)
    with clock.travel(earlier):
        waiting = posts.thread_create(community=community, author=ama, title="Unanswered", body="?")
        answered = posts.thread_create(community=community, author=ama, title="Answered", body="?")
    with clock.travel(earlier + timedelta(hours=6)):
        posts.reply_create(thread=answered, author=kofi, body="Here you go")
    with clock.travel(frozen - timedelta(days=2)):
        review.thread_moderate(thread=waiting, actor=moderator, action="pin")
    with clock.travel(frozen - timedelta(days=1)):
        posts.thread_create(community=community, author=kofi, title="Fresh", body="News")
    community.refresh_from_db()
    (health,) = community_health(communities=[community])
    assert health.members == 4  # owner, moderator, ama, kofi
    assert (health.active_7, health.active_30) == (1, 2)
    assert health.posts_week == 1
    assert health.median_first_reply == timedelta(hours=6)
    assert health.unanswered == 1
    assert health.days_since_moderation == 2
    assert health.dormant is False


def test_a_community_quiet_for_two_weeks_is_dormant_with_a_next_step(community, ama, frozen):
    from core import clock

    with clock.travel(frozen - timedelta(days=20)):
        posts.thread_create(community=community, author=ama, title="Old question", body="?")
    community.refresh_from_db()
    (health,) = community_health(communities=[community])
    assert health.dormant is True
    assert "Answer the discussion still waiting" in health.suggestion


def test_the_audit_log_filters_by_community_moderator_member_and_action(
    community, ama, kofi, moderator, partner, client
):
    thread = posts.thread_create(community=community, author=ama, title="T", body="B")
    reply = posts.reply_create(thread=thread, author=kofi, body="R")
    review.thread_moderate(thread=thread, actor=moderator, action="lock")
    review.post_moderate(post=reply, actor=partner, action="hide", reason="Rude")
    client.force_login(partner)

    def rows(query: str = "") -> str:
        html = client.get(f"/communities/moderation/log/{query}").content.decode()
        return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]

    everything = rows()
    assert "Locked" in everything and "Hidden" in everything
    by_member = rows(f"?member={kofi.pk}")
    assert "Hidden" in by_member and "Locked" not in by_member
    by_moderator = rows(f"?moderator={moderator.pk}")
    assert "Locked" in by_moderator and "Rude" not in by_moderator
    by_action = rows("?action=hide")
    assert "Rude" in by_action and "Locked" not in by_action
    by_community = rows("?community=99999")
    assert "Nothing matches." in by_community
    assert ModerationAction.objects.count() == 2


@pytest.mark.django_db(transaction=True)
async def test_queue_counts_update_live_over_the_websocket(
    community, partner, member_factory, join
):
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    from communities.routing import websocket_urlpatterns

    author = await database_sync_to_async(member_factory)()
    await database_sync_to_async(join)(community, author)
    comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/moderation/")
    comm.scope["user"] = partner
    connected, _code = await comm.connect()
    assert connected
    assert await comm.receive_json_from() == {"type": "counts", "total": 0, "communities": {}}

    thread = await database_sync_to_async(posts.thread_create)(
        community=community, author=author, title="Spam", body="Buy"
    )
    await database_sync_to_async(review.post_flag)(
        post=await database_sync_to_async(thread.posts.get)(),
        member=partner,
        reason="spam",
    )
    counts = await comm.receive_json_from(timeout=2)
    assert counts == {"type": "counts", "total": 1, "communities": {str(community.pk): 1}}
    added = await comm.receive_json_from(timeout=2)
    assert added["type"] == "added"
    await comm.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_moderation_socket_refuses_non_moderators(ama):
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator
    from django.contrib.auth.models import AnonymousUser

    from communities.routing import websocket_urlpatterns

    for user, code in ((AnonymousUser(), 4401), (ama, 4403)):
        comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/moderation/")
        comm.scope["user"] = user
        await comm.connect()
        assert (await comm.receive_output(timeout=2))["code"] == code
