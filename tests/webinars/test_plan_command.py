"""`manage.py plan_webinar_slots`: the JSON contract, exit code 2 naming the argument."""

import json
import subprocess
import sys
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.servers import ROOT
from webinars.models import Registration, Session, Webinar
from webinars.regions import region_countries

CONTRACT = [
    "--audience", "IN=40,ID=20,PH=15,KE=15,BR=10", "--date", "2027-03-29",
    "--duration", "90", "--window", "08:00-21:00", "--preferred", "09:00-17:00",
    "--step", "30", "--json",
]  # fmt: skip
COUNTRY_KEYS = {
    "country", "zone", "weight", "local_start", "local_end", "window", "weekend", "holiday",
}  # fmt: skip


def run(*args) -> str:
    out = StringIO()
    call_command("plan_webinar_slots", *args, stdout=out)
    return out.getvalue()


def plan_json(*args) -> dict:
    return json.loads(run(*args))


def test_contract_example_keys_types_and_order():
    data = plan_json(*CONTRACT)
    assert set(data) == {"candidates", "pair"}
    assert data["pair"] is None
    candidates = data["candidates"]
    assert len(candidates) == 48  # 00:00Z up to 24:00Z every 30 minutes
    starts = sorted(c["start_utc"] for c in candidates)
    assert starts[0] == "2027-03-29T00:00:00Z" and starts[-1] == "2027-03-29T23:30:00Z"
    for candidate in candidates:
        assert set(candidate) == {"start_utc", "score", "countries"}
        assert isinstance(candidate["score"], float) or candidate["score"] in (0, 1)
        assert 0 <= candidate["score"] <= 1
        datetime.strptime(candidate["start_utc"], "%Y-%m-%dT%H:%M:%SZ")
        for row in candidate["countries"]:
            assert set(row) == COUNTRY_KEYS
            assert isinstance(row["weight"], float)
            assert datetime.fromisoformat(row["local_start"]).utcoffset() is not None
            assert datetime.fromisoformat(row["local_end"]).utcoffset() is not None
            assert row["window"] in {"preferred", "acceptable", "outside"}
            assert isinstance(row["weekend"], bool)
            assert row["holiday"] is None or isinstance(row["holiday"], str)
    order = [(-c["score"], c["start_utc"]) for c in candidates]
    assert order == sorted(order)
    best = candidates[0]
    assert (best["start_utc"], best["score"]) == ("2027-03-29T06:00:00Z", 0.9)
    assert best["countries"][0]["local_start"] == "2027-03-29T11:30:00+05:30"
    kenya = next(row for row in best["countries"] if row["country"] == "KE")
    assert kenya["holiday"] == "Easter Monday"
    assert {row["country"] for row in best["countries"]} == {"IN", "ID", "PH", "KE", "BR"}


def test_pair_printed_when_best_is_below_seventy_percent():
    data = plan_json(
        "--audience", "IN=50,CO=50", "--date", "2027-03-29", "--duration", "60",
        "--window", "08:00-19:00", "--json",
    )  # fmt: skip
    pair = data["pair"]
    assert set(pair) == {"sessions", "score", "assignment"}
    assert [s["start_utc"] for s in pair["sessions"]] == [
        "2027-03-29T03:30:00Z",
        "2027-03-29T14:00:00Z",
    ]
    assert pair["score"] == 1.0
    assert pair["assignment"] == {"IN": 0, "CO": 1}


def test_days_range_and_panelist():
    data = plan_json(
        "--audience", "IN=1", "--date", "2027-03-29", "--until", "2027-04-01",
        "--step", "15", "--panelist", "Europe/Paris=09:00-18:00", "--json",
    )  # fmt: skip
    starts = {c["start_utc"][:10] for c in data["candidates"]}
    assert starts == {"2027-03-29", "2027-03-30", "2027-03-31", "2027-04-01"}
    assert len(data["candidates"]) == 4 * 31  # 07:00Z-14:30Z each day (Paris on CEST)


def test_region_preset():
    data = plan_json("--region", "South Asia", "--date", "2027-03-29", "--json")
    countries = {row["country"] for row in data["candidates"][0]["countries"]}
    assert countries == set(region_countries("south_asia"))


def test_readable_table_without_json():
    output = run(*[arg for arg in CONTRACT if arg != "--json"])
    assert output.startswith("Top 10 starts (UTC), best first:")
    assert " 1. Mon 2027-03-29 06:00Z   90.0%" in output
    assert "IN Asia/Kolkata Mon 11:30–13:00 preferred" in output
    assert "KE Africa/Nairobi Mon 09:00–10:30 preferred H Easter Monday" in output


@pytest.mark.django_db
def test_from_webinar_counts_registrants_per_country():
    webinar = Webinar.objects.create(slug="cash-transfers", title="Cash transfers")
    session = Session.objects.create(webinar=webinar, starts_at=timezone.now())
    rows = [("IN", "confirmed")] * 3 + [
        ("KE", "waitlisted"),
        ("BR", "cancelled"),
        ("", "confirmed"),
    ]
    for index, (country, status) in enumerate(rows):
        Registration.objects.create(
            webinar=webinar,
            session=session,
            email=f"person{index}@example.org",
            full_name=f"Person {index}",
            status=status,
            created_at=timezone.now(),
            status_changed_at=timezone.now(),
            country=country,
        )
    data = plan_json("--from-webinar", "cash-transfers", "--date", "2027-03-29", "--json")
    weights = {row["country"]: row["weight"] for row in data["candidates"][0]["countries"]}
    assert weights == {"IN": 3.0, "KE": 1.0}
    overridden = plan_json(
        "--from-webinar", "cash-transfers", "--audience", "KE=5", "--date", "2027-03-29", "--json"
    )
    weights = {row["country"]: row["weight"] for row in overridden["candidates"][0]["countries"]}
    assert weights == {"IN": 3.0, "KE": 5.0}


@pytest.mark.django_db
def test_unknown_webinar_exits_2_naming_the_argument():
    with pytest.raises(CommandError) as error:
        run("--from-webinar", "no-such-webinar", "--date", "2027-03-29")
    assert error.value.returncode == 2
    assert "--from-webinar" in str(error.value)


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        (["--audience", "IN=40,XX=5"], "--audience"),
        (["--audience", "IN=forty"], "--audience"),
        ([], "--audience"),
        (["--audience", "IN=1", "--window", "21:00-08:00"], "--window"),
        (["--audience", "IN=1", "--window", "8h-21h"], "--window"),
        (["--audience", "IN=1", "--preferred", "07:00-17:00"], "--preferred"),
        (["--audience", "IN=1", "--days", "15"], "--days"),
        (["--audience", "IN=1", "--until", "2027-05-01"], "--until"),
        (["--audience", "IN=1", "--duration", "0"], "--duration"),
        (["--region", "Atlantis"], "--region"),
        (["--audience", "IN=1", "--panelist", "Mars/Olympus"], "--panelist"),
        (["--audience", "IN=1", "--panelist", "Asia/Manila=9-5"], "--panelist"),
    ],
)
def test_invalid_input_exits_2_naming_the_argument(args, argument):
    with pytest.raises(CommandError) as error:
        run(*args, "--date", "2027-03-29")
    assert error.value.returncode == 2
    assert str(error.value).startswith(argument)


def test_bad_date_names_the_argument():
    with pytest.raises(CommandError) as error:
        run("--audience", "IN=1", "--date", "2027-02-30")
    assert error.value.returncode == 2
    assert "--date" in str(error.value)


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        (["--audience", "IN=40,ZZ=5"], "--audience"),
        (["--audience", "IN=1", "--window", "25:00-26:00"], "--window"),
        (["--audience", "IN=1", "--step", "20"], "--step"),
    ],
)
def test_command_line_exit_code_is_2(args, argument):
    completed = subprocess.run(
        [sys.executable, "manage.py", "plan_webinar_slots", "--date", "2027-03-29", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert argument in completed.stderr
    assert completed.stdout == ""
