"""Files that are not (whole) reports: each refused with a clear message, nothing written."""

import json

import pytest

from tests.webinars.test_attendance_support import *  # noqa: F403 - the fixtures
from tests.webinars.test_attendance_support import (
    FIXTURES,
    run,
)
from webinars.attendance import ReportError
from webinars.attendance.detection import read_report
from webinars.models import Attendance, AttendanceImport

pytestmark = pytest.mark.django_db


def nothing_written():
    return not Attendance.objects.exists() and not AttendanceImport.objects.exists()


@pytest.mark.parametrize(
    "name, message",
    [
        ("minutes_of_meeting.csv", "This is a PDF document, not a report export."),
        ("zoom_webinar_truncated.csv", "ends in the middle of a quoted value: it seems cut short"),
        ("mailing_list_export.csv", "This file is not an attendance report Baraza can read"),
    ],
)
def test_files_that_are_not_reports_are_refused(frozen, past_webinar, registrants, name, message):
    out, err, code = run(past_webinar.slug, str(FIXTURES / name), "--json")
    assert code == 1
    assert message in err
    assert out == ""
    assert nothing_written()


def test_an_unknown_layout_says_what_it_found(frozen, past_webinar):
    _out, err, _code = run(past_webinar.slug, str(FIXTURES / "mailing_list_export.csv"))
    assert "Its first line reads: “Email Address, First Name, Last Name" in err


def test_an_empty_file(frozen, past_webinar, tmp_path):
    for content in (b"", b"\xef\xbb\xbf\r\n\r\n", b"\xff\xfe"):
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        _out, err, code = run(past_webinar.slug, str(path))
        assert code == 1 and err == "The file is empty."
    assert nothing_written()


def test_a_header_without_rows(frozen, past_webinar, tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\r\n")
    _out, err, code = run(past_webinar.slug, str(path))
    assert code == 1 and "has no rows" in err
    assert nothing_written()


def test_a_row_cut_short_blocks_the_import(frozen, past_webinar, registrants):
    out, err, code = run(past_webinar.slug, str(FIXTURES / "zoom_webinar_cut_row.csv"), "--json")
    assert code == 1
    summary = json.loads(out)
    assert summary["errors"] == [
        {
            "line": 16,
            "reason": "The row has 21 columns where the header on line 13 has 27: "
            "the file may be cut short.",
        }
    ]
    assert "Nothing was imported" in err
    assert nothing_written()


def test_a_date_that_does_not_parse_blocks_the_import(frozen, past_webinar, registrants):
    out, err, code = run(
        past_webinar.slug, str(FIXTURES / "zoom_meeting_bad_date.csv"), "--tz", "Asia/Manila"
    )
    assert code == 1
    assert "line 9: Join Time “26 avril 2026 15h20” is not a date and time" in out
    assert "1 row could not be read" in err and "Nothing was imported" in err
    assert nothing_written()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel"),
        (b"\x89PNG\r\n\x1a\n", "an image"),
        (bytes(range(256)) * 4, "not a text file"),
    ],
)
def test_binary_files_renamed_csv(content, message):
    with pytest.raises(ReportError, match=message):
        read_report(content, zone="UTC")


def test_a_leave_before_the_join_and_a_row_without_anyone(frozen):
    content = (
        b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n"
        b'"Ama","ama@example.org","04/26/2026 10:00:00 AM","04/26/2026 09:00:00 AM","5","No"\r\n'
        b'"","","04/26/2026 10:00:00 AM","04/26/2026 10:30:00 AM","30","No"\r\n'
        b'"Kwame","kwame-at-example.org","04/26/2026 10:00:00 AM",'
        b'"04/26/2026 10:30:00 AM","30","No"\r\n'
    )
    report = read_report(content, zone="UTC")
    assert [(e.line, str(e.reason)) for e in report.errors] == [
        (2, "The leave time is before the join time."),
        (3, "The row has neither a name nor an email address."),
        (4, "“kwame-at-example.org” is not an email address."),
    ]
