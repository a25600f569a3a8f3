"""Page views recorded through real requests: as path patterns without secrets, with
referrer host, language, device and country, and never for a bot, a Do Not Track or
Global Privacy Control browser, a secret link's token, static files or the admin."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.usage import usage_record
from monitoring import drops, recording
from monitoring.models import DailySalt, UsageEvent, UsageKind
from tests.monitoring.conftest import BROWSER, PHONE
from webinars.models import Registration, Session, Webinar

pytestmark = pytest.mark.django_db


def page_views():
    recording.flush()
    return list(UsageEvent.objects.filter(kind=UsageKind.PAGE_VIEW).order_by("id"))


def test_a_page_view_is_recorded_without_cookie_or_address(browser, frozen):
    browser.cookies["baraza_tz"] = "Asia/Manila"
    response = browser.get(
        "/webinars/?page=2&email=someone@example.org",
        HTTP_REFERER="https://www.google.com/search?q=social+protection",
        HTTP_ACCEPT_LANGUAGE="es",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200
    assert not any(cookie.startswith("baraza_v") for cookie in response.cookies)
    (view,) = page_views()
    assert view.path == "/webinars/"  # no query string
    assert view.referrer_host == "google.com"
    assert view.language == "es"
    assert view.device == "desktop"
    assert view.country == "PH"  # from the zone the browser reported
    assert view.day == frozen.date()
    assert "203.0.113.9" not in view.visitor and len(view.visitor) == 32


def test_the_same_visitor_counts_once_a_day_and_differently_the_next(browser, frozen):
    browser.get("/", REMOTE_ADDR="203.0.113.9")
    browser.get("/webinars/", REMOTE_ADDR="203.0.113.9")
    browser.get("/", REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=PHONE)
    first, second, other = page_views()
    assert first.visitor == second.visitor != other.visitor
    assert other.device == "mobile"
    from core import clock

    with clock.travel(frozen + timedelta(days=1)):
        browser.get("/", REMOTE_ADDR="203.0.113.9")
    assert page_views()[-1].visitor != first.visitor


def test_bots_do_not_track_and_gpc_are_not_recorded(client, frozen):
    client.get("/", HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
    client.get("/", HTTP_USER_AGENT="")
    client.get("/", HTTP_USER_AGENT=BROWSER, HTTP_DNT="1")
    client.get("/", HTTP_USER_AGENT=BROWSER, HTTP_SEC_GPC="1")
    assert page_views() == []


def test_static_health_admin_errors_and_posts_are_not_page_views(browser, frozen):
    browser.get("/healthz")
    browser.get("/admin/")
    browser.get("/no-such-page/")
    browser.post("/timezone/", {"zone": "Asia/Manila"})
    assert page_views() == []


def test_a_secret_link_is_recorded_without_its_token(browser, frozen, member_factory):
    from members.models import Organization

    organization = Organization.objects.create(name="DSWD", slug="dswd", country="PH")
    webinar = Webinar.objects.create(slug="cash", title="Cash", status=Webinar.Status.PUBLISHED)
    webinar.organizations.add(organization)
    session = Session.objects.create(
        webinar=webinar,
        starts_at=frozen + timedelta(days=3),
        duration_minutes=60,
        host_zone="Asia/Manila",
    )
    from webinars.services import registration_create

    outcome = registration_create(
        webinar=webinar,
        session=session,
        email="ama@example.org",
        full_name="Ama",
        consent=True,
    )
    registration = Registration.objects.get(pk=outcome.registration.pk)
    from webinars.links import manage_url

    manage = manage_url(registration).split("://", 1)[1].split("/", 1)[1]
    browser.get("/" + manage)
    join = browser.get(f"/j/{registration.join_token}")
    assert join.status_code == 200  # the waiting page: the session is days away
    recording.flush()
    events = list(UsageEvent.objects.order_by("id"))
    paths = [event.path for event in events if event.kind == UsageKind.PAGE_VIEW]
    assert paths == ["/webinars/registration/…/", "/j/…"]
    joins = [event for event in events if event.kind == UsageKind.JOIN]
    assert [(j.target, j.organization_id, j.path) for j in joins] == [
        ("webinar:cash", organization.pk, "/j/…")
    ]
    for event in events:
        assert registration.join_token not in event.path


def test_member_country_wins_over_the_zone(browser, frozen, member_factory):
    member = member_factory(country="KE", time_zone="Asia/Manila")
    browser.force_login(member)
    browser.get("/webinars/")
    (view,) = page_views()
    assert view.country == "KE"


def test_nothing_is_recorded_when_recording_is_off(browser, frozen, settings):
    settings.USAGE_RECORDING = False
    browser.get("/")
    assert page_views() == []


def test_a_full_buffer_is_written_at_once(browser, frozen, settings):
    settings.USAGE_BUFFER_SIZE = 3
    browser.get("/")
    browser.get("/")
    assert recording.buffered() == 2
    assert UsageEvent.objects.count() == 0
    with CaptureQueriesContext(connection) as queries:
        browser.get("/")
    assert recording.buffered() == 0
    assert UsageEvent.objects.count() == 3
    inserts = [query["sql"] for query in queries if query["sql"].startswith("INSERT")]
    assert [statement.count("'pageview'") for statement in inserts] == [2, 1]


def test_a_nul_character_from_a_visitor_does_not_lose_the_batch(browser, frozen):
    """PostgreSQL text cannot hold NUL: one such value would fail the batch's INSERT and
    every other visitor's events in it would be lost."""
    browser.get("/webinars/")
    request = browser.get("/", HTTP_REFERER="https://evil\x00.example/").wsgi_request
    usage_record(kind="search", request=request, query="cash\x00 transfers", results=0)
    usage_record(kind="download", request=request, target="publication:\x007")
    assert recording.flush() == 4
    stored = UsageEvent.objects.order_by("id")
    assert [event.path for event in stored[:2]] == ["/webinars/", "/"]
    assert stored[1].referrer_host == "evil.example"
    assert stored[2].query == "cash transfers"
    assert stored[3].target == "publication:7"


def test_a_row_the_database_refuses_is_dropped_alone_and_counted(browser, frozen, caplog):
    """A negative organization breaks the column's CHECK on SQLite and PostgreSQL alike:
    that one event is dropped, logged once without the visitor's data, and counted; the
    events before and after it in the batch are written."""
    browser.get("/webinars/")
    request = browser.get("/").wsgi_request
    usage_record(kind="download", request=request, target="publication:7", organization=-1)
    usage_record(kind="search", request=request, query="cash transfers", results=0)
    browser.get("/library/")
    before = drops.dropped()
    with caplog.at_level("ERROR", logger="baraza.usage"):
        assert recording.flush() == 4
    assert drops.dropped() == before + 1
    assert list(UsageEvent.objects.order_by("id").values_list("kind", "path")) == [
        ("pageview", "/webinars/"),
        ("pageview", "/"),
        ("search", "/"),
        ("pageview", "/library/"),
    ]
    [record] = caplog.records
    message = record.getMessage()
    assert message.startswith("usage: 1 event (download /) dropped: IntegrityError")
    assert f"{before + 1} dropped by this process" in message
    visitor = UsageEvent.objects.get(path="/webinars/").visitor
    assert visitor not in message and "publication:7" not in message


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite ignores varchar lengths")
def test_a_value_longer_than_its_column_loses_only_its_own_event(browser, frozen, caplog):
    for _ in range(5):
        browser.get("/")
    request = browser.get("/webinars/").wsgi_request
    usage_record(kind="x" * 13, request=request)  # kind is varchar(12)
    for _ in range(4):
        browser.get("/")
    with caplog.at_level("ERROR", logger="baraza.usage"):
        assert recording.flush() == 10
    assert UsageEvent.objects.count() == 10
    assert UsageEvent.objects.filter(path="/webinars/").count() == 1
    [record] = caplog.records
    assert "DataError: value too long for type character varying(12)" in record.getMessage()


def test_the_days_salt_is_deleted_with_the_day(browser, frozen):
    from core import clock
    from monitoring.services import usage_rollup_pending

    browser.get("/")
    assert DailySalt.objects.filter(day=frozen.date()).exists()
    with clock.travel(frozen + timedelta(days=1)):
        usage_rollup_pending()
    assert not DailySalt.objects.filter(day=frozen.date()).exists()


def test_usage_report_flushes_what_is_buffered(browser, frozen, capsys):
    browser.get("/")
    assert recording.buffered() == 1
    call_command("usage_report", "--date", frozen.date().isoformat(), "--json")
    assert recording.buffered() == 0
    assert '"page_views": 1' in capsys.readouterr().out
