# ruff: noqa: F811  (pytest fixtures imported from the webinars tests)
"""A webinar's page points to the community where its series' discussion continues,
through the panel communities registers with webinars (webinars imports no community)."""

import pytest

from tests.webinars.conftest import webinar_factory  # noqa: F401
from webinars.models import Series


@pytest.fixture
def series(organization):
    return Series.objects.create(slug="adaptive", title="Adaptive SP", organization=organization)


def test_the_webinar_page_links_its_series_community(
    client, community_factory, series, webinar_factory
):
    space = community_factory(name="Adaptive social protection", series=series)
    webinar = webinar_factory(series=series, title="Shocks and cash")
    page = client.get(f"/webinars/{webinar.slug}/").content.decode()
    assert "Continue the discussion" in page
    assert f'href="/communities/{space.slug}/"' in page
    assert "Go to Adaptive social protection" in page


def test_a_hidden_community_is_not_named_to_outsiders(
    client,
    community_factory,
    series,
    webinar_factory,
    member_factory,
    join,
):
    space = community_factory(name="Ministers only", series=series, visibility="hidden")
    webinar = webinar_factory(series=series)
    page = client.get(f"/webinars/{webinar.slug}/").content.decode()
    assert "Ministers only" not in page and "Continue the discussion" not in page
    insider = member_factory()
    join(space, insider)
    client.force_login(insider)
    assert "Go to Ministers only" in client.get(f"/webinars/{webinar.slug}/").content.decode()


def test_a_webinar_without_a_series_has_no_panel(client, webinar_factory):
    webinar = webinar_factory()
    assert (
        "Continue the discussion" not in client.get(f"/webinars/{webinar.slug}/").content.decode()
    )
