"""The counting unit of every analytics page: a `Tally` of one group, and the `Row` a
breakdown shows for it; the labels groups are shown by; when a session is over."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django_countries import countries

from webinars.models import Registration, Session
from webinars.regions import REGIONS

T = TypeVar("T", bound=tuple[Any, ...])
K = TypeVar("K", bound=Hashable)

Status = Registration.Status
# Evidence of being there: a click on the personal join link, or a platform report.
EVIDENCE = Q(join_first_clicked_at__isnull=False) | Q(attendance__isnull=False)


def named(row_type: type[T], rows: Iterable[tuple[Any, ...]]) -> list[T]:
    """`values_list` rows as `row_type` (a NamedTuple whose fields are the columns, in
    order): as cheap as Django's own named rows, without reading `a__b__c` names."""
    new = tuple.__new__
    return [new(row_type, row) for row in rows]


@dataclass
class Tally:
    """Counts of one group (a session, a webinar, a country, an hour…)."""

    registered: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    cancelled: int = 0
    rejected: int = 0
    expected: int = 0  # confirmed registrants of sessions that are over
    attended: int = 0  # …of whom came
    came_anyway: int = 0  # registrants without a seat who came
    walk_ins: int = 0
    minutes: int = 0  # summed report minutes of the people counted in `timed`
    timed: int = 0

    def add(self, other: Tally) -> None:
        for name in _TALLY_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None

    @property
    def rate_percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else int(rate * 100 + 0.5)

    @property
    def attendees(self) -> int:
        return self.attended + self.came_anyway + self.walk_ins

    @property
    def average_minutes(self) -> int | None:
        return int(self.minutes / self.timed + 0.5) if self.timed else None


_TALLY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Tally))


def registration_tally(status: str, came: bool, over: bool) -> Tally:
    """One registration counted: its status, and whether it attended (sessions over)."""
    one = Tally(registered=1)
    setattr(one, str(status), 1)
    if status == Status.CONFIRMED:
        if over:
            one.expected = 1
            one.attended = int(came)
    elif came:
        one.came_anyway = 1
    return one


@dataclass
class Row:
    """One line of a breakdown: a key, what people read, and its tally."""

    key: str
    label: str
    tally: Tally


def rows_of(
    tallies: Mapping[K, Tally],
    label: Callable[[str], str],
    *,
    order: Literal["registered", "key"] = "registered",
    limit: int | None = None,
) -> list[Row]:
    """Rows of a breakdown: by key, or most registered first (ties by label)."""
    rows = [Row(str(key), label(str(key)), tally) for key, tally in tallies.items()]
    if order == "key":
        rows.sort(key=lambda r: r.key)
    else:
        rows.sort(key=lambda r: (-r.tally.registered, r.label))
    return rows[:limit] if limit else rows


def country_label(code: str) -> str:
    return str(countries.name(code)) if code else _("Not given")


def region_label(key: str) -> str:
    return str(REGIONS[key][0]) if key in REGIONS else _("Not given")


def hour_label(hour: int | str) -> str:
    return f"{int(hour):02d}:00"


def weekday_label(day: int | str) -> str:
    return str(WEEKDAYS[int(day)])


def same_label(key: str) -> str:
    return key


@lru_cache(maxsize=200_000)
def local_start(starts_at: datetime, zone: str) -> tuple[int, int]:
    """(hour, weekday) of an instant in a zone; an unknown zone counts as UTC."""
    try:
        local = starts_at.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError):
        local = starts_at
    return local.hour, local.weekday()


def session_over(session_status: str, starts_at: datetime, duration: int, at: datetime) -> bool:
    """A session that took place and has ended (a cancelled one never is)."""
    return (
        session_status == Session.Status.SCHEDULED and starts_at + timedelta(minutes=duration) <= at
    )
