"""The Django admin does not change what only a service may change (finding #10.5).

A session start moved in the admin sent no update email and kept the calendar
SEQUENCE; a registration status or community role set there skipped the seat
locks, the waitlist and the moderation log. Each form is posted the way a browser
would post it: every field the admin page shows, with one value changed."""

from datetime import UTC, datetime, timedelta

import pytest

from communities.models import Membership
from communities.services.membership import membership_add
from communities.services.spaces import community_create
from members.models import Organization, Role
from tests.admin_forms import admin_post_changed
from webinars.models import Registration, Session, Webinar
from webinars.services import registration_create

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def superuser(member_factory):
    return member_factory(role=Role.STAFF, is_staff=True, is_superuser=True)


@pytest.fixture
def webinar(db):
    organization = Organization.objects.create(name="Kenya SP", slug="kenya-sp")
    webinar = Webinar.objects.create(
        slug="cash-plus", title="Cash plus", status=Webinar.Status.PUBLISHED
    )
    webinar.organizations.add(organization)
    Session.objects.create(
        webinar=webinar, starts_at=START, duration_minutes=90, host_zone="Africa/Nairobi"
    )
    return webinar


def test_a_session_start_posted_through_the_admin_is_not_taken(
    client, superuser, webinar, mailoutbox, django_capture_on_commit_callbacks
):
    session = webinar.sessions.get()
    client.force_login(superuser)
    url = f"/admin/webinars/webinar/{webinar.pk}/change/"
    moved = {
        "sessions-0-starts_at_0": "2030-03-02",
        "sessions-0-starts_at_1": "15:00:00",
        "sessions-0-duration_minutes": "30",
        "sessions-0-status": "cancelled",
        "status": "cancelled",
    }
    with django_capture_on_commit_callbacks(execute=True):
        status, body = admin_post_changed(client, url, **moved)
    assert status == 302, body[:2000]
    session.refresh_from_db()
    webinar.refresh_from_db()
    assert (session.starts_at, session.duration_minutes, session.sequence) == (START, 90, 0)
    assert session.status == Session.Status.SCHEDULED
    assert webinar.status == Webinar.Status.PUBLISHED
    page = client.get(url).content.decode()
    assert f"/webinars/manage/{webinar.slug}/sessions/{session.pk}/" in page


def test_registration_status_is_not_editable_in_the_admin(client, superuser, webinar):
    registration = registration_create(
        webinar=webinar,
        session=webinar.sessions.get(),
        email="ama@example.org",
        full_name="Ama Mensah",
        consent=True,
        country="GH",
        time_zone="Africa/Accra",
    ).registration
    client.force_login(superuser)
    url = f"/admin/webinars/registration/{registration.pk}/change/"
    status, body = admin_post_changed(
        client, url, status="cancelled", email="someone.else@example.org"
    )
    assert status == 302, body[:2000]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "ama@example.org"
    assert client.get("/admin/webinars/registration/add/").status_code == 403


def test_community_roles_are_not_editable_in_the_admin(client, superuser, member_factory):
    organization = Organization.objects.create(name="Sahel", slug="sahel")
    partner = member_factory(role=Role.PARTNER_ADMIN, organization=organization)
    community = community_create(
        creator=partner, organization=organization, slug="sahel-cash", name="Sahel cash"
    )
    person = member_factory()
    membership = membership_add(community=community, member=person)
    client.force_login(superuser)
    url = f"/admin/communities/membership/{membership.pk}/change/"
    later = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d")
    status, body = admin_post_changed(
        client, url, role="owner", muted_until_0=later, muted_until_1="12:00:00"
    )
    assert status == 302, body[:2000]
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER
    assert membership.muted_until is None
    assert client.get("/admin/communities/membership/add/").status_code == 403


def test_the_admin_pages_still_open(client, superuser, webinar):
    client.force_login(superuser)
    for path in (
        "webinars/webinar/",
        "webinars/webinar/add/",
        "webinars/registration/",
        "communities/membership/",
        "communities/ban/",
        "communities/chatroom/",
        "communities/reviewitem/",
        "members/member/",
        f"members/member/{superuser.pk}/change/",
    ):
        assert client.get(f"/admin/{path}").status_code == 200, path
