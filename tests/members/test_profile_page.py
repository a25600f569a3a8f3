"""A member's profile page, as another member sees it: what it shows and what it costs."""

import pytest
from django.test import Client

from members.models import Organization

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_member_and_never_their_email(member_factory):
    organization = Organization.objects.create(slug="dss", name="Department of Social Services")
    shown = member_factory(
        full_name="Amara Okafor",
        organization=organization,
        country="KE",
        time_zone="Africa/Nairobi",
    )
    viewer = Client()
    viewer.force_login(member_factory())
    page = viewer.get(f"/members/{shown.public_id}/").content.decode()
    for text in ["Amara Okafor", "Department of Social Services", "Kenya", "Africa/Nairobi"]:
        assert text in page
    assert shown.email not in page


def test_the_profile_costs_four_queries_whoever_is_shown(member_factory, django_assert_num_queries):
    """The signed-in viewer, the member shown with their organization, the viewer's
    unread count and whether they moderate (the account menu); the session is cached."""
    organization = Organization.objects.create(slug="dss", name="Department of Social Services")
    viewer = Client()
    viewer.force_login(member_factory())
    for shown in [member_factory(organization=organization), member_factory()]:
        viewer.get(f"/members/{shown.public_id}/")  # the session into the cache
        with django_assert_num_queries(4):
            assert viewer.get(f"/members/{shown.public_id}/").status_code == 200
