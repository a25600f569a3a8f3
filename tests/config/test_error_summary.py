"""A form that fails shows, at the top of the page, what is wrong, each linked to its field
(GOV.UK's error summary): on the registration form, allauth's account forms, member
settings, community forms and organizer forms alike, because the layout gathers it."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from communities.services.posts import thread_create
from communities.services.spaces import community_create
from core import clock
from members.models import Organization, Role
from webinars.models import Registration, Session, Webinar

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with clock.travel(NOW):
        yield NOW


@pytest.fixture
def organization(db):
    return Organization.objects.create(name="Kenya SP", slug="kenya-sp", country="KE")


@pytest.fixture
def partner(member_factory, organization):
    return member_factory(role=Role.PARTNER_ADMIN, organization=organization)


@pytest.fixture
def webinar(organization):
    webinar = Webinar.objects.create(slug="cash", title="Cash transfers", status="published")
    webinar.organizations.add(organization)
    Session.objects.create(webinar=webinar, starts_at=NOW + timedelta(days=10))
    return webinar


def registration(webinar, **changes):
    data = {
        "session": webinar.sessions.get().pk,
        "email": "ama@example.org",
        "full_name": "Ama Mensah",
        "country": "GH",
        "language": "en",
        "time_zone": "Africa/Accra",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return data


def summary(page: str) -> str:
    """The error summary's HTML, which must come before the page's heading."""
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', page, re.S)
    assert match, "no error summary on the page"
    assert match.start() < page.index("<h1"), "the summary is not at the top"
    return match.group(0)


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', html)


def test_a_bad_email_on_the_registration_form(frozen, client, webinar):
    response = client.post("/webinars/cash/", registration(webinar, email="ama@", consent=""))
    page = response.content.decode()
    box = summary(page)
    assert 'role="alert"' in box and 'tabindex="-1"' in box
    assert "There is a problem" in box
    # In the form's order, each linked to the field's id, named by its label.
    assert links(box) == [
        ("#id_email", "Email: Enter a valid email address."),
        (
            "#id_consent",
            "I agree that Baraza emails me about this webinar and shares my registration "
            "with its organizers: This field is required.",
        ),
    ]
    assert 'id="id_email"' in page and 'id="id_consent"' in page
    assert re.search(r"<title>Error: ", page)
    assert "/static/js/error-summary.js" in page
    assert Registration.objects.count() == 0


def test_a_form_level_error_is_listed_too(frozen, client, webinar, settings):
    settings.REGISTRATION_RATE_PER_ADDRESS = "1/3600"
    client.post("/webinars/cash/", registration(webinar))
    response = client.post("/webinars/cash/", registration(webinar))
    box = summary(response.content.decode())
    assert "<li>Too many registrations from here. Please try again later.</li>" in box


def test_a_page_without_a_failed_form_has_no_summary(frozen, client, webinar):
    page = client.get("/webinars/cash/").content.decode()
    assert "error-summary" not in page and "There is a problem" not in page
    assert "error-summary" not in client.get("/webinars/?topic=nothing").content.decode()


def test_allauth_sign_up_and_log_in(client, member_factory):
    page = client.post(
        "/accounts/signup/",
        {
            "email": "selam@example.org",
            "full_name": "Selam",
            "password1": "coffee-ceremony-1896",
            "password2": "coffee-ceremony-1897",
        },
    ).content.decode()
    assert [href for href, _ in links(summary(page))] == ["#id_password2"]

    member_factory(email="kofi@example.org")
    page = client.post(
        "/accounts/login/", {"login": "kofi@example.org", "password": "wrong"}
    ).content.decode()
    box = summary(page)
    assert "The email address and/or password you specified are not correct." in box


def test_member_settings_in_french(client, member_factory):
    member = member_factory(language="fr")
    client.force_login(member)
    page = client.post(
        "/members/settings/",
        {"full_name": "Aminata", "country": "ZZ", "language": "fr", "time_zone": "Mars/Olympus"},
    ).content.decode()
    box = summary(page)
    assert "Il y a un problème" in box
    assert [href for href, _ in links(box)] == ["#id_country", "#id_time_zone"]
    assert "Fuseau horaire\u00a0: «\u00a0Mars/Olympus\u00a0» n’est pas un fuseau" in box


def test_radio_buttons_link_to_the_first_one(client, partner, organization, member_factory):
    community = community_create(
        creator=partner, organization=organization, slug="sahel", name="Sahel"
    )
    thread = thread_create(community=community, author=partner, title="Hello", body="Hi")
    reader = member_factory()
    from communities.services.membership import membership_add

    membership_add(community=community, member=reader)
    client.force_login(reader)
    post = thread.posts.get()
    page = client.post(f"/communities/sahel/posts/{post.pk}/flag/", {"reason": ""}).content.decode()
    box = summary(page)
    assert [href for href, _ in links(box)] == ["#id_reason_0"]
    assert 'id="id_reason_0"' in page


def test_community_and_organizer_forms(client, partner):
    client.force_login(partner)
    page = client.post("/communities/new/", {"name": "", "slug": "new"}).content.decode()
    assert "#id_name" in [href for href, _ in links(summary(page))]
    page = client.post("/webinars/manage/new/", {"title": ""}).content.decode()
    assert "#id_language" in [href for href, _ in links(summary(page))]
