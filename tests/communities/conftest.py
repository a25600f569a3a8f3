from datetime import UTC, datetime

import pytest

from core import clock
from members.models import Organization, Role

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with clock.travel(NOW):
        yield NOW


@pytest.fixture
def organization(db):
    return Organization.objects.create(
        name="African Cash Transfer Network", slug="africa-cash", country="SN", kind="ngo"
    )


@pytest.fixture
def staff(member_factory):
    return member_factory(email="staff@example.org", full_name="Staff Person", role=Role.STAFF)


@pytest.fixture
def partner(member_factory, organization):
    return member_factory(
        email="partner@example.org",
        full_name="Aminata Diop",
        role=Role.PARTNER_ADMIN,
        organization=organization,
        time_zone="Africa/Dakar",
    )


@pytest.fixture
def community_factory(partner, organization):
    from communities.services.spaces import community_create

    counter = {"n": 0}

    def make(*, owner=None, **fields):
        counter["n"] += 1
        fields.setdefault("name", f"Community {counter['n']}")
        slug = fields.pop("slug", f"community-{counter['n']}")
        return community_create(
            creator=owner or partner, organization=organization, slug=slug, **fields
        )

    return make


@pytest.fixture
def community(community_factory):
    return community_factory(name="Cash transfers in the Sahel", slug="sahel-cash")


@pytest.fixture
def join():
    """Make someone a member (or moderator) directly."""
    from communities.models import Membership
    from communities.services.membership import membership_add

    def add(community, member, role=Membership.Role.MEMBER):
        return membership_add(community=community, member=member, role=role)

    return add


@pytest.fixture
def moderator(member_factory, community, join):
    from communities.models import Membership

    person = member_factory(email="mod@example.org", full_name="Moussa Ndiaye")
    join(community, person, Membership.Role.MODERATOR)
    return person


@pytest.fixture
def ama(member_factory, community, join):
    person = member_factory(email="ama@example.org", full_name="Ama Mensah")
    join(community, person)
    return person


@pytest.fixture
def kofi(member_factory, community, join):
    person = member_factory(email="kofi@example.org", full_name="Kofi Owusu")
    join(community, person)
    return person


@pytest.fixture
def outsider(member_factory):
    return member_factory(email="outsider@example.org", full_name="Olivia Smith")


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run what is queued on commit (tasks run eagerly) inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Many members per test: hash their passwords cheaply (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
