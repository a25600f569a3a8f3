"""Time zones: validation, and showing an instant to a person in their zone.

Every time shown to a person names the zone and its UTC offset at that instant,
e.g. ``Tue 30 Mar 2027, 14:30 (Asia/Manila, UTC+8)``.
"""

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

DEFAULT_ZONE = "UTC"


def display_format() -> str:
    # Translators: Django date format of an instant shown with its zone.
    # French uses "D j F Y, H:i".
    return pgettext("date format", "D j M Y, H:i")


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Canonical IANA names people choose from (no legacy aliases like 'US/Eastern')."""
    names = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    }
    names.add("UTC")
    return tuple(sorted(names))


def is_valid_zone(name: str | None) -> bool:
    if not name or len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in known_zones()


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    """Every zone this machine knows (scanning the tz database costs 5-10 ms a call)."""
    return frozenset(available_timezones()) | {"UTC"}


def validate_zone(value: str) -> None:
    if not is_valid_zone(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a known time zone. "
                "Choose one like Asia/Manila or Africa/Nairobi."
            ),
            code="invalid_time_zone",
            params={"value": value},
        )


def format_offset(offset: timedelta) -> str:
    """UTC+8, UTC+5:45, UTC-3:30, UTC+0."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def to_zone(instant: datetime, zone: str | ZoneInfo) -> datetime:
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return instant.astimezone(tz)


def format_instant(instant: datetime, zone: str | ZoneInfo, fmt: str | None = None) -> str:
    """The instant in `zone`, with the zone named: 'Tue 30 Mar 2027, 14:30 (Asia/Manila, UTC+8)'.

    Weekday and month names follow the active language.
    """
    local = to_zone(instant, zone)
    name = zone.key if isinstance(zone, ZoneInfo) else zone
    shown = dateformat.format(local, fmt or display_format())
    return f"{shown} ({name}, {format_offset(local.utcoffset() or timedelta(0))})"


def local_to_utc(naive: datetime, zone: str) -> datetime:
    """A wall-clock time in `zone` → the UTC instant; refuses times DST skips or repeats."""
    tz = ZoneInfo(zone)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if round_trip != naive:
            raise ValidationError(
                _(
                    "%(time)s does not exist in %(zone)s: the clocks skip it when daylight "
                    "saving time starts. Choose another time."
                ),
                code="nonexistent_time",
                params={"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": zone},
            )
        raise ValidationError(
            _(
                "%(time)s happens twice in %(zone)s because the clocks go back. "
                "Choose a time that is not ambiguous."
            ),
            code="ambiguous_time",
            params={"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": zone},
        )
    return first.astimezone(UTC)
