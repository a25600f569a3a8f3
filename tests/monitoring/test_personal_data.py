"""A member downloads all their data (JSON + files) and deletes their account: personal
data gone or anonymised, posts kept as "former member" or removed as they choose,
registrations anonymised so the webinar figures stay right."""

import io
import json
import zipfile
from datetime import timedelta

import pytest

from communities.models import Post, Thread
from communities.services.posts import reply_create, thread_create
from communities.services.spaces import community_create
from members.models import Member, Organization, Role
from notifications.models import OutboundEmail
from webinars.models import Registration, Session, Webinar
from webinars.services import registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(member_factory, frozen):
    organization = Organization.objects.create(name="DSWD", slug="dswd", country="PH")
    host = member_factory(role=Role.PARTNER_ADMIN, organization=organization, full_name="Host")
    ana = member_factory(email="ana@example.org", full_name="Ana Cruz", country="PH")
    community = community_create(
        creator=host,
        organization=organization,
        slug="cash",
        name="Cash",
        visibility="public",
        join_policy="open",
    )
    from communities.services.membership import community_join

    community_join(community=community, member=ana)
    thread = thread_create(community=community, author=host, title="Welcome", body="Hello all")
    reply_create(thread=thread, author=ana, body="Ana's own words about targeting")
    webinar = Webinar.objects.create(slug="w", title="Webinar", status="published")
    webinar.organizations.add(organization)
    session = Session.objects.create(
        webinar=webinar,
        starts_at=frozen + timedelta(days=2),
        duration_minutes=60,
        host_zone="Asia/Manila",
    )
    registration_create(
        webinar=webinar,
        session=session,
        email="ANA@example.org",
        full_name="Ana Cruz",
        consent=True,
        country="PH",
        member=ana,
    )
    return ana, thread


def test_a_member_downloads_all_their_data(client, world):
    ana, _thread = world
    client.force_login(ana)
    response = client.get("/monitoring/my-data/download/")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == "ana@example.org"
    assert [p["body"] for p in data["posts"]] == ["Ana's own words about targeting"]
    assert [r["full_name"] for r in data["webinar_registrations"]] == ["Ana Cruz"]
    assert [m["community"] for m in data["community_memberships"]] == ["Cash"]


@pytest.mark.parametrize("choice", ["keep", "remove"])
def test_deleting_an_account(client, world, choice, django_capture_on_commit_callbacks):
    ana, thread = world
    client.force_login(ana)
    refused = client.post("/monitoring/my-data/", {"posts": choice, "email": "other@x.org"})
    assert "This is not the email address of your account." in refused.content.decode()
    assert Member.objects.filter(pk=ana.pk).exists()
    response = client.post("/monitoring/my-data/", {"posts": choice, "email": "ana@example.org"})
    assert response.status_code == 302
    assert not Member.objects.filter(email__iexact="ana@example.org").exists()
    assert not OutboundEmail.objects.filter(to__iexact="ana@example.org").exists()
    (registration,) = Registration.objects.all()
    assert registration.full_name == "" and "ana" not in registration.email.lower()
    assert registration.member is None
    assert (registration.status, registration.country) == ("confirmed", "PH")  # figures stay
    reply = Post.objects.get(thread=thread, is_opening=False)
    assert reply.author is None
    page = client.get(f"/communities/cash/threads/{thread.pk}/").content.decode()
    if choice == "keep":
        assert reply.body == "Ana's own words about targeting"
        assert "targeting" in page and "former member" in page
    else:
        assert reply.body == "" and reply.status == "deleted"
        assert "targeting" not in page
    assert Thread.objects.get(pk=thread.pk).status == "visible"  # the host's discussion stays
    # Signed out: the page asks to sign in again.
    assert client.get("/monitoring/my-data/").status_code == 302
