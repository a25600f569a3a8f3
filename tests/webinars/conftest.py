from datetime import UTC, datetime, timedelta

import pytest

from core import clock
from members.models import Organization, Role
from webinars.models import Session, Webinar

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    """Time stands at NOW unless a test travels elsewhere."""
    with clock.travel(NOW):
        yield NOW


@pytest.fixture
def organization(db):
    return Organization.objects.create(
        name="Kenya SP", slug="kenya-sp", country="KE", kind="government"
    )


@pytest.fixture
def organizer(member_factory, organization):
    return member_factory(
        email="organizer@example.org",
        role=Role.PARTNER_ADMIN,
        organization=organization,
        time_zone="Africa/Nairobi",
    )


@pytest.fixture
def webinar_factory(organization):
    counter = {"n": 0}

    def make(*, sessions=1, capacity=None, starts_at=None, **fields):
        counter["n"] += 1
        fields.setdefault("slug", f"webinar-{counter['n']}")
        fields.setdefault("title", f"Webinar {counter['n']}")
        fields.setdefault("status", Webinar.Status.PUBLISHED)
        webinar = Webinar.objects.create(**fields)
        webinar.organizations.add(organization)
        start = starts_at or NOW + timedelta(days=10)
        for index in range(sessions):
            Session.objects.create(
                webinar=webinar,
                starts_at=start + timedelta(hours=8 * index),
                duration_minutes=90,
                capacity=capacity,
                host_zone="Africa/Nairobi",
                join_url=f"https://zoom.example.org/j/{webinar.slug}-{index}",
                title=f"Session {index + 1}",
            )
        return webinar

    return make


@pytest.fixture
def register():
    """Call the service with sensible defaults."""
    from webinars.services import registration_create

    def do(webinar, email="ama@example.org", session=None, **fields):
        fields.setdefault("full_name", "Ama Mensah")
        fields.setdefault("consent", True)
        fields.setdefault("country", "GH")
        fields.setdefault("time_zone", "Africa/Accra")
        return registration_create(
            webinar=webinar, session=session or webinar.sessions.first(), email=email, **fields
        )

    return do
