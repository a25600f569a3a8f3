"""What every report parser produces, and the small readers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from webinars.attendance.dates import EXAMPLE, DateReader
from webinars.attendance.reading import Line

EMPTY = {"", "--", "-", "n/a", "N/A"}


@dataclass(slots=True)
class ReportRow:
    """One row about one person being present (a person who rejoined has several)."""

    line: int
    name: str
    email: str
    joined: datetime | None = None
    left: datetime | None = None
    minutes: float | None = None  # as the report states it
    span_only: bool = False  # joined/left are first join and last leave, not one stay
    guest: bool = False
    country: str = ""


@dataclass(slots=True)
class RowError:
    line: int
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "reason": str(self.reason)}


@dataclass
class ParsedReport:
    format: str
    rows: list[ReportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    read: int = 0  # rows of the attendee table(s), errors included (the contract's "rows")
    absent: int = 0  # registrants listed as not attended
    staff: int = 0  # hosts, panelists, organizers: not attendees
    title: str = ""
    day_first: bool = False


def norm(text: str) -> str:
    """Header cell → comparable key: 'User Name (Original Name)' → 'user name (original name)'."""
    return re.sub(r"\s+", " ", text.replace("\ufeff", "").replace("*", "")).strip().casefold()


class Columns:
    """Positions of the columns a parser needs, found by any of their known names."""

    def __init__(self, header: Line):
        self.header = header
        self.index: dict[str, int] = {}
        for position, cell in enumerate(header.cells):
            self.index.setdefault(norm(cell), position)

    def find(self, *names: str) -> int | None:
        for name in names:
            if name in self.index:
                return self.index[name]
        return None

    def has(self, *names: str) -> bool:
        return all(name in self.index for name in names)


def header_cells(line: Line, most: int = 200) -> set[str]:
    """A line's cells as comparable keys; none for a line too wide to be a header."""
    return {norm(cell) for cell in line.cells} if len(line.cells) <= most else set()


def block_values(lines: list[Line], label: str) -> tuple[Columns, Line] | None:
    """The summary block some exports start with: the first line (of the first 20)
    with a `label` cell is its header, the next line its values."""
    for index, line in enumerate(lines[:20]):
        if label in header_cells(line) and index + 1 < len(lines):
            return Columns(line), lines[index + 1]
    return None


def header_has(line: Line, *names: str) -> bool:
    cells = {norm(cell) for cell in line.cells}
    return all(name in cells for name in names)


def section_title(line: Line) -> str | None:
    """'Attendee Details,' → 'attendee details'; '2. Participants' → 'participants'."""
    if not line.cells or not line.cells[0].strip():
        return None
    if any(cell.strip() for cell in line.cells[1:]):
        return None
    return re.sub(r"^\d+\.\s*", "", norm(line.cells[0])).rstrip(":").strip()


_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in(?:ute)?s?)?)?\s*"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?)?$"
)
_CLOCK = re.compile(r"^(\d+):(\d{2})(?::(\d{2}))?$")


def parse_minutes(text: str) -> float:
    """'92' · '92.5' · '1h 27m 51s' · '27m 51s' · '51s' · '1:27:51' · '62 minutes' → minutes."""
    text = text.strip().lower().replace(",", ".")
    if not text:
        raise ValueError(text)
    try:
        return float(text)
    except ValueError:
        pass
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = clock.group(1), clock.group(2), clock.group(3)
        if seconds is None:  # h:mm
            return int(hours) * 60 + int(minutes)
        return int(hours) * 60 + int(minutes) + int(seconds) / 60
    match = _DURATION.match(text)
    if not match or not any(match.groupdict().values()):
        raise ValueError(text)
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return parts["h"] * 60 + parts["m"] + parts["s"] / 60


def yes(text: str) -> bool:
    return text.strip().casefold() in {"yes", "y", "true", "1", "oui", "sí", "si"}


def full_name(*parts: str) -> str:
    return " ".join(part for part in parts if part).strip()


class RowReader:
    """Turns cells into a ReportRow or a RowError with the line and a reason."""

    def __init__(self, dates: DateReader, columns: Columns):
        self.dates = dates
        self.columns = columns
        self.width = len(columns.header.cells)
        self._wanted: dict[tuple, int] = {}

    def label(self, index: int | None) -> str:
        """The column's name as the file writes it (what the organizer sees)."""
        return self.columns.header.get(index)

    def time(self, line: Line, index: int | None) -> datetime | None:
        text = line.get(index)
        if text in EMPTY:
            return None
        try:
            return self.dates(text)
        except ValueError:
            label = self.label(index)
            raise RowProblem(
                _(
                    "%(column)s “%(value)s” is not a date and time this importer reads "
                    "(e.g. %(example)s)."
                )
                % {"column": label, "value": text[:60], "example": EXAMPLE}
            )

    def minutes(self, line: Line, index: int | None) -> float | None:
        text = line.get(index)
        if text in EMPTY:
            return None
        try:
            value = parse_minutes(text)
        except ValueError:
            label = self.label(index)
            raise RowProblem(
                _("%(column)s “%(value)s” is not a duration.")
                % {"column": label, "value": text[:60]}
            )
        if value < 0:
            raise RowProblem(_("%(column)s is negative.") % {"column": self.label(index)})
        return value

    def check_width(self, line: Line, *needed: int | None) -> None:
        wanted = self._wanted.get(needed)
        if wanted is None:
            wanted = self._wanted[needed] = max((i for i in needed if i is not None), default=-1)
        if len(line.cells) <= wanted:
            raise RowProblem(
                _(
                    "The row has %(found)d columns where the header on line %(header)d has "
                    "%(expected)d: the file may be cut short."
                )
                % {
                    "found": len(line.cells),
                    "header": self.columns.header.number,
                    "expected": self.width,
                }
            )


class RowProblem(ValueError):
    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def finish_row(row: ReportRow) -> ReportRow:
    """Checks every format shares: someone to name, times that make sense."""
    if not row.name and not row.email:
        raise RowProblem(_("The row has neither a name nor an email address."))
    if row.email and "@" not in row.email:
        raise RowProblem(_("“%(value)s” is not an email address.") % {"value": row.email[:80]})
    if row.joined is not None and row.left is None and row.minutes is not None:
        row.left = row.joined + timedelta(minutes=row.minutes)
    if row.left is not None and row.joined is None and row.minutes is not None:
        row.joined = row.left - timedelta(minutes=row.minutes)
    if row.joined is None and row.left is None and row.minutes is None:
        raise RowProblem(_("The row has no join time, leave time or duration."))
    if (row.joined is None) != (row.left is None):
        raise RowProblem(_("The row has a join time or a leave time but not both."))
    if row.joined is not None and row.left is not None and row.left < row.joined:
        raise RowProblem(_("The leave time is before the join time."))
    return row


@dataclass
class Table:
    """A header line and the rows under it, named by the section title above it (if any)."""

    section: str | None
    columns: Columns
    rows: list[Line] = field(default_factory=list)


def split_tables(lines: list[Line], is_header, needles: tuple[str, ...] = ()) -> list[Table]:
    """The tables of a sectioned export: each starts at a header line and runs until the
    next section title or header. Lines before any header (summaries) belong to none.

    `needles`: text every header line contains (lower case), so that the thousands of
    data rows are ruled out by one substring test instead of normalizing every cell."""
    tables: list[Table] = []
    section: str | None = None
    current: Table | None = None
    for line in lines:
        if line.blank:
            continue
        if needles:
            text = "\x1f".join(line.cells).lower()
            maybe_header = any(needle in text for needle in needles)
        else:
            maybe_header = True
        if maybe_header and is_header(line):
            current = Table(section, Columns(line))
            tables.append(current)
            continue
        title = section_title(line)
        if title is not None:
            section, current = title, None
            continue
        if current is not None:
            current.rows.append(line)
    return tables


def read_rows(report: ParsedReport, rows: list[Line], build) -> None:
    """`build(line)` → ReportRow, or None for a row that is not an attendee; errors collected."""
    for line in rows:
        report.read += 1
        try:
            row = build(line)
        except RowProblem as problem:
            report.errors.append(RowError(line.number, problem.reason))
            continue
        if row is not None:
            _append(report, line, row)


def _append(report: ParsedReport, line: Line, row: ReportRow) -> None:
    try:
        report.rows.append(finish_row(row))
    except RowProblem as problem:
        report.errors.append(RowError(line.number, problem.reason))


def learn_dates(dates: DateReader, rows: list[Line], *indexes: int | None) -> None:
    wanted = [index for index in indexes if index is not None]
    dates.learn({line.get(index) for line in rows for index in wanted})
