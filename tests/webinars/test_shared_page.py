"""A visitor's webinar page is rendered once and shared (core.page_cache): every edit,
whatever writes it, shows on the next view; only the CSRF token is the visitor's own;
members, links with a query string and flash messages get a page of their own."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from core import clock
from members.models import Organization
from webinars.models import Registration, Session
from webinars.services import webinar_update

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(webinar, client=None, **headers) -> str:
    response = (client or Client()).get(f"/webinars/{webinar.slug}/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_two_visitors_share_the_page_but_not_the_token(frozen, webinar_factory):
    webinar = webinar_factory()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, second_page = page(webinar, first), page(webinar, second)
    first_tokens, second_tokens = TOKEN.findall(first_page), TOKEN.findall(second_page)
    # The language switch and the registration form: each the visitor's own token.
    assert len(first_tokens) == len(second_tokens) == 2
    assert not set(first_tokens) & set(second_tokens)
    assert TOKEN.sub("", first_page) == TOKEN.sub("", second_page)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    for number, (client, token) in enumerate(
        [(first, first_tokens[1]), (second, second_tokens[1])]
    ):
        response = client.post(
            f"/webinars/{webinar.slug}/",
            {
                "csrfmiddlewaretoken": token,
                "session": webinar.sessions.get().pk,
                "email": f"visitor{number}@example.org",
                "full_name": "Visitor",
                "language": "en",
                "time_zone": "UTC",
                "consent": "on",
            },
        )
        assert response.status_code == 302
    assert Registration.objects.count() == 2


def test_every_edit_shows_on_the_next_view_whoever_writes_it(
    frozen, webinar_factory, organizer, organization
):
    webinar = webinar_factory(capacity=10)
    session = webinar.sessions.get()
    assert "0 of 10 seats taken" in page(webinar)

    webinar_update(webinar=webinar, actor=organizer, title_en="Cash transfers at scale")
    assert "Cash transfers at scale" in page(webinar)

    webinar.questions.create(label="Your ministry?", position=1)  # not through a service
    assert "Your ministry?" in page(webinar)
    webinar.questions.all().delete()
    assert "Your ministry?" not in page(webinar)

    Organization.objects.filter(pk=organization.pk).get().save()  # unchanged: still there
    organization.name = "Kenya Social Protection Secretariat"
    organization.save()
    assert "Kenya Social Protection Secretariat" in page(webinar)
    partner = Organization.objects.create(name="Ghana LEAP", slug="ghana-leap", country="GH")
    partner.webinars.add(webinar)
    assert "Ghana LEAP" in page(webinar)
    partner.webinars.clear()
    assert "Ghana LEAP" not in page(webinar)

    Registration.objects.create(
        webinar=webinar,
        session=session,
        email="ama@example.org",
        full_name="Ama",
        status=Registration.Status.CONFIRMED,
        created_at=frozen,
        status_changed_at=frozen,
    )
    assert "1 of 10 seats taken" in page(webinar)

    session.status = Session.Status.CANCELLED
    session.save()
    shown = page(webinar)
    assert "Cancelled" in shown and 'name="email"' not in shown


def test_the_page_changes_when_time_alone_closes_registration(frozen, webinar_factory):
    webinar = webinar_factory(registration_closes_at=frozen + timedelta(minutes=5))
    assert 'name="email"' in page(webinar)
    with clock.travel(frozen + timedelta(minutes=6)):
        assert "Registration has closed." in page(webinar)


def test_members_links_with_a_query_and_other_zones_get_their_own_page(
    frozen, webinar_factory, member_factory
):
    webinar = webinar_factory()
    assert 'value="src-newsletter"' not in page(webinar)
    response = Client().get(f"/webinars/{webinar.slug}/?src=src-newsletter")
    assert 'value="src-newsletter"' in response.content.decode()

    member = member_factory(email="amina@example.org", time_zone="Asia/Manila")
    signed_in = Client()
    signed_in.force_login(member)
    shown = page(webinar, signed_in)
    assert 'value="amina@example.org"' in shown and "Asia/Manila" in shown

    manila = Client()
    manila.cookies["baraza_tz"] = "Asia/Manila"
    assert "Asia/Manila" in page(webinar, manila)
    assert "Votre fuseau horaire" in page(webinar, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Votre fuseau horaire" not in page(webinar)


def test_the_page_after_registering_is_shared_by_outcome_with_each_visitors_own_links(
    frozen, webinar_factory
):
    from django.template.defaultfilters import urlencode

    from tests.webinars.test_pages import form_data

    webinar = webinar_factory(title="Full house", capacity=2)

    def registered(email: str) -> tuple[str, str]:
        client = Client()
        response = client.post(
            f"/webinars/{webinar.slug}/", form_data(webinar.sessions.get(), email=email)
        )
        address = response["Location"]
        return address, client.get(address).content.decode()

    first_address, first = registered("first@example.org")
    second_address, second = registered("second@example.org")
    assert "Your seat for “Full house” is confirmed" in first

    def without_own_links(address: str, shown: str) -> str:
        return TOKEN.sub("", shown.replace(urlencode(address), "").replace(address, ""))

    assert without_own_links(first_address, first) == without_own_links(second_address, second)
    # The layout's language and zone links bring each person back to their own result.
    for address, shown in [(first_address, first), (second_address, second)]:
        assert f'name="next" value="{address}"' in shown.replace("&amp;", "&")
        assert f"?next={urlencode(address)}" in shown
    _address, third = registered("third@example.org")
    _address, fourth = registered("fourth@example.org")
    assert "You are next on the waiting list" in third
    assert "You are number 2 on the waiting list" in fourth

    webinar.title_en = "Fuller house"
    webinar.save()
    assert "“Fuller house”" in Client().get(first_address).content.decode()
