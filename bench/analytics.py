"""Analytics across webinars on PostgreSQL: 2,000 webinars, 1,000,000 registrations,
450,000 attendances.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.analytics [--rounds R]

A throwaway database is created next to DATABASE_URL's (and dropped at the end), migrated,
and filled with `INSERT … SELECT generate_series` (3,000 sessions, a few weeks of
registrations before each, a skewed mix of 40 countries with their zones, 88% confirmed;
half of the confirmed registrants of sessions that are over in a report, a fifth of them
with a join-link click too; the rest of the 450,000 attendances walk-ins), then VACUUM
ANALYZE.

Timed, best of `--rounds`, one round after the other so noise falls on both alike:

- the selectors of the platform-staff dashboard (`dashboard_filters` and
  `dashboard_report` over every webinar: per webinar, partner, series, topic, month,
  country, local start hour and weekday);
- the ceiling: one hand-written SQL GROUP BY computing the same headline numbers per
  webinar (registrations by status, confirmed of sessions over, attended, walk-ins,
  report minutes).

The query count is printed for the whole platform and for one partner's webinars: it
does not depend on how much there is. Without PostgreSQL the benchmark says so and stops.
"""

from __future__ import annotations

import argparse
import gc
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from bench.harness import summary_line

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

CEILING_SQL = """
SELECT r.webinar_id,
       count(*) AS registered,
       count(*) FILTER (WHERE r.status = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE r.status = 'waitlisted') AS waitlisted,
       count(*) FILTER (WHERE r.status = 'pending') AS pending,
       count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled,
       count(*) FILTER (WHERE r.status = 'confirmed' AND s.over) AS expected,
       count(*) FILTER (
           WHERE r.status = 'confirmed' AND s.over
             AND (r.join_first_clicked_at IS NOT NULL OR a.id IS NOT NULL)
       ) AS attended,
       sum(a.minutes) AS minutes,
       count(a.id) AS timed,
       max(w.walk_ins) AS walk_ins
FROM webinars_registration r
JOIN (
    SELECT id, status = 'scheduled'
               AND starts_at + duration_minutes * interval '1 minute' <= now() AS over
    FROM webinars_session
) s ON s.id = r.session_id
LEFT JOIN webinars_attendance a ON a.registration_id = r.id
LEFT JOIN (
    SELECT webinar_id, count(*) AS walk_ins
    FROM webinars_attendance WHERE registration_id IS NULL GROUP BY webinar_id
) w ON w.webinar_id = r.webinar_id
GROUP BY r.webinar_id
"""


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


@contextmanager
def bench_database(name: str, *, need_postgres: bool = False) -> Iterator[str]:
    """Set Django up in this process on a database of its own; yields the engine name.

    With DATABASE_URL on PostgreSQL: a fresh database on that server, dropped at the end
    (whatever happens). Without: a SQLite file in a temporary directory (or, when
    `need_postgres`, SystemExit with the reason)."""
    import django

    url = os.environ.get("DATABASE_URL", "")
    if need_postgres and not _is_postgres(url):
        raise SystemExit(
            f"{name}: skipped — this benchmark needs PostgreSQL: "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench." + name
        )
    with tempfile.TemporaryDirectory(prefix=f"baraza-bench-{name}-") as tmp:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DEBUG": "0",  # DEBUG keeps every query in memory and skews the figures
                "SECRET_KEY": secrets.token_urlsafe(50),
                "BARAZA_VAR_DIR": tmp,
                "LOG_LEVEL": "WARNING",
            }
        )
        database = None
        if _is_postgres(url):
            import psycopg

            parts = urlsplit(url)
            database = f"baraza_bench_{name}_{secrets.token_hex(4)}"
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{database}"')
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
        else:
            os.environ["DATABASE_URL"] = ""
            os.environ["SQLITE_PATH"] = os.path.join(tmp, "bench.sqlite3")
        try:
            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            from django.db import connection

            yield connection.vendor
        finally:
            os.environ["DATABASE_URL"] = url
            if database:
                from django.db import connections

                connections.close_all()
                import psycopg

                with psycopg.connect(url, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def populate() -> dict[str, int]:
    """The platform's history, mostly in SQL (a minute or two on two cores)."""
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
                join_first_clicked_at, created_at, status_changed_at)
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
                   s.starts_at - (g % 41) * interval '1 day'
            FROM generate_series(1::bigint, {REGISTRATIONS}) AS g
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
            LIMIT {MATCHED}
            """
        )
        walk_ins = ATTENDANCES - cursor.rowcount
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


def ceiling() -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(CEILING_SQL)
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


def run(rounds: int) -> str:
    with bench_database("analytics", need_postgres=True):
        from webinars.analytics import Scope

        counts = populate()
        print(
            f"{counts['webinars']:,} webinars, {counts['registrations']:,} registrations, "
            f"{counts['attendances']:,} attendances",
            flush=True,
        )
        platform, partner = Scope(), Scope(organization_id=_first_organization())
        report = dashboard(platform)  # warm: zone tables, the planner's caches
        rows = ceiling()
        _check(report, rows)
        best_selectors = best_partner = best_ceiling = float("inf")
        for _round in range(rounds):
            best_selectors = min(best_selectors, timed(lambda: dashboard(platform)))
            best_partner = min(best_partner, timed(lambda: dashboard(partner)))
            best_ceiling = min(best_ceiling, timed(ceiling))
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
        print(f"ceiling, one SQL GROUP BY of the headline numbers: {best_ceiling:.0f} ms")
    return summary_line("analytics", best_selectors, "ms", best_ceiling)


def _first_organization() -> int:
    from members.models import Organization

    return Organization.objects.order_by("pk").values_list("pk", flat=True).first()


def _check(report, rows) -> None:
    """The selectors and the ceiling agree on the headline numbers."""
    registered = sum(row[1] for row in rows)
    attended = sum(row[7] for row in rows)
    if (registered, attended) != (report.totals.registered, report.totals.attended):
        raise RuntimeError(
            f"selectors and ceiling disagree: {report.totals.registered}/"
            f"{report.totals.attended} vs {registered}/{attended}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.analytics", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    try:
        line = run(options.rounds)
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
