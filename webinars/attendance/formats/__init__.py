"""One parser per platform export; `detection.detect` picks the one a file is."""

from webinars.attendance.formats import goto, teams, zoom_meeting, zoom_webinar

PARSERS = (zoom_webinar, zoom_meeting, teams, goto)
FORMATS = tuple(parser.NAME for parser in PARSERS)

__all__ = ["FORMATS", "PARSERS"]
