"""Calendar: the month view with 5,000 events (500 of them weekly series) in a viewer's
zone, against a ceiling page rendering the same number of rows from a plain list; and
an import of 10,000 VEVENTs through the import service (events/s).

    python -m bench.calendar [--events N] [--recurring N] [--import-events N]
                             [--requests N] [--duration S] [--concurrency C] [--rounds R]
                             [--import-only]

The month view is the page a visitor opens (cookie zone Asia/Kolkata); its queries do
not grow with the rows (tests/events/test_events_pages.py checks it). The import figure
is printed on its own line, with the bare parse by icalendar as its ceiling.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.calendar")

import argparse
import os
import re
import time
from datetime import UTC, datetime, timedelta

import httpx

from bench.harness import bench_site, client_name, rate_ratio, summary_line
from bench.pages import measure_rounds

MONTH = "2027-03"
ZONES = ["Europe/Berlin", "Asia/Manila", "Africa/Nairobi", "America/Bogota", "Asia/Kolkata"]


def create_events(*, events: int, recurring: int) -> None:
    from events.models import Event
    from events.recurrence import rule_clean
    from members.models import Organization

    organization = Organization.objects.create(name="Bench partner", slug="bench-partner")
    first = datetime(2027, 3, 1, tzinfo=UTC)
    rows = []
    for index in range(events):
        zone = ZONES[index % len(ZONES)]
        if index < recurring:
            starts_at = first - timedelta(days=index % 60) + timedelta(hours=8)
            rule, until = rule_clean(
                f"FREQ=WEEKLY;COUNT={20 + index % 10}", first_start=starts_at, zone=zone
            )
        else:
            starts_at = first + timedelta(minutes=(index * 37) % (30 * 24 * 60))
            rule, until = "", None
        rows.append(
            Event(
                owner=organization,
                uid=f"bench-{index}@bench",
                title=f"Bench event {index}",
                kind=Event.Kind.COURSE if rule else Event.Kind.CONFERENCE,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=90),
                zone=zone,
                rrule=rule,
                repeats_until=until,
                online=index % 2 == 0,
                review=Event.Review.APPROVED,
            )
        )
    Event.objects.bulk_create(rows, batch_size=1000)
    Through = Event.organizations.through
    Through.objects.bulk_create(
        [Through(event_id=e.pk, organization_id=organization.pk) for e in Event.objects.all()],
        batch_size=1000,
    )


def import_figure(count: int) -> tuple[float, float]:
    """(events/s through calendar_import, events/s of icalendar's parse alone)."""
    from icalendar import Calendar

    from events.services.imports import calendar_import
    from members.models import Organization

    organization = Organization.objects.create(name="Bench importer", slug="bench-importer")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for index in range(count):
        day = datetime(2027, 1, 1, 9, tzinfo=UTC) + timedelta(hours=index)
        lines += [
            "BEGIN:VEVENT",
            f"UID:import-{index}@bench",
            f"DTSTAMP:{day:%Y%m%dT%H%M%SZ}",
            f"DTSTART;TZID=Europe/Berlin:{day:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Berlin:{day + timedelta(hours=1):%Y%m%dT%H%M%S}",
            f"SUMMARY:Imported event {index}",
            "DESCRIPTION:A line of description\\, as partners write them.",
            "LOCATION:Online",
            *(["RRULE:FREQ=WEEKLY;COUNT=10"] if index % 10 == 0 else []),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    data = ("\r\n".join(lines) + "\r\n").encode()
    started = time.perf_counter()
    Calendar.from_ical(data)
    parse_rate = count / (time.perf_counter() - started)
    started = time.perf_counter()
    result = calendar_import(organization=organization, data=data)
    rate = count / (time.perf_counter() - started)
    if result.created != count or result.errors:
        raise RuntimeError(f"import went wrong: {result.as_dict()}")
    return rate, parse_rate


def run(*, events, recurring, import_events, requests, duration, concurrency, rounds) -> str:
    print(
        f"{events} events ({recurring} weekly series), month {MONTH}, {concurrency} "
        f"connections, client {client_name()}, load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with bench_site("calendar") as site:
        create_events(events=events, recurring=recurring)
        month_url = f"{site.url}/events/?view=month&month={MONTH}"
        headers = {"Cookie": "baraza_tz=Asia/Kolkata"}
        page = httpx.get(month_url, headers=headers, timeout=120)
        if page.status_code != 200 or "Asia/Kolkata" not in page.text:
            raise RuntimeError(f"month view answered {page.status_code}")
        rows = len(re.findall(r'<span class="item ', page.text))
        print(f"month view: {rows} rows, {len(page.content) // 1024} KiB", flush=True)
        ceiling_url = f"{site.url}/bench/ceiling/calendar/{rows}/"
        targets = [
            ("ceiling", [ceiling_url], {}, "Calendar ceiling"),
            ("month", [month_url], headers, "Asia/Kolkata"),
        ]
        median = measure_rounds(
            targets,
            rounds=rounds,
            server_pid=site.web_pid,
            concurrency=concurrency,
            requests=requests,
            duration=duration,
        )
        rate, parse_rate = import_figure(import_events)
        print(
            f"import: {rate:.0f} events/s ({import_events} VEVENTs; icalendar's parse alone "
            f"{parse_rate:.0f} events/s, ratio {rate_ratio(rate, parse_rate):.2f}), "
            f"load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    month = median["month"].rps
    return summary_line("calendar", month, "req/s", rate_ratio(month, median["ceiling"].rps))


def run_import_only(import_events: int) -> str:
    """Only the import figure (a minute rather than the month view's rounds)."""
    from bench.harness import bench_database

    load = os.getloadavg()[0]
    with bench_database("calendar-import"):
        rate, parse_rate = import_figure(import_events)
    print(
        f"import of {import_events} VEVENTs, icalendar's parse alone {parse_rate:.0f} events/s, "
        f"load {load:.2f} -> {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    return summary_line("calendar-import", rate, "events/s", rate_ratio(rate, parse_rate))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.calendar", description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--recurring", type=int, default=500)
    parser.add_argument("--import-events", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60, help="per page and round")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per page, round")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--import-only", action="store_true", help="only the import figure")
    args = parser.parse_args(argv)
    if args.import_only:
        print(run_import_only(args.import_events), flush=True)
        return
    print(
        run(
            events=args.events,
            recurring=args.recurring,
            import_events=args.import_events,
            requests=args.requests,
            duration=args.duration,
            concurrency=args.concurrency,
            rounds=args.rounds,
        ),
        flush=True,
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("calendar: interrupted") from None
