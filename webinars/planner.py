"""The audience-time planner: which start times reach most of an audience in waking hours.

Pure: no database, no request. ``plan(audience, days=..., ...)`` scores every candidate start,
``to_json(result)`` renders the contract of ``manage.py plan_webinar_slots --json``.

Choices made where the issue is silent:

- Candidates are every start at the step inside each UTC day asked (00:00Z up to 24:00Z), at
  most 14 days. The cost is one evaluation per start per zone of the audience: linear in
  days × countries (``PlanResult.evaluations`` counts them).
- A session is *inside* a window when its local start is at or after the window's start and
  its local end at or before the window's end, on the same local day; a window may end at
  "24:00" (the session may end at local midnight). The preferred window must lie inside the
  acceptable one. Score = Σ weight × (1 preferred, 0.5 acceptable, 0 outside) / Σ weight.
- A country split across zones (``webinars.population``) has one entry per zone, carrying the
  country's weight times the zone's share of its people.
- Weekend and public holiday are judged on the local start date, with the country's national
  calendar from the ``holidays`` package (its weekend days per country and year: Fri–Sat in
  Saudi Arabia, Friday alone in Iran, Sat–Sun in the UAE since 2022); holiday names in English.
  A country the package does not know gets a Sat–Sun weekend and no holidays.
- Region presets give every country of a region the same weight (100 / its country count):
  the audience is institutions, and by population India would drown South Asia. Explicit
  country weights (or a webinar's registrants) override a region's weight for that country.
- Panelists are hard constraints: a start that puts any panelist outside their window is
  dropped. Their window defaults to the acceptable window.
- Ranking: score descending, then the earlier start; scores are compared to 9 decimals so
  float noise cannot reorder ties.
- When the best start scores below 0.7, the best pair of distinct starts is proposed: each
  country goes to the session it scores better in (summed over its zones; a tie goes to the
  earlier session). Starts that put every zone in the same window are interchangeable, so
  the search runs over distinct window patterns only, each represented by its earliest
  start. A pattern depends only on the UTC time of day and the zones' offsets, so there are
  at most (starts per day) × (1 + DST changes in the range) of them, whatever the number
  of days: the pair search stays about 100² × countries even over 14 days.
- Each candidate's per-country rows (local times, weekend, holiday) are built when first
  read (``Candidate.countries``): ranking needs only the window of each zone, so a page
  showing the top dozen does not pay for 1,344 × 60 rows.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from core.zones import is_valid_zone
from webinars.population import country_zones, known_countries
from webinars.regions import REGIONS, region_countries

MAX_DAYS = 14
STEPS = (15, 30)
PAIR_THRESHOLD = 0.7
REGION_WEIGHT = 100.0
VALUES = {"preferred": 1.0, "acceptable": 0.5, "outside": 0.0}
_TIE_DIGITS = 9


class PlannerInputError(ValueError):
    """Bad input, with the argument it concerns (``audience``, ``window``, ...)."""

    def __init__(self, argument: str, message: str):
        super().__init__(message)
        self.argument = argument


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Window:
    """A local time-of-day window, in minutes after midnight (end may be 1440)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


DEFAULT_WINDOW = Window(8 * 60, 21 * 60)
DEFAULT_PREFERRED = Window(9 * 60, 17 * 60)


@dataclass(frozen=True)
class Panelist:
    zone: str
    window: Window


class CountryTime(NamedTuple):
    """One country (one zone of it) at one candidate start."""

    country: str
    zone: str
    weight: float
    local_start: datetime
    local_end: datetime
    window: str  # "preferred" | "acceptable" | "outside"
    weekend: bool
    holiday: str | None


@dataclass(frozen=True, eq=False)
class Candidate:
    start_utc: datetime
    end_utc: datetime
    score: float
    windows: tuple[str, ...] = field(repr=False)  # per zone, in `audience.zones` order
    audience: Audience = field(repr=False)

    @cached_property
    def countries(self) -> tuple[CountryTime, ...]:
        """Every country (one row per zone), built when first asked for: scoring needs none."""
        return self.audience.rows(self.start_utc, self.end_utc, self.windows)


@dataclass(frozen=True)
class SessionPair:
    sessions: tuple[Candidate, Candidate]
    score: float
    assignment: dict[str, int]


@dataclass(frozen=True)
class PlanResult:
    candidates: tuple[Candidate, ...]  # ranked
    pair: SessionPair | None
    total_weight: float
    evaluations: int  # starts × zones evaluated: the unit of cost
    dropped_by_panelists: int = 0

    def candidate_at(self, start_utc: datetime | None) -> Candidate | None:
        if start_utc is None:
            return None
        return next((c for c in self.candidates if c.start_utc == start_utc), None)


# --- parsing ---------------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def _minutes(text: str, argument: str) -> int:
    match = _TIME.match(text)
    if not match:
        raise PlannerInputError(
            argument, _("“%(text)s” is not a time like 08:00.") % {"text": text.strip()}
        )
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise PlannerInputError(
            argument, _("“%(text)s” is not a time of day.") % {"text": text.strip()}
        )
    return hours * 60 + minutes


def parse_window(text: str, argument: str = "window") -> Window:
    """ "08:00-21:00" → Window; the start must come before the end (no overnight windows)."""
    parts = (text or "").split("-")
    if len(parts) != 2:
        raise PlannerInputError(
            argument, _("“%(text)s” is not a window like 08:00-21:00.") % {"text": text}
        )
    start, end = _minutes(parts[0], argument), _minutes(parts[1], argument)
    if start >= end:
        raise PlannerInputError(
            argument, _("The window %(text)s must start before it ends.") % {"text": text}
        )
    return Window(start, end)


def parse_panelist(text: str, default: Window) -> Panelist:
    """ "Asia/Manila" or "Asia/Manila=09:00-18:00"."""
    zone, _sep, window = (text or "").strip().partition("=")
    zone = zone.strip()
    if not is_valid_zone(zone):
        raise PlannerInputError(
            "panelist", _("“%(zone)s” is not a time zone like Asia/Manila.") % {"zone": zone}
        )
    return Panelist(zone, parse_window(window, "panelist") if window.strip() else default)


def _country(code: str, argument: str) -> str:
    code = code.strip().upper()
    if code not in known_countries():
        raise PlannerInputError(
            argument,
            _("“%(code)s” is not a country code. Use two-letter codes like IN, KE, BR.")
            % {"code": code},
        )
    return code


def parse_audience(text: str) -> dict[str, float]:
    """ "IN=40,ID=20" → {"IN": 40.0, "ID": 20.0}; a bare code weighs 1; repeats add up.

    The one reading of country weights: ``plan_webinar_slots --audience`` (whose syntax is
    a contract), the planner page and the webinar form's target audience. Parts are split
    on commas, semicolons or spaces; a weight is a finite number above 0; a code is one a
    time zone is known for."""
    audience: dict[str, float] = {}
    for part in re.split(r"[,;\s]+", text or ""):
        if not part:
            continue
        code, sep, weight_text = part.partition("=")
        code = _country(code, "audience")
        try:
            weight = float(weight_text) if sep else 1.0
        except ValueError:
            raise PlannerInputError(
                "audience", _("“%(part)s”: the weight must be a number.") % {"part": part}
            )
        if not math.isfinite(weight) or weight <= 0:
            raise PlannerInputError(
                "audience", _("“%(part)s”: the weight must be above 0.") % {"part": part}
            )
        audience[code] = audience.get(code, 0.0) + weight
    if not audience:
        raise PlannerInputError("audience", _("Give countries with weights, like IN=40,KE=15."))
    return audience


def _region_key(name: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " ")).split()
    key = "_".join(word for word in words if word != "and")
    return {"middle_east_north_africa": "mena"}.get(key, key)


def audience_from_regions(names: Iterable[str]) -> dict[str, float]:
    """Each region weighs 100, shared equally by its countries ("South Asia" or "south_asia")."""
    audience: dict[str, float] = {}
    for name in names:
        key = _region_key(name)
        if key not in REGIONS:
            known = ", ".join(REGIONS)
            raise PlannerInputError(
                "region",
                _("Unknown region “%(name)s” (known: %(known)s).") % {"name": name, "known": known},
            )
        codes = [code for code in region_countries(key) if country_zones(code)]
        for code in codes:
            audience[code] = audience.get(code, 0.0) + REGION_WEIGHT / len(codes)
    return audience


def merge_audiences(*parts: dict[str, float]) -> dict[str, float]:
    """Later parts override earlier ones country by country (explicit weights beat regions)."""
    merged: dict[str, float] = {}
    for part in parts:
        merged.update(part)
    return merged


def date_range(first: date, days: int) -> list[date]:
    if not 1 <= days <= MAX_DAYS:
        raise PlannerInputError(
            "days",
            _("Plan between 1 and %(max)d days, not %(days)d.") % {"max": MAX_DAYS, "days": days},
        )
    return [first + timedelta(days=offset) for offset in range(days)]


# --- calendars -------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _national_calendar(country: str, year: int):
    """The country's public holidays for one year (English names), or None if unknown."""
    import holidays

    try:
        calendar = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return None
    language = calendar.default_language or ""
    if not language.startswith("en") and "en_US" in calendar.supported_languages:
        calendar = holidays.country_holidays(country, years=year, language="en_US")
    return calendar


def weekend_and_holiday(country: str, day: date) -> tuple[bool, str | None]:
    calendar = _national_calendar(country, day.year)
    if calendar is None:
        return day.weekday() >= 5, None
    is_weekend = getattr(calendar, "is_weekend", None)
    weekend = is_weekend(day) if is_weekend else day.weekday() in calendar.weekend
    return bool(weekend), calendar.get(day)


# --- the engine ------------------------------------------------------------------------


def _window_of(start: datetime, end: datetime, tz: ZoneInfo, preferred: Window, window: Window):
    """The window the whole session lies in, in `tz`'s local time."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    first = local_start.hour * 60 + local_start.minute
    days_later = local_end.toordinal() - local_start.toordinal()
    last = days_later * 1440 + local_end.hour * 60 + local_end.minute
    if preferred.start <= first and last <= preferred.end:
        return "preferred"
    if window.start <= first and last <= window.end:
        return "acceptable"
    return "outside"


def audience_entries(audience: dict[str, float]) -> list[tuple[str, str, float]]:
    """(country, zone, weight) per zone of each country, in the audience's order."""
    entries = []
    for code, weight in audience.items():
        code = _country(code, "audience")
        if not (math.isfinite(weight) and weight > 0):
            raise PlannerInputError(
                "audience", _("%(code)s: the weight must be above 0.") % {"code": code}
            )
        entries.extend((code, zone, weight * share) for zone, share in country_zones(code))
    return entries


class Audience:
    """The audience spread over zones, and the calendars of its countries."""

    def __init__(self, weights: dict[str, float]):
        self.entries = audience_entries(weights)
        if not self.entries:
            raise PlannerInputError("audience", _("Give countries with weights, like IN=40,KE=15."))
        self.total = sum(weight for _country, _zone, weight in self.entries)
        self.countries = list(dict.fromkeys(country for country, _z, _w in self.entries))
        self.zones = {zone: ZoneInfo(zone) for _country, zone, _weight in self.entries}
        index = {zone: position for position, zone in enumerate(self.zones)}
        self._positions = [index[zone] for _country, zone, _weight in self.entries]
        self._zone_weights = [0.0] * len(self.zones)
        for (_country, _zone, weight), position in zip(self.entries, self._positions, strict=True):
            self._zone_weights[position] += weight
        self._calendar: dict[tuple[str, date], tuple[bool, str | None]] = {}

    def score(self, windows: tuple[str, ...]) -> float:
        reached = sum(
            w * VALUES[label] for w, label in zip(self._zone_weights, windows, strict=True)
        )
        return reached / self.total

    def country_values(self, windows: tuple[str, ...]) -> tuple[float, ...]:
        """Weight × value per country (summed over its zones), in `self.countries` order."""
        values = dict.fromkeys(self.countries, 0.0)
        for (country, _zone, weight), position in zip(self.entries, self._positions, strict=True):
            values[country] += weight * VALUES[windows[position]]
        return tuple(values.values())

    def rows(self, start: datetime, end: datetime, windows) -> tuple[CountryTime, ...]:
        local = [(start.astimezone(tz), end.astimezone(tz)) for tz in self.zones.values()]
        rows = []
        for (country, zone, weight), position in zip(self.entries, self._positions, strict=True):
            local_start, local_end = local[position]
            key = (country, local_start.date())
            if key not in self._calendar:
                self._calendar[key] = weekend_and_holiday(*key)
            weekend, holiday = self._calendar[key]
            label = windows[position]
            rows.append(
                CountryTime(country, zone, weight, local_start, local_end, label, weekend, holiday)
            )
        return tuple(rows)


def candidate_starts(days: Sequence[date], step_minutes: int) -> list[datetime]:
    return [
        datetime.combine(day, time(0), tzinfo=UTC) + timedelta(minutes=minute)
        for day in days
        for minute in range(0, 24 * 60, step_minutes)
    ]


def _validate(days, duration_minutes, window, preferred, step_minutes) -> None:
    if not 1 <= len(days) <= MAX_DAYS:
        raise PlannerInputError("days", _("Plan between 1 and %(max)d days.") % {"max": MAX_DAYS})
    if not 0 < duration_minutes <= 24 * 60:
        raise PlannerInputError("duration", _("The duration must be 1 to 1440 minutes."))
    if step_minutes not in STEPS:
        raise PlannerInputError("step", _("The step must be 15 or 30 minutes."))
    if not (window.start <= preferred.start and preferred.end <= window.end):
        raise PlannerInputError(
            "preferred",
            _("The preferred window %(preferred)s must lie inside %(window)s.")
            % {"preferred": preferred, "window": window},
        )


def plan(
    audience: dict[str, float],
    *,
    days: Sequence[date],
    duration_minutes: int,
    window: Window = DEFAULT_WINDOW,
    preferred: Window = DEFAULT_PREFERRED,
    step_minutes: int = 30,
    panelists: Sequence[Panelist] = (),
    pair_below: float = PAIR_THRESHOLD,
) -> PlanResult:
    """Every start of the days at the step, scored for the audience and ranked.

    A pair of sessions is proposed when the best start scores below `pair_below`.
    """
    days = sorted(set(days))
    _validate(days, duration_minutes, window, preferred, step_minutes)
    spread = Audience(audience)
    zones = list(spread.zones.values())
    panel = [(ZoneInfo(p.zone), p.window) for p in panelists]
    duration = timedelta(minutes=duration_minutes)
    candidates: list[Candidate] = []
    evaluations = dropped = 0
    for start in candidate_starts(days, step_minutes):
        end = start + duration
        if any(_window_of(start, end, tz, hours, hours) == "outside" for tz, hours in panel):
            dropped += 1
            continue
        windows = tuple(_window_of(start, end, tz, preferred, window) for tz in zones)
        evaluations += len(windows)
        candidates.append(Candidate(start, end, spread.score(windows), windows, spread))
    ranked = sorted(candidates, key=lambda c: (-round(c.score, _TIE_DIGITS), c.start_utc))
    pair = None
    if ranked and ranked[0].score < pair_below:
        pair = best_pair(candidates, spread)
    return PlanResult(tuple(ranked), pair, spread.total, evaluations, dropped)


def best_pair(chronological: Sequence[Candidate], audience: Audience) -> SessionPair | None:
    """The two starts that together reach most, each country taking its better one."""
    options: dict[tuple[str, ...], tuple[Candidate, tuple[float, ...]]] = {}
    for candidate in chronological:  # the earliest start stands for its windows pattern
        if candidate.windows not in options:
            options[candidate.windows] = (candidate, audience.country_values(candidate.windows))
    choices = list(options.values())
    best, best_reach = None, -1.0
    for index, (first, first_values) in enumerate(choices):
        for second, second_values in choices[index + 1 :]:
            reach = sum(map(max, first_values, second_values))
            if reach > best_reach + 10**-_TIE_DIGITS:
                best, best_reach = (first, first_values, second, second_values), reach
    if best is None:
        return None
    first, first_values, second, second_values = best
    assignment = {
        country: 0 if a >= b else 1
        for country, a, b in zip(audience.countries, first_values, second_values, strict=True)
    }
    return SessionPair((first, second), best_reach / audience.total, assignment)


# --- the JSON contract -----------------------------------------------------------------


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def candidate_as_dict(candidate: Candidate) -> dict:
    return {
        "start_utc": _utc(candidate.start_utc),
        "score": round(candidate.score, 4),
        "countries": [
            {
                "country": row.country,
                "zone": row.zone,
                "weight": round(row.weight, 6),
                "local_start": row.local_start.isoformat(),
                "local_end": row.local_end.isoformat(),
                "window": row.window,
                "weekend": row.weekend,
                "holiday": row.holiday,
            }
            for row in candidate.countries
        ],
    }


def result_as_dict(result: PlanResult) -> dict:
    pair = None
    if result.pair is not None:
        pair = {
            "sessions": [candidate_as_dict(session) for session in result.pair.sessions],
            "score": round(result.pair.score, 4),
            "assignment": dict(result.pair.assignment),
        }
    return {"candidates": [candidate_as_dict(c) for c in result.candidates], "pair": pair}


def to_json(result: PlanResult, indent: int | None = None) -> str:
    return json.dumps(result_as_dict(result), ensure_ascii=False, indent=indent)
