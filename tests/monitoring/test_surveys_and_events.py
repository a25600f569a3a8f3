"""Surveys and external events in monitoring: the dashboard's sections (page and CSV,
partner-scoped, constant queries), the staff exports, the personal-data download and
account deletion, and the partner monthly report."""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from communities.models import Community
from core.clock import travel
from events.models import Event
from members.models import Member, Organization, Role
from surveys.models import Invitation, Response, Survey
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from webinars.models import Webinar

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2027-03-01", "end": "2027-03-09"}
ANSWERED = datetime(2027, 3, 8, 15, 30, tzinfo=UTC)  # in PERIOD (conftest NOW: 10 March)

QUESTIONS = [
    {
        "key": "role",
        "type": "single",
        "required": True,
        "text": {"en": "Where do you work?", "fr": "Où travaillez-vous ?"},
        "options": [
            {"key": "gov", "text": {"en": "Government", "fr": "Administration"}},
            {"key": "ngo", "text": {"en": "NGO"}},
        ],
    },
    {"key": "story", "type": "long_text", "text": {"en": "Tell us more"}},
]


def _survey(owner, title, *, anonymous=False, **links):
    survey = survey_import(
        owner=owner,
        spec=survey_spec_read(
            {"title": {"en": title}, "anonymous": anonymous, "questions": QUESTIONS}
        ),
    )
    survey = survey_open(survey=survey, actor=owner, public_link=True)
    if links:
        Survey.objects.filter(pk=survey.pk).update(**links)
    return survey


def _answer(client, member, survey, role="gov", story="", at=ANSWERED):
    client.force_login(member)
    with travel(at):
        page = client.post(
            f"/surveys/p/{survey.public_token}/",
            {"q_role": role, "q_story": story, "action": "submit"},
        )
    assert page.status_code in (200, 302)


def _event(owner, title, kind="workshop", *, review="approved", feed=False, at=ANSWERED, by=None):
    from events.models import CalendarSubscription

    source = None
    if feed:
        source = CalendarSubscription.objects.create(
            organization=owner, url=f"https://{owner.slug}.example/cal.ics"
        )
    return Event.objects.create(
        kind=kind,
        title=title,
        owner=owner,
        review=review,
        starts_at=datetime(2027, 5, 1, 9, tzinfo=UTC),
        ends_at=datetime(2027, 5, 1, 17, tzinfo=UTC),
        zone="Africa/Nairobi",
        source=source,
        submitted_by=by,
        created_at=at,
        updated_at=at,
    )


def csv_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    from asgiref.sync import async_to_sync

    async def read():
        return b"".join([chunk async for chunk in response.streaming_content])

    # Driven from this thread, the stream's database reads run here too (thread-sensitive),
    # on the connection that sees the test's uncommitted rows.
    text = async_to_sync(read)().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def world(member_factory, frozen):
    ours = Organization.objects.create(name="DSWD", slug="dswd", country="PH", kind="government")
    theirs = Organization.objects.create(name="NSSF", slug="nssf", country="KE", kind="ngo")
    our_admin = member_factory(role=Role.PARTNER_ADMIN, organization=ours, email="oa@dswd.ph")
    their_admin = member_factory(role=Role.PARTNER_ADMIN, organization=theirs, email="ta@nssf.ke")
    outsider = member_factory(email="writer@example.org")  # no organization
    webinar = Webinar.objects.create(slug="cash", title="Cash", status="published")
    webinar.organizations.add(ours)
    their_community = Community.objects.create(
        slug="pensions", name="Pensions", organization=theirs
    )
    # Ours: written by our admin; an anonymous one on our webinar. Theirs: a member's
    # survey sent to their community. Nobody's: a member's survey tied to nothing.
    ours_named = _survey(our_admin, "Our needs survey")
    ours_anonymous = _survey(outsider, "Our anonymous feedback", anonymous=True, webinar=webinar)
    theirs_survey = _survey(outsider, "Secret NSSF survey", community=their_community)
    loose = _survey(outsider, "Loose survey")
    ana = member_factory(email="ana@example.org", full_name="Ana Cruz", language="fr")
    ben = member_factory(email="ben@example.org", full_name="Ben Okoth")
    return {
        "ours": ours,
        "theirs": theirs,
        "our_admin": our_admin,
        "their_admin": their_admin,
        "ours_named": ours_named,
        "ours_anonymous": ours_anonymous,
        "theirs_survey": theirs_survey,
        "loose": loose,
        "ana": ana,
        "ben": ben,
    }


@pytest.fixture
def answered(world, client):
    w = world
    _answer(client, w["ana"], w["ours_named"], story="Ana's own words")
    _answer(client, w["ben"], w["ours_named"], role="ngo")
    _answer(client, w["ana"], w["ours_anonymous"], story="nobody knows this is Ana")
    _answer(client, w["ben"], w["theirs_survey"], story="NSSF private answer")
    _answer(client, w["ana"], w["loose"])
    _answer(client, w["ben"], w["loose"], at=ANSWERED - timedelta(days=30))  # before the period
    _event(w["ours"], "Our workshop", by=w["ana"])
    _event(w["ours"], "Our pending course", "course", review="pending")
    _event(w["ours"], "Our imported conference", "conference", feed=True)
    _event(w["theirs"], "Secret NSSF study tour", "study_tour")
    _event(w["ours"], "Old workshop", at=ANSWERED - timedelta(days=40))
    client.logout()
    return w


def test_staff_see_every_survey_and_events_by_kind_with_csv(client, member_factory, answered):
    client.force_login(member_factory(role=Role.STAFF))
    page = client.get("/monitoring/", PERIOD).content.decode()
    assert "Survey responses submitted in the period" in page
    for title in ("Our needs survey", "Our anonymous feedback", "Secret NSSF survey"):
        assert title in page
    rows = csv_of(client.get("/monitoring/charts/surveys.csv", PERIOD))
    assert rows[0] == ["Survey", "Status", "Anonymous", "Responses"]
    tally = {row[0]: row[3] for row in rows[1:]}
    assert tally == {
        "Our needs survey": "2",
        "Our anonymous feedback": "1",
        "Secret NSSF survey": "1",
        "Loose survey": "1",  # Ben's answer a month before is outside the period
    }
    events = csv_of(client.get("/monitoring/charts/events.csv", PERIOD))
    by_kind = {row[0]: row[1:] for row in events[1:]}
    # submitted, imported, on the calendar, waiting, rejected
    assert by_kind["Workshop"] == ["1", "0", "1", "0", "0"]  # the old one is outside
    assert by_kind["Course"] == ["1", "0", "0", "1", "0"]
    assert by_kind["Conference"] == ["0", "1", "1", "0", "0"]
    assert by_kind["Study tour"] == ["1", "0", "1", "0", "0"]
    assert by_kind["All"] == ["3", "1", "3", "1", "0"]


def test_a_partner_admin_sees_only_their_organizations_surveys_and_events(client, answered):
    w = answered
    client.force_login(w["our_admin"])
    page = client.get("/monitoring/", PERIOD).content.decode()
    assert "Our needs survey" in page and "Our anonymous feedback" in page
    assert "Secret NSSF survey" not in page and "Loose survey" not in page
    rows = csv_of(client.get("/monitoring/charts/surveys.csv", PERIOD))
    assert {row[0] for row in rows[1:]} == {"Our needs survey", "Our anonymous feedback"}
    events = csv_of(client.get("/monitoring/charts/events.csv", PERIOD))
    assert "Study tour" not in {row[0] for row in events}
    assert events[-1] == ["All", "2", "1", "2", "1", "0"]
    # Asking for the other organization is refused, for the CSV too.
    assert (
        client.get("/monitoring/charts/surveys.csv", {**PERIOD, "organization": "nssf"}).status_code
        == 403
    )
    client.force_login(w["their_admin"])
    rows = csv_of(client.get("/monitoring/charts/surveys.csv", PERIOD))
    assert [row[0] for row in rows[1:]] == ["Secret NSSF survey"]


def _export(client, dataset, **extra):
    return csv_of(client.get("/monitoring/exports/", {"dataset": dataset, **PERIOD, **extra}))


def test_staff_export_external_events_filtered_by_period_and_organization(
    client, member_factory, answered
):
    client.force_login(member_factory(role=Role.STAFF))
    rows = _export(client, "events")
    assert rows[0][:4] == ["Id", "Title", "Kind", "Submitted for"]
    titles = {row[1] for row in rows[1:]}
    assert titles == {
        "Our workshop",
        "Our pending course",
        "Our imported conference",
        "Secret NSSF study tour",
    }
    ours = _export(client, "events", organization="dswd")
    assert {row[1] for row in ours[1:]} == titles - {"Secret NSSF study tour"}
    source = {row[1]: row[15] for row in ours[1:]}
    assert source["Our imported conference"] == "feed" and source["Our workshop"] == "submitted"


def test_staff_export_survey_results_one_row_per_response_without_emails(
    client, member_factory, answered
):
    client.force_login(member_factory(role=Role.STAFF))
    rows = _export(client, "survey_results")
    header, body = rows[0], rows[1:]
    assert header[:8] == [
        "survey",
        "response",
        "submitted_at",
        "language",
        "country",
        "region",
        "organization_kind",
        "name",
    ]
    named = answered["ours_named"].slug
    assert f"{named}:role" in header and f"{named}:story" in header
    assert len(body) == 5  # one per response submitted in the period
    text = "\n".join(",".join(row) for row in rows)
    assert "@example.org" not in text  # respondents' addresses are not exported
    column = {name: i for i, name in enumerate(header)}
    by_name = {row[column["name"]]: row for row in body if row[0] == named}
    assert by_name["Ana Cruz"][column[f"{named}:role"]] == "gov"
    assert by_name["Ana Cruz"][column[f"{named}:story"]] == "Ana's own words"
    assert by_name["Ben Okoth"][column[f"{named}:role"]] == "ngo"
    anonymous = [row for row in body if row[0] == answered["ours_anonymous"].slug]
    for name in ("name", "submitted_at", "language", "country", "region", "organization_kind"):
        assert anonymous[0][column[name]] == "", name  # no respondent attribute per row
    ours = _export(client, "survey_results", organization="dswd")
    assert {row[0] for row in ours[1:]} == {named, answered["ours_anonymous"].slug}
    assert "NSSF private answer" not in str(ours)


def test_personal_data_has_named_survey_responses_and_event_submissions_only(client, answered):
    w = answered
    client.force_login(w["ana"])
    response = client.get("/monitoring/my-data/download/")
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    surveys = {r["survey"]: r for r in data["survey_responses"]}
    assert set(surveys) == {"Our needs survey", "Loose survey"}  # not the anonymous one
    answers = {a["question"]: a["value"] for a in surveys["Our needs survey"]["answers"]}
    assert answers == {"Où travaillez-vous ?": "Administration", "Tell us more": "Ana's own words"}
    assert "nobody knows this is Ana" not in response.content.decode("latin-1")
    assert [e["title"] for e in data["event_submissions"]] == ["Our workshop"]


def test_deleting_an_account_anonymises_named_responses_and_keeps_events(client, answered):
    w = answered
    survey = w["ours_named"]
    before = Response.objects.filter(survey=survey, status="submitted").count()
    Invitation.objects.create(survey=survey, email="ana@example.org", created_at=ANSWERED)
    client.force_login(w["ana"])
    assert (
        client.post(
            "/monitoring/my-data/", {"posts": "keep", "email": "ana@example.org"}
        ).status_code
        == 302
    )
    assert not Member.objects.filter(email="ana@example.org").exists()
    assert Response.objects.filter(survey=survey, status="submitted").count() == before
    assert not Invitation.objects.filter(email__iexact="ana@example.org").exists()
    assert Invitation.objects.filter(survey=survey).count() == 1  # still counted, nameless
    # The results CSV the survey's owner downloads: her answer stays, her name does not.
    client.force_login(w["our_admin"])
    results = csv_of(client.get(f"/surveys/{survey.slug}/results/csv/"))
    assert len(results) == 1 + before
    assert "Ana Cruz" not in str(results) and "ana@example.org" not in str(results)
    assert "Ana's own words" in str(results)
    workshop = Event.objects.get(title="Our workshop")
    assert workshop.owner == w["ours"] and workshop.submitted_by is None


def test_deleting_a_survey_author_hands_their_surveys_to_an_admin(client, answered):
    w = answered
    outsider = Member.objects.get(email="writer@example.org")
    staff = Member.objects.create_user(email="staff@baraza.org", password="x", role=Role.STAFF)
    client.force_login(outsider)
    response = client.post(
        "/monitoring/my-data/", {"posts": "remove", "email": "writer@example.org"}
    )
    assert response.status_code == 302
    assert Survey.objects.get(pk=w["loose"].pk).owner == staff  # answers kept, not a 500


def test_the_partner_report_counts_survey_responses_and_events(
    answered, frozen, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_partner_reports", "--month", "2027-03")
    ours = [m for m in mail.outbox if "oa@dswd.ph" in m.to]
    assert ours, [m.to for m in mail.outbox]
    body = ours[0].body
    assert "Survey responses: 3" in body
    assert "External events added: 3" in body
    theirs = [m for m in mail.outbox if "ta@nssf.ke" in m.to][0].body
    assert "Survey responses: 1" in theirs and "External events added: 1" in theirs
