"""The usage dashboard: staff see the platform, a partner admin only their organization's
content (page and CSV), members nothing; a constant number of queries."""

import asyncio
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community
from events.models import Event
from members.models import Member, Organization, Role
from monitoring.models import DailyCount, UsageKind
from tests.monitoring.conftest import NOW
from webinars.models import Webinar

pytestmark = pytest.mark.django_db

DAY = date(2027, 3, 9)  # the day before conftest's NOW
PERIOD = {"start": "2027-03-01", "end": "2027-03-09"}


@pytest.fixture
def organizations(db):
    ours = Organization.objects.create(name="DSWD", slug="dswd", country="PH", kind="government")
    theirs = Organization.objects.create(name="NSSF", slug="nssf", country="KE", kind="ngo")
    Webinar.objects.create(
        slug="cash-transfers", title="Cash", status="published"
    ).organizations.add(ours)
    Webinar.objects.create(
        slug="pensions-kenya", title="Pensions", status="published"
    ).organizations.add(theirs)
    return ours, theirs


def csv_of(response) -> bytes:
    assert response.status_code == 200

    async def read():
        return b"".join([chunk async for chunk in response.streaming_content])

    return asyncio.run(read())


def counts(day, rows):
    DailyCount.objects.bulk_create(
        DailyCount(
            day=day,
            kind=kind,
            dimension=dimension,
            value=value,
            organization_id=org,
            count=count,
            visitors=count,
        )
        for kind, dimension, value, org, count in rows
    )


@pytest.fixture
def usage(organizations):
    ours, theirs = organizations
    counts(
        DAY,
        [
            (UsageKind.PAGE_VIEW, "total", "", 0, 120),
            (UsageKind.PAGE_VIEW, "path", "/webinars/cash-transfers/", 0, 40),
            (UsageKind.PAGE_VIEW, "path", "/webinars/cash-transfers/", ours.pk, 40),
            (UsageKind.PAGE_VIEW, "total", "", ours.pk, 40),
            (UsageKind.PAGE_VIEW, "country", "KE", ours.pk, 40),
            (UsageKind.PAGE_VIEW, "path", "/webinars/pensions-kenya/", theirs.pk, 31),
            (UsageKind.PAGE_VIEW, "referrer", "secret-referrer.example", theirs.pk, 31),
            (UsageKind.PAGE_VIEW, "path", "/webinars/pensions-kenya/", 0, 31),
            (UsageKind.PAGE_VIEW, "path", "/", 0, 49),
            (UsageKind.PAGE_VIEW, "country", "PH", 0, 70),
            (UsageKind.PAGE_VIEW, "referrer", "t.co", 0, 5),
            (UsageKind.SEARCH, "no_results", "graduation approach", 0, 3),
            (UsageKind.DOWNLOAD, "total", "", 0, 9),
            (UsageKind.DOWNLOAD, "total", "", ours.pk, 2),
            (UsageKind.DOWNLOAD, "total", "", theirs.pk, 7),
            (UsageKind.DOWNLOAD, "target", "publication:ours-guide", 0, 2),
            (UsageKind.DOWNLOAD, "target", "publication:secret-kenya-study", 0, 7),
            (UsageKind.DOWNLOAD, "target", "publication:ours-guide", ours.pk, 2),
            (UsageKind.DOWNLOAD, "target", "publication:secret-kenya-study", theirs.pk, 7),
        ],
    )
    return organizations


def test_staff_see_the_platform(client, member_factory, usage, frozen):
    client.force_login(member_factory(role=Role.STAFF))
    page = client.get("/monitoring/", PERIOD).content.decode()
    assert "Usage across the platform" in page
    assert "graduation approach" in page and "t.co" in page
    assert "secret-kenya-study" in page and "<svg" in page


def test_a_partner_admin_sees_only_their_organizations_figures(
    client, member_factory, usage, frozen
):
    ours, theirs = usage
    client.force_login(member_factory(role=Role.PARTNER_ADMIN, organization=ours))
    page = client.get("/monitoring/", PERIOD).content.decode()
    assert "Usage: DSWD" in page
    assert "/webinars/cash-transfers/" in page and "ours-guide" in page
    assert "Kenya" in page  # the country their visitors came from
    for foreign in (
        "pensions-kenya",
        "secret-kenya-study",
        "graduation approach",
        "t.co",
        "secret-referrer",
    ):
        assert foreign not in page
    # Asking for the other organization: refused, page and CSV alike.
    assert client.get("/monitoring/", {**PERIOD, "organization": "nssf"}).status_code == 403
    assert (
        client.get(
            "/monitoring/charts/downloads.csv", {**PERIOD, "organization": "nssf"}
        ).status_code
        == 403
    )
    csv = csv_of(client.get("/monitoring/charts/downloads.csv", PERIOD))
    assert b"ours-guide" in csv and b"secret-kenya" not in csv
    pages = csv_of(client.get("/monitoring/charts/pages.csv", PERIOD))
    assert b"cash-transfers" in pages and b"pensions" not in pages
    assert client.get("/monitoring/charts/no_results.csv", PERIOD).status_code == 404


def test_members_and_visitors_are_refused(client, member_factory, usage, frozen):
    assert client.get("/monitoring/").status_code == 302  # to sign in
    client.force_login(member_factory())
    assert client.get("/monitoring/").status_code == 403
    client.force_login(member_factory(role=Role.PARTNER_ADMIN))  # no organization
    assert client.get("/monitoring/").status_code == 403


def test_a_bad_period_is_a_form_error_not_a_500(client, member_factory, usage, frozen):
    client.force_login(member_factory(role=Role.STAFF))
    response = client.get("/monitoring/", {"start": "2027-03-09", "end": "2027-03-01"})
    assert response.status_code == 200
    assert "The period must start before it ends." in response.content.decode()
    assert client.get("/monitoring/", {"start": "not-a-day"}).status_code == 200


def query_count(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/monitoring/", params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.STAFF, Role.PARTNER_ADMIN])
def test_the_dashboard_answers_in_a_constant_number_of_queries(
    client, member_factory, usage, frozen, role
):
    ours, _theirs = usage
    client.force_login(member_factory(role=role, organization=ours))
    before = query_count(client, PERIOD)
    for offset in range(1, 8):  # more days, pages, countries, downloads, members...
        counts(
            DAY - timedelta(days=offset),
            [
                (UsageKind.PAGE_VIEW, "total", "", 0, 10),
                *[
                    (UsageKind.PAGE_VIEW, "path", f"/webinars/cash-transfers/{n}/", 0, n + 1)
                    for n in range(5)
                ],
                *[(UsageKind.PAGE_VIEW, "country", code, 0, 3) for code in ("KE", "CO", "NP")],
                (UsageKind.DOWNLOAD, "target", f"publication:{offset}", ours.pk, 1),
            ],
        )
        member_factory(country="CO", organization=ours)
        Community.objects.create(slug=f"c-{offset}", name=f"C {offset}", organization=ours)
        _survey_with_response(ours, offset)
        Event.objects.create(
            kind=["course", "workshop"][offset % 2],
            title=f"E {offset}",
            owner=ours,
            starts_at=NOW,
            ends_at=NOW,
            created_at=NOW - timedelta(days=offset + 1),
        )
        _publication_with_steps_and_downloads(ours, offset)
    assert query_count(client, PERIOD) == before


def _survey_with_response(organization, n):
    """A survey sent to the organization's community, answered in the period."""
    from surveys.models import Response, Survey

    admin = Member.objects.create_user(email=f"author-{n}@example.org", password="x")
    community = Community.objects.create(slug=f"s-{n}", name=f"S {n}", organization=organization)
    at = NOW - timedelta(days=n + 1)
    survey = Survey.objects.create(
        slug=f"survey-{n}",
        owner=admin,
        title={"en": f"Survey {n}"},
        status="open",
        community=community,
        created_at=at,
        updated_at=at,
    )
    Response.objects.create(
        survey=survey,
        respondent_key=f"k{n}",
        status="submitted",
        started_at=at,
        submitted_at=at,
        updated_at=at,
    )


def _publication_with_steps_and_downloads(organization, n):
    """A library publication of the organization, submitted and published in the period,
    downloaded from two countries."""
    from library.models import DownloadCount, Publication, PublicationTransition, Work

    at = NOW - timedelta(days=n + 1)
    publication = Publication.objects.create(
        work=Work.objects.create(),
        title=f"Publication {n}",
        kind="report",
        status="published",
        created_at=at,
        updated_at=at,
        published_at=at,
    )
    publication.organizations.add(organization)
    PublicationTransition.objects.bulk_create(
        PublicationTransition(publication=publication, action=action, at=at)
        for action in ("submit", "publish")
    )
    DownloadCount.objects.bulk_create(
        DownloadCount(publication=publication, month=at.date().replace(day=1), country=c, count=n)
        for c in ("KE", "")
    )
