"""Following an organization: once per member whatever the clicks, listed in the
settings with a button to stop; the form is a real POST with its CSRF token."""

import threading

import pytest
from django.db import connection
from django.test import Client

from members.models import Organization, OrganizationFollow
from tests.buttons import buttons
from tests.threads import in_threads

FOLLOW = "/members/organizations/kenya-sp/follow/"


@pytest.fixture
def organization(db):
    return Organization.objects.create(name="Kenya SP", slug="kenya-sp")


@pytest.mark.django_db
def test_the_settings_page_lists_followed_organizations_each_with_unfollow(
    client, member_factory, organization
):
    client.force_login(member_factory())
    page = client.get("/members/settings/").content.decode()
    assert "None yet: follow an organization from its events." in page
    Organization.objects.create(name="Another partner", slug="another")
    for slug in ("kenya-sp", "another"):
        client.post(f"/members/organizations/{slug}/follow/", {"next": "/members/settings/"})

    page = client.get("/members/settings/")

    assert [b for b in buttons(page.content) if b.startswith("Unfollow")] == [
        "Unfollow Another partner",
        "Unfollow Kenya SP",
    ]


@pytest.mark.django_db
def test_a_double_click_follows_once(client, member_factory, organization):
    client.force_login(member_factory())
    for _ in range(2):
        response = client.post(FOLLOW, {"next": "/events/?organization=kenya-sp"})
        assert (response.status_code, response["Location"]) == (
            302,
            "/events/?organization=kenya-sp",
        )
    assert OrganizationFollow.objects.count() == 1


@pytest.mark.django_db
def test_a_follow_without_the_csrf_token_is_refused(member_factory, organization):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_factory())
    assert client.post(FOLLOW, {"next": "/"}).status_code == 403
    assert not OrganizationFollow.objects.exists()


@pytest.mark.django_db
def test_a_link_elsewhere_is_not_where_following_leads(client, member_factory, organization):
    client.force_login(member_factory())
    response = client.post(FOLLOW, {"next": "https://evil.example/phish"})
    assert (response.status_code, response["Location"]) == (302, "/")


@pytest.mark.django_db(transaction=True)
def test_follows_at_once_from_several_tabs_store_one_row_and_none_fails(
    member_factory, organization
):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("threads need a file database")
    member = member_factory()
    together = threading.Barrier(4)
    answers: list[int] = []

    def follow():
        client = Client()
        client.force_login(member)
        together.wait()
        answers.append(client.post(FOLLOW, {"next": "/events/"}).status_code)

    in_threads(follow, 4)

    assert answers == [302] * 4
    assert OrganizationFollow.objects.filter(member=member, organization=organization).count() == 1
