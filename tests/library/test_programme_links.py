"""A programme's publications: linked from the programme's admin, the publication form
and the CSV import; listed on the programme's page, the publication's page and the
country's page, each at a number of queries that does not grow with the links."""

from itertools import count

import pytest
from django.urls import reverse

from communities.models import Community
from library.models import Programme, Publication
from library.publication_seeding import seed_publications
from library.seeding import seed_library
from library.services.programmes import programme_create
from members.models import Organization, Role
from tests.admin_forms import admin_post_changed
from tests.library.files import import_publications
from tests.queries import queries_of
from webinars.models import Webinar

pytestmark = pytest.mark.django_db


def programme(name_en: str, country: str = "BR", **links) -> Programme:
    return programme_create(actor=None, name_en=name_en, country=country, kind="cct", **links)


def test_the_programme_page_lists_its_published_publications(client, publish, member):
    older = publish(title="Bolsa Família at ten", year=2013)
    newer = publish(title="Bolsa Família and school attendance", kind="evaluation", year=2021)
    waiting = Publication.objects.create(
        work=older.work,
        title="Bolsa Família: un bilan",
        language="fr",
        kind="report",
        status=Publication.Status.SUBMITTED,
        submitter=member,
        created_at=older.created_at,
        updated_at=older.created_at,
    )
    bolsa = programme("Bolsa Família Programme", publications=[older, newer, waiting])
    html = client.get(reverse("library:programme", args=[bolsa.slug])).content.decode()
    assert html.index("school attendance") < html.index("at ten")  # newest first
    assert f'href="/library/{newer.pk}/"' in html and "Evaluation, 2021" in html
    assert "un bilan" not in html  # not published: not shown to readers


def test_the_publication_page_lists_its_programmes(client, publish):
    paper = publish(title="Cash transfers compared")
    programme("Bolsa Família Programme", publications=[paper])
    programme("4Ps", country="PH", publications=[paper])
    html = client.get(reverse("library:detail", args=[paper.pk])).content.decode()
    assert 'href="/library/programmes/bolsa-familia-programme/">Bolsa Família Programme</a>' in html
    assert 'href="/library/programmes/4ps/">4Ps</a> (Philippines)' in html
    assert "<dt>Programmes</dt>" in html
    other = publish(title="Pensions")
    assert (
        "<dt>Programmes</dt>"
        not in client.get(reverse("library:detail", args=[other.pk])).content.decode()
    )


def test_the_submit_form_links_programmes_and_the_edit_form_keeps_them(client, member):
    bolsa = programme("Bolsa Família Programme")
    fourps = programme("4Ps", country="PH")
    client.force_login(member)
    form = client.get(reverse("library:submit")).content.decode()
    assert f'<option value="{bolsa.pk}">Bolsa Família Programme (Brésil)</option>' in form
    fields = {"title": "Un document", "kind": "report", "language": "fr", "licence": "cc-by"}
    response = client.post(reverse("library:submit"), {**fields, "programmes": [bolsa.pk]})
    assert response.status_code == 302
    paper = Publication.objects.get()
    assert list(paper.programmes.all()) == [bolsa]
    edit = client.get(reverse("library:edit", args=[paper.pk])).content.decode()
    assert f'<option value="{bolsa.pk}" selected>' in edit
    client.post(reverse("library:edit", args=[paper.pk]), {**fields, "programmes": [fourps.pk]})
    assert list(paper.programmes.all()) == [fourps]
    refused = client.post(reverse("library:edit", args=[paper.pk]), {**fields, "programmes": ["x"]})
    assert refused.status_code == 400 and list(paper.programmes.all()) == [fourps]


def test_staff_link_publications_to_a_programme_in_the_admin(client, publish, member_factory):
    first, second = publish(title="First"), publish(title="Second")
    bolsa = programme("Bolsa Família Programme", publications=[first])
    client.force_login(member_factory(role=Role.STAFF, is_staff=True, is_superuser=True))
    url = f"/admin/library/programme/{bolsa.pk}/change/"
    page = client.get(url).content.decode()
    assert "/admin/autocomplete/" in page  # searched, not thousands of options listed
    status, body = admin_post_changed(client, url, publications=[str(first.pk), str(second.pk)])
    assert status == 302, body[:2000]
    assert set(bolsa.publications.all()) == {first, second}
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "library",
            "model_name": "programme",
            "field_name": "publications",
            "term": "Sec",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == ["Second"]


def test_the_country_page_gathers_its_publications(client, publish):
    about_programme = publish(title="Bolsa Família evaluated")  # no country filed
    filed_under = publish(title="Brazil's social pension", countries=["BR"])
    elsewhere = publish(title="4Ps evaluated", countries=["PH"])
    programme("Bolsa Família Programme", publications=[about_programme])
    programme("4Ps", country="PH", publications=[elsewhere])
    html = client.get(reverse("library:country", args=["BR"])).content.decode()
    assert f'href="/library/{about_programme.pk}/"' in html
    assert f'href="/library/{filed_under.pk}/"' in html
    assert "4Ps evaluated" not in html
    assert 'href="/library/?country=BR"' in html
    empty = client.get(reverse("library:country", args=["KE"])).content.decode()
    assert "No publication about this country yet." in empty


def test_pages_cost_the_same_queries_with_one_link_or_many(client, publish):
    organization = Organization.objects.create(name="Org", slug="org", country="BR")
    made = count()

    def links(n: int) -> dict:
        numbers = [next(made) for _ in range(n)]
        return {
            "publications": [publish(title=f"Paper {i}", countries=["BR"]) for i in numbers],
            "webinars": [
                Webinar.objects.create(
                    slug=f"w{i}", title_en=f"Webinar {i}", status=Webinar.Status.PUBLISHED
                )
                for i in numbers
            ],
            "communities": [
                Community.objects.create(
                    name=f"Community {i}", slug=f"c{i}", organization=organization
                )
                for i in numbers
            ],
        }

    one = programme("Bolsa Família Programme", **links(1))
    paper = one.publications.get()
    programme_page = reverse("library:programme", args=[one.slug])
    publication_page = reverse("library:detail", args=[paper.pk])
    country_page = reverse("library:country", args=["BR"])
    for url in (programme_page, publication_page, country_page):
        client.get(url)  # the session and the glossary version settle
    before = {url: queries_of(client, url) for url in (programme_page, country_page)}
    before[publication_page] = queries_of(client, publication_page)

    many = links(4)
    one.publications.add(*many["publications"])
    one.webinars.add(*many["webinars"])
    one.communities.add(*many["communities"])
    for n in range(3):
        more = links(2)
        more["publications"] += [paper, *many["publications"]]
        programme(f"Programme {n}", **more)

    after = {url: queries_of(client, url) for url in before}
    assert after == before
    html = client.get(programme_page).content.decode()
    assert html.count('class="muted">— Report') == 5
    assert client.get(publication_page).content.decode().count('href="/library/programmes/p') == 3


def test_the_csv_import_links_programmes_by_slug_and_other_imports_keep_them(tmp_path, publish):
    bolsa = programme("Bolsa Família Programme")
    fourps = programme("4Ps", country="PH")
    path = tmp_path / "pubs.csv"
    path.write_text(
        "title,type,language,programmes\n"
        "Cash in Brazil,report,en,bolsa-familia-programme\n"
        "Cash in two countries,report,en,BOLSA-FAMILIA-PROGRAMME; 4ps\n"
        "Cash nowhere,report,en,bolsa-familia-programme; no-such-programme\n",
        encoding="utf-8",
    )
    report = import_publications(path)
    assert (report["created"], report["errors"]) == (
        2,
        [{"where": "line 4", "reason": "programmes: unknown programmes: no-such-programme"}],
    )
    assert list(Publication.objects.get(title="Cash in Brazil").programmes.all()) == [bolsa]
    both = Publication.objects.get(title="Cash in two countries")
    assert set(both.programmes.all()) == {bolsa, fourps}
    assert import_publications(path)["skipped"] == 2
    path.write_text("title,type,language,programmes\nCash in Brazil,report,en,4ps\n")
    assert import_publications(path)["updated"] == 1
    assert list(Publication.objects.get(title="Cash in Brazil").programmes.all()) == [fourps]
    # A file without the column (or a RIS file) changes the record but not its programmes.
    path.write_text("title,abstract,type,language\nCash in two countries,New,report,en\n")
    assert import_publications(path)["updated"] == 1
    assert set(both.programmes.all()) == {bolsa, fourps}


def test_the_demo_profiles_link_the_demo_publications(db):
    seed_publications()
    seed_library()
    senegal = Programme.objects.get(country="SN")
    assert {p.language for p in senegal.publications.all()} == {"en", "fr"}
    assert Programme.objects.get(country="BR").publications.count() == 1
