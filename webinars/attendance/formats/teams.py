"""Microsoft Teams attendance report (meeting chat or Recap → Attendance → Download).

Tab-separated, usually UTF-16 with a byte-order mark, in numbered sections:
"1. Summary" (key/value lines: Meeting title, Start time, End time…), "2. Participants"
(Name, First Join, Last Leave, In-Meeting Duration, Email, Participant ID (UPN), Role) and
"3. In-Meeting Activities" (Name, Join Time, Leave Time, Duration, Email, Role) with one
row per stay. Durations look like ``1h 27m 51s``. The stays are used when present; else
the participant rows (first join, last leave, total duration). Organizers are staff.

The pre-2021 layout ("Full Name, User Action, Timestamp": Joined / Left events, no email)
is read too: its people can only be walk-ins, since nothing matches them to a registration.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from webinars.attendance.dates import DateReader
from webinars.attendance.formats.base import (
    ParsedReport,
    ReportRow,
    RowError,
    RowProblem,
    RowReader,
    Table,
    header_cells,
    learn_dates,
    norm,
    read_rows,
    split_tables,
)
from webinars.attendance.reading import Line

NAME = "teams"
NEEDLES = ("first join", "join time", "user action")
STAFF_ROLES = {"organizer", "organiser", "co-organizer", "co-organiser"}


def _cells(line: Line) -> set[str]:
    return header_cells(line, most=60)  # Teams headers are narrow; its long lines are data


def _participants_header(cells: set[str]) -> bool:
    return {"name", "first join", "last leave"} <= cells


def _activities_header(cells: set[str]) -> bool:
    return {"name", "join time", "leave time"} <= cells and bool(
        cells & {"duration", "role", "email"}
    )


def _events_header(cells: set[str]) -> bool:
    return {"full name", "user action", "timestamp"} <= cells


def is_header(line: Line) -> bool:
    cells = _cells(line)
    return _participants_header(cells) or _activities_header(cells) or _events_header(cells)


GUEST_SUFFIXES = ("(guest)", "(external)", "(unverified)", "(invité)", "(invitado)")


def _guest(name: str) -> tuple[str, bool]:
    """'Kofi Boateng (Guest)' → ('Kofi Boateng', True)."""
    for suffix in GUEST_SUFFIXES:
        if name.casefold().endswith(suffix):
            return name[: -len(suffix)].strip(), True
    return name, False


def _title(lines: list[Line]) -> str:
    for line in lines[:30]:
        if line.cells and norm(line.cells[0]) in {"meeting title", "title"}:
            return line.get(1)[:200]
    return ""


def parse(lines: list[Line], dates: DateReader) -> ParsedReport:
    report = ParsedReport(format=NAME, title=_title(lines))
    tables = split_tables(lines, is_header, NEEDLES)
    events = [t for t in tables if _events_header(_cells(t.columns.header))]
    stays = [t for t in tables if _activities_header(_cells(t.columns.header)) and t.rows]
    spans = [t for t in tables if _participants_header(_cells(t.columns.header))]
    if events:
        _read_events(report, events[0], dates)
    for table in stays or spans:
        _read_table(report, table, dates, span_only=not stays)
    report.day_first = dates.day_first
    return report


def _read_table(report: ParsedReport, table: Table, dates: DateReader, *, span_only: bool):
    c = table.columns
    at = {
        "name": c.find("name"),
        "email": c.find("email"),
        "upn": c.find("participant id (upn)", "upn"),
        "join": c.find("join time", "first join"),
        "leave": c.find("leave time", "last leave"),
        "minutes": c.find("duration", "in-meeting duration", "attendance duration"),
        "role": c.find("role"),
    }
    learn_dates(dates, table.rows, at["join"], at["leave"])
    reader = RowReader(dates, c)

    def build(line: Line):
        reader.check_width(line, at["name"], at["join"], at["leave"])
        if line.get(at["role"]).casefold() in STAFF_ROLES:
            report.staff += 1
            return None
        email = line.get(at["email"])
        upn = line.get(at["upn"])
        if not email and "@" in upn:
            email = upn
        name, guest = _guest(line.get(at["name"]))
        return ReportRow(
            line=line.number,
            name=name,
            guest=guest,
            email=email,
            joined=reader.time(line, at["join"]),
            left=reader.time(line, at["leave"]),
            minutes=reader.minutes(line, at["minutes"]),
            span_only=span_only,
        )

    read_rows(report, table.rows, build)


def _read_events(report: ParsedReport, table: Table, dates: DateReader) -> None:
    """Joined / Left events per name → one row per stay; a stay still open at the end of
    the file closes at the last event of the meeting."""
    c = table.columns
    name_at, action_at, time_at = c.find("full name"), c.find("user action"), c.find("timestamp")
    learn_dates(dates, table.rows, time_at)
    reader = RowReader(dates, c)
    events = []
    for line in table.rows:
        report.read += 1
        try:
            reader.check_width(line, name_at, action_at, time_at)
            at = reader.time(line, time_at)
            if at is None:
                raise RowProblem(_("The row has no timestamp."))
        except RowProblem as problem:
            report.errors.append(RowError(line.number, problem.reason))
            continue
        events.append((line, line.get(name_at), line.get(action_at).casefold(), at))
    if not events:
        return
    end = max(at for *_rest, at in events)
    open_since: dict[str, tuple[Line, object]] = {}
    for line, name, action, at in sorted(events, key=lambda e: e[3]):
        if action.startswith("join"):
            open_since.setdefault(name, (line, at))
        elif action.startswith("left") and name in open_since:
            first_line, joined = open_since.pop(name)
            report.rows.append(
                ReportRow(line=first_line.number, name=name, email="", joined=joined, left=at)
            )
    for name, (line, joined) in open_since.items():
        report.rows.append(
            ReportRow(line=line.number, name=name, email="", joined=joined, left=end)
        )
