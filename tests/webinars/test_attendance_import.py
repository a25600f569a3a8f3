"""Importing platform reports: each format from realistic files, rejoins merged, people
matched by email, walk-ins kept, the command's contract, and re-imports changing nothing."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.webinars.test_attendance_support import *  # noqa: F403 - the fixtures
from tests.webinars.test_attendance_support import (
    FIXTURES,
    SESSION_START,
    run,
    run_json,
    sample,
)
from webinars.attendance.dates import DateReader
from webinars.attendance.detection import read_report
from webinars.attendance.formats.base import parse_minutes
from webinars.attendance.merging import merge_intervals
from webinars.attendance.services import attendance_import_file
from webinars.models import Attendance, AttendanceImport

pytestmark = pytest.mark.django_db

CONTRACT_KEYS = ["format", "rows", "matched", "walk_ins", "attendees", "errors"]


def at(hour, minute, second=0):
    return datetime(2026, 4, 26, hour, minute, second, tzinfo=UTC)


def people(webinar):
    return {a.email.lower() or a.name: a for a in Attendance.objects.filter(webinar=webinar)}


@pytest.mark.parametrize(
    "name, extra, expected",
    [
        (
            "zoom_webinar_attendee_report.csv",
            [],
            {"format": "zoom-webinar", "rows": 8, "matched": 4, "walk_ins": 1, "attendees": 5},
        ),
        (
            "zoom_meeting_participants.csv",
            ["--tz", "Asia/Manila"],
            {"format": "zoom-meeting", "rows": 8, "matched": 3, "walk_ins": 2, "attendees": 5},
        ),
        (
            "teams_attendance_report.csv",
            [],
            {"format": "teams", "rows": 8, "matched": 4, "walk_ins": 1, "attendees": 5},
        ),
        (
            "goto_attendee_report.csv",
            [],
            {"format": "goto", "rows": 6, "matched": 3, "walk_ins": 1, "attendees": 4},
        ),
    ],
)
def test_each_format_is_detected_and_imported_with_the_json_contract(
    frozen, past_webinar, registrants, name, extra, expected
):
    out, err, code = run(past_webinar.slug, str(FIXTURES / name), *extra, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert list(summary) == CONTRACT_KEYS
    assert summary == {**expected, "errors": []}
    stored = people(past_webinar)
    assert len(stored) == expected["attendees"]
    maria = stored["maria.santos@dswd.gov.ph"]
    assert maria.registration.full_name == "Maria Santos"
    assert maria.first_join.replace(second=0) == at(6, 58)
    assert maria.last_leave.replace(second=0) == at(8, 30)
    assert 88 <= maria.minutes <= 90  # two stays, the gap between them not counted
    assert len(maria.intervals) == 2


def test_zoom_webinar_rejoins_overlaps_guests_absentees_and_the_cap(
    frozen, past_webinar, registrants
):
    run_json(past_webinar.slug, str(FIXTURES / "zoom_webinar_attendee_report.csv"))
    stored = people(past_webinar)
    maria = stored["maria.santos@dswd.gov.ph"]
    assert maria.minutes == 89  # 42:53 + 46:32
    assert maria.intervals == [
        ["2026-04-26T06:58:12Z", "2026-04-26T07:41:05Z"],
        ["2026-04-26T07:43:30Z", "2026-04-26T08:30:02Z"],
    ]
    amina = stored["amina.diallo@example.sn"]  # two devices at once: overlap counted once
    assert amina.intervals == [["2026-04-26T07:00:10Z", "2026-04-26T08:29:00Z"]]
    assert amina.minutes == 89
    assert stored["li.wei@example.cn"].minutes == 90  # two hours present, capped at the session
    juan = stored["juan.perez@mides.gub.uy"]  # the report writes Juan.Perez@MIDES.gub.uy
    assert juan.registration.email == "juan.perez@mides.gub.uy"
    assert juan.name == "Juan Pérez"  # the registration's name, not the nickname in session
    kofi = stored["kofi@lesdep.example.gh"]  # never registered: kept, with name and email
    assert kofi.registration is None and kofi.name == "Kofi Boateng" and kofi.guest
    assert kofi.country_name == "Ghana"
    assert kofi.minutes == 31  # 30 min 30 s, rounded half up
    assert "ravi.kumar@example.in" not in stored  # Attended = No
    assert {"host@kenya-sp.example", "ana.rios@cepal.example"}.isdisjoint(stored)


def test_an_older_zoom_webinar_export_without_guest_and_country_columns(frozen, webinar_factory):
    webinar = webinar_factory(starts_at=datetime(2020, 3, 28, 12, 0, tzinfo=UTC))
    summary = run_json(
        webinar.slug,
        str(FIXTURES / "zoom_webinar_attendee_report_2020.csv"),
        "--tz",
        "America/New_York",
    )
    assert summary == {
        "format": "zoom-webinar",
        "rows": 3,
        "matched": 0,
        "walk_ins": 1,
        "attendees": 1,
        "errors": [],
    }
    maria = Attendance.objects.get()
    assert maria.first_join == datetime(2020, 3, 28, 12, 7, 27, tzinfo=UTC)  # 08:07:27 EDT
    assert maria.minutes == 77


def test_zoom_meeting_report_in_the_zone_the_organizer_names(frozen, past_webinar, registrants):
    run_json(
        past_webinar.slug,
        str(FIXTURES / "zoom_meeting_participants.csv"),
        "--tz",
        "Asia/Manila",
    )
    stored = people(past_webinar)
    assert stored["maria.santos@dswd.gov.ph"].first_join == at(6, 58, 12)  # 14:58:12 Manila
    # Juan's row was re-saved from a spreadsheet as 2026-04-26 15:05:00: same zone, read too
    assert stored["juan.perez@mides.gub.uy"].first_join == at(7, 5)
    # Amina's rejoin without email (as a guest) is hers: the same name, in the same file
    assert stored["amina.diallo@example.sn"].minutes == 89
    # the phone caller and the guest on an iPhone stay, by name
    assert {"+254 712 345 678", "iPhone de Kofi"} <= set(stored)
    assert "host@kenya-sp.example" not in stored  # the meeting's host is not an attendee


def test_without_tz_the_sessions_host_zone_is_used(frozen, past_webinar, registrants):
    """The same Manila file read as Nairobi time lands five hours late (and the preview
    warns); the import still goes through, as the organizer asked."""
    from webinars.attendance.services import preview_report

    session = past_webinar.sessions.get()
    preview = preview_report(
        session=session, content=sample("zoom_meeting_participants.csv"), zone="Africa/Nairobi"
    )
    assert preview.people[0].first_join == at(11, 58, 12)
    assert any("outside this session" in w for w in preview.warnings)


def test_teams_utf16_tab_separated_with_durations_and_roles(frozen, past_webinar, registrants):
    assert sample("teams_attendance_report.csv")[:2] == b"\xff\xfe"  # UTF-16 LE with a BOM
    run_json(past_webinar.slug, str(FIXTURES / "teams_attendance_report.csv"))
    stored = people(past_webinar)
    assert "host@kenya-sp.example" not in stored  # the organizer
    assert stored["amina.diallo@example.sn"].registration is not None  # a presenter attends
    guest = stored["Kofi Boateng"]  # "Kofi Boateng (Guest)", no email
    assert guest.registration is None and guest.guest and guest.email == ""
    assert stored["maria.santos@dswd.gov.ph"].minutes == 89


def test_the_pre_2021_teams_layout_of_join_and_leave_events(frozen, past_webinar):
    summary = run_json(past_webinar.slug, str(FIXTURES / "teams_attendance_report_2020.csv"))
    assert summary["format"] == "teams"
    assert summary["attendees"] == 3 and summary["walk_ins"] == 3  # no email to match on
    maria = Attendance.objects.get(name="Maria Santos")
    assert len(maria.intervals) == 2 and maria.minutes == 89


def test_goto_report_with_rejoins_and_absentees(frozen, past_webinar, registrants):
    run_json(past_webinar.slug, str(FIXTURES / "goto_attendee_report.csv"))
    stored = people(past_webinar)
    assert len(stored["maria.santos@dswd.gov.ph"].intervals) == 2
    assert stored["amina.diallo@example.sn"].registration is not None  # AMINA.DIALLO@…
    assert stored["kofi@lesdep.example.gh"].registration is None
    assert "ravi.kumar@example.in" not in stored


def test_importing_the_same_file_again_changes_nothing(frozen, past_webinar, registrants):
    path = str(FIXTURES / "zoom_webinar_attendee_report.csv")
    first = run_json(past_webinar.slug, path)
    before = list(Attendance.objects.order_by("pk").values())
    out, err, code = run(past_webinar.slug, path, "--json")
    assert code == 0
    assert json.loads(out) == first
    assert "nothing changed" in err
    assert list(Attendance.objects.order_by("pk").values()) == before
    assert AttendanceImport.objects.get().status == "applied"


def test_a_second_platforms_report_of_the_same_session_merges_without_duplicates(
    frozen, past_webinar, registrants
):
    run_json(past_webinar.slug, str(FIXTURES / "zoom_webinar_attendee_report.csv"))
    minutes = {a.person_key: a.minutes for a in Attendance.objects.all()}
    run_json(past_webinar.slug, str(FIXTURES / "teams_attendance_report.csv"))
    stored = Attendance.objects.all()
    # Teams' guest "Kofi Boateng" has no email but is the Kofi the Zoom report named
    assert stored.count() == 5
    assert {a.person_key: a.minutes for a in stored} == minutes  # the same stays, unioned
    assert AttendanceImport.objects.count() == 2


def test_a_webinar_with_several_sessions_needs_the_session_number(frozen, webinar_factory):
    webinar = webinar_factory(sessions=2, starts_at=SESSION_START)
    path = str(FIXTURES / "goto_attendee_report.csv")
    _out, err, code = run(webinar.slug, path)
    assert code == 1 and "--session 1…2" in err
    summary = run_json(webinar.slug, path, "--session", "1")
    assert summary["attendees"] == 4
    assert set(Attendance.objects.values_list("session__title", flat=True)) == {"Session 1"}
    _out, err, code = run(webinar.slug, path, "--session", "3")
    assert code == 1 and "between 1 and 2" in err


def test_unknown_webinar_zone_or_file_are_clear_errors(frozen, past_webinar):
    assert "No webinar" in run("nope", str(FIXTURES / "goto_attendee_report.csv"))[1]
    assert "Cannot read" in run(past_webinar.slug, "/nonexistent/report.csv")[1]
    _out, err, code = run(
        past_webinar.slug, str(FIXTURES / "goto_attendee_report.csv"), "--tz", "Mars/Olympus"
    )
    assert code == 1 and "not a known time zone" in err
    assert not AttendanceImport.objects.exists()


def test_skip_unreadable_imports_the_rest_and_lists_what_was_left_out(
    frozen, past_webinar, registrants
):
    out, err, code = run(
        past_webinar.slug,
        str(FIXTURES / "zoom_meeting_bad_date.csv"),
        "--tz",
        "Asia/Manila",
        "--skip-unreadable",
        "--json",
    )
    assert code == 0, err
    summary = json.loads(out)
    assert summary["errors"] == [
        {
            "line": 9,
            "reason": "Join Time “26 avril 2026 15h20” is not a date and time this importer "
            "reads (e.g. Mar 28, 2020 08:07:27 · 04/26/2026 10:45:17 AM).",
        }
    ]
    assert Attendance.objects.count() == summary["attendees"] == 4


def test_the_service_refuses_a_stranger(frozen, past_webinar, member_factory):
    from django.core.exceptions import PermissionDenied

    stranger = member_factory(role="partner_admin")
    with pytest.raises(PermissionDenied):
        attendance_import_file(
            session=past_webinar.sessions.get(),
            actor=stranger,
            content=sample("goto_attendee_report.csv"),
        )
    assert not AttendanceImport.objects.exists()


# --- the pieces -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, zone, expected",
    [
        ("Mar 28, 2020 08:07:27", "UTC", datetime(2020, 3, 28, 8, 7, 27, tzinfo=UTC)),
        ("04/26/2026 10:45:17 AM", "Africa/Nairobi", datetime(2026, 4, 26, 7, 45, 17, tzinfo=UTC)),
        ("4/26/26, 10:45:17 PM", "UTC", datetime(2026, 4, 26, 22, 45, 17, tzinfo=UTC)),
        ("2026-04-26 10:45:17", "Asia/Kathmandu", datetime(2026, 4, 26, 5, 0, 17, tzinfo=UTC)),
        ("04/26/2026 10:45 AM EDT", "Asia/Manila", datetime(2026, 4, 26, 14, 45, tzinfo=UTC)),
        ("Apr 26, 2026 10:45 AM", "UTC", datetime(2026, 4, 26, 10, 45, tzinfo=UTC)),
    ],
)
def test_dates_in_the_formats_reports_use(text, zone, expected):
    assert DateReader(zone)(text) == expected


def test_a_file_with_a_day_above_twelve_first_is_read_day_first():
    reader = DateReader("UTC")
    reader.learn(["05/04/2026 10:00:00", "26/04/2026 10:00:00"])
    assert reader("05/04/2026 10:00:00") == datetime(2026, 4, 5, 10, 0, tzinfo=UTC)
    month_first = DateReader("UTC")
    month_first.learn(["05/04/2026 10:00:00"])
    assert month_first("05/04/2026 10:00:00") == datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        month_first("the 26th")


@pytest.mark.parametrize(
    "text, minutes",
    [("92", 92), ("1h 27m 51s", 87 + 51 / 60), ("45m 3s", 45.05), ("12s", 0.2), ("2h", 120)]
    + [("1:27:51", 87 + 51 / 60), ("62 minutes", 62)],
)
def test_durations_as_the_platforms_write_them(text, minutes):
    assert parse_minutes(text) == pytest.approx(minutes)


def test_overlapping_and_touching_stays_merge_and_gaps_stay():
    merged = merge_intervals(
        [
            (at(7, 30), at(8, 0)),
            (at(7, 0), at(7, 20)),
            (at(7, 10), at(7, 30)),  # overlaps the first, touches the next
            (at(8, 5), at(8, 10)),
        ]
    )
    assert merged == [(at(7, 0), at(8, 0)), (at(8, 5), at(8, 10))]


def test_reading_counts_hosts_and_absentees_apart():
    report = read_report(sample("zoom_webinar_attendee_report.csv"), zone="Africa/Nairobi")
    assert (report.read, report.staff, report.absent, len(report.rows)) == (8, 3, 1, 7)
    assert report.title == "Cash transfers and climate shocks"


def test_a_multiline_answer_keeps_line_numbers_true():
    report = read_report(sample("zoom_webinar_attendee_report.csv"), zone="Africa/Nairobi")
    amina = [row.line for row in report.rows if row.email == "amina.diallo@example.sn"]
    assert amina == [17, 19]  # her first row's answer spans two lines of the file


def test_times_before_the_session_are_kept_as_reported(frozen, past_webinar, registrants):
    run_json(past_webinar.slug, str(FIXTURES / "zoom_webinar_attendee_report.csv"))
    li = Attendance.objects.get(email="li.wei@example.cn")
    assert li.first_join == SESSION_START - timedelta(minutes=15)


def test_a_report_re_saved_by_a_european_spreadsheet_with_semicolons(frozen, past_webinar):
    text = sample("zoom_meeting_participants.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    report = read_report(out.getvalue().encode("cp1252", errors="replace"), zone="Asia/Manila")
    assert report.format == "zoom-meeting" and report.read == 8 and not report.errors
