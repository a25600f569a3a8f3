"""A community's address never collides with a route under /communities/ (new,
moderation, invitations, qa): made from the name, it skips them; typed, it is refused."""

import pytest
from django.core.exceptions import ValidationError

from communities.models import Community
from communities.services import spaces

ROUTES = {"new", "moderation", "invitations", "qa"}


def create_data(organization, **extra):
    return {
        "slug": "",
        "organization": organization.pk,
        "name": "Moderation",
        "visibility": "public",
        "join_policy": "open",
        "premoderate_posts": 0,
        "auto_hide_flags": 3,
        **extra,
    }


def test_the_reserved_words_come_from_the_url_patterns():
    assert {"new", "moderation", "invitations", "qa"} <= spaces.reserved_slugs()


def test_a_community_named_like_a_route_gets_another_address_and_its_page_opens(
    client, partner, organization
):
    client.force_login(partner)
    for name in ("Moderation", "New", "Q&A", "Invitations"):
        response = client.post("/communities/new/", create_data(organization, name=name))
        assert response.status_code == 302, response.content.decode()[:2000]
    slugs = set(Community.objects.values_list("slug", flat=True))
    assert len(slugs) == 4 and not slugs & ROUTES
    for slug in slugs:
        page = client.get(f"/communities/{slug}/")
        assert page.status_code == 200 and page.context["community"].slug == slug


def test_a_typed_reserved_address_is_a_field_error(client, partner, organization):
    client.force_login(partner)
    for slug in ("moderation", "new", "qa", "invitations", "QA"):
        response = client.post("/communities/new/", create_data(organization, slug=slug))
        assert response.status_code == 200
        assert response.context["form"].errors["slug"], slug
    assert not Community.objects.exists()
    with pytest.raises(ValidationError) as refused:
        spaces.community_create(
            creator=partner, organization=organization, slug="qa", name="Questions"
        )
    assert "slug" in refused.value.message_dict
