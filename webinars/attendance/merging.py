"""Rows → people: rejoins merged, overlaps joined, minutes summed and capped at the session.

A person is their email (case-insensitive), or — with no email, as for phone callers and
anonymous guests — their name. A name-only row whose name is that of exactly one person
with an email in the same file is theirs (Zoom lists a rejoin as a guest without email).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from webinars.attendance.formats.base import ReportRow

Interval = tuple[datetime, datetime]


@dataclass
class Person:
    key: str
    name: str = ""
    email: str = ""
    intervals: list[Interval] = field(default_factory=list)  # merged, sorted
    reported_minutes: float = 0.0  # where the report gives minutes but no stays
    first_join: datetime | None = None
    last_leave: datetime | None = None
    guest: bool = False
    country: str = ""
    lines: list[int] = field(default_factory=list)
    minutes_capped: int = 0  # set once the session (its length) is known

    def minutes(self, cap: int) -> int:
        return capped_minutes(self.intervals, self.reported_minutes, cap)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split()).casefold()


def person_key(email: str, name: str) -> str:
    return f"email:{email.strip().casefold()}" if email.strip() else f"name:{fold(name)}"[:320]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Overlapping or touching stays become one: [(9:00, 9:30), (9:20, 10:00)] → [(9:00, 10:00)]."""
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def capped_minutes(intervals: list[Interval], reported: float, cap: int) -> int:
    present = sum((end - start for start, end in intervals), timedelta()).total_seconds() / 60
    return int(min(max(present, reported), cap) + 0.5)  # half up: 30.5 minutes → 31


def merge_rows(rows: Iterable[ReportRow]) -> list[Person]:
    people: dict[str, Person] = {}
    by_name: dict[str, set[str]] = {}
    pending_names: list[ReportRow] = []
    stays: dict[str, list[Interval]] = {}
    for row in rows:
        if not row.email:
            pending_names.append(row)
            continue
        key = person_key(row.email, row.name)
        _add(people, stays, key, row)
        if row.name:
            by_name.setdefault(fold(row.name), set()).add(key)
    for row in pending_names:
        owners = by_name.get(fold(row.name), set())
        key = next(iter(owners)) if len(owners) == 1 else person_key("", row.name)
        _add(people, stays, key, row)
    for key, person in people.items():
        person.intervals = merge_intervals(stays.get(key, []))
    last = datetime.max.replace(tzinfo=UTC)
    return sorted(people.values(), key=lambda p: (p.first_join or last, p.key))


def _add(people: dict[str, Person], stays: dict[str, list[Interval]], key: str, row: ReportRow):
    person = people.get(key)
    if person is None:
        person = people[key] = Person(key=key)
    person.name = person.name or row.name
    person.email = person.email or row.email
    person.guest = person.guest or row.guest
    person.country = person.country or row.country
    person.lines.append(row.line)
    if row.joined is not None and row.left is not None:
        if person.first_join is None or row.joined < person.first_join:
            person.first_join = row.joined
        if person.last_leave is None or row.left > person.last_leave:
            person.last_leave = row.left
    if row.span_only or row.joined is None:
        person.reported_minutes += row.minutes or 0.0
    else:
        stays.setdefault(key, []).append((row.joined, row.left))
