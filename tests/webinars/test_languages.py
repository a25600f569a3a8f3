"""Webinars read in the reader's language: their texts, the names of languages, the
buttons; another language's text stands in where theirs is missing, and says so."""

import re

import pytest
from django.core.exceptions import ValidationError

from members.seeding import seed_members
from webinars.models import Webinar
from webinars.seeding import seed_webinars
from webinars.services import webinar_create

pytestmark = pytest.mark.django_db


def page(client, url: str, language: str) -> str:
    client.cookies["baraza_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


def languages_line(html: str) -> str:
    """The line under the title: organizers · language of delivery (interpretation)."""
    return re.search(r'<p class="muted">(.*?)</p>', html, re.S).group(1)


@pytest.fixture
def demo(db):
    seed_members()
    seed_webinars()


def test_the_demo_french_webinar_reads_in_french_with_no_marker(demo, client):
    html = page(client, "/webinars/protection-sociale-sahel/", "fr")
    assert h1(html) == "Protection sociale adaptative au Sahel"
    assert "<title>Protection sociale adaptative au Sahel · Baraza</title>" in html
    assert "déclencher des <strong>transferts monétaires</strong>" in html
    assert "fallback-language" not in html
    assert "en français" in languages_line(html)


def test_the_demo_french_webinar_in_english_has_its_english_title_and_a_marked_french_text(
    demo, client
):
    html = page(client, "/webinars/protection-sociale-sahel/", "en")
    assert h1(html) == "Adaptive social protection in the Sahel"
    description = re.search(r'<div class="description">(.*?)</div>\s*<section', html, re.S)
    assert '<small>(in French)</small></p><div lang="fr"><p>Un échange Sud-Sud' in (
        description.group(1)
    )


def test_an_english_only_webinar_seen_in_spanish_is_shown_in_english_marked(
    frozen, webinar_factory, client
):
    webinar = webinar_factory(title="Cash <b>plus</b>", description="Only **English** here.")
    webinar.description_html_en = "<p>Only <strong>English</strong> here.</p>"
    webinar.save()
    html = page(client, f"/webinars/{webinar.slug}/", "es")
    assert h1(html) == (
        '<span lang="en">Cash &lt;b&gt;plus&lt;/b&gt;</span> '
        '<small class="fallback-language">(en inglés)</small>'
    )
    assert '<small>(en inglés)</small></p><div lang="en"><p>Only <strong>' in html
    listing = page(client, "/webinars/", "es")
    assert (
        '<span lang="en">Cash &lt;b&gt;plus&lt;/b&gt;</span> '
        '<small class="fallback-language">(en inglés)</small></a></h3>'
    ) in listing
    assert "Seulement" not in listing


def test_a_webinar_written_in_the_readers_language_has_no_marker(frozen, webinar_factory, client):
    webinar = webinar_factory(title="Cash plus", language="en")
    webinar.title_es = "Cash plus para mujeres"
    webinar.save()
    html = page(client, f"/webinars/{webinar.slug}/", "es")
    assert h1(html) == "Cash plus para mujeres"
    assert "fallback-language" not in html


def test_languages_are_named_not_coded_with_french_case(frozen, webinar_factory, client):
    webinar_factory(
        slug="sahel", title="Sahel", language="fr", interpretation_languages=["en", "es"]
    )
    line = languages_line(page(client, "/webinars/sahel/", "fr"))
    assert "en français (interprétation\xa0: anglais, espagnol)" in line
    assert not re.search(r"\b(en|es|fr)\s*[,)<]", line.replace("en français", ""))
    assert "Français" not in line and " en <" not in line
    spanish = languages_line(page(client, "/webinars/sahel/", "es"))
    assert "en francés (interpretación: inglés, español)" in spanish


def test_the_list_names_the_language_of_delivery(frozen, webinar_factory, client):
    webinar_factory(title="Sahel", language="fr")
    html = page(client, "/webinars/", "fr")
    assert '<p class="muted">En français' in html
    assert ">fr<" not in html


def test_topic_names_follow_the_reader(frozen, webinar_factory, client):
    from webinars.models import Topic

    topic = Topic.objects.create(
        slug="cash", name_en="Cash transfers", name_fr="Transferts monétaires"
    )
    webinar = webinar_factory(title="Sahel")
    webinar.topics.add(topic)
    html = page(client, "/webinars/", "fr")
    assert " · Transferts monétaires</p>" in html
    assert '<option value="cash" >Transferts monétaires</option>' in html
    spanish = page(client, "/webinars/", "es")
    assert (
        '· <span lang="en">Cash transfers</span> '
        '<small class="fallback-language">(en inglés)</small>' in spanish
    )


def test_regions_are_translated_in_the_filter(frozen, client):
    html = page(client, "/webinars/", "fr")
    assert ">Afrique subsaharienne</option>" in html
    assert ">Amérique latine et Caraïbes</option>" in html
    assert ">América Latina y el Caribe</option>" in page(client, "/webinars/", "es")


def test_signing_up_and_registering_for_a_webinar_read_differently(frozen, webinar_factory, client):
    webinar = webinar_factory(title="Sahel")
    for language, account, register in [
        ("fr", "Créer un compte", "S’inscrire au webinaire"),
        ("es", "Crear una cuenta", "Inscribirse"),
    ]:
        html = page(client, f"/webinars/{webinar.slug}/", language)
        assert f'<a href="/accounts/signup/">{account}</a>' in html
        assert f'<button type="submit">{register}</button>' in html
        assert account != register


# --- the organizer's form and the service --------------------------------------------------


def form_data(organization, **fields):
    return {
        "slug": "sahel",
        "organizations": [organization.pk],
        "language": "fr",
        "platform": "zoom",
        "status": "published",
        "reminder_text": "60",
        **fields,
    }


def test_the_form_has_a_title_and_description_per_language(organizer, client):
    client.force_login(organizer)
    html = client.get("/webinars/manage/new/").content.decode()
    for label in ("Title in English", "Title in Spanish", "Title in French"):
        assert f">{label}:</label>" in html
    assert '<textarea name="description_fr"' in html and 'lang="fr"' in html


def test_the_title_in_the_language_of_delivery_is_required(organizer, organization, client):
    client.force_login(organizer)
    response = client.post(
        "/webinars/manage/new/",
        form_data(organization, title_en="Sahel", description_en="In **English** only"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title_fr"] == [
        "Write the title in French, the language the webinar is given in."
    ]
    assert errors["description_fr"] == [
        "Write the description in French too, the language the webinar is given in."
    ]
    assert not Webinar.objects.exists()


def test_each_language_is_stored_and_rendered_on_its_own(organizer, organization, client):
    client.force_login(organizer)
    response = client.post(
        "/webinars/manage/new/",
        form_data(
            organization,
            title_fr="Protection sociale au Sahel",
            title_es="Protección social en el Sahel",
            description_fr="Un **échange** <script>alert(1)</script>",
            description_es="Un **intercambio**",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    webinar = Webinar.objects.get(slug="sahel")
    assert (webinar.title_fr, webinar.title_es, webinar.title_en) == (
        "Protection sociale au Sahel",
        "Protección social en el Sahel",
        "",
    )
    assert webinar.description_html_fr == "<p>Un <strong>échange</strong> </p>"
    assert webinar.description_html_es == "<p>Un <strong>intercambio</strong></p>"
    assert webinar.description_html_en == ""
    english = page(client, "/webinars/sahel/", "en")
    assert h1(english).startswith('<span lang="es">Protección social en el Sahel</span>')
    assert "(in Spanish)" in english


def test_the_service_refuses_a_webinar_without_its_own_languages_title(organizer, organization):
    with pytest.raises(ValidationError) as refused:
        webinar_create(
            actor=organizer,
            organizations=[organization],
            slug="sahel",
            language="fr",
            title_en="Sahel",
        )
    assert set(refused.value.message_dict) == {"title_fr"}
    webinar = webinar_create(
        actor=organizer, organizations=[organization], slug="sahel", language="fr", title="Sahel"
    )
    assert (webinar.title_fr, webinar.title_en) == ("Sahel", None)


# --- emails: the recipient's language ------------------------------------------------------


def test_emails_give_the_title_in_the_recipients_language_or_mark_the_one_shown(
    frozen, webinar_factory, register, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory(title="Adaptive social protection", language="en")
    webinar.title_fr = "Protection sociale adaptative"
    webinar.save()
    with django_capture_on_commit_callbacks(execute=True):
        register(webinar, "lucia@example.org", language="es", time_zone="America/Lima")
        register(webinar, "awa@example.org", language="fr", time_zone="Africa/Dakar")
    by_address = {m.to[0]: m for m in mailoutbox}
    spanish, french = by_address["lucia@example.org"], by_address["awa@example.org"]
    assert "Adaptive social protection (en inglés)" in spanish.body
    assert (
        '<strong><span lang="en">Adaptive social protection</span> '
        '<small class="fallback-language">(en inglés)</small></strong>'
    ) in spanish.alternatives[0][0]
    assert french.subject == "Vous êtes inscrit·e : Protection sociale adaptative"
    assert "\nProtection sociale adaptative — Session 1\n" in french.body
    assert "fallback-language" not in french.alternatives[0][0]


def test_regions_and_organization_kinds_are_labels_translated_in_the_catalogues():
    """Code-defined labels, not model fields: every one has its Spanish and French."""
    from django.utils import translation

    from members.models import Organization
    from webinars.regions import REGION_CHOICES

    english = {key: str(label) for key, label in [*REGION_CHOICES, *Organization.Kind.choices]}
    for language in ("es", "fr"):
        with translation.override(language):
            for key, label in [*REGION_CHOICES, *Organization.Kind.choices]:
                assert str(label) != english[key], (language, key)
    with translation.override("fr"):
        assert str(Organization.Kind.ACADEMIA.label) == "Milieu universitaire"


def test_the_analytics_dashboard_names_topics_and_series_in_the_readers_language(
    frozen, webinar_factory, organizer
):
    from django.utils import translation

    from webinars.analytics import dashboard_report, dashboard_scope
    from webinars.models import Series, Topic

    cash = Topic.objects.create(
        slug="cash", name_en="Cash transfers", name_fr="Transferts monétaires"
    )
    pensions = Topic.objects.create(slug="pensions", name_en="Pensions")
    english_only = Series.objects.create(
        slug="sp", title_en="Social protection", organization=organizer.organization
    )
    both = webinar_factory(slug="both", series=english_only)
    both.topics.add(cash, pensions)
    webinar_factory(slug="one").topics.add(pensions)
    webinar_factory(slug="none")
    with translation.override("fr"):
        report = dashboard_report(scope=dashboard_scope(viewer=organizer))
    assert {line.slug: line.topics for line in report.webinars} == {
        "both": ["Pensions", "Transferts monétaires"],
        "one": ["Pensions"],
        "none": [],
    }
    assert {line.slug: line.series for line in report.webinars}["both"] == "Social protection"
    assert [row.label for row in report.by_series] == ["Social protection"]


def test_the_admin_finds_a_webinar_by_its_title_in_any_language(
    frozen, webinar_factory, member_factory, client
):
    from members.models import Role

    webinar = webinar_factory(slug="sahel", title="Sahel", language="fr")
    webinar.title_es = "Protección social en el Sahel"
    webinar.save()
    client.force_login(member_factory(role=Role.STAFF, is_staff=True, is_superuser=True))
    found = client.get("/admin/webinars/webinar/", {"q": "Protección"})
    assert found.status_code == 200
    assert list(found.context["cl"].result_list) == [webinar]
