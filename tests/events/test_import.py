"""ICS import: real-layout Google and Outlook exports, the same file twice, cancellations,
bad input refused with where and why, and the import_calendar command's contract."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from events.models import Event
from events.services.imports import CalendarUnreadable, calendar_import

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def _run(path, organization="kenya-sp"):
    out = StringIO()
    call_command("import_calendar", str(path), organization=organization, json=True, stdout=out)
    return json.loads(out.getvalue())


def _ics(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{head}{body}END:VCALENDAR\r\n"
    ).encode()


def test_a_google_export_imports_with_its_zones_recurrence_and_all_day_events(organization):
    result = _run(FIXTURES / "google_export.ics")
    assert result == {"created": 4, "updated": 0, "cancelled": 1, "unchanged": 0, "errors": []}
    dialogue = Event.objects.get(title="Regional dialogue on cash transfers")
    # UTC in the file, the calendar's X-WR-TIMEZONE is the zone it was meant in.
    assert dialogue.zone == "Africa/Nairobi"
    assert dialogue.starts_at == datetime(2027, 3, 15, 7, 0, tzinfo=UTC)
    assert dialogue.location == "KICC, Harambee Avenue, Nairobi, Kenya"
    assert "arid counties" in dialogue.description_html  # the folded line is whole again
    course = Event.objects.get(title="Course: social registries (weekly)")
    assert course.zone == "Europe/Berlin"
    assert course.rrule.startswith("FREQ=WEEKLY")
    assert course.exdates == ["2027-04-05T09:00"]
    moved = Event.objects.get(recurrence_of=course)
    assert moved.recurrence_id == datetime(2027, 4, 12, 7, 0, tzinfo=UTC)
    tour = Event.objects.get(title__startswith="Study tour")
    # DTEND of an all-day event is exclusive: 20–22 May, three days, in Nairobi's zone.
    assert tour.all_day and tour.zone == "Africa/Nairobi"
    assert tour.starts_at == datetime(2027, 5, 19, 21, 0, tzinfo=UTC)
    assert (tour.ends_at - tour.starts_at).days == 3
    assert Event.objects.get(title__startswith="Call with donors").status == "cancelled"
    assert set(Event.objects.values_list("review", flat=True)) == {"approved"}
    assert all(e.organizations.filter(pk=organization.pk).exists() for e in Event.objects.all())


def test_an_outlook_export_in_windows_1252_with_windows_zone_names(organization):
    result = _run(FIXTURES / "outlook_export.ics")
    assert result["created"] == 3 and result["errors"] == []
    pensions = Event.objects.get(title="Workshop on universal pensions")
    assert pensions.zone == "Asia/Kolkata"  # TZID "India Standard Time"
    assert pensions.starts_at == datetime(2027, 3, 10, 4, 30, tzinfo=UTC)
    dakar = Event.objects.get(title="Séminaire régional – Dakar")  # cp1252 decoded
    assert dakar.venue is not None and dakar.venue.zone == "Africa/Dakar"
    assert dakar.zone == "Africa/Dakar" and not dakar.online
    clinic = Event.objects.get(title="Registry clinic")
    assert clinic.zone == "Europe/Berlin" and clinic.online  # "Microsoft Teams Meeting"
    assert clinic.repeats_until == datetime(2027, 8, 3, 7, 0, tzinfo=UTC)  # COUNT=6


def test_the_same_file_twice_changes_nothing(organization):
    _run(FIXTURES / "google_export.ics")
    stamps = dict(Event.objects.values_list("pk", "updated_at"))
    again = _run(FIXTURES / "google_export.ics")
    assert again == {"created": 0, "updated": 0, "cancelled": 0, "unchanged": 5, "errors": []}
    assert dict(Event.objects.values_list("pk", "updated_at")) == stamps


def test_sequence_and_last_modified_decide_updates_and_a_cancellation_is_kept(organization):
    first = "UID:a@x\r\nDTSTART:20270310T100000Z\r\nSEQUENCE:1\r\nSUMMARY:First title"
    calendar_import(organization=organization, data=_ics(first))
    stale = "UID:a@x\r\nDTSTART:20270310T100000Z\r\nSEQUENCE:0\r\nSUMMARY:Older title"
    assert calendar_import(organization=organization, data=_ics(stale)).unchanged == 1
    newer = "UID:a@x\r\nDTSTART:20270311T100000Z\r\nSEQUENCE:2\r\nSUMMARY:Moved"
    assert calendar_import(organization=organization, data=_ics(newer)).updated == 1
    event = Event.objects.get(uid="a@x")
    assert (event.title, event.sequence) == ("Moved", 2)
    cancel = newer.replace("SEQUENCE:2", "SEQUENCE:3") + "\r\nSTATUS:CANCELLED"
    result = calendar_import(organization=organization, data=_ics(cancel))
    assert (result.cancelled, result.updated) == (1, 0)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED  # kept, never deleted


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Subject: hello\r\n\r\nnot a calendar", "not an iCalendar file"),
        (_ics("UID:a@x\r\nDTSTART:20270310T100000Z")[:-20], "truncated"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VCALENDAR\r\n", "damaged"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(organization, data, reason):
    with pytest.raises(CalendarUnreadable, match=reason):
        calendar_import(organization=organization, data=data)
    assert not Event.objects.exists()


def test_bad_events_are_refused_with_line_uid_and_reason_and_the_rest_applied(organization):
    data = _ics(
        "UID:good@x\r\nDTSTART:20270310T100000Z\r\nSUMMARY:Good",
        "UID:nostart@x\r\nSUMMARY:No start",
        "UID:mars@x\r\nDTSTART;TZID=Mars/Olympus:20270310T100000\r\nSUMMARY:Mars",
        "UID:fast@x\r\nDTSTART:20270310T100000Z\r\nRRULE:FREQ=SECONDLY\r\nSUMMARY:Fast",
        "DTSTART:20270310T100000Z\r\nSUMMARY:No UID",
    )
    result = calendar_import(organization=organization, data=data)
    assert result.created == 1
    assert result.errors == [
        {"where": "line 9 (UID nostart@x)", "reason": "no DTSTART"},
        {"where": "line 13 (UID mars@x)", "reason": "unknown time zone “Mars/Olympus”"},
        {
            "where": "line 18 (UID fast@x)",
            "reason": "Only daily, weekly, monthly or yearly repetition is supported "
            "(got FREQ=SECONDLY).",
        },
        {"where": "line 24", "reason": "no UID"},
    ]


def test_floating_times_and_thunderbird_zone_names(organization):
    data = _ics(
        "UID:float@x\r\nDTSTART:20270310T100000\r\nSUMMARY:Floating",
        "UID:tb@x\r\nDTSTART;TZID=/mozilla.org/20070129_1/Europe/Berlin:20270710T100000"
        "\r\nSUMMARY:Thunderbird",
    )
    calendar_import(organization=organization, data=data, default_zone="Asia/Manila")
    floating = Event.objects.get(uid="float@x")
    assert (floating.zone, floating.starts_at.hour) == ("Asia/Manila", 2)
    thunderbird = Event.objects.get(uid="tb@x")
    assert (thunderbird.zone, thunderbird.starts_at.hour) == ("Europe/Berlin", 8)


def test_the_command_refuses_an_unknown_organization_or_file_with_exit_2(organization, tmp_path):
    with pytest.raises(CommandError) as error:
        _run(FIXTURES / "google_export.ics", organization="nobody")
    assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        _run(tmp_path / "missing.ics")
    assert error.value.returncode == 2


def test_the_command_exits_2_with_one_line_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_calendar", str(bad), "--organization", "x", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "truncated" in lines[0] and "Traceback" not in done.stderr


def test_the_command_refuses_an_unknown_zone_and_prints_a_summary_without_json(organization):
    with pytest.raises(CommandError) as error:
        call_command(
            "import_calendar",
            str(FIXTURES / "outlook_export.ics"),
            organization="kenya-sp",
            zone="Mars/Olympus",
        )
    assert error.value.returncode == 2
    out = StringIO()
    call_command(
        "import_calendar",
        str(FIXTURES / "outlook_export.ics"),
        organization="kenya-sp",
        stdout=out,
    )
    assert out.getvalue().strip() == "created 3, updated 0, cancelled 0, unchanged 0, refused 0"


def test_the_command_reads_the_file_once(organization, monkeypatch):
    # The command refuses an unreadable file before touching the database, then imports
    # what it read: the calendar is parsed once, not once to check and again to import.
    from icalendar import Calendar

    parsed = []
    read = Calendar.from_ical.__func__

    def counted(cls, *args, **kwargs):
        parsed.append(1)
        return read(cls, *args, **kwargs)

    monkeypatch.setattr(Calendar, "from_ical", classmethod(counted))
    assert _run(FIXTURES / "outlook_export.ics")["created"] == 3
    assert len(parsed) == 1
