"""A member submits a French working paper (a PDF); the reviewer requests changes, the
member fixes them, the reviewer works through the checklist and publishes; a visitor in
Dakar finds it by searching with a typo, filters by country, downloads it (the count
moves, counted for Senegal from the browser's zone) and cites it. The library's pages
pass axe and fit a 360-px phone."""

import re

import pytest

from library.models import DownloadCount, Publication
from members.models import Role
from tests.e2e.test_accessibility import blocking_violations
from tests.e2e.test_community_journey import log_in
from tests.library.pdfs import text_pdf

pytestmark = pytest.mark.e2e
TITLE = "Les transferts monétaires conditionnels au Sénégal"


# Headless Chromium says so in its user agent, and crawlers' downloads are not counted:
# the visitor's browser presents itself as a phone's.
PHONE_BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def test_submit_review_publish_find_download_cite(
    live, page_in_zone, chromium, member_factory, tmp_path
):
    member = member_factory(email="awa@example.org", full_name="Awa Diop")
    member_factory(email="rita@example.org", full_name="Rita Reviewer", role=Role.STAFF)
    reviewer = member_factory(email="rev@example.org", full_name="Rev Iewer", role=Role.STAFF)
    paper = tmp_path / "document-de-travail.pdf"
    paper.write_bytes(text_pdf("Bourses de securite familiale et consommation des menages"))

    # The member submits (the English UI; the paper itself is in French).
    author = page_in_zone("Africa/Dakar")
    log_in(author, live, member, "/library/submit/")
    author.get_by_label("Title:", exact=True).fill(TITLE)
    author.get_by_label("Authors:").fill("Awa Diop\nMoussa Ndiaye")
    author.get_by_label("Type:").select_option("working_paper")
    author.get_by_label("Language:").select_option("fr")
    author.get_by_label("Year:").fill("2024")
    author.get_by_label("Countries:").select_option("SN")
    author.get_by_label("Licence:").select_option("cc-by")
    author.get_by_label("File (PDF or Office):").set_input_files(str(paper))
    assert blocking_violations(author) == []
    author.get_by_role("button", name="Send for review").click()
    author.wait_for_url(re.compile(r"/library/\d+/review/$"))
    publication = Publication.objects.get(title=TITLE)
    assert publication.status == "submitted"

    # The reviewer asks for an abstract.
    desk = page_in_zone("Europe/London")
    log_in(desk, live, reviewer, "/library/review/")
    desk.get_by_role("link", name=TITLE).click()
    desk.get_by_label("Comment or reason:").fill("Merci d'ajouter un résumé.")
    desk.get_by_role("button", name="Request changes").click()
    desk.locator("#publication-status", has_text="Changes requested").wait_for()
    assert blocking_violations(desk) == []

    # The member adds it and sends it back.
    author.goto(f"{live.url}/library/{publication.pk}/edit/")
    author.get_by_label("Abstract:").fill(
        "Une étude des bourses de sécurité familiale et de leurs effets sur les ménages."
    )
    author.get_by_role("button", name="Save").click()
    author.locator("#publication-status", has_text="Submitted").wait_for()

    # The reviewer ticks the checklist and publishes.
    desk.reload()
    for label in ("Metadata complete", "Taxonomy applied", "Licence allows sharing"):
        desk.get_by_label(label).check()
    desk.get_by_role("button", name="Save checklist").click()
    desk.get_by_role("button", name="Publish").click()
    desk.wait_for_url(f"{live.url}/library/{publication.pk}/")
    publication.refresh_from_db()
    assert publication.status == "published"
    actions = list(publication.transitions.values_list("action", flat=True))
    assert actions == ["submit", "request_changes", "resubmit", "checklist", "publish"]

    # A visitor in Dakar, on a phone, searches with a typo.
    phone = chromium.new_context(
        timezone_id="Africa/Dakar",
        locale="en-GB",
        viewport={"width": 360, "height": 800},
        is_mobile=True,
        user_agent=PHONE_BROWSER,
        accept_downloads=True,
    )
    phone.set_default_timeout(15_000)
    visitor = phone.new_page()
    visitor.goto(f"{live.url}/library/")
    visitor.get_by_label("Search publications").fill("tranferts monetaires")
    visitor.get_by_role("button", name="Search").click()
    visitor.get_by_text("showing results for").wait_for()
    assert visitor.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert blocking_violations(visitor) == []
    visitor.locator("[data-facet=country] a", has_text="Senegal").click()
    visitor.wait_for_url(re.compile(r"country=SN"))
    visitor.get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(f"{live.url}/library/{publication.pk}/")
    assert blocking_violations(visitor) == []

    with visitor.expect_download() as download:
        visitor.get_by_role("link", name=re.compile("^Download")).click()
    assert download.value.suggested_filename == "document-de-travail.pdf"
    counts = list(
        DownloadCount.objects.filter(publication=publication).values_list("country", "count")
    )
    assert counts == [("SN", 1)]

    citation = visitor.locator(".citation").inner_text()
    assert citation.startswith("Awa Diop, Moussa Ndiaye (2024). " + TITLE)
    with visitor.expect_download() as bib:
        visitor.get_by_role("link", name="BibTeX").click()
    assert open(bib.value.path(), encoding="utf-8").read().startswith("@techreport{")
    phone.close()
