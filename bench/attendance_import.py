"""Attendance import: a 50,000-row Zoom webinar attendee report, read and applied.

    python -m bench.attendance_import [--rows N] [--rounds R]

The report is written the way Zoom writes it (summary block, host and panelist sections,
then "Attendee Details" with 26 columns and a custom question; a third of the people
rejoin once, one in ten registrants never came, one in twenty attendees never registered)
for a webinar with 40,000 registrations. Timed, best of `--rounds`:

- reading alone (decode, detect, parse, merge rejoins, match registrants: the preview);
- the whole import (preview stored, then applied in one transaction: every attendance
  written), into a fresh session each round;
- the ceiling: the least an import can do — parse the same file with the csv module and
  write its attendee rows as they are into a table without constraints or indexes (COPY
  on PostgreSQL; on SQLite, the closest: one executemany INSERT), in one transaction.

The figure is the whole import in rows per second; its ratio to the ceiling's is how much
of the ceiling's speed the import keeps while detecting the format, merging rejoins,
matching registrants and writing attendances it can update. The database is a throwaway
PostgreSQL database when DATABASE_URL points at PostgreSQL, else a SQLite file.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.attendance_import")

import argparse
import csv
import gc
import io
import time
from datetime import UTC, datetime, timedelta

from bench.harness import bench_database, rate_ratio, summary_line

START = datetime(2026, 4, 26, 7, 0, tzinfo=UTC)  # 10:00 in Nairobi, the export's zone
HEADER = (
    "Attended,User Name (Original Name),First Name,Last Name,Email,Address,City,"
    "Country/Region,Zip/Postal Code,State/Province,Phone,Industry,Organization,Job Title,"
    "Purchasing Time Frame,Role in Purchase Process,No of Employees,Questions & Comments,"
    "Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),"
    "Is Guest,Country/Region Name,What is your role in social protection?,"
)
COUNTRIES = ["Kenya", "Philippines", "India", "Brazil", "Senegal", "Mexico", "Nepal", "Ghana"]


def _zoom_time(instant: datetime) -> str:
    local = instant + timedelta(hours=3)  # Africa/Nairobi, no DST
    return local.strftime("%b %d, %Y %H:%M:%S")


def zoom_report(rows: int) -> tuple[bytes, int]:
    """A Zoom webinar attendee report of `rows` attendee rows; and how many people it has."""
    out = io.StringIO()
    out.write('Attendee Report,\r\nReport Generated:,"Apr 26, 2026 12:02 PM"\r\n')
    out.write(
        "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,"
        "# Cancelled,Unique Viewers,Total Users,Max Concurrent Views,\r\n"
    )
    out.write(
        f'"Bench webinar","912 3456 7890","{_zoom_time(START)}","95","{rows}","0",'
        f'"{rows}","{rows}","{rows}",\r\n'
    )
    out.write("Host Details,\r\n")
    out.write(
        "Attended,User Name (Original Name),Email,Join Time,Leave Time,"
        "Time in Session (minutes),Is Guest,Country/Region Name,\r\n"
    )
    out.write(
        f'Yes,"Host","host@bench.example","{_zoom_time(START - timedelta(minutes=5))}",'
        f'"{_zoom_time(START + timedelta(minutes=95))}","100","No","Kenya",\r\n'
    )
    out.write("Panelist Details,\r\n")
    out.write(
        "Attended,User Name (Original Name),Email,Join Time,Leave Time,"
        "Time in Session (minutes),Is Guest,Country/Region Name,\r\n"
    )
    out.write("Attendee Details,\r\n" + HEADER + "\r\n")
    written, person = 0, 0
    while written < rows:
        person += 1
        walk_in = person % 20 == 0
        email = f"{'guest' if walk_in else 'person'}{person}@bench.example"
        country = COUNTRIES[person % len(COUNTRIES)]
        registered = _zoom_time(START - timedelta(days=person % 30, minutes=person % 600))
        common = (
            f'"Person {person}","Person","{person}","{email}","","City","{country}","","","",'
            f'"Government","Ministry","Officer","","","","","{registered}","approved",'
        )
        if person % 10 == 5:  # registered, never came
            out.write(f'No,{common}"--","--","--","--","--","",\r\n')
            written += 1
            continue
        joined = START + timedelta(seconds=(person * 37) % 900)
        stays = [(joined, joined + timedelta(minutes=20 + person % 70))]
        if person % 3 == 0:  # rejoined after a dropped connection
            back = stays[0][1] + timedelta(minutes=2)
            stays.append((back, back + timedelta(minutes=15)))
        for start, end in stays[: rows - written]:
            minutes = int((end - start).total_seconds() // 60)
            guest = "Yes" if walk_in else "No"
            out.write(
                f'Yes,{common}"{_zoom_time(start)}","{_zoom_time(end)}","{minutes}",'
                f'"{guest}","{country}","Programme design, ""targeting"" and M&E",\r\n'
            )
            written += 1
    return out.getvalue().encode("utf-8"), person


CEILING_TABLE = "bench_attendance_ceiling"
CEILING_COLUMNS = {  # column: the report's header
    "name": "User Name (Original Name)",
    "email": "Email",
    "join_time": "Join Time",
    "leave_time": "Leave Time",
    "minutes": "Time in Session (minutes)",
    "guest": "Is Guest",
    "country": "Country/Region Name",
}


def create_ceiling_table() -> None:
    """The ceiling's table: text columns, no key, no constraint, no index."""
    from django.db import connection

    with connection.cursor() as cursor:
        columns = ", ".join(f"{column} text" for column in CEILING_COLUMNS)
        cursor.execute(f"CREATE TABLE {CEILING_TABLE} ({columns})")


def empty_ceiling_table() -> int:
    """Rows the last round wrote; the table is empty after."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {CEILING_TABLE}")
        (count,) = cursor.fetchone()
        cursor.execute(f"DELETE FROM {CEILING_TABLE}")
    return count


def ceiling(content: bytes) -> int:
    """Parse the file with the csv module and write the attendee rows, as they are, into
    the ceiling's table: COPY on PostgreSQL, executemany INSERT on SQLite. Rows written."""
    from django.db import connection, transaction

    rows = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    for row in rows:
        if row and row[0] == "Attendee Details":
            break
    header = next(rows)
    picks = [header.index(title) for title in CEILING_COLUMNS.values()]
    last = max(picks)
    values = [[row[i] for i in picks] for row in rows if len(row) > last]
    columns = ", ".join(CEILING_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {CEILING_TABLE} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(picks))
            cursor.executemany(f"INSERT INTO {CEILING_TABLE} ({columns}) VALUES ({marks})", values)
    return len(values)


def webinar_with_registrants(index: int, people: int):
    """A webinar whose registrants are the report's people (not its walk-ins), and one in
    ten more who never joined; its session."""
    from webinars.models import Registration, Session, Webinar

    webinar = Webinar.objects.create(slug=f"bench-{index}", title="Bench", status="completed")
    session = Session.objects.create(
        webinar=webinar, starts_at=START, duration_minutes=90, host_zone="Africa/Nairobi"
    )
    Registration.objects.bulk_create(
        (
            Registration(
                webinar=webinar,
                session=session,
                email=f"person{n}@bench.example",
                full_name=f"Person {n}",
                status="confirmed",
                created_at=START - timedelta(days=3),
                status_changed_at=START - timedelta(days=3),
            )
            for n in range(1, people * 11 // 10)
            if n % 20
        ),
        batch_size=2000,
    )
    return session


def timed(call) -> float:
    gc.collect()
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def run(rows: int, rounds: int) -> str:
    content, people = zoom_report(rows)
    print(f"a Zoom webinar attendee report: {rows:,} attendee rows, {len(content) / 1e6:.1f} MB")
    with bench_database("attendance_import"):
        from django.db import connection

        from webinars.attendance.services import attendance_import_file, preview_report
        from webinars.models import Attendance

        vendor = connection.vendor
        create_ceiling_table()

        sessions = [webinar_with_registrants(index, people) for index in range(rounds)]
        registered = sessions[0].webinar.registrations.count()
        print(f"{vendor}: a webinar of {registered:,} registrations per round", flush=True)

        def import_into(session) -> dict:
            return attendance_import_file(
                session=session, actor=None, content=content, filename="bench.csv"
            ).summary

        read = whole = bare = float("inf")
        for session in sessions:
            bare = min(bare, timed(lambda: ceiling(content)))
            written = empty_ceiling_table()
            read = min(
                read,
                timed(
                    lambda session=session: preview_report(
                        session=session, content=content, zone=session.host_zone
                    )
                ),
            )
            whole = min(whole, timed(lambda session=session: import_into(session)))
        summary = import_into(sessions[0])  # the same file again: nothing changes
        again = timed(lambda: import_into(sessions[0]))
        stored = Attendance.objects.filter(session=sessions[0]).count()
    print(
        f"summary: {summary['attendees']:,} attendees ({summary['matched']:,} registrants, "
        f"{summary['walk_ins']:,} walk-ins) from {summary['rows']:,} rows, "
        f"{len(summary['errors'])} errors; {stored:,} stored"
    )
    print(f"reading (the preview): {read:.2f} s = {rows / read:,.0f} rows/s")
    print(f"whole import (preview + apply): {whole:.2f} s = {rows / whole:,.0f} rows/s")
    print(f"the same file again: {again:.2f} s, nothing written")
    how = "COPY" if vendor == "postgresql" else "executemany INSERT"
    print(
        f"ceiling, parse with the csv module and {how} the {written:,} rows into a table"
        f" without constraints: {bare:.3f} s = {rows / bare:,.0f} rows/s"
    )
    return summary_line(
        "attendance_import", rows / whole, "rows/s", rate_ratio(rows / whole, rows / bare)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.attendance_import", description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    print(run(options.rows, options.rounds), flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("attendance_import: interrupted") from None
