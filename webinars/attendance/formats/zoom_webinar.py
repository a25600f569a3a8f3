"""Zoom webinar attendee report (Reports → Webinar → Attendee report, CSV).

A summary block, then sections "Host Details", "Panelist Details", "Attendee Details" (and
"Other Attended" in some accounts), each with its own header. Attendee rows carry
Attended (Yes/No: registrants who never came are listed too, with "--" times), the name
as "User Name (Original Name)" (older exports: "User Name", or First/Last Name only),
Email, Registration Time, Approval Status, Join Time, Leave Time, Time in Session
(minutes), Is Guest, Country/Region Name, then any custom questions. A person who rejoins
has one row per stay. Hosts and panelists are staff, not attendees.
"""

from __future__ import annotations

from webinars.attendance.dates import DateReader
from webinars.attendance.formats.base import (
    ParsedReport,
    ReportRow,
    RowReader,
    block_values,
    header_cells,
    learn_dates,
    read_rows,
    split_tables,
    yes,
)
from webinars.attendance.reading import Line

NAME = "zoom-webinar"
STAFF_SECTIONS = {"host details", "panelist details", "host", "panelists"}
NAMES = ("user name (original name)", "user name", "name (original name)", "name")


def is_header(line: Line) -> bool:
    cells = header_cells(line)
    return (
        "attended" in cells
        and "join time" in cells
        and "interest rating" not in cells
        and ("time in session (minutes)" in cells or bool(cells & set(NAMES[:2])))
    )


def parse(lines: list[Line], dates: DateReader) -> ParsedReport:
    report = ParsedReport(format=NAME, title=_topic(lines))
    for table in split_tables(lines, is_header, ("join time",)):
        if table.section in STAFF_SECTIONS:
            report.staff += len(table.rows)  # not attendee rows: not in `read`
            continue
        c = table.columns
        at = {
            "attended": c.find("attended"),
            "name": c.find(*NAMES),
            "first": c.find("first name"),
            "last": c.find("last name"),
            "email": c.find("email", "email address", "user email"),
            "join": c.find("join time"),
            "leave": c.find("leave time"),
            "minutes": c.find("time in session (minutes)", "duration (minutes)"),
            "guest": c.find("is guest", "guest"),
            "country": c.find("country/region name", "country/region", "country"),
        }
        learn_dates(dates, table.rows, at["join"], at["leave"])
        reader = RowReader(dates, c)

        def build(line: Line, at=at, reader=reader):
            if at["attended"] is not None and not yes(line.get(at["attended"]) or "yes"):
                report.absent += 1
                return None
            reader.check_width(line, at["join"], at["leave"], at["email"])
            return ReportRow(
                line=line.number,
                # The registration's name first: the in-session name may be a nickname
                # ("Juan (Juan Pérez)").
                name=" ".join(filter(None, (line.get(at["first"]), line.get(at["last"]))))
                or line.get(at["name"]),
                email=line.get(at["email"]),
                joined=reader.time(line, at["join"]),
                left=reader.time(line, at["leave"]),
                minutes=reader.minutes(line, at["minutes"]),
                guest=yes(line.get(at["guest"])),
                country=line.get(at["country"]),
            )

        read_rows(report, table.rows, build)
    report.day_first = dates.day_first
    return report


def _topic(lines: list[Line]) -> str:
    block = block_values(lines, "topic")
    return block[1].get(block[0].find("topic"))[:200] if block else ""
