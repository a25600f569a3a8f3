"""Glossary pages and search, and its terms linked where posts and webinars are read."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from communities.models import Community, Post, Thread
from core.markdown import render_markdown
from library.models import Concept, ConceptTerm
from library.selectors.glossary import glossary_search
from members.models import Organization

pytestmark = pytest.mark.django_db


def found(query: str, language: str = "en") -> list[str]:
    return [h.shown.term for h in glossary_search(query=query, language=language)]


@pytest.mark.parametrize(
    "query",
    [
        "conditional cash transfer",
        "transferencia condicionada",
        "Transferencia Monetaria Condicionada",
        "transferencia condicionda",  # a letter missing
        "transfert monetaire conditionel",  # accents off and a typo
        "TMC",
        "cct",
    ],
)
def test_search_finds_the_same_concept_in_any_language(glossary, query):
    assert found(query)[0] == "conditional cash transfer"


def test_search_shows_the_readers_language_and_is_constant_in_queries(
    glossary, django_assert_num_queries
):
    assert found("focalizacion", language="fr")[0] == "ciblage"
    assert found("pension", language="es")[:1] == ["pensión social"]
    found("targeting")  # builds the in-process index
    with django_assert_num_queries(1):
        hits = glossary_search(query="social", language="en")
    assert len(hits) >= 5
    assert found("zzzz qqqq") == []
    assert found("") == []


def test_a_to_z_per_language_folds_accents(client, glossary):
    page = client.get(reverse("library:glossary"), {"lang": "fr", "letter": "E"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "évaluation indirecte des ressources" in html
    assert "examen des ressources" in html
    assert "<h2>E</h2>" in html
    english = client.get(
        reverse("library:glossary"), {"lang": "en", "letter": "s"}
    ).content.decode()
    assert "social pension" in english and "évaluation" not in english


def test_term_page_has_other_languages_sources_and_see_also(client, glossary):
    es = ConceptTerm.objects.get(language="es", term="transferencia monetaria condicionada")
    url = reverse("library:glossary_term", args=["es", es.slug])
    assert url == "/library/glossary/es/transferencia-monetaria-condicionada/"
    with translation.override("es"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Pago periódico en efectivo" in html
    assert "conditional cash transfer" in html and "transfert monétaire conditionnel" in html
    assert "focalización" in html  # see also, in the page's language
    assert "World Bank" in html and "2026-11-02" in html
    assert client.get("/library/glossary/es/no-such-term/").status_code == 404
    assert client.get("/library/glossary/de/x/").status_code == 404


def test_search_page(client, glossary):
    html = client.get(
        reverse("library:glossary"), {"q": "transferencia condicionda"}
    ).content.decode()
    assert "/library/glossary/en/conditional-cash-transfer/" in html
    assert "close match" in html
    hostile = client.get(reverse("library:glossary"), {"q": "<script>alert(1)</script>"})
    assert hostile.status_code == 200 and "<script>alert" not in hostile.content.decode()


@pytest.fixture
def thread(db):
    organization = Organization.objects.create(name="Org", slug="org", country="BR", kind="ngo")
    community = Community.objects.create(name="Cash", slug="cash", organization=organization)
    thread = Thread.objects.create(community=community, title="Targeting debate")
    return thread


def post(thread, body, **fields):
    return Post.objects.create(
        thread=thread,
        community=thread.community,
        is_opening=not thread.posts.exists(),
        body=body,
        body_html=render_markdown(body),
        **fields,
    )


def test_community_post_links_terms_unless_its_author_opted_out(client, glossary, thread):
    post(thread, "Our **social registry** feeds the proxy means test. Social registry again.")
    post(thread, "No links here: social registry.", glossary_links=False)
    url = reverse("communities:thread", args=["cash", thread.pk])
    html = client.get(url).content.decode()
    assert html.count('class="glossary-term"') == 2
    assert 'href="/library/glossary/en/social-registry/"' in html
    assert "No links here: social registry." in html


def test_glossary_change_shows_in_posts(client, glossary, thread):
    post(thread, "We talk about resilience.")
    url = reverse("communities:thread", args=["cash", thread.pk])
    assert 'class="glossary-term"' not in client.get(url).content.decode()
    concept = Concept.objects.create(key="resilience")
    ConceptTerm.objects.create(
        concept=concept, language="en", term="resilience", slug="resilience", definition="Bouncing."
    )
    assert 'href="/library/glossary/en/resilience/"' in client.get(url).content.decode()


def test_webinar_description_links_terms_of_its_language(client, glossary):
    from core.clock import now
    from webinars.models import Session, Webinar

    webinar = Webinar.objects.create(
        slug="tmc",
        title_es="Las TMC en la región",
        description_es="Cómo la focalización decide quién recibe una pensión social.",
        description_html_es=render_markdown(
            "Cómo la focalización decide quién recibe una pensión social."
        ),
        language="es",
        status=Webinar.Status.PUBLISHED,
    )
    Session.objects.create(webinar=webinar, starts_at=now())
    with translation.override("es"):
        html = client.get(reverse("webinars:detail", args=["tmc"]), HTTP_ACCEPT_LANGUAGE="es")
    text = html.content.decode()
    assert 'href="/library/glossary/es/focalizacion/"' in text
    assert 'href="/library/glossary/es/pension-social/"' in text
    Webinar.objects.filter(pk=webinar.pk).update(glossary_links=False)
    with translation.override("es"):
        html = client.get(reverse("webinars:detail", args=["tmc"]), HTTP_ACCEPT_LANGUAGE="es")
    assert 'class="glossary-term"' not in html.content.decode()


def test_a_change_made_elsewhere_shows_on_the_next_page_at_a_constant_query_count(
    client, glossary, thread
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.clock import now

    post(thread, "We talk about resilience and targeting.")
    url = reverse("communities:thread", args=["cash", thread.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    # Another process (a command-line import) renames a term: no signal reaches this one.
    ConceptTerm.objects.filter(language="en", term="targeting").update(
        term="resilience", updated_at=now()
    )
    with CaptureQueriesContext(connection) as second:
        html = client.get(url).content.decode()
    assert ">resilience</a>" in html and ">targeting</a>" not in html
    with CaptureQueriesContext(connection) as third:
        client.get(url)
    assert len(first.captured_queries) == len(third.captured_queries)
    assert len(second.captured_queries) == len(first.captured_queries) + 1  # the rebuild


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen: list = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


def test_hostile_glossary_entries_stay_text_where_they_are_linked(client, thread):
    from library.services.glossary import glossary_import
    from tests.library.files import glossary_csv

    hostile = {
        "key": "hostile",
        "en_term": "cash plus",
        "en_definition": '"><script>window.__pwned=1</script><img src=x onerror=alert(1)>',
        "en_synonyms": 'x" onmouseover="alert(2)',
    }
    assert not glossary_import(actor=None, data=glossary_csv(hostile)).errors
    post(thread, 'Is cash plus worth it? What about x" onmouseover="alert(2)?')
    html = client.get(reverse("communities:thread", args=["cash", thread.pk])).content.decode()
    body = html[html.index('class="post-body"') :]
    body = body[: body.index("</div>")]
    tags = Tags()
    tags.feed(body)
    assert {name for name, _attrs in tags.seen} <= {"div", "p", "a"}
    assert all(
        name != "a" or {k for k, _v in attrs} <= {"class", "href", "title", "hreflang"}
        for name, attrs in tags.seen
    )
    (link,) = [attrs for name, attrs in tags.seen if name == "a"]
    assert dict(link)["title"].startswith('cash plus: "><script>')  # text in an attribute
    term = ConceptTerm.objects.get(concept__key="hostile")
    page = client.get(reverse("library:glossary_term", args=["en", term.slug])).content.decode()
    assert "<script>window.__pwned" not in page and "&lt;script&gt;" in page


def test_authors_opt_out_from_the_forms(client, glossary, thread, member_factory):
    from communities.models import Membership

    member = member_factory()
    Membership.objects.create(community=thread.community, member=member, handle="ana")
    client.force_login(member)
    client.post(
        reverse("communities:thread_new", args=["cash"]),
        {"title": "Plain", "body": "A social registry, unlinked.", "no_glossary_links": "on"},
    )
    opened = Post.objects.get(thread__title="Plain")
    assert opened.glossary_links is False
    client.post(
        reverse("communities:reply", args=["cash", opened.thread_id]),
        {"body": "A social registry, linked."},
    )
    reply = Post.objects.get(body="A social registry, linked.")
    assert reply.glossary_links is True
    client.post(
        reverse("communities:post_edit", args=["cash", reply.pk]),
        {"body": "A social registry, now unlinked.", "no_glossary_links": "on"},
    )
    reply.refresh_from_db()
    assert (reply.body, reply.glossary_links) == ("A social registry, now unlinked.", False)
    html = client.get(reverse("communities:thread", args=["cash", opened.thread_id]))
    assert 'class="glossary-term"' not in html.content.decode()


def test_pages_cost_a_fixed_number_of_queries(client, glossary, django_assert_max_num_queries):
    term = "/library/glossary/en/targeting/"  # with three "see also" and a source
    with django_assert_max_num_queries(6):
        assert client.get(term).status_code == 200
    with django_assert_max_num_queries(4):
        page = client.get(reverse("library:glossary"), {"lang": "es", "letter": "T"})
    assert "transferencia monetaria condicionada" in page.content.decode()


def test_expansions_give_every_name_of_the_concept_for_other_searches(glossary):
    from library.selectors.glossary import glossary_expansions

    names = glossary_expansions(query="transferencia condicionda", limit=1)
    assert {"conditional cash transfer", "CCT", "transfert monétaire conditionnel", "TMCs"} <= set(
        names
    )
    assert glossary_expansions(query="qqqq zzzz") == []


def test_the_closer_name_wins_whatever_the_order_of_entry(db):
    from library.services.glossary import glossary_import
    from tests.library.files import glossary_csv

    rows = [
        {"key": "uct", "es_term": "transferencia monetaria no condicionada", "es_definition": "x"},
        {"key": "cct", "es_term": "transferencia monetaria condicionada", "es_definition": "y"},
    ]
    glossary_import(actor=None, data=glossary_csv(*rows))
    hits = glossary_search(query="transferencia condicionda", language="es", limit=1)
    assert [h.shown.term for h in hits] == ["transferencia monetaria condicionada"]
