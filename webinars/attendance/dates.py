"""Times in reports: wall-clock strings without a UTC offset, read in the zone the export used.

Formats seen in real exports: ``Mar 28, 2020 08:07:27`` (Zoom webinar reports),
``04/26/2026 10:45:17 AM`` (Zoom meeting reports, Teams), ``4/26/26, 10:45:17 AM`` (Teams),
``2026-04-26 10:45:17``, and GoTo's ``04/26/2026 10:45 AM EDT`` whose abbreviation, when
it is one of the unambiguous ones below, overrides the zone the organizer chose.

Numeric dates are read month first (the exports' US default) unless the file shows a day
above 12 in the first place (``26/04/2026``): then the whole file is read day first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

_TIMES = ("%H:%M:%S", "%I:%M:%S %p", "%H:%M", "%I:%M %p")
_MONTH_NAMED = ("%b %d %Y", "%d %b %Y", "%B %d %Y", "%d %B %Y")
_ISO = ("%Y-%m-%d", "%Y/%m/%d")
_MONTH_FIRST = ("%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y")
_DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y")


def _formats(dates: Iterable[str]) -> list[str]:
    return [f"{day} {time}" for day in dates for time in _TIMES]


MONTH_FIRST_FORMATS = _formats(_MONTH_NAMED + _ISO + _MONTH_FIRST) + ["%Y-%m-%dT%H:%M:%S"]
DAY_FIRST_FORMATS = _formats(_MONTH_NAMED + _ISO + _DAY_FIRST) + ["%Y-%m-%dT%H:%M:%S"]

# Abbreviations that name one offset only (IST, say, does not: India, Ireland, Israel).
ABBREVIATIONS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "EAT": 3,
    "WAT": 1,
    "SAST": 2,
}

_SPACES = re.compile(r"\s+")
_ABBREVIATION = re.compile(r"\s([A-Z]{1,5})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")
EXAMPLE = "Mar 28, 2020 08:07:27 · 04/26/2026 10:45:17 AM"


def _normalize(text: str) -> tuple[str, timezone | None]:
    text = _SPACES.sub(" ", text.replace(",", " ").replace("\u202f", " ")).strip()
    text = text.replace("a.m.", "AM").replace("p.m.", "PM")
    fixed = None
    match = _ABBREVIATION.search(text)
    if match and match.group(1) in ABBREVIATIONS:
        fixed = timezone(timedelta(hours=ABBREVIATIONS[match.group(1)]))
        text = text[: match.start()]
    return text, fixed


class DateReader:
    """Reads one file's times into aware UTC datetimes; raises ValueError on an unknown one."""

    def __init__(self, zone: str):
        self.zone = ZoneInfo(zone)
        self.formats = list(MONTH_FIRST_FORMATS)
        self._cache: dict[str, datetime] = {}
        self._last: str | None = None

    def learn(self, samples: Iterable[str]) -> None:
        """Day first for the whole file when any numeric date has a day above 12 first."""
        for text in samples:
            match = _NUMERIC.match(text.strip())
            if match and int(match.group(1)) > 12 >= int(match.group(2)):
                self.formats = list(DAY_FIRST_FORMATS)
                return

    @property
    def day_first(self) -> bool:
        return self.formats[0] == DAY_FIRST_FORMATS[0]

    def __call__(self, text: str) -> datetime:
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        normalized, fixed = _normalize(text)
        naive = self._naive(normalized)
        local = naive.replace(tzinfo=fixed or self.zone)
        instant = local.astimezone(UTC)
        self._cache[text] = instant
        return instant

    def _naive(self, text: str) -> datetime:
        if self._last is not None:
            try:
                return datetime.strptime(text, self._last)
            except ValueError:
                pass
        for fmt in self.formats:
            try:
                value = datetime.strptime(text, fmt)
            except ValueError:
                continue
            self._last = fmt
            return value
        raise ValueError(text)
