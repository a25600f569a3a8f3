"""The organizer's import pages: upload, preview, zone correction, apply once, evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.webinars.test_attendance_support import *  # noqa: F403 - the fixtures
from tests.webinars.test_attendance_support import (
    sample,
)
from webinars.models import Attendance, AttendanceImport

pytestmark = pytest.mark.django_db


def upload(client, webinar, name, **fields):
    data = {
        "session": webinar.sessions.get().pk,
        "zone": "",
        "report": SimpleUploadedFile(name, sample(name), content_type="text/csv"),
        **fields,
    }
    return client.post(f"/webinars/manage/{webinar.slug}/attendance/", data)


def test_upload_shows_a_preview_and_applying_imports_once(
    frozen, past_webinar, registrants, organizer, client
):
    client.force_login(organizer)
    response = upload(client, past_webinar, "zoom_webinar_attendee_report.csv")
    record = AttendanceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/attendance/imports/{record.pk}/")
    assert not Attendance.objects.exists()  # a preview writes no attendance

    page = client.get(response["Location"]).content.decode()
    assert "Zoom webinar attendee report" in page
    assert "Maria Santos" in page and "Kofi Boateng" in page
    assert "Africa/Nairobi" in page

    apply_url = f"/webinars/manage/{past_webinar.slug}/attendance/imports/{record.pk}/apply/"
    followed = client.post(apply_url, follow=True).content.decode()
    assert "Imported: 5 attendees (4 registrants, 1 walk-ins)." in followed
    assert Attendance.objects.count() == 5
    again = client.post(apply_url, follow=True).content.decode()
    assert "already been imported: nothing changed" in again
    assert Attendance.objects.count() == 5

    # uploading the same file again shows it as imported, with no button to import
    page = client.get(
        upload(client, past_webinar, "zoom_webinar_attendee_report.csv")["Location"]
    ).content.decode()
    assert "Importing this file again changes nothing" in page
    assert "/apply/" not in page
    assert AttendanceImport.objects.count() == 1


def test_the_attendance_page_shows_both_kinds_of_evidence_side_by_side(
    frozen, past_webinar, registrants, organizer, client
):
    from tests.webinars.test_attendance_support import FIXTURES, run

    run(past_webinar.slug, str(FIXTURES / "zoom_webinar_attendee_report.csv"))
    organizer.time_zone = "Asia/Manila"  # the viewer's zone, whatever the session's
    organizer.save()
    client.force_login(organizer)
    page = client.get(f"/webinars/manage/{past_webinar.slug}/attendance/").content.decode()
    assert "Zawadi Mwangi" in page  # clicked the join link; not in the report
    assert "Sun 26 Apr 2026, 15:00 (Asia/Manila, UTC+8)" in page  # her click, in my zone
    assert "Sun 26 Apr 2026, 14:58 (Asia/Manila, UTC+8)" in page  # Maria's first join
    assert "Kofi Boateng" in page  # a walk-in


def test_a_pdf_is_refused_on_the_form_and_nothing_is_kept(frozen, past_webinar, organizer, client):
    client.force_login(organizer)
    response = upload(client, past_webinar, "minutes_of_meeting.csv")
    assert response.status_code == 200
    assert "This is a PDF document, not a report export." in response.content.decode()
    assert not AttendanceImport.objects.exists()


def test_rows_that_cannot_be_read_are_listed_and_can_be_skipped_on_purpose(
    frozen, past_webinar, registrants, organizer, client
):
    client.force_login(organizer)
    response = upload(client, past_webinar, "zoom_meeting_bad_date.csv", zone="Asia/Manila")
    page = client.get(response["Location"]).content.decode()
    assert "26 avril 2026 15h20" in page and "skip_unreadable" in page
    record = AttendanceImport.objects.get()
    apply_url = f"/webinars/manage/{past_webinar.slug}/attendance/imports/{record.pk}/apply/"
    refused = client.post(apply_url, follow=True).content.decode()
    assert "Nothing was imported" in refused
    assert not Attendance.objects.exists()
    client.post(apply_url, {"skip_unreadable": "on"})
    assert Attendance.objects.count() == 4


def test_the_zone_can_be_corrected_before_applying(
    frozen, past_webinar, registrants, organizer, client
):
    client.force_login(organizer)
    location = upload(client, past_webinar, "zoom_meeting_participants.csv")["Location"]
    assert "outside this session" in client.get(location).content.decode()
    client.post(location, {"zone": "Asia/Manila"})
    record = AttendanceImport.objects.get()
    assert record.source_zone == "Asia/Manila"
    assert "outside this session" not in client.get(location).content.decode()


def test_import_pages_are_for_the_webinars_organizers(
    frozen, past_webinar, organizer, member_factory, client
):
    client.force_login(organizer)
    upload(client, past_webinar, "goto_attendee_report.csv")
    record = AttendanceImport.objects.get()
    stranger = member_factory(role="partner_admin")
    client.force_login(stranger)
    base = f"/webinars/manage/{past_webinar.slug}"
    for path in (
        "/attendance/",
        f"/attendance/imports/{record.pk}/",
        "/attendance.csv",
        "/analytics/",
        "/analytics/country.csv",
        "/follow-up/",
    ):
        assert client.get(base + path).status_code == 403, path
    assert client.post(f"{base}/attendance/imports/{record.pk}/apply/").status_code == 403
    assert not Attendance.objects.exists()
