"""Which export is this? The first header line any parser recognises decides."""

from __future__ import annotations

from django.utils.translation import gettext as _

from webinars.attendance.dates import DateReader
from webinars.attendance.formats import PARSERS
from webinars.attendance.formats.base import ParsedReport
from webinars.attendance.reading import Line, ReportError, read_file

SCAN_LINES = 5000


def detect(lines: list[Line]):
    for line in lines[:SCAN_LINES]:
        if line.blank:
            continue
        for parser in PARSERS:
            if parser.is_header(line):
                return parser
    first = next((line for line in lines if not line.blank), None)
    shown = ", ".join(cell.strip() for cell in first.cells[:6])[:120] if first else ""
    raise ReportError(
        _(
            "This file is not an attendance report Baraza can read: no table of attendees "
            "from a Zoom webinar or meeting, Microsoft Teams or GoTo Webinar was found "
            "(they have columns such as “Join Time”, “Leave Time” and “Email”). "
            "Its first line reads: “%(first)s”."
        )
        % {"first": shown}
    )


def read_report(content: bytes, *, zone: str) -> ParsedReport:
    """Decode, detect and parse; raises ReportError for a file that is not a report."""
    lines = read_file(content)
    parser = detect(lines)
    report = parser.parse(lines, DateReader(zone))
    if report.read == 0 and report.staff == 0:
        raise ReportError(
            _("The report's table of attendees has no rows: the file may be cut short.")
        )
    return report
