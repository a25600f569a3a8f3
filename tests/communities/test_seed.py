import pytest

from communities.models import ChatMessage, Community, Flag, JoinRequest, ReviewItem, Thread
from communities.seeding import seed_communities
from members.seeding import seed_members
from webinars.models import Webinar
from webinars.seeding import seed_webinars

pytestmark = pytest.mark.django_db


def test_demo_communities_are_seeded_once_with_something_to_moderate():
    seed_members()
    seed_webinars()
    first = seed_communities()
    again = seed_communities()
    assert first["created"] == 4 and again["created"] == 0
    assert Community.objects.count() == 4
    assert set(Community.objects.values_list("visibility", flat=True)) == {
        "public",
        "members",
        "hidden",
    }
    assert Thread.objects.count() == 12
    assert ChatMessage.objects.count() == 20
    assert JoinRequest.objects.filter(status="pending").count() == 1
    assert Flag.objects.count() == 1
    assert ReviewItem.objects.filter(status="pending").count() == 2
    webinar = Webinar.objects.get(slug="adaptive-sp-asia")
    assert webinar.series.communities.get().slug == "adaptive-sp-asia"
