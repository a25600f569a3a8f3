"""The library in monitoring: the dashboard's section (review steps from the publications'
log, downloads per publication; page and CSV, partner-scoped), the staff export of
publications, the partner monthly report, the personal-data download (metadata and the
uploaded file) and account deletion (published publications stay, nameless)."""

import io
import json
import os
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from core.clock import travel
from library.models import Publication, PublicationTransition, Work
from library.services import publications as services
from library.services.publications import PublicationData
from library.services.publications_downloads import download_count
from members.models import Member, Organization, Role
from tests.library.pdfs import text_pdf
from tests.monitoring.test_surveys_and_events import csv_of

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2027-03-01", "end": "2027-03-09"}
IN_PERIOD = datetime(2027, 3, 5, 10, 0, tzinfo=UTC)  # conftest NOW: 10 March
MARCH, FEBRUARY = date(2027, 3, 1), date(2027, 2, 1)
PDF = text_pdf("Cash transfers in the Philippines")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def _submit(member, title, organization=None, *, upload=False, at=IN_PERIOD):
    data = PublicationData(
        title=title,
        kind="report",
        organization_ids=[organization.pk] if organization else [],
        authors=["A. Author"],
        year=2026,
    )
    file = SimpleUploadedFile("cash.pdf", PDF, "application/pdf") if upload else None
    with travel(at):
        return services.publication_submit(submitter=member, data=data, upload=file)


def _publish(reviewer, publication, at=IN_PERIOD):
    with travel(at):
        services.publication_checklist_set(
            reviewer=reviewer, publication=publication, metadata=True, taxonomy=True, licence=True
        )
        return services.publication_publish(reviewer=reviewer, publication=publication)


@pytest.fixture
def library(member_factory, frozen, django_capture_on_commit_callbacks):
    ours = Organization.objects.create(name="DSWD", slug="dswd", country="PH", kind="government")
    theirs = Organization.objects.create(name="NSSF", slug="nssf", country="KE", kind="ngo")
    w = {
        "ours": ours,
        "theirs": theirs,
        "our_admin": member_factory(role=Role.PARTNER_ADMIN, organization=ours, email="oa@dswd.ph"),
        "their_admin": member_factory(
            role=Role.PARTNER_ADMIN, organization=theirs, email="ta@nssf.ke"
        ),
        "staff": member_factory(role=Role.STAFF, is_staff=True, email="rev@baraza.org"),
        "ana": member_factory(email="ana@example.org", full_name="Ana Cruz"),
        "ben": member_factory(email="ben@example.org", full_name="Ben Okoth"),
    }
    staff = w["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        old = _submit(w["ben"], "Old pensions review", ours, at=IN_PERIOD - timedelta(days=40))
        _publish(staff, old, at=IN_PERIOD - timedelta(days=40))
        cash = _submit(w["ana"], "Our cash review", ours, upload=True)
        _publish(staff, cash)
        draft = _submit(w["ana"], "Our draft brief", ours, upload=True)
        with travel(IN_PERIOD):
            services.publication_request_changes(
                reviewer=staff, publication=draft, note="Please add an abstract."
            )
        secret = _submit(w["ben"], "Secret NSSF study", theirs)
        _publish(staff, secret)
        loose = _submit(w["ben"], "Loose note", None)
        with travel(IN_PERIOD):
            services.publication_reject(reviewer=staff, publication=loose, reason="Off topic.")
    for publication, month, country, times in [
        (cash, MARCH, "PH", 3),
        (cash, MARCH, "", 2),
        (secret, MARCH, "KE", 7),
        (old, MARCH, "PH", 1),
        (old, FEBRUARY, "PH", 50),  # before the period's months
    ]:
        for _ in range(times):
            download_count(publication=publication, country=country, month=month)
    w |= {"cash": cash, "draft": draft, "secret": secret, "loose": loose, "old": old}
    return w


def _steps(client, **extra):
    rows = csv_of(client.get("/monitoring/charts/library.csv", {**PERIOD, **extra}))
    assert rows[0] == ["Submitted", "Published", "Changes requested", "Rejected"]
    return rows[1]


def _downloads(client, **extra):
    rows = csv_of(client.get("/monitoring/charts/library_downloads.csv", {**PERIOD, **extra}))
    assert rows[0] == ["Publication", "Status", "Downloads"]
    return {row[0]: row[2] for row in rows[1:]}


def test_staff_see_every_review_step_and_download_with_csv(client, library):
    client.force_login(library["staff"])
    page = client.get("/monitoring/", PERIOD).content.decode()
    assert "Library submissions and review decisions in the period" in page
    assert "Our cash review" in page and "Secret NSSF study" in page
    # Four submitted in the period (the old one was 40 days before), two published, one
    # sent back, one rejected.
    assert _steps(client) == ["4", "2", "1", "1"]
    assert _downloads(client) == {
        "Secret NSSF study": "7",
        "Our cash review": "5",
        "Old pensions review": "1",  # February's 50 are outside the period
    }
    assert list(_downloads(client)) == [
        "Secret NSSF study",
        "Our cash review",
        "Old pensions review",
    ]
    # Staff may look at one organization.
    assert _steps(client, organization="nssf") == ["1", "1", "0", "0"]


def test_a_partner_admin_sees_only_their_organizations_publications(client, library):
    client.force_login(library["our_admin"])
    page = client.get("/monitoring/", PERIOD).content.decode()
    assert "Our cash review" in page
    assert "Secret NSSF study" not in page and "Loose note" not in page
    assert _steps(client) == ["2", "1", "1", "0"]
    assert _downloads(client) == {"Our cash review": "5", "Old pensions review": "1"}
    refused = client.get("/monitoring/charts/library.csv", {**PERIOD, "organization": "nssf"})
    assert refused.status_code == 403
    client.force_login(library["their_admin"])
    assert _steps(client) == ["1", "1", "0", "0"]
    assert _downloads(client) == {"Secret NSSF study": "7"}


def _export(client, **extra):
    return csv_of(
        client.get("/monitoring/exports/", {"dataset": "publications", **PERIOD, **extra})
    )


def test_staff_export_publications_with_downloads_in_the_period(client, library):
    client.force_login(library["staff"])
    rows = _export(client)
    header = rows[0]
    assert header[:2] == ["Id", "Title"] and header[-1] == "Downloads in the period"
    column = {name: i for i, name in enumerate(header)}
    by_title = {row[1]: row for row in rows[1:]}
    # Submitted or published in the period, or downloaded in its months (the old one).
    assert set(by_title) == {
        "Our cash review",
        "Our draft brief",
        "Secret NSSF study",
        "Loose note",
        "Old pensions review",
    }
    assert by_title["Our cash review"][column["Downloads in the period"]] == "5"
    assert by_title["Old pensions review"][column["Downloads in the period"]] == "1"
    assert by_title["Our draft brief"][column["Downloads in the period"]] == "0"
    assert by_title["Our draft brief"][column["Status"]] == "Changes requested"
    assert by_title["Our cash review"][column["Organizations"]] == "DSWD"
    assert by_title["Our cash review"][column["Published"]] == "2027-03-05"
    ours = _export(client, organization="dswd")
    assert {row[1] for row in ours[1:]} == {
        "Our cash review",
        "Our draft brief",
        "Old pensions review",
    }
    # A later period without steps or downloads has none of them.
    later = _export(client, start="2027-04-01", end="2027-04-30")
    assert later[1:] == []
    client.force_login(library["our_admin"])
    response = client.get("/monitoring/exports/", {"dataset": "publications", **PERIOD})
    assert response.status_code == 403


def test_the_partner_report_counts_library_submissions_and_downloads(
    library, frozen, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_partner_reports", "--month", "2027-03")
    ours = [m for m in mail.outbox if "oa@dswd.ph" in m.to][0]
    assert "Library submissions: 2 · published: 1" in ours.body
    assert "Downloads of your publications: 6" in ours.body
    assert "- Our cash review (5)" in ours.body
    assert "Secret NSSF study" not in ours.body
    html = ours.alternatives[0][0]
    assert "Our cash review (5)" in html and "Secret NSSF study" not in html
    theirs = [m for m in mail.outbox if "ta@nssf.ke" in m.to][0].body
    assert "Library submissions: 1 · published: 1" in theirs
    assert "Downloads of your publications: 7" in theirs
    assert "Our cash review" not in theirs


def test_personal_data_has_the_members_submissions_and_their_file(client, library):
    client.force_login(library["ana"])
    response = client.get("/monitoring/my-data/download/")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    submissions = {s["title"]: s for s in data["library_submissions"]}
    assert set(submissions) == {"Our cash review", "Our draft brief"}  # not Ben's
    cash = submissions["Our cash review"]
    assert cash["status"] == "published" and cash["organizations"] == ["DSWD"]
    assert cash["authors"] == ["A. Author"]
    assert archive.read(cash["file"]) == PDF
    draft = submissions["Our draft brief"]
    assert draft["status"] == "changes_requested" and archive.read(draft["file"]) == PDF
    assert {n for n in archive.namelist() if n.startswith("library/")} == {
        cash["file"],
        draft["file"],
    }


def test_deleting_a_submitter_keeps_published_publications_without_the_link(
    client, library, django_capture_on_commit_callbacks
):
    w = library
    cash_file = Publication.objects.get(pk=w["cash"].pk).file.path
    draft_work = w["draft"].work_id
    draft_file = Publication.objects.get(pk=w["draft"].pk).file.path
    client.force_login(w["ana"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/monitoring/my-data/", {"posts": "keep", "email": "ana@example.org"}
        )
    assert response.status_code == 302
    assert not Member.objects.filter(email="ana@example.org").exists()
    cash = Publication.objects.get(pk=w["cash"].pk)
    assert cash.status == "published" and cash.submitter is None
    assert open(cash_file, "rb").read() == PDF  # the published file stays
    # Her submission that never went out goes, with its work and its log.
    assert not Publication.objects.filter(pk=w["draft"].pk).exists()
    assert not Work.objects.filter(pk=draft_work).exists()
    assert not PublicationTransition.objects.filter(publication_id=w["draft"].pk).exists()
    assert not os.path.exists(draft_file)  # and its file, once the deletion committed
    # The published one's figures stay on the dashboard.
    client.force_login(w["staff"])
    assert _downloads(client)["Our cash review"] == "5"
