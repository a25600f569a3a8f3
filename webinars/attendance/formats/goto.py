"""GoTo Webinar attendee report (Reports → Attendee report → CSV).

A summary block ("Webinar Name, Webinar ID, Actual Start Date/Time, … # Registered,
# Attended …"), then "Attendee Details" with Attended (Yes/No), Interest Rating, First Name,
Last Name, Email (or Email Address), Registration Date, Join Time, Leave Time, In Session
Duration (minutes), Country/Region (or Country), custom questions… A rejoin is another
row. Times may end in a zone abbreviation ("EDT"), which then wins over the chosen zone.
Panelist and organizer sections are staff.
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

NAME = "goto"
STAFF_SECTIONS = {"panelist details", "organizer details", "co-organizer details", "staff"}
DURATIONS = (
    "in session duration (minutes)",
    "in session duration",
    "time in session (minutes)",
    "time in session",
)


def is_header(line: Line) -> bool:
    cells = header_cells(line)
    return "join time" in cells and (
        "interest rating" in cells or any(cell.startswith("in session duration") for cell in cells)
    )


def _title(lines: list[Line]) -> str:
    block = block_values(lines, "webinar name")
    return block[1].get(block[0].find("webinar name"))[:200] if block else ""


def parse(lines: list[Line], dates: DateReader) -> ParsedReport:
    report = ParsedReport(format=NAME, title=_title(lines))
    for table in split_tables(lines, is_header, ("join time",)):
        if table.section in STAFF_SECTIONS:
            report.staff += len(table.rows)  # not attendee rows: not in `read`
            continue
        c = table.columns
        at = {
            "attended": c.find("attended"),
            "first": c.find("first name"),
            "last": c.find("last name"),
            "name": c.find("name", "full name"),
            "email": c.find("email", "email address"),
            "join": c.find("join time"),
            "leave": c.find("leave time"),
            "minutes": c.find(*DURATIONS),
            "country": c.find("country/region", "country"),
        }
        learn_dates(dates, table.rows, at["join"], at["leave"])
        reader = RowReader(dates, c)

        def build(line: Line, at=at, reader=reader):
            if at["attended"] is not None and not yes(line.get(at["attended"]) or "yes"):
                report.absent += 1
                return None
            reader.check_width(line, at["join"], at["leave"], at["email"])
            name = " ".join(filter(None, (line.get(at["first"]), line.get(at["last"]))))
            return ReportRow(
                line=line.number,
                name=name or line.get(at["name"]),
                email=line.get(at["email"]),
                joined=reader.time(line, at["join"]),
                left=reader.time(line, at["leave"]),
                minutes=reader.minutes(line, at["minutes"]),
                country=line.get(at["country"]),
            )

        read_rows(report, table.rows, build)
    report.day_first = dates.day_first
    return report
