"""A community's about text and rules in the reader's language, or another one, named."""

import re

import pytest

from communities.models import Community
from communities.seeding import seed_communities
from members.seeding import seed_members
from webinars.seeding import seed_webinars

pytestmark = pytest.mark.django_db


def page(client, url: str, language: str) -> str:
    client.cookies["baraza_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def about(html: str) -> str:
    return re.search(r'<aside class="about">(.*?)</aside>', html, re.S).group(1)


@pytest.fixture
def demo(db):
    seed_members()
    seed_webinars()
    seed_communities()


def test_the_demo_latin_american_community_reads_in_spanish_and_french(demo, client):
    french = about(page(client, "/communities/transferencias-latam/", "fr"))
    assert "<p>Un espace pour les équipes des programmes de transferts monétaires" in french
    assert "<p>Soyez bienveillants. Partagez ce qui a marché <strong>et</strong>" in french
    assert "fallback-language" not in french
    assert "<dd>espagnol, français</dd>" in french
    spanish = about(page(client, "/communities/transferencias-latam/", "es"))
    assert "<p>Un espacio para los equipos de programas de transferencias" in spanish
    assert "<dd>español, francés</dd>" in spanish
    assert "fallback-language" not in spanish


def test_in_a_language_it_is_not_written_in_the_about_text_is_marked(demo, client):
    english = about(page(client, "/communities/transferencias-latam/", "en"))
    assert (
        '<p class="fallback-language"><small>(in Spanish)</small></p>'
        '<div lang="es"><p>Un espacio para los equipos' in english
    )
    assert "<dd>Spanish, French</dd>" in english
    asia = about(page(client, "/communities/adaptive-sp-asia/", "fr"))
    assert '<small>(en anglais)</small></p><div lang="en"><p>Practitioners' in asia
    assert "<dd>anglais</dd>" in asia
    assert "<dd>Protection sociale adaptative</dd>" in asia  # the series, translated


def test_languages_are_never_shown_as_codes(demo, client):
    for language in ("en", "es", "fr"):
        html = about(page(client, "/communities/transferencias-latam/", language))
        assert not re.search(r"<dd>[a-z]{2}(, [a-z]{2})*</dd>", html)


def test_moderators_write_the_about_text_and_rules_per_language(
    community, partner, client, django_capture_on_commit_callbacks
):
    client.force_login(partner)
    form = client.get(f"/communities/{community.slug}/settings/").content.decode()
    assert ">About the community, in French (Markdown):</label>" in form
    assert ">Rules, in Spanish (Markdown):</label>" in form
    response = client.post(
        f"/communities/{community.slug}/settings/",
        {
            "name": community.name,
            "languages": ["fr", "en"],
            "description_en": "Cash in the **Sahel**",
            "description_fr": "Les transferts au **Sahel** <script>alert(1)</script>",
            "rules_fr": "Soyez *bienveillants*.",
            "visibility": "public",
            "join_policy": "open",
            "premoderate_posts": 0,
            "auto_hide_flags": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    community = Community.objects.get(pk=community.pk)
    assert community.description_html_fr == "<p>Les transferts au <strong>Sahel</strong> </p>"
    assert community.description_html_en == "<p>Cash in the <strong>Sahel</strong></p>"
    assert community.rules_html_fr == "<p>Soyez <em>bienveillants</em>.</p>"
    assert community.rules_html_en == ""
    html = about(page(client, f"/communities/{community.slug}/", "en"))
    assert "<p>Cash in the <strong>Sahel</strong></p>" in html
    assert '<small>(in French)</small></p><div lang="fr"><p>Soyez <em>bienveillants' in html


def test_the_service_takes_a_plain_text_as_the_communitys_own_language(community_factory):
    community = community_factory(
        name="Transferts", languages=["fr"], description="Les **transferts**", rules="Soyez"
    )
    assert (community.description_fr, community.description_en) == ("Les **transferts**", None)
    assert community.description_html_fr == "<p>Les <strong>transferts</strong></p>"
    assert community.rules_html_fr == "<p>Soyez</p>"
