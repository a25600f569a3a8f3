"""The public webinar page as a newcomer's browser meets it: small, cheap, in their zone,
and registering through it works without JavaScript."""

import gzip
import json
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from webinars.models import Registration
from webinars.regions import REGIONS

pytestmark = pytest.mark.django_db


class FormReader(HTMLParser):
    """What a browser without JavaScript submits: each field's default value, and the
    options each select offers."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.order: list[str] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag in {"input", "select", "textarea"} and name and name not in self.order:
            self.order.append(name)
        if tag == "input" and name and attrs.get("type") not in {"checkbox", "radio"}:
            self.fields[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.options[name] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(attrs["value"])
            if "selected" in attrs or self._select not in self.fields:
                self.fields[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def read_form(html: str) -> FormReader:
    form = html[html.index('<form method="post" class="panel') :]
    reader = FormReader()
    reader.feed(form[: form.index("</form>")])
    return reader


@pytest.fixture
def crowded_webinar(webinar_factory):
    """A webinar for everyone everywhere: every region, three sessions, questions."""
    webinar = webinar_factory(
        sessions=3,
        audience={"PH": 30, "IN": 20, "BR": 10, "US": 5, "RU": 5, "ID": 5},
        audience_regions=list(REGIONS),
    )
    webinar.questions.create(label="Your role?", kind="choice", choices=["A", "B"], position=1)
    webinar.questions.create(label="What do you hope to learn?", position=2)
    return webinar


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_webinar_page_is_under_20_kb_with_every_zone_there_is(
    frozen, crowded_webinar, client, language
):
    response = client.get(f"/webinars/{crowded_webinar.slug}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert len(response.content) < 20_000, len(response.content)
    reader = read_form(response.content.decode())
    assert len(reader.options["time_zone"]) <= 31  # not 590 zones on every page
    assert len(reader.options["country"]) > 240  # every country, from one cached string


def test_a_browser_reporting_an_old_zone_name_sees_and_stores_the_canonical_one(
    frozen, webinar_factory, client
):
    webinar = webinar_factory()
    client.cookies["baraza_tz"] = "Asia/Katmandu"  # what Chrome reports in Nepal
    page = client.get(f"/webinars/{webinar.slug}/").content.decode()
    assert "Asia/Kathmandu, UTC+5:45" in page and "Katmandu" not in page
    assert "(Asia/Kathmandu, UTC+5:45)" in page  # the session's start
    reader = read_form(page)
    assert reader.fields["time_zone"] == "Asia/Kathmandu"

    client.cookies["baraza_tz"] = "Asia/Calcutta"  # ... and in India
    reader = read_form(client.get(f"/webinars/{webinar.slug}/").content.decode())
    assert reader.fields["time_zone"] == "Asia/Kolkata"
    data = {**reader.fields, "email": "asha@example.in", "full_name": "Asha", "consent": "on"}
    data["time_zone"] = "Asia/Calcutta"  # an old form, or a hand-made POST
    assert client.post(f"/webinars/{webinar.slug}/", data).status_code == 302
    assert Registration.objects.get().time_zone == "Asia/Kolkata"


def test_registering_without_javascript_with_a_zone_from_the_picker(
    frozen, crowded_webinar, client
):
    page = client.get(f"/webinars/{crowded_webinar.slug}/").content.decode()
    reader = read_form(page)
    assert reader.fields["time_zone"] == "UTC"  # no cookie yet: the fallback
    assert {"Asia/Manila", "Asia/Kolkata", "Africa/Nairobi"} <= set(reader.options["time_zone"])
    data = {
        **reader.fields,
        "session": crowded_webinar.sessions.first().pk,
        "email": "jose@example.ph",
        "full_name": "José Reyes",
        "consent": "on",
        "time_zone": "Asia/Manila",
    }
    response = client.post(f"/webinars/{crowded_webinar.slug}/", data)
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>(.*?)</ul>', str(response.content)
    )
    assert Registration.objects.get().time_zone == "Asia/Manila"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Kathmandu", "Asia/Kathmandu"), ("america/lima", "America/Lima"), ("", "Africa/Nairobi")],
)
def test_a_zone_not_in_the_short_list_is_typed_in_the_box_beside_it(
    frozen, webinar_factory, client, typed, stored
):
    webinar = webinar_factory()
    reader = read_form(client.get(f"/webinars/{webinar.slug}/").content.decode())
    assert "Asia/Kathmandu" not in reader.options["time_zone"]
    data = {**reader.fields, "email": "a@example.org", "full_name": "A", "consent": "on"}
    data.update(time_zone="Africa/Nairobi", time_zone_other=typed)
    assert client.post(f"/webinars/{webinar.slug}/", data).status_code == 302
    assert Registration.objects.get().time_zone == stored


@pytest.mark.parametrize(
    "typed", ["Mars/Olympus", "<script>alert(1)</script>", "x" * 300, "+08:00"]
)
def test_a_typed_zone_that_is_none_is_a_field_error_kept_in_the_box(
    frozen, webinar_factory, client, typed
):
    webinar = webinar_factory()
    reader = read_form(client.get(f"/webinars/{webinar.slug}/").content.decode())
    data = {**reader.fields, "email": "a@example.org", "full_name": "A", "consent": "on"}
    data["time_zone_other"] = typed
    response = client.post(f"/webinars/{webinar.slug}/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a known time zone" in page and "<script>alert" not in page
    assert not Registration.objects.exists()


def test_the_page_makes_as_many_queries_for_a_crowded_webinar_as_for_a_bare_one(
    frozen, webinar_factory, crowded_webinar, client
):
    bare = webinar_factory(sessions=1)
    warm = webinar_factory(sessions=1)
    client.get(f"/webinars/{warm.slug}/")  # warm: first-use caches of the process

    def queries(webinar) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/webinars/{webinar.slug}/").status_code == 200
        return len(captured.captured_queries)

    # The first view renders the page; the next visitors get it with one query, the
    # webinar and its sessions that say whether it is still the same page.
    assert queries(crowded_webinar) == queries(bare) <= 8
    assert queries(crowded_webinar) == queries(bare) == 1


def test_custom_questions_come_before_consent(frozen, crowded_webinar, client):
    page = client.get(f"/webinars/{crowded_webinar.slug}/").content.decode()
    order = read_form(page).order
    questions = [order.index(name) for name in order if name.startswith("q_")]
    assert len(questions) == 2
    assert max(questions) < order.index("consent")
    assert page.index("Your role?") < page.index("I agree that Baraza emails me")


def test_a_first_visit_shows_utc_times_the_browser_rewrites_and_a_known_zone_does_not(
    frozen, webinar_factory, client
):
    webinar = webinar_factory()
    first = client.get(f"/webinars/{webinar.slug}/").content.decode()
    when = "Thu 11 Mar 2027, 12:00 (UTC, UTC+0)"
    assert f'<time datetime="2027-03-11T12:00:00Z" data-local>{when}</time>' in first
    assert 'data-zones="/zones/?lang=en"' in first and "location.reload" not in first
    client.cookies["baraza_tz"] = "Asia/Manila"
    later = client.get(f"/webinars/{webinar.slug}/").content.decode()
    assert "<time" not in later and "Thu 11 Mar 2027, 20:00 (Asia/Manila, UTC+8)" in later


def test_the_zone_list_is_one_cached_compressed_file_with_the_old_names(client):
    response = client.get("/zones/?lang=fr", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=3600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    catalogue = json.loads(gzip.decompress(response.content))
    assert len(response.content) < 12_000
    labels = [group["label"] for group in catalogue["groups"]]
    assert "Amériques" in labels or "Americas" in labels
    assert catalogue["aliases"]["Asia/Calcutta"] == "Asia/Kolkata"
    zones = [zone for group in catalogue["groups"] for zone, _label in group["zones"]]
    assert "Asia/Kathmandu" in zones and "Asia/Katmandu" not in zones


def test_add_to_google_or_outlook_is_a_short_link_that_redirects(frozen, webinar_factory, client):
    webinar = webinar_factory()
    session = webinar.sessions.get()
    page = client.get(f"/webinars/{webinar.slug}/").content.decode()
    link = f"/webinars/{webinar.slug}/sessions/{session.pk}/add-to/google/"
    assert link in page and "calendar.google.com" not in page
    google = client.get(link)
    assert google.status_code == 302
    assert google["Location"].startswith("https://calendar.google.com/calendar/render?")
    assert "dates=20270311T120000Z%2F20270311T133000Z" in google["Location"]
    outlook = client.get(f"/webinars/{webinar.slug}/sessions/{session.pk}/add-to/outlook/")
    assert outlook["Location"].startswith("https://outlook.live.com/calendar/")
    assert (
        client.get(f"/webinars/{webinar.slug}/sessions/{session.pk}/add-to/evil/").status_code
        == 404
    )
    assert client.get(f"/webinars/{webinar.slug}/sessions/99999/add-to/google/").status_code == 404


def test_the_cached_form_follows_each_visitors_language_zone_and_the_questions(
    frozen, webinar_factory
):
    from django.test import Client

    webinar = webinar_factory(audience={"PH": 1})
    url = f"/webinars/{webinar.slug}/"
    manila = Client()
    manila.cookies["baraza_tz"] = "Asia/Manila"
    assert read_form(manila.get(url).content.decode()).fields["time_zone"] == "Asia/Manila"

    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Votre fuseau horaire" in page
    assert read_form(page).fields["time_zone"] == "UTC"
    webinar.questions.create(label="Your ministry?", position=1)
    page = visitor.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    reader = read_form(page)
    assert "Your ministry?" in page and reader.fields["csrfmiddlewaretoken"]
    data = {**reader.fields, "email": "amina@example.org", "full_name": "Amina", "consent": "on"}
    response = visitor.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302  # the token outside the cached fragment is this visitor's
    assert Registration.objects.get().email == "amina@example.org"
