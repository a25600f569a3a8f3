"""Analytics: the numbers of one webinar, the dashboards across webinars, who may see
them, the planner's history, and the CSV downloads."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from members.models import Organization, Role
from tests.webinars.test_attendance_support import *  # noqa: F403 - the fixtures
from tests.webinars.test_attendance_support import (
    FIXTURES,
    SESSION_START,
    add_registrants,
    run,
)
from webinars import analytics
from webinars.analytics import Scope, dashboard_report, dashboard_scope, webinar_report
from webinars.planner import CountryTime

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(past_webinar, registrants):
    run(past_webinar.slug, str(FIXTURES / "zoom_webinar_attendee_report.csv"))
    return past_webinar


@pytest.fixture
def staff(member_factory):
    return member_factory(role=Role.STAFF, email="staff@baraza.example")


@pytest.fixture
def other_partner(webinar_factory):
    """Another organization's past webinar, with its own registrants."""
    org = Organization.objects.create(name="Bolsa Família", slug="bf", country="BR")
    webinar = webinar_factory(slug="other", starts_at=SESSION_START + timedelta(days=1))
    webinar.organizations.set([org])
    add_registrants(
        webinar,
        people=[
            (f"p{i}@example.br", f"P {i}", "confirmed", "BR", "es", "America/Sao_Paulo", "")
            for i in range(4)
        ],
    )
    return webinar


def test_the_webinars_numbers(frozen, imported, organizer):
    report = webinar_report(webinar=imported, viewer=organizer)
    t = report.tally
    assert (t.registered, t.confirmed, t.waitlisted, t.pending, t.cancelled) == (9, 7, 1, 0, 1)
    # attended: four in the report and Zawadi, who clicked her join link
    assert (t.expected, t.attended, t.came_anyway, t.walk_ins) == (7, 5, 0, 1)
    assert t.rate_percent == 71 and t.attendees == 6
    assert t.average_minutes == 71  # (90 + 89 + 89 + 55 + 31) / 5
    assert report.median_minutes == 89
    assert [n["email"] for n in report.no_shows] == [
        "ravi.kumar@example.in",
        "nadia.benali@example.ma",
    ]
    assert report.no_show_count == 2


def test_retention_curve_share_present_over_the_session(frozen, imported, organizer):
    curve = dict(webinar_report(webinar=imported, viewer=organizer).retention)
    assert sorted(curve) == list(range(0, 91, 5))
    assert curve[0] == 0.4  # Maria and Li Wei were in before the start
    assert curve[5] == 0.8  # Amina and Juan arrived
    assert curve[20] == curve[45] == 1.0  # Kofi too; Maria back after her short break
    assert curve[90] == 0.4


def test_breakdowns_by_country_region_kind_language_zone_and_local_hour(
    frozen, imported, organizer
):
    Organization.objects.create(name="DSWD", slug="dswd", kind="government")
    from webinars.models import Registration

    Registration.objects.filter(email__startswith="maria").update(organization_name="dswd ")
    breakdowns = webinar_report(webinar=imported, viewer=organizer).breakdowns
    countries = {row.key: row.tally for row in breakdowns["country"]}
    assert (countries["PH"].expected, countries["PH"].attended) == (1, 1)
    assert (countries["IN"].expected, countries["IN"].attended) == (1, 0)
    regions = {row.label: row.tally for row in breakdowns["region"]}
    assert regions["Sub-Saharan Africa"].attended == 2  # Amina (SN) and Zawadi (KE)
    kinds = {row.label: row.tally.registered for row in breakdowns["kind"]}
    assert kinds == {"Government": 1, "Not known": 8}
    languages = {row.label: row.tally.registered for row in breakdowns["language"]}
    assert languages == {"English": 6, "French": 2, "Spanish": 1}
    hours = {row.label: row.tally for row in breakdowns["hour"]}
    assert hours["15:00"].attended == 2  # 07:00 UTC is 15:00 in Manila and in Shanghai
    assert hours["04:00"].attended == 1  # …and 04:00 in Montevideo
    assert [row.key for row in breakdowns["hour"]] == sorted(
        hours_key for hours_key in {row.key for row in breakdowns["hour"]}
    )


def test_registration_timeline_by_source(frozen, imported, organizer):
    report = webinar_report(webinar=imported, viewer=organizer)
    timeline = dict(report.timeline)
    assert sum(sum(day.values()) for day in timeline.values()) == 9
    assert timeline[10]["newsletter"] == 2  # Maria and Zawadi, ten days before
    assert report.sources[0] == ""  # registered without a ?src=


def test_one_session_of_a_webinar(frozen, imported, organizer):
    session = imported.sessions.get()
    report = webinar_report(webinar=imported, viewer=organizer, session_id=session.pk)
    assert report.scope_session == session
    assert report.tally.attended == 5
    assert report.sessions[0].median_minutes == 89


def test_a_webinars_analytics_need_its_organizer(frozen, imported, member_factory):
    with pytest.raises(PermissionDenied):
        webinar_report(webinar=imported, viewer=member_factory(role=Role.PARTNER_ADMIN))


def test_dashboard_scopes(member_factory, organizer, staff, organization):
    assert dashboard_scope(viewer=organizer) == Scope(organization_id=organization.pk)
    assert dashboard_scope(viewer=staff, platform=True) == Scope()
    assert dashboard_scope(viewer=staff, organization_id=7) == Scope(organization_id=7)
    # a partner cannot ask for another organization's numbers
    assert dashboard_scope(viewer=organizer, organization_id=99).organization_id == (
        organization.pk
    )
    for viewer, platform in [
        (organizer, True),
        (member_factory(), False),
        (member_factory(role=Role.PARTNER_ADMIN), False),  # no organization
    ]:
        with pytest.raises(PermissionDenied):
            dashboard_scope(viewer=viewer, platform=platform)


def test_partners_see_only_their_own_webinars(frozen, imported, other_partner, organizer, staff):
    mine = dashboard_report(scope=dashboard_scope(viewer=organizer))
    assert [w.slug for w in mine.webinars] == ["cash-and-climate"]
    assert mine.totals.registered == 9
    assert "BR" not in {row.key for row in mine.top_countries}
    everything = dashboard_report(scope=dashboard_scope(viewer=staff, platform=True))
    assert {w.slug for w in everything.webinars} == {"cash-and-climate", "other"}
    assert everything.totals.registered == 13
    assert everything.totals.attended == 5 and everything.totals.expected == 11
    partners = {row.label: row.tally.registered for row in everything.by_partner}
    assert partners == {"Kenya SP": 9, "Bolsa Família": 4}


def test_dashboard_trends_hours_weekdays_and_filters(frozen, imported, other_partner, staff):
    dashboard = dashboard_report(scope=Scope())
    assert [row.key for row in dashboard.by_month] == ["2026-04"]
    assert dashboard.by_month[0].tally.attended == 5
    hours = {row.label: row.tally for row in dashboard.by_hour}
    assert hours["15:00"].expected == 2 and hours["15:00"].attended == 2
    assert hours["04:00"].expected == 4 + 1  # São Paulo's four, Montevideo's one
    weekdays = {row.label: row.tally.expected for row in dashboard.by_weekday}
    assert weekdays["Sunday"] == 7 and weekdays["Monday"] == 4  # 27 Apr for the other
    first_day = dashboard_report(
        scope=Scope(date_from=SESSION_START.date(), date_to=SESSION_START.date())
    )
    assert [w.slug for w in first_day.webinars] == ["cash-and-climate"]


def test_upcoming_sessions_count_registrations_but_no_rate(frozen, webinar_factory, organizer):
    webinar = webinar_factory(starts_at=frozen + timedelta(days=5))
    add_registrants(webinar)
    report = webinar_report(webinar=webinar, viewer=organizer)
    assert report.tally.registered == 9 and report.tally.expected == 0
    assert report.tally.rate is None and report.no_show_count == 0


def test_planner_history_by_region_and_local_hour(
    frozen, imported, other_partner, staff, organizer, member_factory, monkeypatch
):
    monkeypatch.setattr(analytics.history, "HISTORY_MIN_REGISTRANTS", 1)
    history = analytics.attendance_rate_by_region_local_hour(viewer=staff)
    assert history["southeast_asia"][15].percent == 100
    assert history["latin_america_caribbean"][4].registered == 5
    assert history["latin_america_caribbean"][4].percent == 20
    mine = analytics.attendance_rate_by_region_local_hour(viewer=organizer)
    assert mine["latin_america_caribbean"][4].registered == 1  # only their own webinars
    assert analytics.attendance_rate_by_region_local_hour(viewer=member_factory()) == {}

    start = SESSION_START
    rows = [
        CountryTime(
            "PH",
            "Asia/Manila",
            10,
            start.astimezone(ZoneInfo("Asia/Manila")),
            start,
            "preferred",
            False,
            None,
        ),
        CountryTime(
            "BR",
            "America/Sao_Paulo",
            5,
            (start + timedelta(hours=5)).astimezone(ZoneInfo("America/Sao_Paulo")),
            start,
            "outside",
            False,
            None,
        ),
    ]
    assert analytics.history_lines(rows, history) == [
        "Southeast Asia: 100% attended at 15:00 local",
        "Latin America & Caribbean: no history at 09:00 local; 20% at 04:00",
    ]


def test_planner_shows_the_history_beside_each_candidate(
    frozen, imported, staff, client, monkeypatch
):
    monkeypatch.setattr(analytics.history, "HISTORY_MIN_REGISTRANTS", 1)
    client.force_login(staff)
    page = client.get(
        "/webinars/plan/",
        {
            "date": "2027-03-29",
            "days": 1,
            "duration": 60,
            "audience": "PH=10",
            "window": "08:00-21:00",
            "preferred": "09:00-17:00",
            "step": 30,
        },
    ).content.decode()
    assert "Attendance so far at this local hour" in page
    # the best starts for Manila run from 09:00 local; the history is of 15:00
    assert "Southeast Asia: no history at 09:00 local; 100% at 15:00" in page


# --- pages and downloads ---------------------------------------------------------------------


def test_webinar_analytics_page_has_charts_tables_and_csv_links(
    frozen, imported, organizer, client
):
    client.force_login(organizer)
    page = client.get(f"/webinars/manage/{imported.slug}/analytics/").content.decode()
    assert page.count("<svg") >= 8  # retention, timeline and six breakdowns
    assert page.count("<figcaption") == page.count("<table")  # each with its table
    assert f"/webinars/manage/{imported.slug}/analytics/country.csv" in page
    assert "Ravi Kumar" in page  # a no-show
    assert "71%" in page
    assert "cdn" not in page.lower() and '<script src="http' not in page


def test_dashboards_pages_and_who_may_see_them(
    frozen, imported, other_partner, organizer, staff, member_factory, client
):
    client.force_login(organizer)
    page = client.get("/webinars/analytics/").content.decode()
    assert "Kenya SP" in page and "Webinar 1" in page and "Webinar 2" not in page
    assert "/webinars/analytics/hours.csv" in page and "<svg" in page
    assert client.get("/webinars/analytics/platform/").status_code == 403
    client.force_login(staff)
    page = client.get("/webinars/analytics/platform/").content.decode()
    assert "Webinar 1" in page and "Webinar 2" in page
    client.force_login(member_factory())
    assert client.get("/webinars/analytics/").status_code == 403
    assert client.get("/webinars/analytics/hours.csv").status_code == 403


def test_dashboard_charts_have_titled_axes_readable_months_and_whole_names(
    frozen, imported, other_partner, organization, staff, client
):
    long_name = "Ministry of Gender, Labour and Social Development"
    Organization.objects.filter(pk=organization.pk).update(name=long_name)
    client.force_login(staff)
    page = client.get("/webinars/analytics/platform/").content.decode()
    months = page[page.index('id="chart-months"') :]
    months = months[: months.index("</svg>")]
    # the month axis: "Apr 2026", not "2026-04", and the axes say what they are
    assert '">Apr 2026</text>' in months
    assert ">2026-04<" not in months
    assert ">Month (UTC)</text>" in months and ">Attendance rate</text>" in months
    assert 'viewBox="0 -18 640 256"' in months  # room for them outside the plot
    # on a narrow screen the picture scrolls in a region the keyboard can reach
    assert (
        '<div class="chart-scroll" tabindex="0" role="region" '
        'aria-labelledby="chart-months-title">' in months
    )
    # a partner's long name is shortened to fit and whole in its tooltip
    partners = page[page.index('id="chart-partners"') :]
    partners = partners[: partners.index("</svg>")]
    assert f"<title>{long_name}</title>Ministry of Gender, La…</text>" in partners
    assert ">Partner</text>" in partners


def test_webinar_links_lead_to_the_analytics(frozen, imported, organizer, client):
    client.force_login(organizer)
    manage = client.get(f"/webinars/manage/{imported.slug}/").content.decode()
    assert f"/webinars/manage/{imported.slug}/analytics/" in manage
    assert f"/webinars/manage/{imported.slug}/attendance/" in manage
    assert "/webinars/analytics/" in client.get("/webinars/manage/").content.decode()


def test_export_rows_carry_both_kinds_of_evidence_and_walk_ins(frozen, imported, organizer):
    rows = list(analytics.attendance_export(viewer=organizer, webinar=imported))
    header = analytics.EXPORT_HEADER
    by_email = {row[header.index("email")]: dict(zip(header, row, strict=True)) for row in rows}
    maria = by_email["maria.santos@dswd.gov.ph"]
    assert maria["attended"] == "yes" and maria["report_minutes"] == 89
    assert by_email["zawadi@example.ke"]["join_link_clicked_at_utc"].startswith("2026-04-26T07:00")
    assert by_email["ravi.kumar@example.in"]["attended"] == "no"
    assert by_email["kofi@lesdep.example.gh"]["kind"] == "walk-in"
    assert len(rows) == 10


async def _body(response) -> str:
    return b"".join([chunk async for chunk in response.streaming_content]).decode("utf-8-sig")


@pytest.mark.django_db(transaction=True)
async def test_csv_downloads_are_bom_utf8_and_formula_safe(frozen, organizer, async_client):
    from asgiref.sync import sync_to_async

    from webinars.models import Registration, Session, Webinar

    def make():
        webinar = Webinar.objects.create(slug="csv", title="CSV", status="published")
        webinar.organizations.set([organizer.organization])
        session = Session.objects.create(
            webinar=webinar, starts_at=SESSION_START, host_zone="Africa/Nairobi", title="S1"
        )
        Registration.objects.create(
            webinar=webinar,
            session=session,
            email="x@example.org",
            full_name="=cmd|' /C calc'!A0",
            status="confirmed",
            created_at=SESSION_START,
            status_changed_at=SESSION_START,
            organization_name="Ministère de l’Économie",
        )
        return webinar

    webinar = await sync_to_async(make)()
    await sync_to_async(async_client.force_login)(organizer)
    for url in (
        f"/webinars/manage/{webinar.slug}/attendance.csv",
        "/webinars/analytics/export.csv",
    ):
        response = await async_client.get(url)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        body = b"".join([chunk async for chunk in response.streaming_content])
        assert body.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows[0] == analytics.EXPORT_HEADER
        assert rows[1][5] == "'=cmd|' /C calc'!A0"
        assert rows[1][6] == "Ministère de l’Économie"
    response = await async_client.get(f"/webinars/manage/{webinar.slug}/analytics/country.csv")
    rows = list(csv.reader(io.StringIO(await _body(response))))
    assert rows[0] == ["Country", "Registered", "Confirmed, session over", "Attended", "Rate"]
    response = await async_client.get("/webinars/analytics/nonsense.csv")
    assert response.status_code == 404


def test_staff_without_an_organization_land_on_the_platform_dashboard(staff, client):
    client.force_login(staff)
    response = client.get("/webinars/analytics/?topic=cash")
    assert response.status_code == 302
    assert response["Location"] == "/webinars/analytics/platform/?topic=cash"


def test_the_no_show_list_is_cut_in_the_page_but_whole_in_the_csv(
    frozen, past_webinar, organizer, client
):
    from webinars.analytics.charts import webinar_charts

    people = [
        (f"n{i}@example.org", f"N {i}", "confirmed", "KE", "en", "UTC", "") for i in range(503)
    ]
    add_registrants(past_webinar, people=people)
    report = webinar_report(webinar=past_webinar, viewer=organizer)
    chart = webinar_charts(report)["no_shows"]
    assert len(chart.rows) == 503 and len(chart.shown_rows) == 500
    client.force_login(organizer)
    page = client.get(f"/webinars/manage/{past_webinar.slug}/analytics/").content.decode()
    assert "The first 500 are listed; the CSV has them all." in page


def test_weekday_names_follow_the_viewers_language():
    from django.utils import translation

    from webinars.analytics import weekday_label

    with translation.override("fr"):
        assert weekday_label(0) == "Lundi"
    with translation.override("es"):
        assert weekday_label(6).lower() == "domingo"


def test_an_untitled_session_is_named_by_its_start_in_the_viewers_zone(frozen, webinar_factory):
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    session = webinar_factory(title="Cash").sessions.get()
    session.title = ""
    with timezone.override(ZoneInfo("Asia/Manila")):
        assert session.label == "Thu 11 Mar 2027, 20:00 (Asia/Manila, UTC+8)"
    session.title = "Asia-Pacific"
    with timezone.override(ZoneInfo("Asia/Manila")):
        assert session.label.startswith("Asia-Pacific — Thu 11 Mar 2027")


@pytest.mark.django_db(transaction=True)
async def test_the_registrants_csv_and_the_attendance_csv_write_a_registrant_alike(
    frozen, webinar_factory, organizer, async_client
):
    """Two downloads, one row builder: every column the two files share holds the same
    text for the same registrant (an untitled session is named by its id in both)."""
    from asgiref.sync import sync_to_async

    def make():
        webinar = webinar_factory(slug="alike", starts_at=SESSION_START, sessions=2)
        first, second = webinar.sessions.all()
        second.title = ""
        second.save()
        add_registrants(webinar, session=first)
        add_registrants(
            webinar,
            session=second,
            people=[("=x@example.org", "@Ada", "waitlisted", "", "fr", "UTC", "=src")],
        )
        from webinars.models import Registration

        Registration.objects.filter(email="=x@example.org").update(answers={"Role?": "Chair"})
        return webinar

    webinar = await sync_to_async(make)()
    await sync_to_async(async_client.force_login)(organizer)

    async def table(url):
        response = await async_client.get(url)
        rows = list(csv.DictReader(io.StringIO(await _body(response))))
        return {row["email"]: row for row in rows}

    registrants = await table(f"/webinars/manage/{webinar.slug}/registrants.csv")
    attendance = await table(f"/webinars/manage/{webinar.slug}/attendance.csv")
    shared = set(analytics.REGISTRANT_COLUMNS) & set(analytics.EXPORT_HEADER)
    assert shared >= {"email", "session", "session_start_utc", "registered_at_utc", "status"}
    assert set(registrants) == set(attendance) and len(registrants) == 10
    for email, row in registrants.items():
        assert {c: row[c] for c in shared} == {c: attendance[email][c] for c in shared}
    untitled = registrants["'=x@example.org"]
    second = await sync_to_async(lambda: webinar.sessions.get(title=""))()
    assert untitled["session"] == str(second.pk)
    assert untitled["full_name"] == "'@Ada" and untitled["source"] == "'=src"
    assert untitled["answers"] == "Role?: Chair"
    assert list(registrants["maria.santos@dswd.gov.ph"]) == analytics.REGISTRANT_COLUMNS
