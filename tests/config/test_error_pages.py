"""A visitor who meets an error gets Baraza's layout, in their language, and what to do next."""

import pytest
from django.test import Client, RequestFactory

from config.errors import server_error
from members.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def organization_webinar():
    from datetime import timedelta

    from core.clock import now
    from members.models import Organization
    from webinars.models import Session, Webinar

    webinar = Webinar.objects.create(slug="cash", title="Cash transfers", status="published")
    webinar.organizations.add(Organization.objects.create(name="Kenya SP", slug="ke"))
    Session.objects.create(webinar=webinar, starts_at=now() + timedelta(days=10))
    return webinar


def french(client: Client) -> Client:
    client.cookies["baraza_language"] = "fr"
    return client


def test_a_missing_page_in_french_has_the_layout_and_says_what_to_do(client):
    response = french(client).get("/webinars/no-such-webinar/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert 'aria-label="Principal"' in page or "Webinaires" in page  # the layout's nav
    assert '<a href="/webinars/">Webinaires</a>' in page
    assert "Nous ne trouvons pas cette page" in page
    assert 'href="/accounts/login/?next=/webinars/no-such-webinar/"' in page
    assert 'href="/"' in page


def test_a_missing_page_follows_the_browser_language(client):
    response = client.get("/no/such/page", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "No encontramos esa página" in page


def test_a_refusal_in_french_gives_the_reason_and_who_to_ask(client, member_factory):
    member = member_factory(language="fr")
    client.force_login(member)
    response = client.get("/communities/moderation/")
    assert response.status_code == 403
    page = response.content.decode()
    assert '<a href="/webinars/">Webinaires</a>' in page
    assert "Vous ne pouvez pas ouvrir cette page" in page
    # The reason the view gave, in the member's language.
    assert "Le tableau de bord est réservé à la modération." in page
    assert "demandez" in page  # ask the organizer or the moderator
    assert member.email in page


def test_a_refusal_without_a_reason_still_says_what_to_do(client, member_factory):
    client.force_login(member_factory())
    response = client.get("/webinars/analytics/platform/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page
    assert "Platform analytics are for platform staff." in page
    assert "ask the webinar" in page


def test_a_crash_shows_the_layout_and_that_nothing_changed(settings):
    settings.ROOT_URLCONF = "tests.config.error_urls"
    client = french(Client(raise_request_exception=False))
    response = client.get("/test-boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert '<a href="/webinars/">Webinaires</a>' in page
    assert "Rien n’a été modifié" in page
    assert 'href="/test-boom/"' in page  # try again


def test_a_crash_after_a_form_says_what_was_typed_is_not_lost(settings):
    settings.ROOT_URLCONF = "tests.config.error_urls"
    client = Client(raise_request_exception=False)
    response = client.post("/test-database-down/", {"email": "ama@example.org"})
    assert response.status_code == 500
    page = response.content.decode()
    assert "What you typed is not lost" in page
    assert "Sorry, something went wrong on our side" in page


@pytest.mark.django_db(False)
def test_the_500_page_renders_without_the_database():
    """No database access is allowed in this test: the page must not need it."""
    request = RequestFactory().get("/webinars/")
    response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, something went wrong on our side" in page
    assert '<a href="/webinars/">Webinars</a>' in page


def test_staff_with_an_organization_get_analytics_not_a_403(client, member_factory):
    from members.models import Organization

    gateway = Organization.objects.create(name="SP Gateway", slug="gateway", country="GB")
    staff = member_factory(role=Role.STAFF, organization=gateway)
    client.force_login(staff)
    response = client.get("/webinars/analytics/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "SP Gateway" in page
    assert 'href="/webinars/analytics/platform/"' in page
    assert client.get("/webinars/analytics/hours.csv").status_code == 200


def test_an_expired_form_says_what_to_do_in_french(organization_webinar):
    client = french(Client(enforce_csrf_checks=True))
    client.get("/webinars/cash/")  # the page sets the token cookie; the form is then "stale"
    response = client.post("/webinars/cash/", {"email": "ama@example.org"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<a href="/webinars/">Webinaires</a>' in page
    assert "Le formulaire n’a pas pu être envoyé" in page
    assert 'href="/webinars/cash/"' in page


def test_a_form_without_the_cookie_says_to_allow_cookies(organization_webinar):
    response = Client(enforce_csrf_checks=True).post("/webinars/cash/", {"email": "a@b.org"})
    assert response.status_code == 403
    assert "Allow cookies for this site" in response.content.decode()
