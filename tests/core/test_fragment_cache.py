"""The layout's header is rendered once per process and reused (core.fragment_cache):
each member still sees their own name, unread count, language and CSRF token, and the
forms in it carry the address of the page they are on."""

import re

import pytest
from django.template import Context, Template
from django.template.defaultfilters import urlencode
from django.test import Client
from django.utils.html import escape

from core import fragment_cache
from core.page_cache import TOKEN_STAND_IN
from notifications.services import notification_mark_read, notify

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BELL = re.compile(r'<span id="unread-count"[^>]*>([^<]*)</span>')
NEXT = re.compile(r'<input type="hidden" name="next" value="([^"]*)">')
KIND = "communities.mention"
ZONE_LINK = re.compile(r'href="/members/timezone/\?next=([^"]*)"')


def header(client: Client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('<header class="site-header"') : page.index("</header>")]


def signed_in(member) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client


def test_two_members_each_see_their_own_name_and_count(member_factory):
    amara = member_factory(full_name="Amara Okafor")
    bilal = member_factory(full_name="Bilal Haidari")
    notify(recipient=bilal, kind=KIND, title="For Bilal", email=False)
    as_amara, as_bilal = signed_in(amara), signed_in(bilal)
    for _ in range(2):  # the second round is served from the kept fragments
        page_a, page_b = header(as_amara), header(as_bilal)
        assert "Amara" in page_a and "Bilal" not in page_a
        assert "Bilal" in page_b and "Amara" not in page_b
        assert BELL.findall(page_a) == ["0"] and BELL.findall(page_b) == ["1"]
    assert "Log in" in header(Client()) and "Amara" not in header(Client())


def test_the_unread_count_follows_every_change(member_factory):
    amara = member_factory(full_name="Amara Okafor")
    client = signed_in(amara)
    assert BELL.findall(header(client)) == ["0"]
    notify(recipient=amara, kind=KIND, title="One", email=False)
    assert BELL.findall(header(client)) == ["1"]
    notify(recipient=amara, kind=KIND, title="Two", email=False)
    assert BELL.findall(header(client)) == ["2"]
    notification_mark_read(member=amara)
    assert BELL.findall(header(client)) == ["0"]


def test_a_language_switch_shows_at_once_and_back(member_factory):
    amara = member_factory(full_name="Amara Okafor")
    client = signed_in(amara)
    english = header(client)
    assert "Log out" in english
    for language, expected in [
        ("es", "Cerrar sesión"),
        ("fr", "Se déconnecter"),
        ("en", "Log out"),
    ]:
        token = TOKEN.findall(header(client))[0]
        response = client.post(
            "/i18n/setlang/", {"language": language, "next": "/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        page = header(client)
        assert expected in page, language
        assert re.search(rf'<option value="{language}" selected', page)
    assert TOKEN.sub("", header(client)) == TOKEN.sub("", english)


def test_each_session_gets_its_own_working_csrf_token(member_factory):
    amara = member_factory(full_name="Amara Okafor")
    first, second = signed_in(amara), signed_in(amara)
    first_token = TOKEN.findall(header(first))[0]
    second_token = TOKEN.findall(header(second))[0]
    assert TOKEN_STAND_IN not in first_token + second_token
    assert first_token != second_token
    for client, token in [(first, first_token), (second, second_token)]:
        response = client.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    # A visitor (no session) gets a token, and the cookie that goes with it.
    visitor = Client(enforce_csrf_checks=True)
    assert TOKEN.findall(header(visitor)) and "csrftoken" in visitor.cookies


def test_the_forms_carry_the_address_of_the_page_they_are_on(member_factory):
    amara, bilal = member_factory(full_name="Amara Okafor"), member_factory()
    client = signed_in(amara)
    for path in ["/", f"/members/{bilal.public_id}/", "/notifications/?page=1&x=%3Cb%3E"]:
        page = header(client, path)
        assert NEXT.findall(page) == [escape(path)]
        assert ZONE_LINK.findall(page) == [escape(urlencode(path))]


def test_an_address_holding_a_stand_in_is_shown_as_it_is(member_factory):
    client = signed_in(member_factory())
    path = f"/?q={TOKEN_STAND_IN}"
    page = header(client, path)
    assert NEXT.findall(page) == [escape(path)]
    assert TOKEN.findall(page)[0] != TOKEN_STAND_IN


def test_the_header_is_rendered_once_for_the_same_values(member_factory):
    amara, bilal = member_factory(full_name="Amara Okafor"), member_factory()
    client = signed_in(amara)
    header(client, "/")
    kept = len(fragment_cache._fragments)
    header(client, f"/members/{bilal.public_id}/")  # another page, the same header
    assert len(fragment_cache._fragments) == kept
    signed_in_bilal = signed_in(bilal)
    header(signed_in_bilal)
    assert len(fragment_cache._fragments) > kept  # another member, another header


def test_a_fragment_refuses_to_vary_on_an_object():
    template = Template(
        "{% load shared_fragment %}"
        "{% shared_fragment 'x' member %}{{ member }}{% endshared_fragment %}"
    )

    class Person:
        def __str__(self):
            return "Same name"

    request = Client().get("/").wsgi_request
    with pytest.raises(TypeError):
        template.render(Context({"request": request, "member": Person()}))
