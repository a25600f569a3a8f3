"""A member who left their name blank is shown to others by a neutral name, never by
their email address (finding #10.4): in a community's pages and in their @handle."""

import pytest

from communities.services import posts

pytestmark = pytest.mark.django_db


def test_a_nameless_members_email_appears_nowhere_in_the_community(
    frozen, community, join, member_factory, client
):
    nameless = member_factory(email="quiet.person@example.org", full_name="")
    membership = join(community, nameless)
    assert "quiet" not in membership.handle
    thread = posts.thread_create(
        community=community, author=nameless, title="Payments in Dakar", body="Hello"
    )
    reader = member_factory(full_name="Kofi Owusu")
    join(community, reader)
    client.force_login(reader)
    for url in (
        f"/communities/{community.slug}/",
        f"/communities/{community.slug}/members/",
        f"/communities/{community.slug}/threads/{thread.pk}/",
        f"/communities/{community.slug}/chat/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "quiet.person" not in page, url
    detail = client.get(f"/communities/{community.slug}/").content.decode()
    assert "Baraza member" in detail
