"""Daily rollups: run twice for a day, the same counts; the `usage_report` contract;
raw events and salts go after retention, daily counts stay."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command

from core import clock
from core.usage import usage_record
from monitoring import recording
from monitoring.models import DailyCount, UsageEvent, UsageKind
from monitoring.services import usage_purge_raw, usage_rollup_day, usage_rollup_pending
from tests.monitoring.conftest import PHONE

pytestmark = pytest.mark.django_db


def counts(day):
    return sorted(
        DailyCount.objects.filter(day=day).values_list(
            "kind", "dimension", "value", "organization_id", "count", "visitors"
        )
    )


def visit(browser, frozen):
    browser.get("/", REMOTE_ADDR="203.0.113.1")
    browser.get("/webinars/", REMOTE_ADDR="203.0.113.1")
    browser.get("/webinars/", REMOTE_ADDR="203.0.113.2", HTTP_USER_AGENT=PHONE)
    browser.get("/webinars/?q=x", REMOTE_ADDR="203.0.113.3", HTTP_REFERER="https://t.co/abc")
    request = browser.get("/").wsgi_request
    usage_record(kind="search", request=request, query="Cash  Transfers", results=0)
    usage_record(kind="search", request=request, query="cash transfers", results=0)
    usage_record(kind="search", request=request, query="pensions", results=4)
    usage_record(kind="download", request=request, target="publication:7", organization=5)
    usage_record(kind="download", request=request, target="publication:8", organization=6)
    recording.flush()


def test_rollup_twice_gives_the_same_counts(browser, frozen):
    visit(browser, frozen)
    day = frozen.date()
    usage_rollup_day(day=day)
    first = counts(day)
    usage_rollup_day(day=day)
    assert counts(day) == first
    assert (UsageKind.PAGE_VIEW, "total", "", 0, 5, 4) in first
    assert (UsageKind.PAGE_VIEW, "path", "/webinars/", 0, 3, 3) in first
    assert (UsageKind.PAGE_VIEW, "referrer", "t.co", 0, 1, 1) in first
    assert (UsageKind.PAGE_VIEW, "device", "mobile", 0, 1, 1) in first
    assert (UsageKind.SEARCH, "no_results", "cash transfers", 0, 2, 1) in first
    assert (UsageKind.DOWNLOAD, "total", "", 5, 1, 1) in first  # organization 5's content


def test_usage_report_contract(browser, frozen, capsys):
    visit(browser, frozen)
    for _ in range(2):  # idempotent: the second run reads the same
        call_command("usage_report", "--date", frozen.date().isoformat(), "--json")
        report = json.loads(capsys.readouterr().out)
        assert report == {
            "date": "2027-03-10",
            "page_views": 5,
            "visitors": 4,
            "top_pages": [{"path": "/webinars/", "views": 3}, {"path": "/", "views": 2}],
            "downloads": 2,
            "searches_without_results": [{"query": "cash transfers", "count": 2}],
        }


def test_usage_report_of_an_empty_day_and_a_bad_date(frozen, capsys):
    call_command("usage_report", "--date", "2027-01-01", "--json")
    assert json.loads(capsys.readouterr().out)["page_views"] == 0
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("usage_report", "--date", "yesterday")


def test_raw_events_go_after_retention_and_counts_stay(browser, frozen, settings):
    settings.USAGE_RAW_RETENTION_DAYS = 2
    visit(browser, frozen)
    later = frozen + timedelta(days=5)
    with clock.travel(later):
        assert usage_rollup_pending() == [frozen.date()]
        before = counts(frozen.date())
        stored = UsageEvent.objects.count()
        assert stored == 10
        assert usage_purge_raw() == stored
        assert UsageEvent.objects.count() == 0
        usage_rollup_day(day=frozen.date())  # its raw events are gone: counts untouched
        assert counts(frozen.date()) == before


def test_a_join_counts_for_every_organization_of_its_webinar(browser, frozen):
    from members.models import Organization
    from webinars.models import Webinar

    first = Organization.objects.create(name="A", slug="a")
    second = Organization.objects.create(name="B", slug="b")
    webinar = Webinar.objects.create(slug="joint", title="Joint", status="published")
    webinar.organizations.add(first, second)
    request = browser.get("/").wsgi_request
    usage_record(kind="join", request=request, target="webinar:joint", organization=first.pk)
    usage_record(kind="download", request=request, item="library.publication:1", country="KE")
    recording.flush()
    usage_rollup_day(day=frozen.date())
    rows = counts(frozen.date())
    for organization_id in (0, first.pk, second.pk):
        assert (UsageKind.JOIN, "target", "webinar:joint", organization_id, 1, 1) in rows
    assert (UsageKind.JOIN, "total", "", second.pk, 1, 1) in rows
    assert (UsageKind.DOWNLOAD, "target", "library.publication:1", 0, 1, 1) in rows


def test_demo_usage_goes_through_the_real_rollup(frozen):
    from monitoring.seeding import seed_usage

    first = seed_usage()
    assert first["days"] == 14 and first["events"] > 0
    assert seed_usage() == {"days": 0, "events": 0}  # once only
    yesterday = frozen.date() - timedelta(days=1)
    assert DailyCount.objects.filter(day=yesterday, kind="pageview", dimension="path").exists()


def test_page_views_of_an_organizations_content_count_for_it(browser, frozen):
    from communities.models import Community
    from members.models import Organization
    from webinars.models import Webinar

    ours = Organization.objects.create(name="A", slug="a")
    theirs = Organization.objects.create(name="B", slug="b")
    Webinar.objects.create(slug="cash", title="Cash", status="published").organizations.add(ours)
    Community.objects.create(slug="talk", name="Talk", organization=theirs)
    browser.cookies["baraza_tz"] = "Africa/Nairobi"
    browser.get("/webinars/cash/", REMOTE_ADDR="203.0.113.1")
    browser.get("/webinars/cash/", REMOTE_ADDR="203.0.113.2", HTTP_USER_AGENT=PHONE)
    browser.get("/webinars/cash/", REMOTE_ADDR="203.0.113.2", HTTP_USER_AGENT=PHONE)
    browser.get("/webinars/", REMOTE_ADDR="203.0.113.1")
    recording.flush()
    usage_rollup_day(day=frozen.date())
    rows = counts(frozen.date())
    assert (UsageKind.PAGE_VIEW, "total", "", ours.pk, 3, 2) in rows
    assert (UsageKind.PAGE_VIEW, "country", "KE", ours.pk, 3, 2) in rows
    assert (UsageKind.PAGE_VIEW, "device", "mobile", ours.pk, 2, 1) in rows
    assert (UsageKind.PAGE_VIEW, "path", "/webinars/cash/", ours.pk, 3, 2) in rows
    assert not [row for row in rows if row[3] == theirs.pk]  # nobody read their community


def test_a_day_reported_while_it_was_running_is_rolled_up_again_once_over(browser, frozen):
    call_command("usage_report", "--date", frozen.date().isoformat(), "--json")
    browser.get("/")  # later the same day
    recording.flush()
    with clock.travel(frozen + timedelta(days=3)):
        assert usage_rollup_pending() == [frozen.date()]
    assert (UsageKind.PAGE_VIEW, "total", "", 0, 1, 1) in counts(frozen.date())
