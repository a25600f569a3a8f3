"""The library's pages: search with facets as query parameters, a publication's page,
downloads counted per month and country, citations, the staff export, the review pages."""

import csv
import io
from datetime import UTC, datetime

import pytest
from asgiref.sync import async_to_sync
from django.core.files.base import ContentFile
from django.urls import reverse

from core import usage
from core.clock import travel
from library.models import DownloadCount, Publication
from tests.library.pdfs import text_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    events = []

    def sink(*, kind, request, **attrs):
        events.append((kind, attrs))

    usage.usage_sink_register(sink)
    yield events
    usage._sinks.remove(sink)


def with_file(publication: Publication) -> Publication:
    publication.file.save("paper.pdf", ContentFile(text_pdf("x")), save=False)
    publication.file_name = "paper.pdf"
    publication.file_kind = "pdf"
    publication.save()
    return publication


def test_search_page_with_facets_in_the_query(client, publish, reported):
    publish(title="Cash transfers in Kenya", countries=["KE"])
    publish(title="Cash transfers in Senegal", countries=["SN"])
    response = client.get(reverse("library:publications"), {"q": "cash", "country": "KE"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cash transfers in Kenya" in html and "Cash transfers in Senegal" not in html
    assert "?q=cash" in html  # facet links keep the query
    assert reported == [("search", {"query": "cash", "results": 1})]


def test_home_shows_most_downloaded_and_new_this_month(client, publish):
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    old = publish(title="An old favourite", published_at=datetime(2025, 1, 5, tzinfo=UTC))
    publish(title="Fresh this month", published_at=now)
    DownloadCount.objects.create(publication=old, month="2025-01-01", country="KE", count=9)
    with travel(now):
        html = client.get(reverse("library:publications")).content.decode()
    top = html.split("Most downloaded")[1]
    new = html.split("New this month")[1].split("Most downloaded")[0]
    assert "An old favourite" in top and "9 downloads" in top
    assert "Fresh this month" in new and "An old favourite" not in new


def test_download_counted_by_month_and_country(client, publish, member_factory, reported):
    item = with_file(publish(title="Paper"))
    url = reverse("library:download", args=[item.pk])
    client.cookies["baraza_tz"] = "Africa/Dakar"
    with travel(datetime(2026, 11, 30, 23, tzinfo=UTC)):
        assert client.get(url).status_code == 200
    with travel(datetime(2026, 12, 1, 1, tzinfo=UTC)):
        client.get(url)
        member = member_factory(country="KE")
        client.force_login(member)
        client.get(url)
        client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")  # not counted
    rows = set(DownloadCount.objects.values_list("month", "country", "count"))
    assert {(str(m), c, n) for m, c, n in rows} == {
        ("2026-11-01", "SN", 1),
        ("2026-12-01", "SN", 1),
        ("2026-12-01", "KE", 1),
    }
    assert [k for k, _ in reported] == ["download"] * 3


def test_figures_only_for_its_organization_and_staff(
    client, publish, organization, member_factory, staff
):
    item = publish(title="Paper", organization_ids=[organization.pk])
    DownloadCount.objects.create(publication=item, month="2026-12-01", country="SN", count=4)
    url = reverse("library:detail", args=[item.pk])
    assert "Downloaded 4 times" not in client.get(url).content.decode()
    client.force_login(member_factory())
    assert "Downloaded 4 times" not in client.get(url).content.decode()
    client.force_login(member_factory(organization=organization))
    assert "Downloaded 4 times" in client.get(url).content.decode()
    client.force_login(staff)
    assert "Downloaded 4 times" in client.get(url).content.decode()


def test_unpublished_is_not_shown_to_visitors(client, publish, member):
    item = publish(title="Draft", index=False)
    item.status = "submitted"
    item.submitter = member
    item.save()
    assert client.get(reverse("library:detail", args=[item.pk])).status_code == 404
    client.force_login(member)
    assert client.get(reverse("library:detail", args=[item.pk])).status_code == 200


def test_cite(client, publish, organization):
    item = publish(
        title="Cash {transfers} & 100% coverage",
        authors=["Diop, Awa", "Ndiaye, Moussa"],
        organization_ids=[organization.pk],
        year=2023,
        doi="10.1234/xyz",
        kind="working_paper",
    )
    ris = client.get(reverse("library:cite_ris", args=[item.pk])).content.decode()
    assert "TY  - RPRT" in ris and "AU  - Diop, Awa" in ris and "DO  - 10.1234/xyz" in ris
    assert ris.strip().endswith("ER  -")
    bib = client.get(reverse("library:cite_bibtex", args=[item.pk])).content.decode()
    assert bib.startswith(f"@techreport{{diop2023_{item.pk},")
    assert r"title = {Cash \{transfers\} \& 100\% coverage}" in bib
    assert "author = {Diop, Awa and Ndiaye, Moussa}" in bib
    plain = client.get(reverse("library:cite_text", args=[item.pk])).content.decode()
    assert plain.startswith("Diop, Awa, Ndiaye, Moussa (2023). Cash {transfers} & 100% coverage.")
    assert "https://doi.org/10.1234/xyz" in plain
    page = client.get(reverse("library:detail", args=[item.pk])).content.decode()
    assert "Diop, Awa, Ndiaye, Moussa (2023)." in page


async def _collect(response) -> bytes:
    return b"".join([chunk async for chunk in response.streaming_content])


def test_export_for_staff_only_and_formula_safe(client, publish, staff, member):
    publish(title="=HYPERLINK(1) cash", authors=["@evil"])
    url = reverse("library:publications_export") + "?q=cash"
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    response = client.get(url)
    body = async_to_sync(_collect)(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["id", "title", "authors"]
    assert rows[1][1] == "'=HYPERLINK(1) cash" and rows[1][2] == "'@evil"


def test_hostile_text_is_escaped(client, publish):
    item = publish(title="<script>alert(1)</script>", abstract="<img src=x onerror=alert(1)>")
    html = client.get(reverse("library:detail", args=[item.pk])).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    search = client.get(reverse("library:publications"), {"q": "<script>"}).content.decode()
    assert "<script>alert" not in search


def test_review_pages(client, member, staff, themes):
    client.force_login(member)
    response = client.post(
        reverse("library:submit"),
        {
            "title": "Un document de travail",
            "kind": "working_paper",
            "language": "fr",
            "licence": "cc-by",
            "countries": ["SN"],
            "themes": [themes["conditional"].pk],
        },
    )
    item = Publication.objects.get()
    assert response.status_code == 302
    assert client.get(reverse("library:review_queue")).status_code == 403
    client.force_login(staff)
    queue = client.get(reverse("library:review_queue")).content.decode()
    assert "Un document de travail" in queue
    act = reverse("library:review_act", args=[item.pk])
    client.post(act, {"action": "request_changes", "note": "Add an abstract"})
    item.refresh_from_db()
    assert item.status == "changes_requested"
    client.force_login(member)
    edit = client.get(reverse("library:edit", args=[item.pk]))
    assert edit.status_code == 200
    client.post(
        reverse("library:edit", args=[item.pk]),
        {
            "title": "Un document de travail",
            "abstract": "Résumé",
            "kind": "working_paper",
            "language": "fr",
            "licence": "cc-by",
            "countries": ["SN"],
        },
    )
    item.refresh_from_db()
    assert item.status == "submitted" and item.abstract == "Résumé"
    client.force_login(staff)
    client.post(act, {"action": "publish"})
    item.refresh_from_db()
    assert item.status == "submitted"  # the checklist is not done
    client.post(act, {"action": "checklist", "metadata": "on", "taxonomy": "on", "licence": "on"})
    response = client.post(act, {"action": "publish"})
    item.refresh_from_db()
    assert item.status == "published"
    assert response["Location"] == reverse("library:detail", args=[item.pk])
    log = client.get(reverse("library:review", args=[item.pk])).content.decode()
    assert "Requested changes" in log and "Add an abstract" in log and "Rita Reviewer" in log
