"""Recurring events: RRULE + EXDATE expanded in the event's own zone, in a bounded window.

Expansion is dateutil's rrule with a zone-aware DTSTART, so every occurrence keeps the
wall-clock time of the first one in that zone ("every Tuesday 10:00 Asia/Manila",
"every Monday 09:00 Europe/Berlin" across DST) and its UTC instant moves instead.

Unbounded rules never expand forever: callers give a window, the window is capped at
`MAX_WINDOW`, at most `MAX_OCCURRENCES` come out per event, and only rules repeating
daily or slower are accepted (`rule_clean`).
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_WINDOW = timedelta(days=800)
MAX_OCCURRENCES = 500
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# Finding the end of a COUNT/UNTIL rule looks this far at most.
HORIZON = timedelta(days=366 * 20)


def _parts(value: str) -> dict[str, str]:
    parts = {}
    for chunk in value.strip().removeprefix("RRULE:").split(";"):
        if "=" in chunk:
            key, _sep, val = chunk.partition("=")
            parts[key.strip().upper()] = val.strip()
    return parts


def _rule(value: str, first: datetime) -> rrule:
    rule = rrulestr(value, dtstart=first)
    if not isinstance(rule, rrule):  # an RRULE value is one rule, never a set
        raise ValueError("not a single rule")
    return rule


def rule_clean(value: str, *, first_start: datetime, zone: str) -> tuple[str, datetime | None]:
    """A rule as stored (UNTIL in UTC) and the UTC start of its last occurrence (None
    when it repeats forever); ValidationError when it cannot be used."""
    parts = _parts(value)
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            _("Only daily, weekly, monthly or yearly repetition is supported (got %(rule)s).")
            % {"rule": value[:80]}
        )
    tz = ZoneInfo(zone)
    until = parts.get("UNTIL")
    if until:
        try:
            if until.endswith("Z"):
                moment = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            elif "T" in until:
                moment = datetime.strptime(until, "%Y%m%dT%H%M%S").replace(tzinfo=tz)
            else:  # a date: the whole of that day in the event's zone
                day = datetime.strptime(until, "%Y%m%d")
                moment = (day + timedelta(days=1) - timedelta(seconds=1)).replace(tzinfo=tz)
        except ValueError as error:
            raise ValidationError(
                _("The rule's UNTIL is not a date: %(v)s") % {"v": until}
            ) from error
        parts["UNTIL"] = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    parts.pop("DTSTART", None)
    cleaned = ";".join(f"{key}={val}" for key, val in parts.items())
    first = first_start.astimezone(tz)
    try:
        rule = _rule(cleaned, first)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("The repetition rule cannot be read: %(rule)s") % {"rule": value[:80]}
        ) from error
    last = None
    if "COUNT" in parts or "UNTIL" in parts:
        found = rule.before(first + HORIZON, inc=True)
        last = found.astimezone(UTC) if found else first.astimezone(UTC)
    return cleaned, last


def exdate_key(instant: datetime, zone: str) -> str:
    """How a skipped start is stored: its local wall-clock time in the event's zone."""
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def occurrence_starts(
    *,
    rule: str,
    first_start: datetime,
    zone: str,
    duration: timedelta,
    start: datetime,
    end: datetime,
    exdates: list[str] | tuple[str, ...] = (),
    skip: set[datetime] | frozenset[datetime] = frozenset(),
) -> list[datetime]:
    """UTC starts of the occurrences that overlap [start, end), in order: EXDATEs (local
    wall-clock keys) and `skip` (UTC starts replaced by moved occurrences) left out."""
    end = min(end, start + MAX_WINDOW)
    tz = ZoneInfo(zone)
    first = first_start.astimezone(tz)
    try:
        expanded = _rule(rule, first)
    except (ValueError, TypeError):
        return []
    skipped = set(exdates)
    starts = []
    for local in expanded.xafter(
        max(first, (start - duration).astimezone(tz) - timedelta(days=1)), inc=True
    ):
        instant = local.astimezone(UTC)
        if instant >= end or len(starts) >= MAX_OCCURRENCES:
            break
        if instant + duration <= start and not (duration == timedelta(0) and instant == start):
            continue
        if local.strftime("%Y-%m-%dT%H:%M") in skipped or instant in skip:
            continue
        starts.append(instant)
    return starts
