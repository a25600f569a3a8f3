"""Zoom meeting participant report (Reports → Usage → Participants, "Export").

Optionally a meeting block first ("Meeting ID, Topic, Start Time, End Time, User Email,
Duration (Minutes), Participants" and its values: that User Email is the host's), then
"Name (Original Name), User Email, Join Time, Leave Time, Duration (Minutes), Guest" and
newer columns (Recording Consent, In Waiting Room). One row per stay; with "Show unique
users" the times go and "Total Duration (Minutes)" remains. The host's own rows are not
attendance.
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

NAME = "zoom-meeting"


def is_header(line: Line) -> bool:
    cells = header_cells(line)
    return (
        "name (original name)" in cells
        and bool(cells & {"user email", "email"})
        and bool(cells & {"duration (minutes)", "total duration (minutes)", "join time"})
    )


def _meeting(lines: list[Line]) -> tuple[str, str]:
    """(topic, host email) from the meeting block, if the export has one."""
    block = block_values(lines, "meeting id")
    if block is None:
        return "", ""
    columns, values = block
    return (
        values.get(columns.find("topic"))[:200],
        values.get(columns.find("user email", "host email")).casefold(),
    )


def parse(lines: list[Line], dates: DateReader) -> ParsedReport:
    topic, host = _meeting(lines)
    report = ParsedReport(format=NAME, title=topic)
    for table in split_tables(lines, is_header, ("name (original name)",)):
        c = table.columns
        at = {
            "name": c.find("name (original name)", "name"),
            "email": c.find("user email", "email"),
            "join": c.find("join time"),
            "leave": c.find("leave time"),
            "minutes": c.find("duration (minutes)", "total duration (minutes)"),
            "guest": c.find("guest", "is guest"),
        }
        learn_dates(dates, table.rows, at["join"], at["leave"])
        reader = RowReader(dates, c)

        def build(line: Line, at=at, reader=reader):
            reader.check_width(line, at["name"], at["email"])
            email = line.get(at["email"])
            if host and email.casefold() == host:
                report.staff += 1
                return None
            return ReportRow(
                line=line.number,
                name=line.get(at["name"]),
                email=email,
                joined=reader.time(line, at["join"]),
                left=reader.time(line, at["leave"]),
                minutes=reader.minutes(line, at["minutes"]),
                guest=yes(line.get(at["guest"])),
            )

        read_rows(report, table.rows, build)
    report.day_first = dates.day_first
    return report
