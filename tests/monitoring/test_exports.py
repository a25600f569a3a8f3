"""Staff CSV exports: streamed, formula-safe, filtered by period and organization,
private data left out; over the limit, the worker writes the file with progress."""

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from members.models import Organization, Role
from monitoring.models import ExportJob
from webinars.models import Registration, Session, Webinar

# The CSV streams from a worker thread (its own connection): the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

PERIOD = {"start": "2027-03-01", "end": "2027-03-31"}


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]

    async def read():
        return b"".join([chunk async for chunk in response.streaming_content])

    text = asyncio.run(read()).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def data(member_factory):
    ours = Organization.objects.create(name="DSWD", slug="dswd", country="PH", kind="government")
    theirs = Organization.objects.create(name="=HYPERLINK(1)", slug="evil", country="KE")
    member_factory(email="ana@dswd.example", full_name="Ana Cruz", organization=ours)
    member_factory(email="kim@evil.example", full_name="=cmd|' /C calc'!A0", organization=theirs)
    webinar = Webinar.objects.create(slug="cash", title="Cash", status="published")
    webinar.organizations.add(ours)
    session = Session.objects.create(
        webinar=webinar,
        starts_at=datetime(2027, 3, 20, 10, tzinfo=UTC),
        duration_minutes=60,
        host_zone="Asia/Manila",
    )
    at = datetime(2027, 3, 5, tzinfo=UTC)
    for index, consent in enumerate([True, False]):
        Registration.objects.create(
            webinar=webinar,
            session=session,
            email=f"r{index}@example.org",
            full_name=f"Registrant {index}",
            consent=consent,
            status="confirmed",
            created_at=at,
            status_changed_at=at,
        )
    return ours, theirs


@pytest.fixture
def staff(client, member_factory, data):
    client.force_login(member_factory(role=Role.STAFF, email="staff@baraza.example"))
    return client


def test_member_export_leaves_emails_out_and_neutralises_formulas(staff):
    rows = read_csv(staff.get("/monitoring/exports/", {**PERIOD, "dataset": "members"}))
    text = repr(rows)
    assert "Ana Cruz" in text and "@" not in text
    assert ["'=cmd|' /C calc'!A0"] == [r[1] for r in rows if "calc" in r[1]]


def test_registrations_export_honours_consent_and_the_organization_filter(staff):
    rows = read_csv(staff.get("/monitoring/exports/", {**PERIOD, "dataset": "registrations"}))
    assert [r[2:4] for r in rows[1:]] == [["Registrant 0", "r0@example.org"], ["", ""]]
    other = read_csv(
        staff.get(
            "/monitoring/exports/",
            {**PERIOD, "dataset": "registrations", "organization": "evil"},
        )
    )
    assert len(other) == 1  # the header only
    earlier = read_csv(
        staff.get(
            "/monitoring/exports/",
            {"start": "2027-01-01", "end": "2027-01-31", "dataset": "registrations"},
        )
    )
    assert len(earlier) == 1


def test_exports_are_for_staff_only(client, member_factory, data):
    ours, _theirs = data
    client.force_login(member_factory(role=Role.PARTNER_ADMIN, organization=ours))
    assert client.get("/monitoring/exports/", {**PERIOD, "dataset": "members"}).status_code == 403


def test_a_bad_filter_is_a_form_error(staff):
    response = staff.get(
        "/monitoring/exports/", {**PERIOD, "dataset": "members", "organization": "nobody"}
    )
    assert response.status_code == 200
    assert "No organization has this slug." in response.content.decode()


def test_a_large_export_runs_in_the_worker_with_a_download_link(
    staff, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_STREAM_LIMIT = 1
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"
    page = staff.get("/monitoring/exports/", {**PERIOD, "dataset": "members"})
    assert "Prepare the export" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/monitoring/exports/start/", {**PERIOD, "dataset": "members"})
    job = ExportJob.objects.get()
    assert response.url == f"/monitoring/exports/{job.pk}/"
    assert job.status == ExportJob.Status.READY and job.rows_done == job.rows_total == 3
    assert "Download the CSV" in staff.get(response.url).content.decode()
    file = staff.get(f"/monitoring/exports/{job.pk}/file/")
    body = b"".join(file.streaming_content).decode("utf-8-sig")
    assert "Ana Cruz" in body
    # A week later the file is gone with its job.
    from core import clock
    from monitoring.tasks import usage_purge

    path = job.file.path
    with clock.travel(job.created_at + timedelta(days=8)):
        usage_purge.delay().get()
    assert not ExportJob.objects.exists()
    assert not Path(path).exists()


def test_webinars_export_names_their_organizations(staff):
    rows = read_csv(staff.get("/monitoring/exports/", {**PERIOD, "dataset": "webinars"}))
    assert [r[:2] + r[3:4] for r in rows[1:]] == [["cash", "Cash", "DSWD"]]
