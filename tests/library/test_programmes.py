"""Programme profiles: browse by country and type, a programme's page, a country's page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities.models import Community
from core.clock import now
from library.models import Programme
from library.seeding import seed_library
from library.services.programmes import programme_coverage_record, programme_create
from members.models import Organization
from webinars.models import Session, Webinar

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    organization = Organization.objects.create(name="Org", slug="org", country="BR", kind="ngo")
    public = Community.objects.create(name="Open talk", slug="open", organization=organization)
    private = Community.objects.create(
        name="Secret room", slug="secret", organization=organization, visibility="private"
    )
    upcoming = Webinar.objects.create(
        slug="bolsa", title_en="Bolsa Família at 20", status=Webinar.Status.PUBLISHED
    )
    Session.objects.create(webinar=upcoming, starts_at=now() + timedelta(days=3))
    for_audience = Webinar.objects.create(
        slug="latam",
        title_en="Cash in Brazil and Mexico",
        status=Webinar.Status.PUBLISHED,
        audience={"BR": 60, "MX": 40},
    )
    Session.objects.create(webinar=for_audience, starts_at=now() + timedelta(days=5))
    draft = Webinar.objects.create(slug="draft", title_en="Draft one")
    Session.objects.create(webinar=draft, starts_at=now() + timedelta(days=5))
    return {"public": public, "private": private, "upcoming": upcoming, "draft": draft}


def make(name_en, country, kind, **extra):
    return programme_create(actor=None, name_en=name_en, country=country, kind=kind, **extra)


def test_browse_filters_by_country_and_type_with_counts(client, db):
    make("Bolsa Família", "BR", "cct")
    make("BPC", "BR", "pension")
    make("4Ps", "PH", "cct")
    page = client.get(reverse("library:programmes"), {"country": "br", "type": "cct"})
    browse = page.context["browse"]
    assert [p.name_en for p in browse.programmes] == ["Bolsa Família"]
    assert [(c, n) for c, _name, n in browse.countries] == [("BR", 1), ("PH", 1)]
    assert [(k, n) for k, _label, n in browse.kinds] == [("cct", 1), ("pension", 1)]
    assert (
        client.get(reverse("library:programmes"), {"country": "<x>", "type": "zz"}).status_code
        == 200
    )


def test_programme_page_shows_only_public_places(client, places):
    programme = make(
        "Bolsa Família Programme",
        "BR",
        "cct",
        name="Programa Bolsa Família",
        name_language="pt",
        target_group_en="Poor families",
        target_group_es="Familias pobres",
        webinars=[places["upcoming"], places["draft"]],
        communities=[places["public"], places["private"]],
    )
    programme_coverage_record(
        actor=None,
        programme=programme,
        year=2023,
        figure=21_100_000,
        unit="households",
        source="MDS",
    )
    html = client.get(reverse("library:programme", args=[programme.slug])).content.decode()
    assert "Programa Bolsa Família" in html and 'lang="pt"' in html
    assert "21100000 households" in html and "MDS" in html
    assert "Bolsa Família at 20" in html and "Draft one" not in html
    assert "Open talk" in html and "Secret room" not in html
    html = client.get(
        reverse("library:programme", args=[programme.slug]), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Familias pobres" in html


def test_country_page_gathers_programmes_and_upcoming_webinars(
    client, places, django_assert_max_num_queries
):
    make("Bolsa Família Programme", "BR", "cct", webinars=[places["upcoming"]])
    make("4Ps", "PH", "cct")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("library:country", args=["br"]))
    html = page.content.decode()
    assert "Bolsa Família Programme" in html and "4Ps" not in html
    assert "Bolsa Família at 20" in html  # linked to its programme
    next_session = html[html.index("Bolsa Família at 20") :][:200]
    assert "(UTC, UTC+0)</time>" in next_session  # its next session, in the reader's zone
    assert "Cash in Brazil and Mexico" in html  # its audience includes Brazil
    assert "Draft one" not in html
    assert client.get(reverse("library:country", args=["xx"])).status_code == 404


def test_country_page_lists_the_coming_events_held_there(client, places):
    from events.models import Event, Venue

    def event(title, *, days, venue=None, **fields):
        starts = now() + timedelta(days=days)
        made = Event.objects.create(
            owner=places["public"].organization,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            zone=venue.zone if venue else "UTC",
            venue=venue,
            online=venue is None,
            review=fields.pop("review", Event.Review.APPROVED),
            **fields,
        )
        made.organizations.add(places["public"].organization)
        return made

    brasilia = Venue.objects.create(
        city="Brasília", country="BR", latitude=-15.79, longitude=-47.88, zone="America/Sao_Paulo"
    )
    dakar = Venue.objects.create(
        city="Dakar", country="SN", latitude=14.69, longitude=-17.44, zone="Africa/Dakar"
    )
    event("Cadastro Único workshop", days=10, venue=brasilia)
    event("Past Brasília forum", days=-10, venue=brasilia)
    event("Unreviewed Brasília meeting", days=12, venue=brasilia, review=Event.Review.PENDING)
    event("Dakar seminar", days=10, venue=dakar)
    event("Online course", days=10)
    html = client.get(reverse("library:country", args=["br"])).content.decode()
    events = html[html.index('id="events-heading"') :]
    assert "Cadastro Único workshop" in events and "Brasília" in events
    for absent in ("Past Brasília forum", "Unreviewed", "Dakar seminar", "Online course"):
        assert absent not in events
    senegal = client.get(reverse("library:country", args=["sn"])).content.decode()
    assert "Dakar seminar" in senegal and "Cadastro" not in senegal
    assert (
        "No event planned in this country."
        in client.get(reverse("library:country", args=["ph"])).content.decode()
    )


def test_programmes_need_staff_and_sound_fields(member_factory):
    with pytest.raises(PermissionDenied):
        programme_create(actor=member_factory(), name_en="X", country="BR", kind="cct")
    with pytest.raises(ValidationError) as error:
        programme_create(actor=None, name_en="", country="ZZ", kind="nope", start_year=3000)
    assert set(error.value.message_dict) == {"name_en", "country", "kind", "start_year"}
    programme = make("Countries", "BR", "cct")
    assert programme.slug == "countries-2"  # /programmes/countries/ is the country pages


def test_demo_profiles_load_once(db):
    seed_library()
    seed_library()
    assert Programme.objects.count() == 3
    assert Programme.objects.get(country="SN").coverage.get().source == "DGPSN"
