"""Glossary terms linked in sanitised HTML: first occurrence per concept, never inside
links, code or abbreviations, and nothing a hostile text can turn into markup."""

import re

import nh3
import pytest

from core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from core.text_links import text_links_apply
from library.glossary_text import LINK, Matcher, Pattern, Target, link_terms
from library.models import Concept, ConceptTerm

CCT = Target(1, "/library/glossary/en/conditional-cash-transfer/", "CCT: a transfer", "en")
TMC = Target(1, "/library/glossary/es/tmc/", "TMC: una transferencia", "es")
PMT = Target(2, "/library/glossary/en/proxy-means-test/", "PMT: an estimate", "en")
MATCHER = Matcher(
    [
        Pattern("conditional cash transfer", CCT),
        Pattern("CCT", CCT),
        Pattern("transferencia monetaria condicionada", TMC),
        Pattern("proxy means test", PMT),
        Pattern("PMT", PMT),
    ]
)
INSERTED = re.compile(r'<a class="glossary-term" [^>]*>(.*?)</a>')


def links(html: str) -> list[str]:
    return INSERTED.findall(html)


def same_markup(a: str, b: str) -> bool:
    clean = {"tags": ALLOWED_TAGS, "attributes": ALLOWED_ATTRIBUTES}
    return nh3.clean(a, **clean) == nh3.clean(b, **clean)


def test_first_occurrence_of_each_concept_is_linked_once():
    html = render_markdown(
        "A **conditional cash transfer** is not a PMT. Conditional cash transfers (CCT) again, "
        "and a proxy means test."
    )
    out = link_terms(html, MATCHER)
    assert links(out) == ["conditional cash transfer", "PMT"]
    assert 'href="/library/glossary/en/conditional-cash-transfer/"' in out
    assert 'title="CCT: a transfer"' in out


def test_plurals_accents_case_and_hyphens_match():
    assert links(link_terms("<p>Conditional-cash transfers work</p>", MATCHER)) == [
        "Conditional-cash transfers"
    ]
    assert links(link_terms("<p>Las TRANSFERENCIAS monetarias condicionadas</p>", MATCHER)) == [
        "TRANSFERENCIAS monetarias condicionadas"
    ]


def test_abbreviations_match_only_as_written_and_words_not_across_punctuation():
    assert links(link_terms("<p>a pmt, a proxy. means test</p>", MATCHER)) == []
    assert links(link_terms("<p>PMTs are common</p>", MATCHER)) == []  # TMCs needs its synonym


def test_never_inside_links_code_pre_or_abbr_and_never_in_attributes():
    html = render_markdown(
        '[the PMT](https://example.org "proxy means test > PMT") and `PMT` and\n\n'
        "    PMT in a block\n\n"
        '<abbr title="PMT">PMT</abbr> then the PMT.'
    )
    out = link_terms(html, MATCHER)
    assert links(out) == ["PMT"]
    assert (
        out.count('title="proxy means test &gt; PMT"') == 1
        or 'title="proxy means test > PMT"' in out
    )
    assert out.endswith(
        "then the " + LINK.format(url=PMT.url, title=PMT.title, language="en", text="PMT") + ".</p>"
    )


def test_hostile_text_stays_inert():
    hostile = (
        "<script>alert(1)</script> PMT <img src=x onerror=alert(1)> "
        '"><svg onload=alert(1)> &lt;b&gt;conditional cash transfer&lt;/b&gt; '
        '[x](javascript:alert(1)) <a href="/" onclick="x">CCT</a> &amp; CCT'
    )
    html = render_markdown(hostile)
    evil = Target(3, '/x/"><script>alert(2)</script>', '"><img src=x onerror=alert(3)>', "en")
    matcher = Matcher([Pattern("PMT", evil), Pattern("conditional cash transfer", CCT)])
    out = link_terms(html, matcher)
    assert "<script" not in out and "<img" not in out and "<svg" not in out
    assert "onerror=alert(3)" not in out.replace("&quot;", '"').split('title="')[0]
    assert "&lt;script&gt;alert(2)" in out  # the hostile address is escaped, not markup
    # Take the inserted links out again: the rest is the sanitised HTML as it was.
    assert same_markup(INSERTED.sub(r"\1", out), html)
    assert links(out)[0] == "PMT"
    # Escaped markup in a text node stays escaped text once a link is put beside it,
    # and an entity is not a word ("&amp;" holds no "amp" to match).
    out = link_terms(
        "<p>&lt;b onclick=x&gt;PMT&lt;/b&gt; &amp; amp</p>",
        Matcher([Pattern("amp", CCT), Pattern("PMT", PMT)]),
    )
    assert out.startswith("<p>&lt;b onclick=x&gt;<a ")
    assert out.endswith(
        "&lt;/b&gt; &amp; "
        + LINK.format(url=CCT.url, title=CCT.title, language="en", text="amp")
        + "</p>"
    )


@pytest.mark.django_db
def test_registered_linker_caches_and_follows_changes(glossary, django_assert_num_queries):
    html = render_markdown("Targeting and a social registry.")
    first = text_links_apply(html, language="en")
    assert links(first) == ["Targeting", "social registry"]
    with django_assert_num_queries(0):  # cached: same text, same glossary version
        assert text_links_apply(html, language="en") == first
    concept = Concept.objects.create(key="and-test")
    ConceptTerm.objects.create(
        concept=concept, language="en", term="and", slug="and", definition="x"
    )
    assert "and" in links(text_links_apply(html, language="en"))


@pytest.mark.django_db
def test_language_of_the_text_chooses_the_terms(glossary):
    html = render_markdown("La focalización y el targeting.")
    assert links(text_links_apply(html, language="es")) == ["focalización"]
    assert links(text_links_apply(html, language="en")) == ["targeting"]
    assert links(text_links_apply(html, language="")) == ["focalización"]
