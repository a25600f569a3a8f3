"""Time zones: validation, and showing an instant to a person in their zone.

Every time shown to a person names the zone and its UTC offset at that instant,
e.g. ``Tue 30 Mar 2027, 14:30 (Asia/Manila, UTC+8)``.
"""

import unicodedata
from datetime import UTC, datetime, timedelta
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

DEFAULT_ZONE = "UTC"


def display_format() -> str:
    # Translators: Django date format of an instant shown with its zone.
    # French uses "D j F Y, H:i".
    return pgettext("date format", "D j M Y, H:i")


def _tz_file(name: str) -> str:
    """A text file of the tz database (zone.tab, tzdata.zi): from the `tzdata` package,
    else from the system's zoneinfo directory; empty if neither has it."""
    try:
        return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        pass
    for folder in TZPATH:
        path = Path(folder) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


@lru_cache(maxsize=1)
def _zone_table() -> tuple[tuple[str, str], ...]:
    """(country code, zone) rows of zone.tab: one row per zone a country uses, named
    the way the tz database names it today (Asia/Kolkata, Europe/Oslo)."""
    rows = []
    for line in _tz_file("zone.tab").splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_comment = line.split("\t")
            rows.append((code, zone))
    return tuple(rows)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Canonical IANA names people choose from: the zones of zone.tab and UTC; no legacy
    aliases (Asia/Calcutta, US/Eastern) — `canonical_zone` maps those."""
    names = {zone for _code, zone in _zone_table() if zone in known_zones()}
    if not names:  # no zone.tab anywhere: every region/city name this machine knows
        names = {
            name
            for name in known_zones()
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right"))
        }
    names.add(DEFAULT_ZONE)
    return tuple(sorted(names))


@lru_cache(maxsize=1)
def country_zones() -> dict[str, tuple[str, ...]]:
    """Country code → its zones (PH → Asia/Manila; BR → 16 zones)."""
    zones: dict[str, list[str]] = {}
    for code, zone in _zone_table():
        zones.setdefault(code, []).append(zone)
    return {code: tuple(names) for code, names in zones.items()}


# Where tzdata's links point across a border (the clocks agree, the city does not): the
# name a person there knows. Everything else comes from the data (`_aliases`).
_ALIAS_CORRECTIONS = {
    "Africa/Timbuktu": "Africa/Bamako",
    "America/Coral_Harbour": "America/Atikokan",
    "America/Virgin": "America/St_Thomas",
    "Atlantic/Jan_Mayen": "Arctic/Longyearbyen",
    "Iceland": "Atlantic/Reykjavik",
    "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Yap": "Pacific/Chuuk",
}


def _city(name: str) -> str:
    return name.rsplit("/", 1)[-1].lower()


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Every other name this machine knows → the canonical name shown and stored.

    tzdata's links (the `L target alias` lines of tzdata.zi) say which zone an old name
    follows; zone.tab says which names are current. A link's target may be another
    country's zone with the same clocks (Africa/Asmera → Africa/Nairobi), so among the
    current names that follow the same target the one spelt most like the alias wins
    (Africa/Asmara), else the target itself.
    """
    links = {}
    for line in _tz_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _tag, target, alias = line.split()
            links[alias] = target

    def final(name: str) -> str:
        for _hop in range(8):
            if name not in links:
                break
            name = links[name]
        return name

    canonical = set(zone_names())
    followers: dict[str, list[str]] = {}
    for name in sorted(canonical):
        followers.setdefault(final(name), []).append(name)
    aliases = {}
    for name in known_zones() - canonical:
        target = final(name)
        if target in {"Etc/UTC", "Etc/GMT"}:
            aliases[name] = DEFAULT_ZONE
            continue
        if name not in links:
            continue  # a zone of its own outside zone.tab (Etc/GMT+5, EST5EDT): itself
        candidates = followers.get(target, [])
        best = max(
            candidates,
            key=lambda c: SequenceMatcher(None, _city(name), _city(c)).ratio(),
            default=None,
        )
        if best and SequenceMatcher(None, _city(name), _city(best)).ratio() >= 0.6:
            aliases[name] = best
        elif target in canonical:
            aliases[name] = target
        elif len(candidates) == 1:
            aliases[name] = candidates[0]
    for alias, name in _ALIAS_CORRECTIONS.items():
        if alias in aliases and name in canonical:
            aliases[alias] = name
    return aliases


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip()).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").split()).replace(" / ", "/")


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, str], dict[str, str]]:
    """Exact names → canonical, and folded names or bare cities → canonical (a city that
    names two different zones is left out)."""
    exact = {name: name for name in known_zones()}
    exact.update({name: name for name in zone_names()})
    exact.update(_aliases())
    loose: dict[str, str] = {}
    clashes: set[str] = set()
    for name, canonical in exact.items():
        loose.setdefault(_folded(name), canonical)
        city = _folded(_city(name))
        if city in loose and loose[city] != canonical:
            clashes.add(city)
        loose.setdefault(city, canonical)
    for city in clashes:
        loose.pop(city, None)
    return exact, loose


def canonical_zone(name: str | None) -> str | None:
    """The zone to show and store for what a person or a browser gave: the canonical
    name for an alias (Asia/Calcutta → Asia/Kolkata, Asia/Katmandu → Asia/Kathmandu),
    tolerant of case, spaces and a bare city ("kathmandu"); None if it is no zone."""
    if not name or len(name) > 64:
        return None
    exact, loose = _lookup()
    return exact.get(name) or loose.get(_folded(name))


REGION_LABELS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}


def zone_region(name: str) -> str:
    """The region a picker groups a zone under: the first part of its name."""
    return name.split("/", 1)[0] if "/" in name else ""


def zone_label(name: str, at: datetime) -> str:
    """What a picker shows for a zone: 'Manila (UTC+8)', 'Argentina / Buenos Aires (UTC-3)'."""
    place = name.split("/", 1)[-1].replace("_", " ").replace("/", " / ")
    offset = to_zone(at, name).utcoffset() or timedelta(0)
    return f"{place} ({format_offset(offset)})"


def zone_groups(names, at: datetime) -> list[tuple[str, list[tuple[str, str]]]]:
    """`names` grouped by region (in REGION_LABELS order, UTC first, ungrouped), each
    as (zone, label) sorted by label: [("", [("UTC", "UTC (UTC+0)")]), ("Asia", [...])]."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in names:
        groups.setdefault(zone_region(name), []).append((name, zone_label(name, at)))
    order = ["", *REGION_LABELS]
    return [
        (str(REGION_LABELS.get(region, region)), sorted(groups[region], key=lambda z: z[1]))
        for region in sorted(groups, key=lambda r: order.index(r) if r in order else 99)
    ]


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
        raise _unknown_zone(value)


def clean_zone(value: str) -> str:
    """The canonical name of a zone a person gave (see `canonical_zone`), or a clear error."""
    zone = canonical_zone(value)
    if zone is None:
        raise _unknown_zone(value[:64])
    return zone


def _unknown_zone(value: str) -> ValidationError:
    return ValidationError(
        _("“%(value)s” is not a known time zone. Choose one like Asia/Manila or Africa/Nairobi."),
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


def zone_catalogue(at: datetime) -> dict:
    """Every zone a picker offers, grouped by region with its offset at `at`, and the
    old names that lead to each (so a search for "Calcutta" finds Asia/Kolkata)."""
    return {
        "groups": [
            {"label": label, "zones": [[zone, text] for zone, text in zones]}
            for label, zones in zone_groups(zone_names(), at)
        ],
        "aliases": dict(sorted(_aliases().items())),
    }
