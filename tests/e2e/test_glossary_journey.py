"""A visitor reads a community post where a glossary term is linked, follows it to the
term's page, switches to Spanish and finds the same concept by its Spanish term typed
with a typo."""

import re

import pytest

from communities.models import Community, Post, Thread
from core.markdown import render_markdown
from library.seeding import demo_glossary_csv
from library.services.glossary import glossary_import
from members.models import Organization

pytestmark = pytest.mark.e2e


def test_from_a_post_to_the_glossary_and_back_in_spanish(live, page_in_zone):
    assert not glossary_import(actor=None, data=demo_glossary_csv()).errors
    organization = Organization.objects.create(name="Red de protección", slug="red")
    community = Community.objects.create(
        name="Cash transfers", slug="cash", organization=organization
    )
    thread = Thread.objects.create(community=community, title="What conditions work?")
    body = (
        "Our **conditional cash transfer** pays every two months. Has anyone "
        "dropped the conditional cash transfer's school condition?\n\n"
        "`conditional cash transfer` in code is left alone."
    )
    Post.objects.create(
        thread=thread,
        community=community,
        is_opening=True,
        body=body,
        body_html=render_markdown(body),
    )

    page = page_in_zone("America/Bogota")
    page.goto(f"{live.url}/communities/cash/threads/{thread.pk}/")
    term = page.locator(".post-body a.glossary-term")
    assert term.count() == 1  # the first occurrence only, never inside code
    assert term.inner_text() == "conditional cash transfer"
    assert "regular cash payment" in term.get_attribute("title")  # the tooltip, no script

    term.click()
    page.wait_for_url(f"{live.url}/library/glossary/en/conditional-cash-transfer/")
    assert page.locator("h1").inner_text().startswith("conditional cash transfer")
    assert page.get_by_text("transferencia monetaria condicionada").count() == 1

    page.locator("#language-select").select_option("es")
    page.locator(".language-switch button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"

    page.goto(f"{live.url}/library/glossary/")
    page.locator("#glossary-q").fill("transferencia condicionda")  # a letter missing
    page.locator("#glossary-q").press("Enter")
    page.wait_for_url(re.compile(r"/library/glossary/\?q="))
    first = page.locator(".glossary-results li a").first
    assert first.inner_text() == "transferencia monetaria condicionada"
    first.click()
    page.wait_for_url(f"{live.url}/library/glossary/es/transferencia-monetaria-condicionada/")
    assert "corresponsabilidades" in page.locator(".definition").inner_text()
    # The same concept: its English term links back to where the visitor came from.
    english = page.locator("a[hreflang='en']", has_text="conditional cash transfer")
    assert english.get_attribute("href") == "/library/glossary/en/conditional-cash-transfer/"


def test_glossary_and_programme_pages_pass_axe_on_a_phone(live, page_in_zone):
    from library.models import Programme
    from library.seeding import seed_library
    from tests.e2e.test_accessibility import blocking_violations

    seed_library()
    slug = Programme.objects.get(country="BR").slug
    page = page_in_zone("America/Sao_Paulo", width=360)
    for path in [
        "/library/glossary/",
        "/library/glossary/?lang=fr&letter=E",
        "/library/glossary/?q=focalizacion",
        "/library/glossary/en/conditional-cash-transfer/",
        "/library/programmes/",
        "/library/programmes/?country=BR&type=cct",
        f"/library/programmes/{slug}/",
        "/library/programmes/countries/BR/",
    ]:
        page.goto(live.url + path)
        assert blocking_violations(page) == [], path
        # Nothing wider than the phone's screen.
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > 361)"
            ".map(e => e.tagName + ':' + e.textContent.slice(0, 40))"
        )
        assert page.evaluate("document.documentElement.scrollWidth <= 360"), (path, wide[:5])
