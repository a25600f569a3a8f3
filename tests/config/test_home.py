"""The home page shows a newcomer what is coming: the next webinars, at their time in their
zone with the zone named, and the public communities that are talking."""

from datetime import UTC, datetime, timedelta

import pytest

from communities.models import Community
from communities.services.posts import thread_create
from communities.services.spaces import community_create
from core import clock
from members.models import Organization, Role
from webinars.models import Session, Webinar

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with clock.travel(NOW):
        yield NOW


@pytest.fixture
def organization(db):
    return Organization.objects.create(name="DSWD Philippines", slug="dswd", country="PH")


@pytest.fixture
def partner(member_factory, organization):
    return member_factory(role=Role.PARTNER_ADMIN, organization=organization)


def make_webinar(organization, title, starts_at, *, status=Webinar.Status.PUBLISHED, **session):
    webinar = Webinar.objects.create(
        slug=title.lower().replace(" ", "-")[:90], title=title, status=status
    )
    webinar.organizations.add(organization)
    Session.objects.create(webinar=webinar, starts_at=starts_at, **session)
    return webinar


def make_community(partner, organization, name, *, visibility="public", talk=True):
    community = community_create(
        creator=partner,
        organization=organization,
        slug=name.lower().replace(" ", "-"),
        name=name,
        visibility=visibility,
        join_policy="open" if visibility == "public" else "invite",
    )
    if talk:
        thread_create(community=community, author=partner, title=f"Hello {name}", body="Hi")
    return community


def visitor_in(client, zone: str):
    client.cookies["baraza_tz"] = zone
    return client


def test_a_visitor_in_manila_sees_the_next_webinar_at_manila_time(frozen, client, organization):
    # 01:00 UTC on 10 March is 09:00 in Manila.
    make_webinar(organization, "Adaptive social protection", NOW + timedelta(days=8, hours=13))
    make_webinar(organization, "Draft webinar", NOW + timedelta(days=2), status="draft")
    make_webinar(organization, "Already held", NOW - timedelta(days=2))
    make_webinar(
        organization, "Cancelled session", NOW + timedelta(days=3), status="published"
    ).sessions.update(status=Session.Status.CANCELLED)
    make_webinar(organization, "Sooner one", NOW + timedelta(days=1))

    page = visitor_in(client, "Asia/Manila").get("/").content.decode()

    assert "Next webinars" in page
    assert "Wed 10 Mar 2027, 09:00 (Asia/Manila, UTC+8)" in page
    assert 'href="/webinars/adaptive-social-protection/"' in page
    assert "DSWD Philippines" in page
    assert page.index("Sooner one") < page.index("Adaptive social protection")  # soonest first
    for hidden in ("Draft webinar", "Already held", "Cancelled session"):
        assert hidden not in page


def test_the_same_webinar_in_kathmandu_and_dakar(frozen, client, organization):
    make_webinar(organization, "Adaptive social protection", NOW + timedelta(days=8, hours=13))
    assert "Wed 10 Mar 2027, 06:45 (Asia/Kathmandu, UTC+5:45)" in (
        visitor_in(client, "Asia/Kathmandu").get("/").content.decode()
    )
    client.cookies["baraza_language"] = "fr"
    page = visitor_in(client, "Africa/Dakar").get("/").content.decode()
    assert "mer 10 mars 2027, 01:00 (Africa/Dakar, UTC+0)" in page


def test_active_public_communities_show_private_and_hidden_never(
    frozen, client, partner, organization
):
    make_community(partner, organization, "Cash in the Sahel")
    make_community(partner, organization, "Inspectors", visibility="members")
    make_community(partner, organization, "Secret circle", visibility="hidden")
    make_community(partner, organization, "Quiet corner", talk=False)
    client.force_login(partner)  # even their owner does not see them on the home page
    page = client.get("/").content.decode()
    assert "Active communities" in page
    assert 'href="/communities/cash-in-the-sahel/"' in page
    for private in ("Inspectors", "Secret circle", "Quiet corner"):
        assert private not in page


def test_communities_quiet_for_a_month_are_not_listed(client, partner, organization):
    with clock.travel(NOW - timedelta(days=40)):
        make_community(partner, organization, "Long ago")
    with clock.travel(NOW):
        assert "Long ago" not in client.get("/").content.decode()


def test_the_home_page_works_with_nothing_scheduled(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "No webinar is scheduled just now" in page
    assert 'href="/webinars/"' in page


def test_home_page_queries_do_not_grow_with_rows(
    frozen, client, partner, organization, django_assert_max_num_queries
):
    def fill(count: int, offset: int) -> None:
        for index in range(count):
            other = Organization.objects.create(
                name=f"Org {offset + index}", slug=f"o{offset + index}"
            )
            webinar = make_webinar(
                organization, f"Webinar {offset + index}", NOW + timedelta(days=1, hours=index)
            )
            webinar.organizations.add(other)
            make_community(partner, organization, f"Community {offset + index}")

    fill(1, 0)
    with django_assert_max_num_queries(8) as one:
        client.get("/")
    fill(6, 10)
    Community.objects.update(last_post_at=NOW)
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        page = client.get("/").content.decode()
    assert page.count('href="/communities/community-') == 6
    assert page.count('href="/webinars/webinar-') == 6
    assert len(many.captured_queries) == len(one.captured_queries)
