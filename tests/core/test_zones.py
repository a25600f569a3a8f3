from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone, translation

from core.zones import format_instant, is_valid_zone, validate_zone


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        (utc(2027, 3, 30, 6, 30), "Asia/Manila", "Tue 30 Mar 2027, 14:30 (Asia/Manila, UTC+8)"),
        (
            utc(2027, 3, 30, 6, 30),
            "Asia/Kathmandu",
            "Tue 30 Mar 2027, 12:15 (Asia/Kathmandu, UTC+5:45)",
        ),
        (
            utc(2027, 3, 30, 6, 30),
            "Asia/Kolkata",
            "Tue 30 Mar 2027, 12:00 (Asia/Kolkata, UTC+5:30)",
        ),
        (
            utc(2027, 3, 30, 6, 30),
            "America/Sao_Paulo",
            "Tue 30 Mar 2027, 03:30 (America/Sao_Paulo, UTC-3)",
        ),
        (
            utc(2027, 3, 30, 6, 30),
            "America/St_Johns",
            "Tue 30 Mar 2027, 04:00 (America/St_Johns, UTC-2:30)",
        ),
        (utc(2027, 3, 30, 6, 30), "UTC", "Tue 30 Mar 2027, 06:30 (UTC, UTC+0)"),
        # Europe/London moves to summer time at 01:00Z on Sun 28 Mar 2027.
        (utc(2027, 3, 28, 0, 59), "Europe/London", "Sun 28 Mar 2027, 00:59 (Europe/London, UTC+0)"),
        (utc(2027, 3, 28, 1, 0), "Europe/London", "Sun 28 Mar 2027, 02:00 (Europe/London, UTC+1)"),
        # Adelaide: +10:30 in the southern summer, +9:30 in winter.
        (
            utc(2027, 1, 15, 0, 0),
            "Australia/Adelaide",
            "Fri 15 Jan 2027, 10:30 (Australia/Adelaide, UTC+10:30)",
        ),
        (
            utc(2027, 7, 15, 0, 0),
            "Australia/Adelaide",
            "Thu 15 Jul 2027, 09:30 (Australia/Adelaide, UTC+9:30)",
        ),
        # Chatham Islands: +13:45 in summer.
        (
            utc(2027, 1, 15, 0, 0),
            "Pacific/Chatham",
            "Fri 15 Jan 2027, 13:45 (Pacific/Chatham, UTC+13:45)",
        ),
    ],
)
def test_format_instant_names_zone_and_offset(instant, zone, expected):
    with translation.override("en"):
        assert format_instant(instant, zone) == expected


def test_weekday_and_month_follow_the_language():
    with translation.override("fr"):
        text = format_instant(utc(2027, 3, 30, 6, 30), "Africa/Dakar")
    assert text == "mar 30 mars 2027, 06:30 (Africa/Dakar, UTC+0)"
    with translation.override("es"):
        text = format_instant(utc(2027, 3, 30, 6, 30), "America/Lima")
    assert text.endswith("(America/Lima, UTC-5)")
    assert text == "mar 30 Mar 2027, 01:30 (America/Lima, UTC-5)"


def test_filter_uses_the_active_zone_or_an_explicit_one():
    template = Template('{% load zones %}{{ when|in_zone }} | {{ when|in_zone:"Asia/Manila" }}')
    with translation.override("en"), timezone.override(ZoneInfo("Asia/Kathmandu")):
        out = template.render(Context({"when": utc(2027, 3, 30, 6, 30)}))
    assert out == (
        "Tue 30 Mar 2027, 12:15 (Asia/Kathmandu, UTC+5:45) | "
        "Tue 30 Mar 2027, 14:30 (Asia/Manila, UTC+8)"
    )


@pytest.mark.parametrize("name", ["Asia/Kathmandu", "America/Argentina/Buenos_Aires", "UTC"])
def test_valid_zones(name):
    assert is_valid_zone(name)
    validate_zone(name)


@pytest.mark.parametrize(
    "name", ["", "Mars/Olympus", "asia/manila ", "../../etc/passwd", "Asia/" + "x" * 80, "+08:00"]
)
def test_invalid_zones_are_refused_with_a_clear_message(name):
    assert not is_valid_zone(name)
    with pytest.raises(ValidationError) as excinfo:
        validate_zone(name)
    assert "is not a known time zone" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("Asia/Katmandu", "Asia/Kathmandu"),  # what Chrome reports in Nepal
        ("Asia/Calcutta", "Asia/Kolkata"),  # ... and in India
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Africa/Asmera", "Africa/Asmara"),  # not Africa/Nairobi, whose clock it follows
        ("US/Eastern", "America/New_York"),
        ("Etc/UTC", "UTC"),
        ("Asia/Manila", "Asia/Manila"),
        ("Europe/Oslo", "Europe/Oslo"),  # a current name stays, though tzdata links it
        ("kathmandu", "Asia/Kathmandu"),  # typed by a person: a city, any case
        ("  Asia/manila ", "Asia/Manila"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Calcutta", "Asia/Kolkata"),
    ],
)
def test_old_names_and_typed_cities_become_the_canonical_zone(given, shown):
    from core.zones import canonical_zone

    assert canonical_zone(given) == shown


@pytest.mark.parametrize(
    "name", ["", None, "Mars/Olympus", "../../etc/passwd", "Asia/" + "x" * 80, "<script>", "+08:00"]
)
def test_what_is_no_zone_has_no_canonical_name(name):
    from core.zones import canonical_zone

    assert canonical_zone(name) is None


def test_the_pickers_offer_canonical_names_only_grouped_by_region_with_offsets():
    from core.zones import zone_groups, zone_names

    names = zone_names()
    assert "Asia/Kolkata" in names and "Asia/Calcutta" not in names
    assert "Asia/Katmandu" not in names and "US/Eastern" not in names
    assert 380 < len(names) < 450  # zone.tab's zones, not the 590 names of every alias
    groups = dict(zone_groups(names, utc(2027, 1, 15, 0, 0)))
    assert ("Asia/Kathmandu", "Kathmandu (UTC+5:45)") in groups["Asia"]
    assert ("America/Argentina/Buenos_Aires", "Argentina / Buenos Aires (UTC-3)") in groups[
        "Americas"
    ]
    assert groups[""] == [("UTC", "UTC (UTC+0)")]
