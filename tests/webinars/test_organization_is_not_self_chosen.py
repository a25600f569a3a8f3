"""A member never chooses their organization: staff assign it (finding #10.1).

Every organizer permission derives from `member.organization_id`, so a partner admin
who could pick another organization on their settings page would run its webinars."""

import pytest

from members.models import Organization, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_webinar(webinar_factory, register):
    other = Organization.objects.create(name="Other Ministry", slug="other-ministry")
    webinar = webinar_factory(title="Someone else's webinar")
    webinar.organizations.set([other])
    register(webinar, "ama@example.org", full_name="Ama Mensah")
    return webinar, other


def test_partner_admin_posting_another_organization_stays_in_their_own(
    frozen, organizer, organization, other_webinar, client
):
    webinar, other = other_webinar
    client.force_login(organizer)
    page = client.get("/members/settings/").content.decode()
    assert 'name="organization"' not in page
    assert "Other Ministry" not in page

    response = client.post(
        "/members/settings/",
        {
            "full_name": "Organizer",
            "organization": str(other.pk),
            "country": "KE",
            "language": "en",
            "time_zone": "Africa/Nairobi",
        },
    )
    assert response.status_code == 302  # the rest of the form is saved
    organizer.refresh_from_db()
    assert organizer.organization_id == organization.pk
    assert organizer.full_name == "Organizer"
    base = f"/webinars/manage/{webinar.slug}"
    assert client.get(f"{base}/registrants/").status_code == 403
    csv = client.get(f"{base}/registrants.csv")
    assert csv.status_code == 403
    assert b"ama@example.org" not in csv.content


def test_the_service_refuses_an_organization_whatever_it_is_given(organizer, organization):
    from members.services import member_update_settings

    other = Organization.objects.create(name="Other Ministry", slug="other-ministry")
    with pytest.raises(TypeError):
        member_update_settings(
            member=organizer,
            full_name="Organizer",
            organization=other,
            country="KE",
            language="en",
            time_zone="Africa/Nairobi",
        )
    organizer.refresh_from_db()
    assert organizer.organization_id == organization.pk


def test_staff_assign_the_organization_in_the_admin(organizer, member_factory, client):
    other = Organization.objects.create(name="Other Ministry", slug="other-ministry")
    staff = member_factory(role=Role.STAFF, is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = f"/admin/members/member/{organizer.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="organization"' in page
    form = {
        "email": organizer.email,
        "full_name": organizer.full_name,
        "organization": str(other.pk),
        "country": "KE",
        "language": "en",
        "time_zone": "Africa/Nairobi",
        "role": Role.PARTNER_ADMIN,
        "is_active": "on",
        "date_joined_0": "2027-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    organizer.refresh_from_db()
    assert organizer.organization_id == other.pk
