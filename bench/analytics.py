"""Analytics across webinars on PostgreSQL: 2,000 webinars, 1,000,000 registrations,
450,000 attendances.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.analytics \
        [--rounds R] [--scale F]

A throwaway database is created next to DATABASE_URL's (and dropped at the end), migrated,
and filled with `INSERT … SELECT generate_series` (3,000 sessions, a few weeks of
registrations before each, a skewed mix of 40 countries with their zones, 88% confirmed;
half of the confirmed registrants of sessions that are over in a report, a fifth of them
with a join-link click too; the rest of the 450,000 attendances walk-ins), then VACUUM
ANALYZE. `--scale` multiplies the registrations and attendances (0.05 for a quick look).

Timed, best of `--rounds`, one round after the other so noise falls on both alike:

- the selectors of the platform-staff dashboard (`dashboard_filters` and
  `dashboard_report` over every webinar: per webinar, partner, series, topic, month,
  country, local start hour and weekday);
- the ceiling: one hand-written SQL statement grouping the same way and computing the
  same numbers — per webinar, partner, series, topic and month the registrations by
  status, confirmed of sessions over, attended, came anyway, walk-ins and report minutes;
  per country, region, local start hour and weekday the registrants, confirmed and
  attended of sessions over — with nothing around it (no ORM, no Python roll-up, no
  labels). It is checked to agree with the selectors on every breakdown before timing.

The ratio is the ceiling's time over the selectors' (1.00: as fast as the bare SQL).

The query count is printed for the whole platform and for one partner's webinars: it
does not depend on how much there is. Without PostgreSQL the benchmark says so and stops.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.analytics")

import argparse
import gc
import os
import sys
import time

from bench.harness import bench_database, summary_line, time_ratio

WEBINARS = 2_000
SESSIONS = 3_000  # the first 1,000 webinars have a repeat session
REGISTRATIONS = 1_000_000
ATTENDANCES = 450_000
MATCHED = 410_000  # the rest are walk-ins
ORGANIZATIONS = 40
COUNTRIES = [
    ("IN", "Asia/Kolkata", "en"),
    ("PH", "Asia/Manila", "en"),
    ("KE", "Africa/Nairobi", "en"),
    ("NG", "Africa/Lagos", "en"),
    ("BR", "America/Sao_Paulo", "es"),
    ("MX", "America/Mexico_City", "es"),
    ("CO", "America/Bogota", "es"),
    ("ID", "Asia/Jakarta", "en"),
    ("BD", "Asia/Dhaka", "en"),
    ("PK", "Asia/Karachi", "en"),
    ("ET", "Africa/Addis_Ababa", "en"),
    ("SN", "Africa/Dakar", "fr"),
    ("CI", "Africa/Abidjan", "fr"),
    ("GH", "Africa/Accra", "en"),
    ("ZA", "Africa/Johannesburg", "en"),
    ("PE", "America/Lima", "es"),
    ("AR", "America/Argentina/Buenos_Aires", "es"),
    ("VN", "Asia/Ho_Chi_Minh", "en"),
    ("NP", "Asia/Kathmandu", "en"),
    ("EG", "Africa/Cairo", "fr"),
    ("MA", "Africa/Casablanca", "fr"),
    ("TZ", "Africa/Dar_es_Salaam", "en"),
    ("UG", "Africa/Kampala", "en"),
    ("RW", "Africa/Kigali", "fr"),
    ("KH", "Asia/Phnom_Penh", "en"),
    ("LK", "Asia/Colombo", "en"),
    ("GT", "America/Guatemala", "es"),
    ("HN", "America/Tegucigalpa", "es"),
    ("BO", "America/La_Paz", "es"),
    ("CL", "America/Santiago", "es"),
    ("FR", "Europe/Paris", "fr"),
    ("GB", "Europe/London", "en"),
    ("US", "America/New_York", "en"),
    ("US", "America/Los_Angeles", "en"),
    ("ID", "Asia/Makassar", "en"),
    ("BR", "America/Manaus", "es"),
    ("CD", "Africa/Kinshasa", "fr"),
    ("CD", "Africa/Lubumbashi", "fr"),
    ("MZ", "Africa/Maputo", "en"),
    ("ZM", "Africa/Lusaka", "en"),
]

TALLY = (  # what the selectors count per session, rolled up per webinar, partner...
    "registered",
    "confirmed",
    "waitlisted",
    "pending",
    "cancelled",
    "expected",
    "attended",
    "came_anyway",
    "walk_ins",
    "minutes",
    "timed",
)
LOCAL = ("registered", "expected", "attended")  # per country, region, local hour, weekday


def _sums(columns, prefix: str = "") -> str:
    return ", ".join(f"sum({prefix}{column}) AS {column}" for column in columns)


def ceiling_sql() -> str:
    """The dashboard's breakdowns in one statement: rows of (dimension, key, numbers...),
    the local ones padded with NULLs."""
    from webinars.regions import COUNTRY_REGION

    regions = ", ".join(f"('{code}', '{region}')" for code, region in COUNTRY_REGION.items())
    pad = ", NULL" * (len(TALLY) - len(LOCAL))
    evidence = "(r.join_first_clicked_at IS NOT NULL OR a.id IS NOT NULL)"
    return f"""
WITH s AS (
    SELECT id, webinar_id, starts_at,
           status = 'scheduled'
           AND starts_at + duration_minutes * interval '1 minute' <= now() AS over
    FROM webinars_session
), g AS (  -- one pass over registrations: per session, zone and country
    SELECT r.session_id, r.time_zone, r.country,
           count(*) AS registered,
           count(*) FILTER (WHERE r.status = 'confirmed') AS confirmed,
           count(*) FILTER (WHERE r.status = 'waitlisted') AS waitlisted,
           count(*) FILTER (WHERE r.status = 'pending') AS pending,
           count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE r.status = 'confirmed' AND {evidence}) AS attended,
           count(*) FILTER (WHERE r.status <> 'confirmed' AND {evidence}) AS came_anyway
    FROM webinars_registration r
    LEFT JOIN webinars_attendance a ON a.registration_id = r.id
    GROUP BY r.session_id, r.time_zone, r.country
), m AS (
    SELECT session_id, count(*) FILTER (WHERE registration_id IS NULL) AS walk_ins,
           sum(minutes) AS minutes, count(*) AS timed
    FROM webinars_attendance GROUP BY session_id
), per_session AS (
    SELECT s.id, s.webinar_id, s.starts_at,
           sum(g.registered) AS registered, sum(g.confirmed) AS confirmed,
           sum(g.waitlisted) AS waitlisted, sum(g.pending) AS pending,
           sum(g.cancelled) AS cancelled,
           coalesce(sum(g.confirmed) FILTER (WHERE s.over), 0) AS expected,
           coalesce(sum(g.attended) FILTER (WHERE s.over), 0) AS attended,
           sum(g.came_anyway) AS came_anyway,
           coalesce(max(m.walk_ins), 0) AS walk_ins, coalesce(max(m.minutes), 0) AS minutes,
           coalesce(max(m.timed), 0) AS timed
    FROM s
    LEFT JOIN g ON g.session_id = s.id
    LEFT JOIN m ON m.session_id = s.id
    GROUP BY s.id, s.webinar_id, s.starts_at
), per_webinar AS (
    SELECT webinar_id, {_sums(TALLY)} FROM per_session GROUP BY webinar_id
), local AS (  -- sessions that are over, started in each registrant's zone
    SELECT g.country, coalesce(region.key, '') AS region,
           extract(hour FROM s.starts_at AT TIME ZONE g.time_zone)::int AS hour,
           extract(isodow FROM s.starts_at AT TIME ZONE g.time_zone)::int - 1 AS weekday,
           g.registered, g.confirmed AS expected, g.attended
    FROM g JOIN s ON s.id = g.session_id
    LEFT JOIN (VALUES {regions}) AS region (country, key) ON region.country = g.country
    WHERE s.over
)
SELECT 'webinar', webinar_id::text, {", ".join(TALLY)} FROM per_webinar
UNION ALL
SELECT 'partner', o.name, {_sums(TALLY, "w.")}
FROM per_webinar w
JOIN webinars_webinar_organizations t ON t.webinar_id = w.webinar_id
JOIN members_organization o ON o.id = t.organization_id
GROUP BY o.name
UNION ALL
SELECT 'series', series.title, {_sums(TALLY, "w.")}
FROM per_webinar w
JOIN webinars_webinar webinar ON webinar.id = w.webinar_id
JOIN webinars_series series ON series.id = webinar.series_id
GROUP BY series.title
UNION ALL
SELECT 'topic', topic.name, {_sums(TALLY, "w.")}
FROM per_webinar w
JOIN webinars_webinar_topics t ON t.webinar_id = w.webinar_id
JOIN webinars_topic topic ON topic.id = t.topic_id
GROUP BY topic.name
UNION ALL
SELECT 'month', to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM'), {_sums(TALLY)}
FROM per_session GROUP BY 2
UNION ALL
SELECT 'country', country, {_sums(LOCAL)}{pad} FROM local GROUP BY country
UNION ALL
SELECT 'region', region, {_sums(LOCAL)}{pad} FROM local GROUP BY region
UNION ALL
SELECT 'hour', lpad(hour::text, 2, '0'), {_sums(LOCAL)}{pad} FROM local GROUP BY hour
UNION ALL
SELECT 'weekday', weekday::text, {_sums(LOCAL)}{pad} FROM local GROUP BY weekday
"""


def populate(scale: float = 1.0) -> dict[str, int]:
    """The platform's history, mostly in SQL (a minute or two on two cores); `scale`
    multiplies the registrations and attendances."""
    from datetime import UTC, datetime, timedelta

    from django.db import connection

    from members.models import Organization
    from webinars.models import Series, Session, Topic, Webinar

    started = time.perf_counter()
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Partner {i:02d}", slug=f"partner-{i}", country=COUNTRIES[i][0])
        for i in range(ORGANIZATIONS)
    )
    series = Series.objects.bulk_create(
        Series(slug=f"series-{i}", title=f"Series {i}", organization=organizations[i % 40])
        for i in range(100)
    )
    topics = Topic.objects.bulk_create(
        Topic(slug=f"topic-{i}", name=f"Topic {i}") for i in range(20)
    )
    first = datetime(2024, 1, 8, 6, 0, tzinfo=UTC)
    webinars = Webinar.objects.bulk_create(
        (
            Webinar(
                slug=f"webinar-{i}",
                title=f"Webinar {i}",
                status=Webinar.Status.COMPLETED,
                series=series[i % 100] if i % 3 else None,
            )
            for i in range(WEBINARS)
        ),
        batch_size=1000,
    )
    through = Webinar.organizations.through
    through.objects.bulk_create(
        [through(webinar=w, organization=organizations[i % 40]) for i, w in enumerate(webinars)]
        + [
            through(webinar=w, organization=organizations[(i + 7) % 40])
            for i, w in enumerate(webinars)
            if i % 10 == 0  # one in ten is co-organized
        ],
        batch_size=2000,
    )
    topic_through = Webinar.topics.through
    topic_through.objects.bulk_create(
        [topic_through(webinar=w, topic=topics[i % 20]) for i, w in enumerate(webinars)],
        batch_size=2000,
    )
    # two years of sessions at varied UTC hours; the last 5% still to come
    Session.objects.bulk_create(
        (
            Session(
                webinar=webinars[i % WEBINARS],
                starts_at=first
                + timedelta(hours=i * 6)
                + timedelta(hours=(i * 7) % 14)
                + (timedelta(days=900) if i % 20 == 19 else timedelta()),
                duration_minutes=90,
                host_zone="UTC",
                title="Repeat" if i >= WEBINARS else "",
            )
            for i in range(SESSIONS)
        ),
        batch_size=1000,
    )
    countries = ",".join(
        f"({n}, '{code}', '{zone}', '{language}')"
        for n, (code, zone, language) in enumerate(COUNTRIES)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_session AS SELECT row_number() OVER (ORDER BY id) - 1 AS n,"
            " id, webinar_id, starts_at FROM webinars_session"
        )
        cursor.execute(
            f"CREATE TEMP TABLE bench_country (n int, code text, zone text, language text);"
            f" INSERT INTO bench_country VALUES {countries}"
        )
        cursor.execute("ANALYZE bench_session; ANALYZE bench_country")
        # a skewed audience: the first countries are most of it
        cursor.execute(
            f"""
            INSERT INTO webinars_registration (
                webinar_id, session_id, member_id, email, full_name, organization_name,
                country, language, time_zone, answers, consent, source, status, join_token,
                join_first_clicked_at, created_at, status_changed_at, notice_sequence,
                ical_uid, ical_sequence)
            SELECT s.webinar_id, s.id, NULL, 'r' || g || '@bench.example', 'Registrant ' || g,
                   '', c.code, c.language, c.zone, '{{}}'::jsonb, true,
                   (ARRAY['', '', 'newsletter', 'partner', 'social'])[1 + g % 5],
                   CASE WHEN h < 88 THEN 'confirmed' WHEN h < 92 THEN 'waitlisted'
                        WHEN h < 93 THEN 'pending' WHEN h < 99 THEN 'cancelled'
                        ELSE 'rejected' END,
                   md5(g::text || 'bench-join'),
                   CASE WHEN h < 88 AND (g * 31) % 100 < 20 AND s.starts_at < now()
                        THEN s.starts_at + interval '3 minutes' END,
                   s.starts_at - (g % 41) * interval '1 day' - (g % 1440) * interval '1 minute',
                   s.starts_at - (g % 41) * interval '1 day',
                   0, md5(g::text || 'bench-ical') || '@bench.example', 0
            FROM generate_series(1::bigint, {int(REGISTRATIONS * scale)}) AS g
            CROSS JOIN LATERAL (SELECT (g * 7919) % 100 AS h,
                                       floor(40 * power(((g * 104729) % 1000) / 1000.0, 2))::int
                                           AS country) AS pick
            JOIN bench_session s ON s.n = g % {SESSIONS}
            JOIN bench_country c ON c.n = pick.country
            """
        )
        cursor.execute(
            f"""
            INSERT INTO webinars_attendance (
                session_id, webinar_id, registration_id, person_key, name, email, first_join,
                last_leave, minutes, reported_minutes, intervals, guest, country_name,
                last_import_id, created_at, updated_at)
            SELECT r.session_id, r.webinar_id, r.id, 'email:' || r.email, r.full_name, r.email,
                   s.starts_at + (r.id % 9) * interval '1 minute',
                   s.starts_at + (20 + r.id % 75) * interval '1 minute',
                   LEAST(90, 11 + r.id % 75), 0, '[]'::jsonb, false, '', NULL, now(), now()
            FROM webinars_registration r JOIN bench_session s ON s.id = r.session_id
            WHERE r.status = 'confirmed' AND s.starts_at < now() AND (r.id * 31) % 100 < 50
            LIMIT {int(MATCHED * scale)}
            """
        )
        walk_ins = int(ATTENDANCES * scale) - cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO webinars_attendance (
                session_id, webinar_id, registration_id, person_key, name, email, first_join,
                last_leave, minutes, reported_minutes, intervals, guest, country_name,
                last_import_id, created_at, updated_at)
            SELECT s.id, s.webinar_id, NULL, 'name:walk-in ' || g, 'Walk-in ' || g, '',
                   s.starts_at, s.starts_at + interval '30 minutes', 30, 0, '[]'::jsonb, true,
                   '', NULL, now(), now()
            FROM generate_series(1::bigint, {2 * walk_ins}) AS g
            JOIN bench_session s ON s.n = g % {SESSIONS}
            WHERE s.starts_at < now()
            LIMIT {walk_ins}
            """
        )
        cursor.execute(
            "SELECT (SELECT count(*) FROM webinars_webinar), (SELECT count(*) FROM"
            " webinars_registration), (SELECT count(*) FROM webinars_attendance)"
        )
        webinar_count, registration_count, attendance_count = cursor.fetchone()
    _vacuum()
    print(f"data: {time.perf_counter() - started:.0f} s", flush=True)
    return {
        "webinars": webinar_count,
        "registrations": registration_count,
        "attendances": attendance_count,
    }


def _vacuum() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def dashboard(scope) -> object:
    from webinars.analytics import dashboard_filters, dashboard_report

    dashboard_filters(scope=scope)
    return dashboard_report(scope=scope)


def ceiling(sql: str) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def timed(call) -> float:
    gc.collect()
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def query_count(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        call()
    return len(context)


def run(rounds: int, scale: float) -> str:
    with bench_database("analytics", need_postgres=True):
        from webinars.analytics import Scope

        counts = populate(scale)
        sql = ceiling_sql()
        print(
            f"{counts['webinars']:,} webinars, {counts['registrations']:,} registrations, "
            f"{counts['attendances']:,} attendances",
            flush=True,
        )
        platform, partner = Scope(), Scope(organization_id=_first_organization())
        report = dashboard(platform)  # warm: zone tables, the planner's caches
        _check(report, ceiling(sql))
        best_selectors = best_partner = best_ceiling = float("inf")
        for _round in range(rounds):
            best_selectors = min(best_selectors, timed(lambda: dashboard(platform)))
            best_partner = min(best_partner, timed(lambda: dashboard(partner)))
            best_ceiling = min(best_ceiling, timed(lambda: ceiling(sql)))
        print(
            f"queries: {query_count(lambda: dashboard(platform))} for every webinar, "
            f"{query_count(lambda: dashboard(partner))} for one partner's "
            f"({len(dashboard(partner).webinars)} webinars)"
        )
        print(
            f"platform dashboard selectors: {best_selectors:.0f} ms "
            f"(attendance rate {report.totals.rate_percent}%, "
            f"{len(report.webinars)} webinars, {len(report.by_hour)} local hours)"
        )
        print(f"one partner's dashboard selectors: {best_partner:.0f} ms")
        print(
            f"ceiling, one SQL statement with the same breakdowns (webinar, partner, series,"
            f" topic, month, country, region, local hour, weekday): {best_ceiling:.0f} ms"
        )
    ratio = time_ratio(best_selectors, best_ceiling)
    return summary_line("analytics", best_selectors, "ms", ratio)


def _first_organization() -> int:
    from members.models import Organization

    return Organization.objects.order_by("pk").values_list("pk", flat=True).first()


def _check(report, rows) -> None:
    """The selectors and the ceiling agree on every breakdown: the same keys with the same
    numbers (for countries, the selectors' top 15)."""
    ceiling: dict[str, dict[str, tuple]] = {}
    for dimension, key, *numbers in rows:
        ceiling.setdefault(dimension, {})[key or ""] = tuple(n or 0 for n in numbers)
    selectors = {
        "webinar": {str(line.id): line.tally for line in report.webinars},
        "partner": {row.key: row.tally for row in report.by_partner},
        "series": {row.key: row.tally for row in report.by_series},
        "topic": {row.key: row.tally for row in report.by_topic},
        "month": {row.key: row.tally for row in report.by_month},
        "country": {row.key: row.tally for row in report.top_countries},
        "region": {row.key: row.tally for row in report.by_region},
        "hour": {row.key: row.tally for row in report.by_hour},
        "weekday": {row.key: row.tally for row in report.by_weekday},
    }
    for dimension, tallies in selectors.items():
        columns = LOCAL if dimension in {"country", "region", "hour", "weekday"} else TALLY
        theirs = {key: tuple(getattr(t, c) for c in columns) for key, t in tallies.items()}
        ours = {key: numbers[: len(columns)] for key, numbers in ceiling[dimension].items()}
        if dimension == "country":
            ours = {key: numbers for key, numbers in ours.items() if key in theirs}
        if theirs != ours:
            wrong = sorted(set(theirs.items()) ^ set(ours.items()))[:4]
            raise RuntimeError(f"selectors and ceiling disagree by {dimension}: {wrong}")
    groups = sum(len(tallies) for tallies in selectors.values())
    print(f"ceiling checked: it agrees with the selectors on {groups:,} groups of 9 breakdowns")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.analytics", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="of the registrations")
    options = parser.parse_args(argv)
    try:
        line = run(options.rounds, options.scale)
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, flush=True)  # a skip: said on the last line, not a failure
            sys.exit(0)
        raise
    print(line, flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("analytics: interrupted") from None
